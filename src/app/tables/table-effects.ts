import type { SlotFeatureSummary } from "../../engine/slots/index.js";
import type { RoundRecord } from "../ports/round-store.js";
import type { BehaviorOutcome, EffectRequest, RoomBehavior } from "../rooms/room-behavior.js";
/**
 * The effects table behaviors ask their host to run. All values are JSON-safe (amounts are decimal
 * strings of minor units) because they also travel inside snapshots.
 */
export interface ReserveEffect {
  readonly type: "wallet.reserve";
  readonly game: string;
  readonly playerId: string;
  readonly currency: string;
  readonly amountMinor: string;
  readonly holdId: string;
  readonly roundId: string;
}

export interface SettleItem {
  readonly holdId: string;
  readonly winMinor: string;
}

export interface SettleEffect {
  readonly type: "wallet.settle";
  readonly gameId: string;
  readonly currency: string;
  readonly items: readonly SettleItem[];
}
export interface VoidEffect {
  readonly type: "wallet.void";
  readonly currency: string;
  readonly holdIds: readonly string[];
}
/**
 * Voids every hold still pending under a reference (a round id, a table's buy-ins): reserved but never
 * accepted, or orphaned by an owner that died in between. Holds in `keep` are left alone.
 */
export interface SweepEffect {
  readonly type: "wallet.sweep";
  readonly currency: string;
  readonly roundId: string;
  readonly keep?: readonly string[];
}
export interface SweepResult {
  readonly status: "ok" | "failed";
  readonly voided: number;
}
/**
 * Ends the rounds of a table that an earlier epoch of its room left unfinished in game recall (open
 * or closed, never settled or voided): its state was lost with Redis, so nobody else will. Each
 * round's pending holds are voided (the stakes go back) and the round is recorded voided with
 * `reason`. A round whose holds could not all be voided stays unfinished, for the next fresh start.
 */
export interface RecoverEffect {
  readonly type: "rounds.recover";
  readonly game: string;
  readonly tableId: string;
  /**
   * Which of the table's unfinished rounds are this room's, by round id, when two rooms record as one
   * table (`roulette:1` and `live:1`): those that start with `prefix`, or those without `without`.
   */
  readonly rounds?: { readonly prefix: string } | { readonly without: string };
  readonly currency: string;
  readonly reason: string;
  readonly atMs: number;
}
export interface RecoverResult {
  readonly rounds: readonly { readonly roundId: string; readonly refunded: number }[];
}
export interface DrawEffect {
  readonly type: "rng.uniform";
  readonly n: number;
}
/** A fresh secret seed from the RNG boundary: 64 lowercase hex characters (256 bits). */
export interface SeedEffect {
  readonly type: "rng.seed";
}
/** Reveals a server seed in game recall, under the hash committed before play. */
export interface RevealEffect {
  readonly type: "fairness.reveal";
  readonly serverSeedHash: string;
  readonly serverSeed: string;
  readonly atMs: number;
}

/** The highest nonce game recall holds for a player's seed (see `RoundStore.highestNonce`). */
export interface NonceEffect {
  readonly type: "fairness.nonce";
  readonly userId: string;
  readonly serverSeedHash: string;
  /** Only bets placed from this server time on; absent: all. */
  readonly sinceMs?: number;
}

export type { RoundRecord };

export interface RecordEffect {
  readonly type: "round.record";
  readonly record: RoundRecord;
}

/**
 * A slot spin as recorded: the engine's feature summary, where spins recorded before the jackpot was
 * wired lack the jackpot fields (absent: not triggered, contribution "0") and their free spins lack stops.
 */
export type SlotSpinSummary = Omit<SlotFeatureSummary, "jackpotTriggered" | "jackpotContributionScaled" | "freeSpins"> & {
  readonly freeSpins: readonly (Omit<SlotFeatureSummary["freeSpins"][number], "stops"> & { readonly stops?: readonly number[] })[];
  readonly jackpotTriggered?: boolean;
  readonly jackpotContributionScaled?: string;
};

