import { chiSquareP } from "./special-functions.js";

export interface ChiSquareResult {
  readonly statistic: number;
  readonly degreesOfFreedom: number;
  readonly pValue: number;
  /** Bins after pooling, as [observed, expected]. */
  readonly bins: readonly (readonly [number, number])[];
}

/**
 * Pearson's chi-square goodness of fit of observed counts to exact category probabilities.
 * Adjacent categories are pooled until each pool expects at least `expectedMin` counts (5, the usual
 * rule), so the chi-square approximation holds; a leftover small pool joins the one before it. For
 * ordered categories (gap lengths, coupon lengths) that pools the tails, which is the textbook practice.
 */
export function chiSquareFit(observed: readonly number[], probabilities: readonly number[], expectedMin = 5): ChiSquareResult {
  const total = observed.reduce((sum, count) => sum + count, 0);
  const pooled: [number, number][] = [];
  let observedPool = 0;
  let expectedPool = 0;
  for (let i = 0; i < probabilities.length; i++) {
    observedPool += observed[i] ?? 0;
    expectedPool += (probabilities[i] ?? 0) * total;
    if (expectedPool >= expectedMin) {
      pooled.push([observedPool, expectedPool]);
      observedPool = 0;
      expectedPool = 0;
    }
  }
  if (expectedPool > 0 || observedPool > 0) {
    const last = pooled.pop() ?? [0, 0];
    pooled.push([last[0] + observedPool, last[1] + expectedPool]);
  }
  let statistic = 0;
  for (const [o, e] of pooled) if (e > 0) statistic += ((o - e) * (o - e)) / e;
  const degreesOfFreedom = Math.max(1, pooled.length - 1);
  return { statistic, degreesOfFreedom, pValue: pooled.length < 2 ? 1 : chiSquareP(statistic, degreesOfFreedom), bins: pooled };
}

/** Chi-square against the uniform distribution on the categories. */
export function chiSquareUniform(observed: readonly number[]): ChiSquareResult {
  return chiSquareFit(
    observed,
    observed.map(() => 1 / observed.length),
  );
}
