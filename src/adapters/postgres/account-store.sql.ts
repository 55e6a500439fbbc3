import type { AccountStore, NewUser, RotateOutcome, SessionRecord, UserRecord } from "../../app/ports/account-store.js";
import type { Role } from "../../protocol/auth.schemas.js";
import type { SqlDb } from "./sql-db.js";

interface UserRow {
  id: string;
  username: string;
  email: string | null;
  password_hash: string;
  roles: Role[];
  created_at: Date;
}
interface SessionRow {
  id: string;
  user_id: string;
  device_id: string;
  expires_at: Date;
  revoked_at: Date | null;
}

const userColumns = "id, username, email, password_hash, roles, created_at";
const sessionColumns = "id, user_id, device_id, expires_at, revoked_at";
const uniqueViolation = "23505";

function toUser(row: UserRow): UserRecord {
  return { id: row.id, username: row.username, email: row.email, passwordHash: row.password_hash, roles: row.roles, createdAt: new Date(row.created_at) };
}

function toSession(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    userId: row.user_id,
    deviceId: row.device_id,
    expiresAt: new Date(row.expires_at),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
  };
}

/** AccountStore in SQL that PostgreSQL and PGlite both run. */
export class SqlAccountStore implements AccountStore {
  constructor(private readonly db: SqlDb) {}

  async createUser(user: NewUser): Promise<UserRecord | null> {
    try {
      const rows = await this.db.query<UserRow>(`insert into users (username, email, password_hash, roles) values ($1, $2, $3, $4) returning ${userColumns}`, [
        user.username,
        user.email,
        user.passwordHash,
        user.roles,
      ]);
      return toUser(rows[0] as UserRow);
    } catch (error) {
      if ((error as { code?: string }).code === uniqueViolation) return null;
      throw error;
    }
  }

  async findUserByLogin(login: string): Promise<UserRecord | null> {
    const rows = await this.db.query<UserRow>(`select ${userColumns} from users where username = $1 or email = $1 limit 1`, [login]);
    return rows[0] === undefined ? null : toUser(rows[0]);
  }

  async searchUsers(query: string, limit: number): Promise<readonly UserRecord[]> {
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(query)) {
      const user = await this.findUserById(query.toLowerCase());
      return user === null ? [] : [user];
    }
    // A prefix, with LIKE's own wildcards taken literally.
    const prefix = `${query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await this.db.query<UserRow>(
      `select ${userColumns} from users where lower(username) like $1 or lower(email) like $1 order by username limit $2`,
      [prefix, limit],
    );
    return rows.map(toUser);
  }

  async findUserById(id: string): Promise<UserRecord | null> {
    const rows = await this.db.query<UserRow>(`select ${userColumns} from users where id = $1`, [id]);
    return rows[0] === undefined ? null : toUser(rows[0]);
  }

  async createSession(input: {
    userId: string;
    deviceId: string;
    expiresAt: Date;
    refreshTokenHash: Buffer;
    refreshExpiresAt: Date;
    clientAddress?: string | null;
  }): Promise<SessionRecord> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<SessionRow>(
        `insert into sessions (user_id, device_id, expires_at, client_address) values ($1, $2, $3, $4) returning ${sessionColumns}`,
        [input.userId, input.deviceId, input.expiresAt, input.clientAddress ?? null],
      );
      const session = toSession(rows[0] as SessionRow);
      await tx.query("insert into refresh_tokens (token_hash, session_id, expires_at) values ($1, $2, $3)", [
        input.refreshTokenHash,
        session.id,
        input.refreshExpiresAt,
      ]);
      return session;
    });
  }

  async rotateRefreshToken(input: { oldHash: Buffer; newHash: Buffer; newExpiresAt: Date; now: Date }): Promise<RotateOutcome> {
    return this.db.transaction(async (tx): Promise<RotateOutcome> => {
      // Locking the token row serializes two refreshes racing with the same token: the second sees
      // it rotated and is treated as reuse.
      const tokens = await tx.query<{ session_id: string; expires_at: Date; rotated_at: Date | null }>(
        "select session_id, expires_at, rotated_at from refresh_tokens where token_hash = $1 for update",
        [input.oldHash],
      );
      const token = tokens[0];
      if (token === undefined) return { status: "unknown" };
      const sessions = await tx.query<SessionRow>(`select ${sessionColumns} from sessions where id = $1 for update`, [token.session_id]);
      const session = toSession(sessions[0] as SessionRow);
      if (session.revokedAt !== null) return { status: "revoked" };
      if (token.rotated_at !== null) {
        await tx.query("update sessions set revoked_at = $2, revoked_reason = 'refresh token reused' where id = $1", [session.id, input.now]);
        return { status: "reused", sessionId: session.id };
      }
      if (new Date(token.expires_at) <= input.now || session.expiresAt <= input.now) return { status: "expired" };
      await tx.query("update refresh_tokens set rotated_at = $2 where token_hash = $1", [input.oldHash, input.now]);
      await tx.query("insert into refresh_tokens (token_hash, session_id, expires_at) values ($1, $2, $3)", [input.newHash, session.id, input.newExpiresAt]);
      const updated = await tx.query<SessionRow>(`update sessions set expires_at = $2 where id = $1 returning ${sessionColumns}`, [
        session.id,
        input.newExpiresAt,
      ]);
      return { status: "ok", session: toSession(updated[0] as SessionRow) };
    });
  }

  async findSession(id: string): Promise<SessionRecord | null> {
    const rows = await this.db.query<SessionRow>(`select ${sessionColumns} from sessions where id = $1`, [id]);
    return rows[0] === undefined ? null : toSession(rows[0]);
  }

  async revokeSession(id: string, reason: string, now: Date): Promise<boolean> {
    const rows = await this.db.query("update sessions set revoked_at = $2, revoked_reason = $3 where id = $1 and revoked_at is null returning id", [
      id,
      now,
      reason,
    ]);
    return rows.length > 0;
  }

  async revokeUserSessions(userId: string, reason: string, now: Date): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      "update sessions set revoked_at = $2, revoked_reason = $3 where user_id = $1 and revoked_at is null and expires_at > $2 returning id::text as id",
      [userId, now, reason],
    );
    return rows.map((r) => r.id);
  }
}
