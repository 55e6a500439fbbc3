import type { AccountRestrictions, LimitKind, LimitPeriod, LimitState, PeriodLimit } from "../../engine/responsible-gaming/index.js";

/** One stored limit of a player: what it limits, over which window, in which currency. */
export interface StoredLimit extends LimitState {
  readonly kind: LimitKind;
  readonly period: LimitPeriod;
  readonly currency: string;
}

/**
 * What a deposit is judged on, read inside the deposit's own transaction (docs/RESPONSIBLE-GAMING.md):
 * the player's restrictions, the deposit limits in force for its currency, and what was deposited
 * (pending or credited) in each window ending now.
 */
export interface DepositGate {
  readonly restrictions: AccountRestrictions;
  readonly limits: readonly PeriodLimit[];
  readonly depositedMinor: Readonly<Record<LimitPeriod, bigint>>;
}

/**
 * Player limits and restrictions (PostgreSQL and PGlite: src/adapters/postgres/rg-store.sql.ts).
 * Every write is serialized per player with that player's deposits (one advisory lock), so a limit
 * lowered or an exclusion taken is seen by every deposit that starts after it commits.
 */
export interface ResponsibleGamingStore {
  /** False for an id that names no user. */
  userExists(userId: string): Promise<boolean>;
  restrictions(userId: string): Promise<AccountRestrictions>;
  limits(userId: string): Promise<readonly StoredLimit[]>;
  /** Reads one limit (none: no limit), lets `decide` say what it becomes, writes that, in one transaction. */
  changeLimit(userId: string, key: Omit<StoredLimit, keyof LimitState>, nowMs: number, decide: (current: LimitState) => LimitState): Promise<LimitState>;
  /** The player's session time limit in minutes (as a LimitState: amounts are minutes); noLimit when none. */
  sessionLimit(userId: string): Promise<LimitState>;
  /** The session limits of these players, those who have one. */
  sessionLimits(userIds: readonly string[]): Promise<ReadonlyMap<string, LimitState>>;
  /** Reads the session limit, lets `decide` say what it becomes, writes that, in one transaction under the player's lock. */
  changeSessionLimit(userId: string, nowMs: number, decide: (current: LimitState) => LimitState): Promise<LimitState>;
  /** Reads the player's restrictions, lets `decide` say what they become, writes that, in one transaction. */
  changeRestrictions(userId: string, nowMs: number, decide: (current: AccountRestrictions) => AccountRestrictions): Promise<AccountRestrictions>;
}

/** What the player's bets came to since a moment, per currency (stakes out, wins in): what a reality check reports. */
export interface PlayResult {
  readonly currency: string;
  readonly stakedMinor: bigint;
  readonly wonMinor: bigint;
}
