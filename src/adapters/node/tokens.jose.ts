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

/**
 * Verifies access tokens against a JWKS of public keys only. Each way a token can be wrong maps to
 * its own registry code, so clients and operators can tell an expired token from a forged one.
 */
export class JoseTokenVerifier implements TokenVerifier {
  constructor(
    private readonly jwks: () => JSONWebKeySet,
    private readonly clock: Clock,
    private readonly options: { issuer: string },
  ) {}

  async verify(token: string): Promise<VerifyOutcome> {
    let kid: string | undefined;
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== "EdDSA") return { ok: false, error: "AUTH_TOKEN_ALG_UNSUPPORTED" };
      kid = header.kid;
    } catch {
      return { ok: false, error: "AUTH_TOKEN_MALFORMED" };
    }
    const keys = this.jwks();
    if (kid === undefined || !keys.keys.some((k) => k.kid === kid)) return { ok: false, error: "AUTH_TOKEN_KEY_UNKNOWN" };
    try {
      const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(keys), {
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