/** Stake and win in one atomic ledger operation (instant games). */
export interface InstantEffect {
  readonly type: "wallet.instant";
  readonly game: string;
  readonly gameId: string;
  readonly playerId: string;
  readonly currency: string;
  readonly stakeMinor: string;
  readonly winMinor: string;
  readonly roundId: string;
  /** A progressive jackpot the bet feeds and may win; the win is what the pool holds at commit. */
  readonly jackpot?: { readonly jackpotId: string; readonly contributionMinor: string; readonly won: boolean; readonly seedMinor: string };
  /**
   * The round to record once the ledger took the stake (outcome, verification, bet), then marked
   * settled with its payout. Nothing is recorded for a refused bet: an outcome exists only once paid.
   */
  readonly record?: RoundRecord;
}

export interface InstantResult {
  readonly status: string;
  /** Why a risk limit refused the bet (status `risk_limited`). */
  readonly reason?: string;
  readonly availableMinor?: string;
  /** The pool after the bet, when it named a jackpot. */
  readonly jackpotTotalMinor?: string;
  /** What the bet won from the pool, when it won. */
  readonly jackpotWinMinor?: string;
  /** The ledger had this bet already (a retry): nothing moved again. */
  readonly replayed?: boolean;
  /** For a retry of a bet paid and recorded before: its outcome and verification as recorded, which stand. */
  readonly recorded?: { readonly outcome: unknown; readonly verification: unknown };
}

export type TableEffect =
  ReserveEffect | SettleEffect | VoidEffect | SweepEffect | RecoverEffect | DrawEffect | SeedEffect | RevealEffect | NonceEffect | RecordEffect | InstantEffect;

/** What a reservation answered: the ledger status and, when it worked, the player's available balance. */
export interface ReserveResult {
  readonly status: string;
  readonly availableMinor?: string;
  readonly reason?: string;
}
/** Settlement and void answer the statuses in item order; anything but "ok" is retried by the next tick. */
export interface BatchResult {
  readonly statuses: readonly string[];
}

/**
 * A slot spin drawn from the player's seed pair (by the slots behavior itself, without any I/O). A retry
 * of a spin paid before is recognised by the ledger (its operation is keyed by the round id), which then
 * answers the recorded outcome instead (`InstantResult.recorded`).
 */
export interface SlotSpinDraw {
  readonly summary: SlotSpinSummary;
  /** What a player needs to recompute the draw; recorded with the round once it is paid. */
  readonly verification: unknown;
}

/** What each table effect answers, by its type tag: the runner's handler returns it, the behavior's `resume` takes it. */
export interface EffectResults {
  "wallet.reserve": ReserveResult;
  "wallet.settle": BatchResult;
  "wallet.void": BatchResult;
  "wallet.sweep": SweepResult;
  "wallet.instant": InstantResult;
  "rounds.recover": RecoverResult;
  /** A uniform draw in [0, n). */
  "rng.uniform": number;
  "rng.seed": string;
  "fairness.reveal": null;
  /** The highest nonce recorded, null for none. */
  "fairness.nonce": number | null;
  "round.record": null;
}

/** The tables' effect map for the rooms layer: each effect with its result. */
export type TableEffects = {
  readonly [K in TableEffect["type"]]: { readonly effect: Extract<TableEffect, { readonly type: K }>; readonly result: EffectResults[K] };
};

/** A table behavior's outcome: an effect it asks for is one of the tables' and `resume` takes that effect's result. */
export type TableOutcome<S> = BehaviorOutcome<S, TableEffects>;
export type TableRequest<S> = EffectRequest<S, TableEffects>;

/** A table behavior; `P` is the effect its `prepare` asks for, if it has one. */
export type TableBehavior<S, P extends TableEffect["type"] = TableEffect["type"]> = RoomBehavior<S, TableEffects, P>;
