import { assert } from "./assert.js";
import { utf8 } from "./bytes.js";
import type { Rng } from "./rng.js";
import { sha256 } from "./sha256.js";

/**
 * NOT FOR PRODUCTION. A fast, reproducible generator (xoshiro128**, Blackman & Vigna) for tests,
 * simulations and certification runs that must replay bit for bit. Its output is predictable from a
 * few draws, so real-money rounds always use the CSPRNG adapter or the provably-fair stream.
 *
 * The seed (any string or number) is hashed with SHA-256 into the 128-bit state, so nearby seeds such
 * as 1 and 2 start from unrelated states and the all-zero state (a fixed point) cannot occur.
 */
export class SeededRng implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: string | number) {
    const digest = new DataView(sha256(utf8(`croupier-seeded-rng:${String(seed)}`)).buffer);
    this.s0 = digest.getUint32(0);
    this.s1 = digest.getUint32(4);
    this.s2 = digest.getUint32(8);
    this.s3 = digest.getUint32(12);
    assert((this.s0 | this.s1 | this.s2 | this.s3) !== 0, "xoshiro state must not be all zero");
  }

  /** A generator from a raw 128-bit state, for checking against the reference implementation's vectors. */
  static fromState(state: readonly [number, number, number, number]): SeededRng {
    const rng = new SeededRng(0);
    [rng.s0, rng.s1, rng.s2, rng.s3] = state.map((word) => word >>> 0) as [number, number, number, number];
    assert((rng.s0 | rng.s1 | rng.s2 | rng.s3) !== 0, "xoshiro state must not be all zero");
    return rng;
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
