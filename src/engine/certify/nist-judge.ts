import { binomialTwoSidedP } from "./binomial.js";
import { chiSquareP } from "./special-functions.js";

/** NIST's significance level for each sequence: a p-value below it fails that sequence. */
export const nistAlpha = 0.01;
/** NIST's uniformity check needs at least this many sequences (SP 800-22, 4.2.2); below, it is not applied. */
export const nistUniformitySequencesMin = 55;

export interface NistJudgement {
  readonly sequences: number;
  readonly passed: number;
  readonly proportion: number;
  /**
   * NIST's own acceptance interval p̂ ± 3√(p̂(1 − p̂)/m), p̂ = 1 − α (4.2.1), printed for reference
   * only: the verdict uses `proportionP`.
   */
  readonly proportionRange: readonly [number, number];
  /**
   * Exact two-sided binomial p-value of the number of failing sequences against Binomial(m, α): too
   * many failures and too few (a suspiciously perfect pass rate) both make it small. 1 when m = 0.
   */
  readonly proportionP: number;
  /** P-values in ten bins [0, 0.1), … [0.9, 1]. */
  readonly histogram: readonly number[];
  /** The P-value of the P-values: chi-square of the histogram against uniform, 9 degrees of freedom. */
  readonly uniformityP: number;
  /** False below `nistUniformitySequencesMin` sequences, where NIST does not apply the check. */
  readonly uniformityApplied: boolean;
}

/**
 * Measures one test over m sequences as SP 800-22 section 4.2 prescribes — the proportion of sequences
 * passing, and the uniformity of the p-values — and gives each of the two its p-value. NIST compares
 * them with fixed limits (the 3σ interval, P ≥ 0.0001); here they are two decisions among all those of
 * a certification run, judged together (holm.ts), so the run as a whole has a stated error rate.
 */
export function judgeNist(pValues: readonly number[]): NistJudgement {
  const m = pValues.length;
  const passed = pValues.filter((p) => p >= nistAlpha).length;
  const proportion = m === 0 ? 0 : passed / m;
  const expected = 1 - nistAlpha;
  const halfWidth = 3 * Math.sqrt((expected * (1 - expected)) / Math.max(1, m));
  const proportionRange = [expected - halfWidth, expected + halfWidth] as const;
  const histogram = new Array<number>(10).fill(0);
  for (const p of pValues) {
    const decile = Math.min(9, Math.floor(p * 10));
    histogram[decile] = (histogram[decile] as number) + 1;
  }
  let chi = 0;
  for (const count of histogram) chi += (count - m / 10) ** 2 / (m / 10);
  const uniformityApplied = m >= nistUniformitySequencesMin;
  return {
    sequences: m,
    passed,
    proportion,
    proportionRange,
    proportionP: m === 0 ? 1 : binomialTwoSidedP(m - passed, m, nistAlpha),
    histogram,
    uniformityP: m === 0 ? 1 : chiSquareP(chi, 9),
    uniformityApplied,
  };
}
