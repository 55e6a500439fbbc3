/**
 * Counters and locks behind login throttling, shared by every node (Redis) or held by the one
 * embedded process (memory). The back-off policy itself is pure (src/app/auth/login-backoff.ts).
 */
export interface ThrottleStore {
  /** Counts one failure under `key`; the count expires `windowMs` after the latest failure. */
  recordFailure(key: string, windowMs: number): Promise<number>;
  /** Blocks `key` for `durationMs` (a later, longer lock wins). */
  lock(key: string, durationMs: number): Promise<void>;
  /** Milliseconds left on the lock of `key`, 0 when not locked. */
  lockedForMs(key: string): Promise<number>;
  /** Forgets failures and lock of `key`. */
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}
