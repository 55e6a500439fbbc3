import { randomUnit } from "./random.js";

export interface BackoffOptions {
  /** Ceiling of the first retry's delay. */
  readonly baseMs: number;
  /** No delay is ever longer than this. */
  readonly delayMsMax: number;
}

/**
 * At most 3 s between attempts: a client is back within about 3 s of its server (a restart, a
 * failover), while full jitter still spreads a crowd of reconnecting clients over that window.
 */
export const defaultBackoff: BackoffOptions = { baseMs: 200, delayMsMax: 3_000 };

/**
 * Exponential back-off with full jitter (a delay drawn uniformly from [0, min(max, base * 2^attempt)]).
 * Full jitter spreads a crowd of clients that lost the same server across the whole window, so a
 * restarted node is not hit by all of them in the same millisecond.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions = defaultBackoff, unit: () => number = randomUnit): number {
  const exponent = Math.min(Math.max(attempt, 0), 30);
  const ceiling = Math.min(options.delayMsMax, options.baseMs * 2 ** exponent);
  return Math.floor(unit() * ceiling);
}
