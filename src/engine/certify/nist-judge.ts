import { chiSquareP } from "./special-functions.js";

/** NIST's significance level for each sequence: a p-value below it fails that sequence. */
export const nistAlpha = 0.01;
/** The uniformity of the p-values is rejected below this (SP 800-22, 4.2.2). */
export const nistUniformityPMin = 0.0001;
/** NIST's uniformity check needs at least this many sequences. */
export const nistUniformitySequencesMin = 55;

export interface NistJudgement {
  readonly sequences: number;
  readonly passed: number;
  readonly proportion: number;
  /** p̂ ± 3√(p̂(1 − p̂)/m) with p̂ = 1 − α (4.2.1). Above the range is as suspicious as below it. */
  readonly proportionRange: readonly [number, number];
  readonly proportionOk: boolean;
  /** P-values in ten bins [0, 0.1), … [0.9, 1]. */
  readonly histogram: readonly number[];
  readonly uniformityP: number;
  readonly uniformityOk: boolean;
  readonly ok: boolean;
}

/**
 * Judges one test over m sequences as SP 800-22 section 4.2 prescribes: the proportion of sequences
 * passing must fall within the confidence interval, and the p-values must be uniform (chi-square over
 * ten bins, P-value of P-values ≥ 0.0001). With m ≥ 1,000 the interval's upper end is below 1, so a
 * perfect pass rate also fails.
 */
export function judgeNist(pValues: readonly number[]): NistJudgement {
  const m = pValues.length;
  const passed = pValues.filter((p) => p >= nistAlpha).length;
  const proportion = m === 0 ? 0 : passed / m;
  const expected = 1 - nistAlpha;
  const halfWidth = 3 * Math.sqrt((expected * (1 - expected)) / Math.max(1, m));
  const proportionRange = [expected - halfWidth, expected + halfWidth] as const;
  const histogram = new Array<number>(10).fill(0);
  for (const p of pValues) histogram[Math.min(9, Math.floor(p * 10))]!++;
  let chi = 0;
  for (const count of histogram) chi += (count - m / 10) ** 2 / (m / 10);
  const uniformityP = m === 0 ? 0 : chiSquareP(chi, 9);
  const proportionOk = m > 0 && proportion >= proportionRange[0] && proportion <= proportionRange[1];
  // Too few sequences for the uniformity check: NIST does not apply it, so it cannot fail.
  const uniformityOk = m < nistUniformitySequencesMin || uniformityP >= nistUniformityPMin;
  return { sequences: m, passed, proportion, proportionRange, proportionOk, histogram, uniformityP, uniformityOk, ok: proportionOk && uniformityOk };
}
