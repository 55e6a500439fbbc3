/**
 * Exponential back-off for failed logins, pure: the first `failuresFree` failures cost nothing,
 * then each further failure doubles the lock, from `baseMs` up to `msMax`.
 */
export interface BackoffPolicy {
  readonly failuresFree: number;
  readonly baseMs: number;
  readonly msMax: number;
}

export function backoffMs(failures: number, policy: BackoffPolicy): number {
  const over = failures - policy.failuresFree;
  if (over <= 0) return 0;
  // 2^30 already exceeds any sane msMax; clamping the exponent keeps the arithmetic exact.
  const factor = 2 ** Math.min(over - 1, 30);
  return Math.min(policy.baseMs * factor, policy.msMax);
}
