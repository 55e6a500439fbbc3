import type { Rng } from "../rng/index.js";
import type { CompiledSlot } from "./slots.config.js";
import type { SlotSpinResult } from "./slots.engine.js";
import { newSlotSession, play, type SlotSession } from "./slots.session.js";

/** A paid spin and its whole free-spin feature, as recorded (amounts as decimal strings of minor units). */
export interface SlotFeatureSummary {
  readonly stakeMinor: string;
  readonly grid: readonly (readonly string[])[];
  readonly stops: readonly number[];
  readonly lineWins: readonly { readonly line: number; readonly symbol: string; readonly count: number; readonly winMinor: string }[];
  readonly scatterCount: number;
  readonly freeSpins: readonly { readonly grid: readonly (readonly string[])[]; readonly stops: readonly number[]; readonly winMinor: string }[];
  /** Base spin plus the whole free-spin feature (a jackpot, if won, is paid on top by the ledger). */
  readonly totalWinMinor: string;
  readonly jackpotTriggered: boolean;
  /** The exact contribution, in minor units × jackpotContributionScale. */
  readonly jackpotContributionScaled: string;
}

function summarize(result: SlotSpinResult) {
  return {
    grid: result.grid,
    stops: result.stops,
    scatterCount: result.scatterCount,
    lineWins: result.lineWins.map((w) => ({ line: w.line, symbol: w.symbol, count: w.count, winMinor: w.winMinor.toString() })),
  };
}

/** A paid spin and the whole free-spin feature it triggers, all on one stream (docs/FAIRNESS.md gives the order). */
export function playFeature(slot: CompiledSlot, stakeMinor: bigint, rng: Rng): SlotFeatureSummary | { status: string } {
  const paid = play(slot, newSlotSession, { type: "paid_spin", stakeMinor }, rng);
  if (paid.status !== "ok") return { status: paid.status };
  let session: SlotSession = paid.session;
  let total = paid.result.totalWinMinor;
  const freeSpins: { grid: readonly (readonly string[])[]; stops: readonly number[]; winMinor: string }[] = [];
  while (session.freeSpinsLeft > 0) {
    const free = play(slot, session, { type: "free_spin" }, rng);
    if (free.status !== "ok") break;
    session = free.session;
    total += free.result.totalWinMinor;
    freeSpins.push({ grid: free.result.grid, stops: free.result.stops, winMinor: free.result.totalWinMinor.toString() });
  }
  return {
    stakeMinor: stakeMinor.toString(),
    ...summarize(paid.result),
    freeSpins,
    totalWinMinor: total.toString(),
    // The amount a triggered jackpot pays is decided by the ledger at commit.
    jackpotTriggered: paid.result.jackpotTriggered,
    jackpotContributionScaled: paid.result.jackpotContributionScaled.toString(),
  };
}
