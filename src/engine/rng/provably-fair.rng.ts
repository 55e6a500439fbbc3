import { assert } from "./assert.js";
import { toHex, utf8 } from "./bytes.js";
import { HmacSha256 } from "./hmac-sha256.js";
import type { Rng } from "./rng.js";
import { sha256DigestBytes, sha256 } from "./sha256.js";

/**
 * The provably-fair byte stream, in the scheme popularised by Stake:
 *
 *   block(cursor) = HMAC-SHA256(key = serverSeed, message = `${clientSeed}:${nonce}:${cursor}`)
 *
 * with cursor = 0, 1, 2, ... Each 32-byte block yields eight uint32 values, read big-endian four bytes
 * at a time; when a block is used up the cursor advances. The operator publishes SHA-256(serverSeed)
 * before play (the commitment), the player picks the client seed, the nonce counts rounds under one
 * seed pair. After the seed is rotated and revealed, anyone can recompute every draw.
 *
 * Stake turns four bytes into a float and takes floor(float * n), which is slightly biased for most n.
 * Here the same four bytes are one uint32 (bytes[0] most significant, so uint32 / 2^32 equals Stake's
 * float) and outcomes are mapped by rejection sampling (uniform.ts), which is exact.
 */
export interface ProvablyFairSeeds {
  /** Secret until rotated; used as the HMAC key in its UTF-8 form (typically 64 hex characters). */
  readonly serverSeed: string;
  readonly clientSeed: string;
  /** The round number under this seed pair, a non-negative safe integer. */
  readonly nonce: number;
}

export const provablyFairUint32sPerBlock = sha256DigestBytes / 4;

/** The HMAC message for one block; part of the public algorithm, so verifiers can rebuild it. */
export function provablyFairMessage(clientSeed: string, nonce: number, cursor: number): string {
  return `${clientSeed}:${nonce}:${cursor}`;
}

/** The commitment published before play: lowercase hex SHA-256 of the server seed's UTF-8 bytes. */
/** Recent commitments: a player's machine shows its seed's hash with every spin, for a seed that rarely changes. */
const commitments = new Map<string, string>();
const commitmentsMax = 4096;

/** SHA-256 of a seed's UTF-8 text in hex, computed every time (a hash chain's links, each hashed once). */
export function hashSeedText(seed: string): string {
  return toHex(sha256(utf8(seed)));
}

export function hashServerSeed(serverSeed: string): string {
  const known = commitments.get(serverSeed);
  if (known !== undefined) return known;
  const hash = hashSeedText(serverSeed);
  if (commitments.size >= commitmentsMax) commitments.delete(commitments.keys().next().value as string);
  commitments.set(serverSeed, hash);
  return hash;
}

export class ProvablyFairRng implements Rng {
  private readonly hmac: HmacSha256;
  private readonly clientSeed: string;
  private readonly nonce: number;
  private block: DataView | null = null;
  private cursor = 0;
  private uint32Index = 0;
  private uint32sDrawn = 0;

  constructor(seeds: ProvablyFairSeeds) {
    assert(Number.isSafeInteger(seeds.nonce) && seeds.nonce >= 0, `nonce ${seeds.nonce} must be a non-negative safe integer`);
    this.hmac = new HmacSha256(utf8(seeds.serverSeed));
    this.clientSeed = seeds.clientSeed;
    this.nonce = seeds.nonce;
  }

  nextUint32(): number {
    if (this.block === null || this.uint32Index === provablyFairUint32sPerBlock) {
      if (this.block !== null) this.cursor++;
      const bytes = this.hmac.mac(utf8(provablyFairMessage(this.clientSeed, this.nonce, this.cursor)));
      this.block = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.uint32Index = 0;
    }
    const value = this.block.getUint32(this.uint32Index * 4);
    this.uint32Index++;
    this.uint32sDrawn++;
    return value;
  }

  /**
   * Passes over the first `count` values of the stream, as if drawn (they count in `drawnUint32s`):
   * a stream read across several steps (a blackjack shoe's) resumes where the last step left it.
   */
  skip(count: number): this {
    assert(Number.isSafeInteger(count) && count >= 0, `skip ${count} must be a non-negative safe integer`);
    for (let i = 0; i < count; i++) this.nextUint32();
    return this;
  }

  /** The cursor of the last block read (0 for the first block); -1 before any draw. */
  get cursorLast(): number {
    return this.block === null ? -1 : this.cursor;
  }

  /** How many uint32 values the round consumed; recorded with the round so a verifier can check it. */
  get drawnUint32s(): number {
    return this.uint32sDrawn;
  }
}
