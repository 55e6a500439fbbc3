/**
 * Counters and locks behind login throttling, shared by every node (Redis) or held by the one
 * embedded process (memory). The back-off policy itself is pure
 * (src/app/auth/login-backoff.ts); the lock schedule every implementation applies is `lockAfterAttemptMs` below.
 */
/** How attempts under one key are budgeted (see `lockAfterAttemptMs`). */
export interface AttemptRule {
  /** How long an attempt counts, from the latest one. */
  readonly windowMs: number;
  /** Attempts before back-off: the attempt that reaches this count locks the key for `baseMs`, each later one for twice the last. */
  readonly attemptsFree: number;
  readonly baseMs: number;
  readonly msMax: number;
}

/** A reserved attempt (to release if it succeeds), or a refusal while the key is locked. */
export type Reservation = { readonly ok: true; readonly attempt: number } | { readonly ok: false; readonly retryAfterMs: number };

export interface ThrottleStore {
  /**
   * Atomically: refuses while `key` is locked; otherwise counts one attempt and, when the count has
   * reached `rule.attemptsFree`, locks the key for the back-off that attempt earns should it fail.
   * Counting before the expensive check (argon2) is what makes the budget hold when many attempts
   * arrive at once: none of them can pass the check while the others are still being evaluated.
   */
  reserveAttempt(key: string, rule: AttemptRule): Promise<Reservation>;
  /** Gives back a reserved attempt that succeeded: uncounts it and lifts the lock it set, if that lock is still its own. */
  releaseAttempt(key: string, attempt: number): Promise<void>;
  /** Counts one failure under `key`; the count expires `windowMs` after the latest failure. */
  recordFailure(key: string, windowMs: number): Promise<number>;
  /** Blocks `key` for `durationMs` (a later, longer lock wins). */
  lock(key: string, durationMs: number): Promise<void>;
  /** Milliseconds left on the lock of `key`, 0 when not locked. */
  lockedForMs(key: string): Promise<number>;
  /** Forgets failures, attempts and lock of `key`. */
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The lock an attempt sets when it is reserved (`reserveAttempt` above): none before the
 * `attemptsFree`-th, then `baseMs`, doubling with each further attempt, up to `msMax`. Sequentially
 * this is the same schedule as `backoffMs` (src/app/auth/login-backoff.ts): after `attemptsFree`
 * failed attempts the key waits.
 */
export function lockAfterAttemptMs(attempt: number, rule: Pick<AttemptRule, "attemptsFree" | "baseMs" | "msMax">): number {
  if (attempt < rule.attemptsFree) return 0;
  return Math.min(rule.baseMs * 2 ** Math.min(attempt - rule.attemptsFree, 30), rule.msMax);
}
