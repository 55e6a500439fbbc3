import { assert } from "./assert.js";
import type { Rng } from "./rng.js";
import { uniformInt53, uint53Space } from "./uniform.js";

/**
 * Exact weighted choice over non-negative integer weights: index i is returned with probability exactly
 * weights[i] / sum(weights). A uniform integer r in [0, total) is drawn by rejection sampling and the
 * index whose cumulative interval contains r is returned. Integer weights avoid the rounding that
 * floating-point probabilities would bring into a certified paytable.
 */
export function weightedChoice(rng: Rng, weights: readonly number[]): number {
  const total = weightTotal(weights);
  let r = uniformInt53(rng, total);
  for (let i = 0; i < weights.length; i++) {
    const weight = weights[i] ?? 0;
    if (r < weight) return i;
    r -= weight;
  }
  // Unreachable: r < total = sum of weights.
  throw new Error("engine invariant violated: weighted choice fell off the table");
}

/** Validates the weights (a configuration error is a bug, not an outcome) and returns their sum. */
export function weightTotal(weights: readonly number[]): number {
  let total = 0;
  for (const weight of weights) {
    assert(Number.isSafeInteger(weight) && weight >= 0, `weight ${weight} must be a non-negative safe integer`);
    // Checked before adding: past 2^53 a double sum could round back down onto the limit.
    assert(weight <= uint53Space - total, "weight total must not exceed 2^53");
    total += weight;
  }
  assert(total >= 1, "weights must not all be zero");
  return total;
}
