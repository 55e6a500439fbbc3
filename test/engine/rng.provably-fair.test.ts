import { createHash, createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hashServerSeed, ProvablyFairRng } from "../../src/engine/rng/provably-fair.rng.js";
import { verifyRound } from "../../src/engine/rng/provably-fair.verify.js";
import type { Rng } from "../../src/engine/rng/rng.js";
import { shuffle } from "../../src/engine/rng/shuffle.js";
import { uniformInt } from "../../src/engine/rng/uniform.js";

/** The stream as an independent verifier would write it with node:crypto. */
function referenceUint32s(serverSeed: string, clientSeed: string, nonce: number, count: number): number[] {
  const values: number[] = [];
  for (let cursor = 0; values.length < count; cursor++) {
    const block = createHmac("sha256", serverSeed).update(`${clientSeed}:${nonce}:${cursor}`).digest();
    for (let offset = 0; offset < 32 && values.length < count; offset += 4) values.push(block.readUInt32BE(offset));
  }
  return values;
}

const serverSeed = "3f1c9a6e0b8d4e2f7a5c1b9d0e8f6a4c2b0d9e7f5a3c1b8d6e4f2a0c9b7d5e3f";

describe("provably-fair stream", () => {
  it("reads HMAC-SHA256(serverSeed, clientSeed:nonce:cursor) four bytes at a time, cursor per 32 bytes", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), fc.nat(), fc.integer({ min: 1, max: 40 }), (server, client, nonce, count) => {
        const rng = new ProvablyFairRng({ serverSeed: server, clientSeed: client, nonce });
        const values = Array.from({ length: count }, () => rng.nextUint32());
        expect(values).toEqual(referenceUint32s(server, client, nonce, count));
        expect(rng.drawnUint32s).toBe(count);
      }),
      { numRuns: 100 },
    );
  });

  it("equals Stake's float reading: uint32 / 2^32 = sum of byte_i / 256^(i+1)", () => {
    const block = createHmac("sha256", serverSeed).update("player:7:0").digest();
    const stakeFloat = [0, 1, 2, 3].reduce((sum, i) => sum + (block[i] ?? 0) / 256 ** (i + 1), 0);
    const rng = new ProvablyFairRng({ serverSeed, clientSeed: "player", nonce: 7 });
    expect(rng.nextUint32() / 2 ** 32).toBe(stakeFloat);
  });

  it("commits to the server seed with SHA-256 hex", () => {
    expect(hashServerSeed(serverSeed)).toBe(createHash("sha256").update(serverSeed).digest("hex"));
  });

  it("rejects invalid nonces as a programming error", () => {
    expect(() => new ProvablyFairRng({ serverSeed, clientSeed: "c", nonce: -1 })).toThrow(/nonce/);
    expect(() => new ProvablyFairRng({ serverSeed, clientSeed: "c", nonce: 1.5 })).toThrow(/nonce/);
  });
});

describe("verifyRound", () => {
  // A round that needs more than one block: a 52-card shuffle draws 51 values (7 blocks).
  const deal = (rng: Rng) =>
    shuffle(
      rng,
      Array.from({ length: 52 }, (_, i) => i),
    );
  const seeds = { serverSeed, clientSeed: "lucky", nonce: 42 };

  it("recomputes the outcome the server produced", () => {
    const served = deal(new ProvablyFairRng(seeds));
    const result = verifyRound({ ...seeds, serverSeedHashHex: hashServerSeed(serverSeed).toUpperCase() }, deal);
    expect(result.status).toBe("verified");
    if (result.status !== "verified") return;
    expect(result.outcome).toEqual(served);
    expect(result.drawnUint32s).toBe(51);
  });

  it("reports a server seed that does not match the commitment", () => {
    const result = verifyRound({ ...seeds, serverSeedHashHex: hashServerSeed("another seed") }, (rng) => uniformInt(rng, 37));
    expect(result.status).toBe("server_seed_hash_mismatch");
  });

  it("changes the outcome stream with each nonce and each client seed", () => {
    const first = (s: typeof seeds) => new ProvablyFairRng(s).nextUint32();
    const values = new Set([first(seeds), first({ ...seeds, nonce: 43 }), first({ ...seeds, clientSeed: "lucky2" })]);
    expect(values.size).toBe(3);
  });
});
