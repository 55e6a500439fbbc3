import type { Rng } from "../rng/rng.js";
import { uniformInt, uniformInt53 } from "../rng/uniform.js";
import type { CompiledSlot } from "./slots.config.js";
import { evaluateStops, type SpinOutcome } from "./slots.evaluate.js";

/** Jackpot contributions are kept exact: the value is in 1/10,000 of a minor unit (stake × basis points). */
export const jackpotContributionScale = 10_000n;

/**
 * The whole minor units of contribution a ledger can book now, and the fraction carried to the next
 * spin (both scaled by jackpotContributionScale). Carrying the remainder keeps a player's contributions
 * exact over time: a 0.10 stake at 1% books nothing nine times and one cent the tenth.
 */
export function bookableContribution(carryScaled: bigint, contributionScaled: bigint): { readonly minor: bigint; readonly carryScaled: bigint } {
  const total = carryScaled + contributionScaled;
  return { minor: total / jackpotContributionScale, carryScaled: total % jackpotContributionScale };
}

export interface SlotSpinResult extends SpinOutcome {
  readonly stakeMinor: bigint;
  readonly freeSpin: boolean;
  /** Added to the progressive pool, in minor units × jackpotContributionScale. Zero on free spins. */
  readonly jackpotContributionScaled: bigint;
  /** The pool itself lives outside the engine (shared across tables); the caller pays it out. */
  readonly jackpotTriggered: boolean;
}

export type SlotStakeStatus = "stake_not_integer" | "stake_below_min" | "stake_above_max" | "stake_not_multiple_of_lines";

export function checkStake(slot: CompiledSlot, stakeMinor: bigint): SlotStakeStatus | "ok" {
  if (typeof stakeMinor !== "bigint") return "stake_not_integer";
  if (stakeMinor < slot.config.stake.minMinor) return "stake_below_min";
  if (stakeMinor > slot.config.stake.maxMinor) return "stake_above_max";
  if (stakeMinor % slot.lineCount !== 0n) return "stake_not_multiple_of_lines";
  return "ok";
}

/**
 * One spin. Draws one uniform stop per reel (left to right), then, on paid spins only, one jackpot
 * draw; the fixed draw order is what lets a provably-fair verifier replay it. Free spins are played
 * at the stake that triggered them, pay with the multiplier, and neither contribute nor trigger.
 */
export function spin(
  slot: CompiledSlot,
  rng: Rng,
  request: { readonly stakeMinor: bigint; readonly freeSpin: boolean },
): { status: "ok"; result: SlotSpinResult } | { status: SlotStakeStatus } {
  const status = checkStake(slot, request.stakeMinor);
  if (status !== "ok") return { status };
  const stops = slot.reels.map((strip) => uniformInt(rng, strip.length));
  const outcome = evaluateStops(slot, stops, request.stakeMinor, request.freeSpin);
  const { contributionBasisPoints, triggerNumerator, triggerDenominator } = slot.config.jackpot;
  const jackpotTriggered = !request.freeSpin && triggerNumerator > 0 && uniformInt53(rng, triggerDenominator) < triggerNumerator;
  return {
    status: "ok",
    result: {
      ...outcome,
      stakeMinor: request.stakeMinor,
      freeSpin: request.freeSpin,
      jackpotContributionScaled: request.freeSpin ? 0n : request.stakeMinor * BigInt(contributionBasisPoints),
      jackpotTriggered,
    },
  };
}
