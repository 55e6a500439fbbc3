// docs/FAIRNESS.md written independently on node:crypto, for the proof tests: none of the engine's code.
import { createHash, createHmac } from "node:crypto";

export const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

/** The uint32 stream of HMAC-SHA256(serverSeed, "clientSeed:nonce:cursor"), big-endian, 8 per block. */
export function stream(serverSeed: string, clientSeed: string, nonce: number) {
  let cursor = 0;
  let block: Buffer | null = null;
  let index = 8;
  let drawn = 0;
  return {
    next(): number {
      if (index === 8) {
        if (block !== null) cursor++;
        block = createHmac("sha256", serverSeed).update(`${clientSeed}:${nonce}:${cursor}`).digest();
        index = 0;
      }
      drawn++;
      return (block as Buffer).readUInt32BE(4 * index++);
    },
    get drawn() {
      return drawn;
    },
    get cursor() {
      return cursor;
    },
  };
}
export type Stream = ReturnType<typeof stream>;

/** Rejection sampling: accept x below the largest multiple of n under 2^32, return x mod n. */
export function uniform(s: Stream, n: number): number {
  const limit = 2 ** 32 - (2 ** 32 % n);
  for (;;) {
    const x = s.next();
    if (x < limit) return x % n;
  }
}
