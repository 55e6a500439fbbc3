import { assert } from "./assert.js";
import type { Rng } from "./rng.js";

/**
 * Unbiased mapping of uniform random bits to an integer range, by rejection sampling.
 *
 * A draw x is uniform on [0, space). Taking x mod n directly favours the first (space mod n) results.
 * Instead only draws below `acceptLimit(space, n)` = space - (space mod n), the largest multiple of n
 * not above space, are accepted; each residue then has exactly acceptLimit / n preimages, and the
 * result is exactly uniform. A rejected draw is discarded and a fresh one taken. The rejected share is
 * (space mod n) / space < n / space, so it is below 1/2 for every n, and tiny for game-sized n.
 */

export const uint32Space = 0x1_0000_0000;
/** 2^53: every integer below it is exactly representable as a double. */
export const uint53Space = 2 ** 53;

/**
 * A healthy RNG is rejected fewer than 128 times in a row with probability above 1 - 2^-128; more
 * means the generator is broken (for example stuck on one value), and that must not go unnoticed.
 */
export const rejectionAttemptsMax = 128;

/** The largest multiple of n that is at most space: the exclusive upper bound of accepted draws. */
export function acceptLimit(space: number, n: number): number {
  return space - (space % n);
}

/**
 * Maps one draw from [0, space) to [0, n), or returns -1 when the draw must be rejected.
 * Exposed so tests can enumerate every draw of a small space and prove exactness.
 */
export function mapDraw(draw: number, space: number, n: number): number {
  return draw < acceptLimit(space, n) ? draw % n : -1;
}

function assertRange(n: number, max: number): void {
  assert(Number.isInteger(n) && n >= 1 && n <= max, `range size ${n} must be an integer in [1, ${max}]`);
}

/** A uniform integer in [0, n) for 1 <= n <= 2^32, from one or more 32-bit draws. */
export function uniformInt(rng: Rng, n: number): number {
  assertRange(n, uint32Space);
  const limit = acceptLimit(uint32Space, n);
  for (let attempt = 0; attempt < rejectionAttemptsMax; attempt++) {
    const draw = rng.nextUint32();
    if (draw < limit) return draw % n;
  }
  return rngBroken();
}

/**
 * A uniform integer in [0, n) for 1 <= n <= 2^53. Ranges that fit in 32 bits use `uniformInt` (one
 * draw); larger ones join two draws into a 53-bit value (21 high bits of the first, all 32 of the
 * second) and reject in that space, so bets and weights up to Number.MAX_SAFE_INTEGER + 1 stay exact.
 */
export function uniformInt53(rng: Rng, n: number): number {
  assertRange(n, uint53Space);
  if (n <= uint32Space) return uniformInt(rng, n);
  const limit = acceptLimit(uint53Space, n);
  for (let attempt = 0; attempt < rejectionAttemptsMax; attempt++) {
    const high = rng.nextUint32() >>> 11;
    const draw = high * uint32Space + rng.nextUint32();
    if (draw < limit) return draw % n;
  }
  return rngBroken();
}

/** A uniform integer in [min, max], both inclusive, for spans up to 2^53 values. */
export function uniformIntBetween(rng: Rng, min: number, max: number): number {
  assert(Number.isSafeInteger(min) && Number.isSafeInteger(max) && min <= max, `bad interval [${min}, ${max}]`);
  return min + uniformInt53(rng, max - min + 1);
}

function rngBroken(): never {
  throw new Error(`engine invariant violated: rng rejected ${rejectionAttemptsMax} times in a row; it is not uniform`);
}
