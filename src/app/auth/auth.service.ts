import { unnamedDeviceId } from "../../engine/risk/index.js";
import type { Me, Role, TokenPair, User } from "../../protocol/auth.schemas.js";
import { failure, success, type Outcome } from "../outcome.js";
import type { AccountStore, SessionRecord, UserRecord } from "../ports/account-store.js";
import type { Clock } from "../ports/clock.js";
import type { PasswordHasher } from "../ports/password-hasher.js";
import type { AttemptRule, ThrottleStore } from "../ports/throttle-store.js";
import type { AccessClaims, SecretTokens, TokenIssuer, TokenVerifier } from "../ports/tokens.js";
import { isCommonPassword } from "./common-passwords.js";
import { checkPassword } from "./password-policy.js";
import type { SessionGuard } from "./session-guard.js";

export interface AuthLimits {
  readonly passwordLengthMin: number;
  readonly passwordLengthMax: number;
  readonly refreshTokenTtlSeconds: number;
  readonly loginFailuresFree: number;
  readonly loginIpFailuresFree: number;
  readonly loginBackoffBaseMs: number;
  readonly loginBackoffMsMax: number;
  readonly loginFailureWindowMs: number;
  readonly registrationsPerAddressMax: number;
  readonly registrationWindowMs: number;
}

export interface AuthDeps {
  readonly store: AccountStore;
  readonly hasher: PasswordHasher;
  readonly issuer: TokenIssuer;
  readonly verifier: TokenVerifier;
  readonly secrets: SecretTokens;
  readonly throttle: ThrottleStore;
  readonly guard: SessionGuard;
  readonly clock: Clock;
  readonly limits: AuthLimits;
  /**
   * Why a user may not have a session now (a time-out, self-exclusion or lock:
   * docs/RESPONSIBLE-GAMING.md); null when they may. None: every user may.
   */
  readonly loginGate?: (userId: string) => Promise<LoginRefusal | null>;
  /** Told of each login that opened a session (the risk engine links accounts by device and address); must not throw or wait. */
  readonly onLogin?: (login: { readonly userId: string; readonly deviceId: string; readonly address: string }) => void;
}

export type LoginRefusal = Extract<Outcome<never>, { ok: false }>;

export type Principal = AccessClaims;

const defaultDeviceId = unnamedDeviceId;

export function toUser(user: UserRecord): User {
  return { id: user.id, username: user.username, email: user.email, roles: [...user.roles], createdAt: user.createdAt.toISOString() };
}

/** Usernames and emails are compared case-insensitively; we store them lower-cased. */
export function normalizeLogin(login: string): string {
  return login.trim().toLowerCase();
}

export interface NewAccount {
  readonly username: string;
  readonly email?: string | undefined;
  readonly password: string;
  readonly roles?: readonly Role[];
}

/** Creates an account: the password policy, then the hash. Needs no keys or sessions (`croupier user create` uses it alone). */
export async function registerAccount(
  deps: Pick<AuthDeps, "store" | "hasher"> & { readonly limits: Pick<AuthLimits, "passwordLengthMin" | "passwordLengthMax"> },
  input: NewAccount,
): Promise<Outcome<User>> {
  const { limits, hasher, store } = deps;
  const problems = checkPassword(input.password, input.username, { lengthMin: limits.passwordLengthMin, lengthMax: limits.passwordLengthMax });
  if (problems.length > 0) return failure("AUTH_PASSWORD_POLICY", { details: problems });
  if (isCommonPassword(input.password)) return failure("AUTH_PASSWORD_COMMON", { details: ["the password is on a list of common and breached passwords"] });
  const user = await store.createUser({
    username: normalizeLogin(input.username),
    email: input.email === undefined ? null : normalizeLogin(input.email),
    passwordHash: await hasher.hash(input.password),
    roles: input.roles ?? ["player"],
  });
  return user === null ? failure("AUTH_ACCOUNT_EXISTS") : success(toUser(user));
}

/** Accounts and sessions: the use cases behind /v1/auth/* and every authenticated request. */
export class AuthService {
  constructor(private readonly deps: AuthDeps) {}

