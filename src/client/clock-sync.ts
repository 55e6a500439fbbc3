/**
 * Estimates the offset between this client's clock and the server's from `time` exchanges
 * (NTP's method): for a request sent at local t0, stamped t1 by the server and received at local t3,
 * offset = t1 − (t0 + t3) / 2 and round trip = t3 − t0. The sample with the smallest round trip
 * bounds the error best (|error| ≤ rtt / 2), so that is the one kept.
 */
export interface ClockSample {
  readonly offsetMs: number;
  readonly rttMs: number;
}

export interface ClockEstimate extends ClockSample {
  /** How many samples the estimate was chosen from. */
  readonly samples: number;
  /** Local time (ms) at which it was made. */
  readonly atMs: number;
}

export function sampleOf(t0: number, t1: number, t3: number): ClockSample {
  return { offsetMs: t1 - (t0 + t3) / 2, rttMs: Math.max(0, t3 - t0) };
}

/** The sample with the smallest round trip; null for none. */
export function bestSample(samples: readonly ClockSample[]): ClockSample | null {
  let best: ClockSample | null = null;
  for (const s of samples) if (best === null || s.rttMs < best.rttMs) best = s;
  return best;
}

/** The local clock the SDK reads: sub-millisecond and monotonic where the platform has `performance`. */
export function defaultLocalNow(): number {
  const perf = (globalThis as { performance?: { timeOrigin: number; now(): number } }).performance;
  return perf === undefined ? Date.now() : perf.timeOrigin + perf.now();
}
