import { findCurrency } from "../../engine/money/index.js";
import {
  accessAt,
  changeLimit,
  exclude,
  limitAt,
  type Access,
  type AccountRestrictions,
  type Exclusion,
  type ExclusionKind,
  type LimitKind,
  type LimitPeriod,
  type LimitState,
} from "../../engine/responsible-gaming/index.js";
import { failure, success, type Outcome } from "../outcome.js";
import type { AccountStore } from "../ports/account-store.js";
import type { Clock } from "../ports/clock.js";
import { parseMoneyInput } from "../payments/money-input.js";
import type { SessionGuard } from "../auth/session-guard.js";
import { accessRefusal } from "./deposit-gate.js";
import type { ResponsibleGamingStore, StoredLimit } from "../ports/rg-store.js";

export interface ResponsibleGamingLimits {
  /** How long a higher limit (or a removed one) waits before it applies. */
  readonly rgIncreaseCoolingOffMs: number;
}

export interface ResponsibleGamingDeps {
  readonly store: ResponsibleGamingStore;
  readonly accounts: Pick<AccountStore, "revokeUserSessions">;
  readonly guard: Pick<SessionGuard, "announceRevoked">;
  readonly clock: Clock;
  readonly limits: ResponsibleGamingLimits;
  /** Told after a wager or loss limit of a player changed, so every node judges that player's bets (BetLimits.announce). */
  readonly onBetLimitChanged?: (userId: string) => Promise<void>;
}

/** A player's protection as seen now: limits (loosenings whose cooling-off ended are in force) and access. */
export interface Protection {
  readonly userId: string;
  readonly limits: readonly StoredLimit[];
  readonly restrictions: AccountRestrictions;
  readonly access: Access;
  /** The session time limit in minutes (amounts are minutes), with any loosening still cooling off. */
  readonly sessionLimit: LimitState;
}

export interface LimitRequest {
  readonly kind: LimitKind;
  readonly period: LimitPeriod;
  readonly currency: string;
  /** A decimal string, or null to remove the limit (a loosening: it waits for the cooling-off). */
  readonly amount: unknown;
}

export type Refusal = Extract<Outcome<never>, { ok: false }>;

/**
 * Player limits, time-outs, self-exclusions and operator locks (docs/RESPONSIBLE-GAMING.md). The
 * limits are enforced where money moves (the deposit's transaction reads them); a time-out,
 * self-exclusion or lock revokes every session of the player on every node at once, so no bet can
 * follow it, and refuses logins until it ends.
 */
export class ResponsibleGaming {
  constructor(private readonly deps: ResponsibleGamingDeps) {}

  async protection(userId: string): Promise<Outcome<Protection>> {
    if (!(await this.deps.store.userExists(userId))) return failure("RG_PLAYER_NOT_FOUND");
    const nowMs = this.deps.clock.nowMs();
    const [limits, restrictions, sessionLimit] = await Promise.all([
      this.deps.store.limits(userId),
      this.deps.store.restrictions(userId),
      this.deps.store.sessionLimit(userId),
    ]);
    return success({
      userId,
      limits: limits.map((l) => ({ ...l, ...limitAt(l, nowMs) })),
      restrictions,
      access: accessAt(restrictions, nowMs),
      sessionLimit: limitAt(sessionLimit, nowMs),
    });
  }

  /** A lower limit applies at once; a higher one or a removal after rgIncreaseCoolingOffMs. */
  async setLimit(userId: string, request: LimitRequest): Promise<Outcome<{ readonly status: "applied" | "pending"; readonly limit: StoredLimit }>> {
    let requested: bigint | null = null;
    if (request.amount !== null) {
      const money = parseMoneyInput(request.amount, request.currency);
      if (!money.ok) return money;
      requested = money.value.amount;
    } else if (findCurrency(request.currency) === null) {
      return failure("WALLET_CURRENCY_UNKNOWN", { details: [`currency ${request.currency} is not kept by this wallet`] });
    }
    const nowMs = this.deps.clock.nowMs();
    let status: "applied" | "pending" = "applied";
    const key = { kind: request.kind, period: request.period, currency: request.currency };
    const state = await this.deps.store.changeLimit(userId, key, nowMs, (current) => {
      const change = changeLimit(current, requested, nowMs, this.deps.limits.rgIncreaseCoolingOffMs);
      status = change.status;
      return change.state;
    });
    if (request.kind !== "deposit") await this.deps.onBetLimitChanged?.(userId);
    return success({ status, limit: { ...key, ...state } });
  }