  /**
   * `clientAddress`: where a self-registration comes from (HTTP); each counts against the address's
   * budget before any work is done (the count is one atomic increment in the ThrottleStore, so
   * parallel requests cannot slip past it). Accounts made by an administrator (CLI) have none.
   */
  async register(input: NewAccount & { readonly clientAddress?: string }): Promise<Outcome<User>> {
    const { limits, throttle } = this.deps;
    if (input.clientAddress !== undefined) {
      const count = await throttle.recordFailure(`register:ip:${input.clientAddress}`, limits.registrationWindowMs);
      if (count > limits.registrationsPerAddressMax) return failure("AUTH_REGISTRATION_THROTTLED", { retryAfterMs: limits.registrationWindowMs });
    }
    return registerAccount(this.deps, input);
  }

  async login(input: { login: string; password: string; deviceId?: string | undefined; clientAddress: string }): Promise<Outcome<TokenPair>> {
    const checked = await this.verifyCredentials(input);
    if (!checked.ok) return checked;
    const user = checked.value;
    const refused = await this.deps.loginGate?.(user.id);
    if (refused) return refused;
    const deviceId = input.deviceId ?? defaultDeviceId;
    const pair = await this.openSession(user, deviceId, input.clientAddress);
    // An exclusion written while this session was opened may have revoked the sessions before this one
    // existed; it wrote its restriction first, so asking again here sees it, and the session ends.
    const late = await this.refuseLate(user.id, pair.sessionId);
    if (late !== null) return late;
    this.deps.onLogin?.({ userId: user.id, deviceId, address: input.clientAddress });
    return success(pair);
  }

  /**
   * Checks a login and password under the login throttle, opening no session: login uses it, and so
   * does the one thing an excluded player may still do with their password, a withdrawal.
   */
  async verifyCredentials(input: { login: string; password: string; clientAddress: string }): Promise<Outcome<UserRecord>> {
    const { throttle, limits } = this.deps;
    const login = normalizeLogin(input.login);
    const accountKey = `login:account:${login}`;
    const addressKey = `login:ip:${input.clientAddress}`;
    // Each guess is counted before the password is checked, so guesses sent at once cannot all be
    // checked before the first failure is recorded: at most the free budget is ever evaluated.
    const account = await throttle.reserveAttempt(accountKey, this.attemptRule(limits.loginFailuresFree));
    if (!account.ok) return failure("AUTH_THROTTLED", { retryAfterMs: account.retryAfterMs });
    const address = await throttle.reserveAttempt(addressKey, this.attemptRule(limits.loginIpFailuresFree));
    if (!address.ok) {
      await throttle.releaseAttempt(accountKey, account.attempt);
      return failure("AUTH_THROTTLED", { retryAfterMs: address.retryAfterMs });
    }

    let user: UserRecord | null;
    let valid: boolean;
    try {
      user = await this.deps.store.findUserByLogin(login);
      // Unknown users cost the same hashing work as known ones, so response time does not tell them apart.
      valid = user === null ? (await this.deps.hasher.verifyDummy(input.password), false) : await this.deps.hasher.verify(user.passwordHash, input.password);
    } catch (error) {
      // Nothing was checked: the attempt is not the guesser's to pay for.
      await throttle.releaseAttempt(accountKey, account.attempt).catch(() => undefined);
      await throttle.releaseAttempt(addressKey, address.attempt).catch(() => undefined);
      throw error;
    }
    // A failure keeps both reservations: they were counted (and any lock set) when reserved.
    if (!valid || user === null) return failure("AUTH_INVALID_CREDENTIALS");
    await throttle.reset(accountKey);
    await throttle.releaseAttempt(addressKey, address.attempt);
    return success(user);
  }

  /** The gate's refusal after a session was opened or renewed, revoking that session; null when it may go on. */
  private async refuseLate(userId: string, sessionId: string): Promise<LoginRefusal | null> {
    const refused = await this.deps.loginGate?.(userId);
    if (!refused) return null;
    await this.deps.store.revokeSession(sessionId, "restricted", new Date(this.deps.clock.nowMs()));
    await this.deps.guard.announceRevoked(sessionId);
    return refused;
  }

