import type { Role } from "../../protocol/auth.schemas.js";
import type { ErrorName } from "../../protocol/errors.js";

export interface AccessClaims {
  readonly userId: string;
  readonly roles: readonly Role[];
  readonly sessionId: string;
  readonly deviceId: string;
  readonly expiresAtMs: number;
  readonly keyId: string;
}

export interface IssuedToken {
  readonly token: string;
  readonly expiresAtMs: number;
}

/** Mints access tokens. Only roles that hold a private key have one. */
export interface TokenIssuer {
  issue(claims: Omit<AccessClaims, "expiresAtMs" | "keyId">): Promise<IssuedToken>;
}

export type VerifyOutcome = { readonly ok: true; readonly claims: AccessClaims } | { readonly ok: false; readonly error: ErrorName };

/** Checks access tokens with public keys only: a verifier cannot mint. */
export interface TokenVerifier {
  verify(token: string): Promise<VerifyOutcome>;
}

/** Opaque secrets (refresh tokens): random, shown once, stored hashed. */
export interface SecretTokens {
  generate(): string;
  hash(token: string): Buffer;
}
