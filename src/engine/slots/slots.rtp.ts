import { add, fraction, multiply, one, zero, type Fraction } from "../math/fraction.js";
import { reelCount, type CompiledSlot } from "./slots.config.js";
import { linePay, reelWindow } from "./slots.evaluate.js";

/** The exact theoretical return of a slot configuration, each part per unit of stake on a paid spin. */
export interface SlotRtp {
  /** Line wins of one paid spin. */
  readonly lineReturn: Fraction;
  /** Scatter wins of one paid spin. */
  readonly scatterReturn: Fraction;
  /** Probability that a paid spin awards free spins. */
  readonly featureTriggerProbability: Fraction;
  /** Expected free spins awarded per paid spin. */
  readonly freeSpinsPerPaidSpin: Fraction;
  /** Expected free-spin wins per paid spin: free spins × multiplier × (line + scatter return). */
  readonly featureReturn: Fraction;
  /** Everything the reels pay: line + scatter + feature. */
  readonly reelsReturn: Fraction;
  /** The jackpot contribution, returned to players when the pool is won. */
  readonly jackpotReturn: Fraction;
  readonly jackpotTriggerProbability: Fraction;
  readonly totalReturn: Fraction;
}

/**
 * Computes the exact RTP by enumerating reel stops. Rather than visiting all ∏ len(strip) stop
 * combinations (tens of millions), stops are grouped by what they show, which is exact because reels
 * stop independently and uniformly:
 *
 * - Every payline reads one cell per reel, and a uniform stop makes each cell uniform over the strip,
 *   whatever the row. So each line has the same expected pay: the sum over symbol tuples of the
 *   product of per-reel symbol counts times `linePay`, divided by ∏ len. With stake = lines × line bet,
 *   the line return per unit stake is exactly that expectation.
 * - Scatters: each reel shows 0 or 1 (strips keep them 3+ apart); counting the stops that show one
 *   gives each reel's distribution, and their convolution the scatter count's.
 * - Free spins use the same strips at the same stake with a multiplier and do not retrigger, so they
 *   are worth multiplier × (line + scatter return) each.
 *
 * A test checks this against brute-force enumeration of every stop combination on small strips.
 */
export function theoreticalRtp(slot: CompiledSlot): SlotRtp {
  const lineReturn = lineExpectation(slot);
  const scatterDistribution = scatterCountDistribution(slot);
  let scatterReturn = zero;
  let freeSpinsPerPaidSpin = zero;
  let featureTriggerProbability = zero;
  for (const [count, probability] of scatterDistribution.entries()) {
    scatterReturn = add(scatterReturn, multiply(probability, fraction(slot.scatterPays[count] ?? 0n)));
    const awarded = BigInt(slot.freeSpinAwards[count] ?? 0);
    freeSpinsPerPaidSpin = add(freeSpinsPerPaidSpin, multiply(probability, fraction(awarded)));
    if (awarded > 0n) featureTriggerProbability = add(featureTriggerProbability, probability);
  }
  const spinReturn = add(lineReturn, scatterReturn);
  const featureReturn = multiply(multiply(freeSpinsPerPaidSpin, fraction(BigInt(slot.config.freeSpins.winMultiplier))), spinReturn);
  const reelsReturn = add(spinReturn, featureReturn);
  const { contributionBasisPoints, triggerNumerator, triggerDenominator } = slot.config.jackpot;
  const jackpotReturn = fraction(BigInt(contributionBasisPoints), 10_000n);
  return {
    lineReturn,
    scatterReturn,
    featureTriggerProbability,
    freeSpinsPerPaidSpin,
    featureReturn,
    reelsReturn,
    jackpotReturn,
    jackpotTriggerProbability: fraction(BigInt(triggerNumerator), BigInt(triggerDenominator)),
    totalReturn: add(reelsReturn, jackpotReturn),
  };
}

/** Expected pay of one line, in line bets: a walk over symbol tuples weighted by how many stops show them. */
function lineExpectation(slot: CompiledSlot): Fraction {
  const counts = slot.reels.map((strip) => {
    const perSymbol = new Array<bigint>(slot.symbolIds.length).fill(0n);
    for (const symbol of strip) perSymbol[symbol] = (perSymbol[symbol] ?? 0n) + 1n;
    return perSymbol.flatMap((count, symbol) => (count > 0n ? [{ symbol, count }] : []));
  });
  const symbols = new Array<number>(reelCount).fill(0);
  let numerator = 0n;
  const visit = (reel: number, weight: bigint): void => {
    if (reel === reelCount) {
      numerator += weight * linePay(slot, symbols).pay;
      return;
    }
    for (const { symbol, count } of counts[reel] ?? []) {
      symbols[reel] = symbol;
      visit(reel + 1, weight * count);
    }
  };
  visit(0, 1n);
  return fraction(
    numerator,
    slot.reels.reduce((product, strip) => product * BigInt(strip.length), 1n),
  );
}

/** Probability of each number of scatters in the window, from each reel's stops that show one. */
function scatterCountDistribution(slot: CompiledSlot): Fraction[] {
  let distribution: Fraction[] = [one];
  for (const strip of slot.reels) {
    let showing = 0n;
    for (let stop = 0; stop < strip.length; stop++) if (reelWindow(strip, stop).includes(slot.scatter)) showing++;
    const length = BigInt(strip.length);
    const hit = fraction(showing, length);
    const miss = fraction(length - showing, length);
    distribution = Array.from({ length: distribution.length + 1 }, (_, count) =>
      add(multiply(distribution[count] ?? zero, miss), count > 0 ? multiply(distribution[count - 1] ?? zero, hit) : zero),
    );
  }
  return distribution;
}
