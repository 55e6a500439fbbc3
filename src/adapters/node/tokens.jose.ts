import { createLocalJWKSet, decodeProtectedHeader, errors as joseErrors, jwtVerify, SignJWT, type JSONWebKeySet } from "jose";
import type { AccessClaims, IssuedToken, TokenIssuer, TokenVerifier, VerifyOutcome } from "../../app/ports/tokens.js";
import type { SigningKey } from "./jwt-keys.js";
import type { Clock } from "../../app/ports/clock.js";
import type { ErrorName } from "../../protocol/errors.js";
import { roles as knownRoles, type Role } from "../../protocol/auth.schemas.js";

export const accessTokenAudience = "croupier";

/** Signs EdDSA access tokens with the current private key. */
export class JoseTokenIssuer implements TokenIssuer {
  constructor(
    private readonly current: () => { kid: string; key: SigningKey },
    private readonly clock: Clock,
    private readonly options: { issuer: string; ttlSeconds: number },
  ) {}

  async issue(claims: Omit<AccessClaims, "expiresAtMs" | "keyId">): Promise<IssuedToken> {
    const { kid, key } = this.current();
    const nowS = Math.floor(this.clock.nowMs() / 1000);
    const exp = nowS + this.options.ttlSeconds;
    const token = await new SignJWT({ roles: claims.roles, sid: claims.sessionId, did: claims.deviceId })
      .setProtectedHeader({ alg: "EdDSA", kid, typ: "JWT" })
      .setSubject(claims.userId)
      .setIssuer(this.options.issuer)
      .setAudience(accessTokenAudience)
      .setIssuedAt(nowS)
      .setExpirationTime(exp)
      .sign(key);
    return { token, expiresAtMs: exp * 1000 };
  }
}

/** Tokens remembered as verified: a few MB at most (an access token is a few hundred bytes). */
const verifiedTokensMax = 10_000;

/**
 * Verifies access tokens against a JWKS of public keys only. Each way a token can be wrong maps to
 * its own registry code, so clients and operators can tell an expired token from a forged one.
 *
 * A token that verified is remembered with its claims until it expires: a client that reconnects
 * (a resume) presents the same token again, and its hello is then answered without the signature
 * check (an asynchronous WebCrypto job, milliseconds on a busy machine). The remembered answer is
 * the same string's, so nothing is trusted that was not verified; it is dropped once the token has
 * expired or its key is no longer published. Revocation is the session guard's, checked every time.
 */
export class JoseTokenVerifier implements TokenVerifier {
  private readonly verified = new Map<string, AccessClaims>();
  private keySet: { readonly keys: JSONWebKeySet; readonly set: ReturnType<typeof createLocalJWKSet> } | null = null;

  constructor(
    private readonly jwks: () => JSONWebKeySet,
    private readonly clock: Clock,
    private readonly options: { issuer: string },
  ) {}

  async verify(token: string): Promise<VerifyOutcome> {
    const keys = this.jwks();
    const known = this.verified.get(token);
    if (known !== undefined) {
      if (known.expiresAtMs > this.clock.nowMs() && keys.keys.some((k) => k.kid === known.keyId)) return { ok: true, claims: known };
      this.verified.delete(token);
    }
    const outcome = await this.check(token, keys);
    if (outcome.ok) this.remember(token, outcome.claims);
    return outcome;
  }

  private remember(token: string, claims: AccessClaims): void {
    if (this.verified.size >= verifiedTokensMax) {
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    this.verified.set(token, claims);
  }

  /** The key set for jose, rebuilt only when the published keys change (it caches the imported keys). */
  private localSet(keys: JSONWebKeySet): ReturnType<typeof createLocalJWKSet> {
    if (this.keySet?.keys !== keys) this.keySet = { keys, set: createLocalJWKSet(keys) };
    return this.keySet.set;
  }

  private async check(token: string, keys: JSONWebKeySet): Promise<VerifyOutcome> {
    let kid: string | undefined;
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== "EdDSA") return { ok: false, error: "AUTH_TOKEN_ALG_UNSUPPORTED" };
      kid = header.kid;
    } catch {
      return { ok: false, error: "AUTH_TOKEN_MALFORMED" };
    }
    if (kid === undefined || !keys.keys.some((k) => k.kid === kid)) return { ok: false, error: "AUTH_TOKEN_KEY_UNKNOWN" };
    try {
      const { payload, protectedHeader } = await jwtVerify(token, this.localSet(keys), {
        algorithms: ["EdDSA"],
        issuer: this.options.issuer,
        audience: accessTokenAudience,
        currentDate: new Date(this.clock.nowMs()),
        requiredClaims: ["sub", "exp", "iat"],
      });
      const claims = parseClaims(payload, protectedHeader.kid ?? "");
      return claims === null ? { ok: false, error: "AUTH_TOKEN_CLAIMS_INVALID" } : { ok: true, claims };
    } catch (error) {
      return { ok: false, error: classify(error) };
    }
  }
}

function classify(error: unknown): ErrorName {
  if (error instanceof joseErrors.JWTExpired) return "AUTH_TOKEN_EXPIRED";
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return "AUTH_TOKEN_SIGNATURE_INVALID";
  if (error instanceof joseErrors.JOSEAlgNotAllowed || error instanceof joseErrors.JOSENotSupported) return "AUTH_TOKEN_ALG_UNSUPPORTED";
  if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) return "AUTH_TOKEN_KEY_UNKNOWN";
  if (error instanceof joseErrors.JWTClaimValidationFailed) return "AUTH_TOKEN_CLAIMS_INVALID";
  return "AUTH_TOKEN_MALFORMED";
}

function parseClaims(payload: Record<string, unknown>, keyId: string): AccessClaims | null {
  const { sub, roles, sid, did, exp } = payload;
  if (typeof sub !== "string" || typeof sid !== "string" || typeof did !== "string" || typeof exp !== "number") return null;
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every((r) => (knownRoles as readonly unknown[]).includes(r))) return null;
  return { userId: sub, roles: roles as Role[], sessionId: sid, deviceId: did, expiresAtMs: exp * 1000, keyId };
}
