import { chiSquareFit, chiSquareUniform } from "./chi-square.js";
import { normalTwoSidedP } from "./special-functions.js";

/**
 * Empirical tests on a sequence of game outcomes mapped to integers uniform on [0, d) under the null
 * hypothesis (a roulette pocket, a reel stop, a card), after Knuth, TAOCP vol. 2, §3.3.2. Each returns
 * a p-value; a sequence that is too short for a test gets p = 1 and a note rather than a false alarm.
 */
export interface OutcomeTestResult {
  readonly name: string;
  readonly statistic: number;
  readonly pValue: number;
  readonly note?: string;
}

export type Outcomes = ArrayLike<number>;

/** Counts of each value: the frequency (equidistribution) test. */
export function countValues(values: Outcomes, d: number): number[] {
  const counts = new Array<number>(d).fill(0);
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    counts[value] = (counts[value] as number) + 1;
  }
  return counts;
}

export function frequencyTest(values: Outcomes, d: number): OutcomeTestResult {
  const fit = chiSquareUniform(countValues(values, d));
  return { name: "chi-square frequency", statistic: fit.statistic, pValue: fit.pValue };
}

/**
 * Runs test (Wald–Wolfowitz) on the sequence split at h = ⌊d/2⌋: each value is low (< h, probability
 * p = h/d) or high. With R the number of runs, R − 1 counts changes between neighbours, each with
 * probability 2pq; adjacent changes have covariance pq − 4p²q², so
 * E[R] = 1 + 2(n−1)pq and Var R = 2(n−1)pq(1−2pq) + 2(n−2)(pq − 4p²q²). Too many runs (alternation)
 * fails it as surely as too few (clumping).
 */
export function runsTest(values: Outcomes, d: number): OutcomeTestResult {
  const n = values.length;
  const h = Math.floor(d / 2);
  if (n < 20 || h === 0) return { name: "runs", statistic: 0, pValue: 1, note: "sequence too short" };
  const p = h / d;
  const q = 1 - p;
  let runs = 1;
  let previous = (values[0] as number) < h;
  for (let i = 1; i < n; i++) {
    const low = (values[i] as number) < h;
    if (low !== previous) runs++;
    previous = low;
  }
  const mean = 1 + 2 * (n - 1) * p * q;
  const variance = 2 * (n - 1) * p * q * (1 - 2 * p * q) + 2 * (n - 2) * (p * q - 4 * p * p * q * q);
  const z = (runs - mean) / Math.sqrt(variance);
  return { name: "runs", statistic: z, pValue: normalTwoSidedP(z) };
}

/**
 * Lag-1 serial correlation against the known mean (d−1)/2 and variance (d²−1)/12 of the uniform
 * distribution: under independence the products of neighbouring deviations are uncorrelated with
 * variance σ⁴, so z = Σ (x_i − μ)(x_{i+1} − μ) / (σ² √(n−1)) is standard normal.
 */
export function serialCorrelationTest(values: Outcomes, d: number): OutcomeTestResult {
  const n = values.length;
  if (n < 20 || d < 2) return { name: "serial correlation", statistic: 0, pValue: 1, note: "sequence too short" };
  const mean = (d - 1) / 2;
  const variance = (d * d - 1) / 12;
  let sum = 0;
  let previous = (values[0] as number) - mean;
  for (let i = 1; i < n; i++) {
    const current = (values[i] as number) - mean;
    sum += previous * current;
    previous = current;
  }
  const z = sum / (variance * Math.sqrt(n - 1));
  return { name: "serial correlation", statistic: sum / ((n - 1) * variance), pValue: normalTwoSidedP(z) };
}

/**
 * Gap test: marks values in [lo, hi) (probability p) and counts the gap lengths r between marks, which
 * are geometric, P(r) = p(1−p)^r; lengths of `lengthMax` or more share one bin, P = (1−p)^lengthMax.
 */
export function gapTest(values: Outcomes, d: number, lo = 0, hi = Math.max(1, Math.floor(d / 2)), lengthMax = 24): OutcomeTestResult {
  const p = (hi - lo) / d;
  const counts = new Array<number>(lengthMax + 1).fill(0);
  let gap = -1;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (value >= lo && value < hi) {
      if (gap >= 0) counts[Math.min(gap, lengthMax)] = (counts[Math.min(gap, lengthMax)] as number) + 1;
      gap = 0;
    } else if (gap >= 0) {
      gap++;
    }
  }
  const probabilities = counts.map((_, r) => (r < lengthMax ? p * (1 - p) ** r : (1 - p) ** lengthMax));
  const fit = chiSquareFit(counts, probabilities);
  return { name: "gap", statistic: fit.statistic, pValue: fit.pValue };
}

