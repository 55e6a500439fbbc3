import type { Rng } from "../rng/rng.js";
import type { CompiledSlot } from "./slots.config.js";
import { spin, type SlotSpinResult, type SlotStakeStatus } from "./slots.engine.js";

/** A player's position in one slot game: whether free spins are pending, and at what stake. */
export interface SlotSession {
  readonly freeSpinsLeft: number;
  /** The stake of the spin that triggered the feature; free spins replay it without a debit. */
  readonly freeSpinStakeMinor: bigint;
  /** Sum of wins in the current feature, for the feature summary screen. */
  readonly featureWinMinor: bigint;
}

export type SlotAction = { readonly type: "paid_spin"; readonly stakeMinor: bigint } | { readonly type: "free_spin" };

export type SlotPlayStatus = SlotStakeStatus | "free_spins_pending" | "no_free_spins";

export type SlotPlayResult =
  | { readonly status: "ok"; readonly session: SlotSession; readonly result: SlotSpinResult; readonly debitMinor: bigint }
  | { readonly status: SlotPlayStatus; readonly session: SlotSession };

export const newSlotSession: SlotSession = { freeSpinsLeft: 0, freeSpinStakeMinor: 0n, featureWinMinor: 0n };

/**
 * The slot state machine: a paid spin debits the stake and may award free spins; while any are left,
 * only free spins are allowed (a paid spin would let a player skip the feature's outcome). Illegal
 * actions return a status and leave the session as it was.
 */
export function play(slot: CompiledSlot, session: SlotSession, action: SlotAction, rng: Rng): SlotPlayResult {
  if (action.type === "paid_spin") {
    if (session.freeSpinsLeft > 0) return { status: "free_spins_pending", session };
    const spun = spin(slot, rng, { stakeMinor: action.stakeMinor, freeSpin: false });
    if (spun.status !== "ok") return { status: spun.status, session };
    const awarded = spun.result.freeSpinsAwarded;
    const next: SlotSession = { freeSpinsLeft: awarded, freeSpinStakeMinor: awarded > 0 ? action.stakeMinor : 0n, featureWinMinor: 0n };
    return { status: "ok", session: next, result: spun.result, debitMinor: action.stakeMinor };
  }
  if (session.freeSpinsLeft === 0) return { status: "no_free_spins", session };
  const spun = spin(slot, rng, { stakeMinor: session.freeSpinStakeMinor, freeSpin: true });
  // The stake was valid when the feature was triggered, and free spins do not re-check it.
  if (spun.status !== "ok") throw new Error(`engine invariant violated: free spin stake refused (${spun.status})`);
  const next: SlotSession = {
    freeSpinsLeft: session.freeSpinsLeft - 1,
    freeSpinStakeMinor: session.freeSpinsLeft === 1 ? 0n : session.freeSpinStakeMinor,
    featureWinMinor: session.featureWinMinor + spun.result.totalWinMinor,
  };
  return { status: "ok", session: next, result: spun.result, debitMinor: 0n };
}
