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

/**
 * The lock an attempt sets when it is reserved (src/app/ports/throttle-store.ts): none before the
 * `attemptsFree`-th, then `baseMs`, doubling with each further attempt, up to `msMax`. Sequentially
 * this is the same schedule as `backoffMs`: after `attemptsFree` failed attempts the key waits.
 */
export function lockAfterAttemptMs(attempt: number, rule: { readonly attemptsFree: number; readonly baseMs: number; readonly msMax: number }): number {
  if (attempt < rule.attemptsFree) return 0;
  return Math.min(rule.baseMs * 2 ** Math.min(attempt - rule.attemptsFree, 30), rule.msMax);
}
