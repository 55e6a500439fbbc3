import type { LimitVerdict } from "../../engine/responsible-gaming/index.js";

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