/** Stirling numbers of the second kind S(n, k) for k ≤ n, as doubles (exact for the small n used here). */
function stirling2(n: number): number[][] {
  const s = Array.from({ length: n + 1 }, () => new Array<number>(n + 1).fill(0));
  (s[0] as number[])[0] = 1;
  for (let i = 1; i <= n; i++) {
    const row = s[i] as number[];
    const above = s[i - 1] as number[];
    for (let k = 1; k <= i; k++) row[k] = k * (above[k] as number) + (above[k - 1] as number);
  }
  return s;
}

/**
 * Poker test (Knuth's simplified form): groups of `hand` consecutive values, counting how many distinct
 * values each holds. P(r distinct) = d(d−1)…(d−r+1) · S(hand, r) / d^hand.
 */
export function pokerTest(values: Outcomes, d: number, hand = 5): OutcomeTestResult {
  const groups = Math.floor(values.length / hand);
  const counts = new Array<number>(hand + 1).fill(0);
  const seen = new Int32Array(d).fill(-1);
  for (let g = 0; g < groups; g++) {
    let distinct = 0;
    for (let j = 0; j < hand; j++) {
      const value = values[g * hand + j] as number;
      if (seen[value] !== g) {
        seen[value] = g;
        distinct++;
      }
    }
    counts[distinct] = (counts[distinct] as number) + 1;
  }
  const s = stirling2(hand);
  const probabilities = counts.map((_, r) => {
    let falling = 1;
    for (let i = 0; i < r; i++) falling *= (d - i) / d;
    return r === 0 ? 0 : (falling * ((s[hand] as number[])[r] as number)) / d ** (hand - r);
  });
  const fit = chiSquareFit(counts.slice(1), probabilities.slice(1));
  return { name: "poker", statistic: fit.statistic, pValue: fit.pValue };
}

/**
 * Coupon collector: the sequence is cut into segments, each ending when all d values have appeared;
 * the segment lengths are tested against their exact distribution, computed by a walk over the
 * number of values collected so far (from k, a new value comes with probability (d−k)/d).
 */
export function couponCollectorTest(values: Outcomes, d: number): OutcomeTestResult {
  const probabilities = couponLengthProbabilities(d);
  const lengthMax = probabilities.length - 1;
  const counts = new Array<number>(lengthMax + 1).fill(0);
  const seen = new Int32Array(d).fill(-1);
  let segment = 0;
  let collected = 0;
  let length = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    length++;
    if (seen[value] !== segment) {
      seen[value] = segment;
      if (++collected === d) {
        counts[Math.min(length, lengthMax)] = (counts[Math.min(length, lengthMax)] as number) + 1;
        segment++;
        collected = 0;
        length = 0;
      }
    }
  }
  const fit = chiSquareFit(counts.slice(d), probabilities.slice(d));
  if (segments(counts) < 5) return { name: "coupon collector", statistic: 0, pValue: 1, note: "too few complete segments" };
  return { name: "coupon collector", statistic: fit.statistic, pValue: fit.pValue };
}

const segments = (counts: readonly number[]) => counts.reduce((a, b) => a + b, 0);

/** P(segment length = r) for r < last index, and P(length ≥ last index) in the last entry. */
export function couponLengthProbabilities(d: number): number[] {
  let state = new Float64Array(d + 1);
  state[0] = 1;
  const probabilities: number[] = [0];
  let remaining = 1;
  for (let r = 1; remaining > 1e-9 && r < 100 * d; r++) {
    const next = new Float64Array(d + 1);
    for (let k = 0; k < d; k++) {
      const p = state[k] as number;
      if (p === 0) continue;
      next[k] = (next[k] as number) + (p * k) / d;
      next[k + 1] = (next[k + 1] as number) + (p * (d - k)) / d;
    }
    probabilities.push(next[d] as number);
    remaining -= next[d] as number;
    next[d] = 0;
    state = next;
  }
  probabilities.push(Math.max(0, remaining));
  return probabilities;
}

/** The battery on one uniform sequence: frequency, runs, serial correlation, gap, poker, coupon collector. */
export function outcomeBattery(values: Outcomes, d: number): OutcomeTestResult[] {
  return [
    frequencyTest(values, d),
    runsTest(values, d),
    serialCorrelationTest(values, d),
    gapTest(values, d),
    pokerTest(values, d),
    couponCollectorTest(values, d),
  ];
}
