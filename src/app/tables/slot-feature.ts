import type { Rng } from "../../engine/rng/index.js";
import { newSlotSession, play, type CompiledSlot, type SlotSession, type SlotSpinResult } from "../../engine/slots/index.js";
import type { SlotSpinSummary } from "./table-effects.js";

function summarize(result: SlotSpinResult) {
  return {
    grid: result.grid, stops: result.stops, scatterCount: result.scatterCount,
    lineWins: result.lineWins.map((w) => ({ line: w.line, symbol: w.symbol, count: w.count, winMinor: w.winMinor.toString() })),
  };
}

/** A paid spin and the whole free-spin feature it triggers, all on one stream (docs/FAIRNESS.md gives the order). */
export function playFeature(slot: CompiledSlot, stakeMinor: bigint, rng: Rng): SlotSpinSummary | { status: string } {
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
    stakeMinor: stakeMinor.toString(), ...summarize(paid.result), freeSpins, totalWinMinor: total.toString(),
    // The amount a triggered jackpot pays is decided by the ledger at commit.
    jackpotTriggered: paid.result.jackpotTriggered, jackpotContributionScaled: paid.result.jackpotContributionScaled.toString(),
  };
}
