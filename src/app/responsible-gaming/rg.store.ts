import type { AccountRestrictions, LimitKind, LimitPeriod, LimitState, LimitVerdict, PeriodLimit } from "../../engine/responsible-gaming/index.js";

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

/** A bet as its wager and loss limits judge it: `winMinor` is known at once for an instant bet (a spin), else 0 until it is paid. */
export interface JudgedBet {
  readonly userId: string;
  readonly currency: string;
  /** The bet's hold or round id: a retry of the same bet is counted once. */
  readonly ref: string;
  readonly stakeMinor: bigint;
  readonly winMinor: bigint;
}

export type BetLimitVerdict = { readonly status: "ok" } | (Extract<LimitVerdict, { status: "limit_exceeded" }> & { readonly kind: "wager" | "loss" });

/**
 * Wager and loss limits at the bet (PostgreSQL and PGlite). `judgeBet` runs under the same per-player
 * lock as deposits and limit changes: it reads the limits in force and what the windows used, judges,
 * and records the bet, in one transaction, so racing bets never exceed a limit.
 */
export interface BetLimitStore {
  /** Players with a wager or loss limit (in force or waiting to be removed): only their bets are judged. */
  betLimitedUsers(): Promise<readonly string[]>;
  judgeBet(bet: JudgedBet, nowMs: number): Promise<BetLimitVerdict>;
  /** The ledger refused or voided these bets: they stake nothing. */
  forget(refs: readonly string[]): Promise<void>;
  /** What these bets won, once paid. */
  paid(wins: readonly { readonly ref: string; readonly winMinor: bigint }[]): Promise<void>;
}
