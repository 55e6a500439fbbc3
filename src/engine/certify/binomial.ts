import { logGamma } from "./special-functions.js";

/** ln P(X = k) for X ~ Binomial(n, p), computed in logs so that n in the millions neither overflows nor underflows. */
export function binomialLogPmf(k: number, n: number, p: number): number {
  if (k < 0 || k > n) return -Infinity;
  if (p === 0) return k === 0 ? 0 : -Infinity;
  if (p === 1) return k === n ? 0 : -Infinity;
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/**
 * Relative slack when comparing probabilities of outcomes: the pmf is computed in floating point, and
 * outcomes exactly as likely as the observed one (symmetric ones when p = 1/2) must count as such.
 */
const tieSlack = 1 + 1e-7;

/**
 * Exact two-sided p-value of observing k successes in n trials with success probability p: the total
 * probability of every outcome no more likely than k (the "minimum likelihood" rule of Clopper and
 * Pearson's test, the one R's binom.test and SciPy's binomtest use). Unlike doubling the smaller tail,
 * it stays valid for a skewed binomial such as NIST's failure count, Binomial(1,000, 0.01), where too
 * few failures (a "perfect" 100% pass rate) and too many are judged on the same scale.
 */
export function binomialTwoSidedP(k: number, n: number, p: number): number {
  if (!Number.isInteger(k) || !Number.isInteger(n) || k < 0 || k > n || !(p >= 0 && p <= 1))
    throw new RangeError(`binomial test needs 0 ≤ k ≤ n integers and p in [0, 1], got k=${k} n=${n} p=${p}`);
  const observed = binomialLogPmf(k, n, p);
  const limit = observed + Math.log(tieSlack);
  let total = 0;
  for (let i = 0; i <= n; i++) {
    const logPmf = binomialLogPmf(i, n, p);
    if (logPmf <= limit) total += Math.exp(logPmf);
  }
  return Math.min(1, total);
}
