/**
 * Holm's step-down correction (Holm 1979) of a family of p-values at family-wise error rate α: the
 * p-values are sorted, the j-th smallest (j from 1) is compared with α / (m − j + 1), and testing stops
 * at the first that is above its threshold; it and every larger one are accepted. Whatever the
 * dependence between the tests, a family of true null hypotheses then has at least one rejection with
 * probability at most α. It rejects everything Bonferroni (α / m for all) rejects, and sometimes more.
 *
 * The adjusted p-value of the j-th smallest is max over i ≤ j of min(1, (m − i + 1) p₍ᵢ₎): a hypothesis
 * is rejected exactly when its adjusted p-value is at most α, whatever α is, so a report can print one
 * number per test and let the reader apply another level.
 */
export interface HolmDecision {
  /** The raw p-value's position in ascending order, from 1. */
  readonly rank: number;
  /** α / (m − rank + 1): what this p-value is compared with when the step-down reaches it. */
  readonly threshold: number;
  readonly adjustedP: number;
  readonly rejected: boolean;
}

export function holmBonferroni(pValues: readonly number[], alpha: number): HolmDecision[] {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`family-wise level must be in (0, 1), got ${alpha}`);
  for (const p of pValues) if (!(p >= 0 && p <= 1)) throw new RangeError(`p-value out of [0, 1]: ${p}`);
  const m = pValues.length;
  // Stable order: equal p-values keep their input order, so a report is reproducible.
  const order = pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p || a.index - b.index);
  const out = new Array<HolmDecision>(m);
  let running = 0;
  for (let j = 0; j < m; j++) {
    const { p, index } = order[j] as { p: number; index: number };
    running = Math.max(running, Math.min(1, (m - j) * p));
    out[index] = { rank: j + 1, threshold: alpha / (m - j), adjustedP: running, rejected: running <= alpha };
  }
  return out;
}