  async refresh(refreshToken: string): Promise<Outcome<TokenPair>> {
    const { store, secrets, clock, limits } = this.deps;
    const newToken = secrets.generate();
    const now = clock.nowMs();
    const newExpiresAt = new Date(now + limits.refreshTokenTtlSeconds * 1000);
    const outcome = await store.rotateRefreshToken({ oldHash: secrets.hash(refreshToken), newHash: secrets.hash(newToken), newExpiresAt, now: new Date(now) });
    switch (outcome.status) {
      case "ok": {
        const user = await store.findUserById(outcome.session.userId);
        if (user === null) return failure("AUTH_REFRESH_INVALID");
        const refused = await this.refuseLate(user.id, outcome.session.id);
        if (refused) return refused;
        return success(await this.tokenPair(user, outcome.session, newToken, newExpiresAt));
      }
      case "reused":
        await this.deps.guard.announceRevoked(outcome.sessionId);
        return failure("AUTH_REFRESH_REUSED");
      case "expired":
        return failure("AUTH_REFRESH_EXPIRED");
      case "revoked":
        return failure("AUTH_SESSION_REVOKED");
      default:
        return failure("AUTH_REFRESH_INVALID");
    }
  }

  async logout(principal: Principal): Promise<void> {
    await this.endSession(principal.sessionId, "logout");
  }

  /** Ends a session in the database, then on every node (sockets close with 4003, tokens are refused). */
  async endSession(sessionId: string, reason: string): Promise<void> {
    await this.deps.store.revokeSession(sessionId, reason, new Date(this.deps.clock.nowMs()));
    await this.deps.guard.announceRevoked(sessionId);
  }

  /** Verifies an access token and that its session is still live. */
  async authenticate(token: string | undefined): Promise<Outcome<Principal>> {
    if (token === undefined || token.length === 0) return failure("AUTH_TOKEN_MISSING");
    const verified = await this.deps.verifier.verify(token);
    if (!verified.ok) return failure(verified.error);
    if (!(await this.deps.guard.isLive(verified.claims.sessionId))) return failure("AUTH_SESSION_REVOKED");
    return success(verified.claims);
  }

  /** Operators' player search (an exact id, or a username or email prefix). */
  async searchUsers(query: string, limit: number): Promise<readonly User[]> {
    return (await this.deps.store.searchUsers(query.trim(), limit)).map(toUser);
  }

  async me(principal: Principal): Promise<Outcome<Me>> {
    const user = await this.deps.store.findUserById(principal.userId);
    if (user === null) return failure("AUTH_SESSION_REVOKED");
    return success({ ...toUser(user), sessionId: principal.sessionId, deviceId: principal.deviceId });
  }

  private async openSession(user: UserRecord, deviceId: string, clientAddress: string): Promise<TokenPair> {
    const { store, secrets, clock, limits } = this.deps;
    const refreshToken = secrets.generate();
    const refreshExpiresAt = new Date(clock.nowMs() + limits.refreshTokenTtlSeconds * 1000);
    const session = await store.createSession({
      userId: user.id,
      deviceId,
      expiresAt: refreshExpiresAt,
      refreshTokenHash: secrets.hash(refreshToken),
      refreshExpiresAt,
      clientAddress,
    });
    return this.tokenPair(user, session, refreshToken, refreshExpiresAt);
  }

  private async tokenPair(user: UserRecord, session: SessionRecord, refreshToken: string, refreshExpiresAt: Date): Promise<TokenPair> {
    const access = await this.deps.issuer.issue({ userId: user.id, roles: user.roles, sessionId: session.id, deviceId: session.deviceId });
    return {
      accessToken: access.token,
      accessTokenExpiresAt: new Date(access.expiresAtMs).toISOString(),
      refreshToken,
      refreshTokenExpiresAt: refreshExpiresAt.toISOString(),
      sessionId: session.id,
      tokenType: "Bearer",
    };
  }

  private attemptRule(attemptsFree: number): AttemptRule {
    const { limits } = this.deps;
    return { windowMs: limits.loginFailureWindowMs, attemptsFree, baseMs: limits.loginBackoffBaseMs, msMax: limits.loginBackoffMsMax };
  }
}
