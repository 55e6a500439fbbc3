/** A pending timer. Cancelling one that has run (or was cancelled) does nothing. */
export interface Timer {
  cancel(): void;
}

/**
 * Wall-clock time and timers, in milliseconds. Everything in `app/` that waits asks this port, never
 * `setTimeout`, so tests and simulations drive time themselves (test/support/manual-clock.ts) and a
 * table's whole round runs in microseconds. The system clock's timers do not keep the process alive.
 */
export interface Clock {
  nowMs(): number;
  /** Runs `run` once, `ms` from now (0 or less: as soon as possible, never synchronously). */
  after(ms: number, run: () => void): Timer;
  /** Runs `run` every `ms` until cancelled. */
  every(ms: number, run: () => void): Timer;
}

/** Resolves `ms` from now by `clock`. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.after(ms, resolve));
}
