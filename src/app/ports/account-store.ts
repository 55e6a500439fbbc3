import type { Role } from "../../protocol/auth.schemas.js";

export interface UserRecord {
  readonly id: string;
  readonly username: string;
  readonly email: string | null;
  readonly passwordHash: string;
  readonly roles: readonly Role[];
  readonly createdAt: Date;
}

export interface SessionRecord {
  readonly id: string;
  readonly userId: string;
  readonly deviceId: string;
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
}

export type NewUser = Pick<UserRecord, "username" | "email" | "passwordHash" | "roles">;

export type RotateOutcome =
  | { readonly status: "ok"; readonly session: SessionRecord }
  | { readonly status: "unknown" | "expired" | "revoked" }
  | { readonly status: "reused"; readonly sessionId: string };

/** Users, sessions and refresh tokens. Refresh tokens are stored only as hashes. */
export interface AccountStore {
  /** Returns null when the username or email is taken. */
  createUser(user: NewUser): Promise<UserRecord | null>;
  findUserByLogin(login: string): Promise<UserRecord | null>;
  findUserById(id: string): Promise<UserRecord | null>;
  /** Operators' player search: an exact user id, or usernames and emails starting with `query` (any case), by username, at most `limit`. */
  searchUsers(query: string, limit: number): Promise<readonly UserRecord[]>;
  /** Creates a session with its first refresh token, in one transaction. */
  createSession(input: {
    userId: string;
    deviceId: string;
    expiresAt: Date;
    refreshTokenHash: Buffer;
    refreshExpiresAt: Date;
    clientAddress?: string | null;
  }): Promise<SessionRecord>;
  /**
   * Exchanges a refresh token for a new one, in one transaction: an unknown, expired or revoked
   * token changes nothing; a token already rotated revokes its whole session (theft detection).
   */
  rotateRefreshToken(input: { oldHash: Buffer; newHash: Buffer; newExpiresAt: Date; now: Date }): Promise<RotateOutcome>;
  findSession(id: string): Promise<SessionRecord | null>;
  revokeSession(id: string, reason: string, now: Date): Promise<boolean>;
  /** Revokes every live session of the user; returns their ids (to announce on the bus). */
  revokeUserSessions(userId: string, reason: string, now: Date): Promise<string[]>;
}