  /**
   * A session time limit in minutes (null removes it): a shorter one applies at once, a longer one or a
   * removal after rgIncreaseCoolingOffMs, as the money limits. Sessions past it are ended by the nodes
   * holding their sockets (reality-checks.ts).
   */
  async setSessionLimit(userId: string, minutes: number | null): Promise<{ readonly status: "applied" | "pending"; readonly limit: LimitState }> {
    const nowMs = this.deps.clock.nowMs();
    let status: "applied" | "pending" = "applied";
    const limit = await this.deps.store.changeSessionLimit(userId, nowMs, (current) => {
      const change = changeLimit(current, minutes === null ? null : BigInt(minutes), nowMs, this.deps.limits.rgIncreaseCoolingOffMs);
      status = change.status;
      return change.state;
    });
    return { status, limit };
  }

  /** The session limits of these players (those who have one), as stored. */
  sessionLimits(userIds: readonly string[]): Promise<ReadonlyMap<string, LimitState>> {
    return this.deps.store.sessionLimits(userIds);
  }

  /** A time-out or self-exclusion: it only ever lengthens one running, and every session ends now. */
  async exclude(userId: string, kind: ExclusionKind, days: number): Promise<Outcome<Exclusion>> {
    const nowMs = this.deps.clock.nowMs();
    let refused = null as Refusal | null; // set by the callback, which the type checker does not follow
    const after = await this.deps.store.changeRestrictions(userId, nowMs, (current) => {
      const change = exclude(current.exclusion, kind, days, nowMs);
      if (change.status === "ok") return { ...current, exclusion: change.exclusion };
      refused = failure("RG_EXCLUSION_DURATION_INVALID", { details: [`${kind} lasts ${change.minDays} to ${change.maxDays} days`] }) as Refusal;
      return current;
    });
    if (refused !== null) return refused;
    await this.revokeSessions(userId, kind);
    return success(after.exclusion as Exclusion);
  }

  /** An operator's lock: no login, play or deposit; money kept; withdrawals held until unlocked. */
  async lock(userId: string, operatorId: string, reason: string): Promise<Outcome<Protection>> {
    if (!(await this.deps.store.userExists(userId))) return failure("RG_PLAYER_NOT_FOUND");
    const nowMs = this.deps.clock.nowMs();
    // Locking a locked account keeps the first lock's time and author: a retry changes nothing.
    await this.deps.store.changeRestrictions(userId, nowMs, (current) =>
      current.lock !== null ? current : { ...current, lock: { lockedMs: nowMs, lockedBy: operatorId, reason } },
    );
    await this.revokeSessions(userId, "locked");
    return this.protection(userId);
  }

  /** Lifts an operator's lock. A time-out or self-exclusion stays: only its end lifts it. */
  async unlock(userId: string): Promise<Outcome<Protection>> {
    if (!(await this.deps.store.userExists(userId))) return failure("RG_PLAYER_NOT_FOUND");
    await this.deps.store.changeRestrictions(userId, this.deps.clock.nowMs(), (current) => ({ ...current, lock: null }));
    return this.protection(userId);
  }

  /** Why this user may not log in now; null when they may. */
  async loginRefusal(userId: string): Promise<Refusal | null> {
    return accessRefusal(accessAt(await this.deps.store.restrictions(userId), this.deps.clock.nowMs()));
  }

  async restrictions(userId: string): Promise<AccountRestrictions> {
    return this.deps.store.restrictions(userId);
  }

  /**
   * Every session of the player ends in the database, then on every node: each id goes out on the
   * bus as a logout's does, so sockets close with 4003 wherever they are and access tokens are refused.
   */
  private async revokeSessions(userId: string, reason: string): Promise<void> {
    const ids = await this.deps.accounts.revokeUserSessions(userId, reason, new Date(this.deps.clock.nowMs()));
    for (const id of ids) await this.deps.guard.announceRevoked(id);
  }
}
