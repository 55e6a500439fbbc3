// The reversed hash chain of shared tables: each seed hashes to the one before, all the way to the commitment.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { chainReaches, hashChain } from "../../src/engine/rng/index.js";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

describe("hash chain", () => {
  const terminal = "9f".repeat(32);
  const seeds = hashChain(terminal, 50);

  it("runs from the commitment s[0] to the terminal seed s[L], each seed the SHA-256 of the next", () => {
    expect(seeds).toHaveLength(51);
    expect(seeds[50]).toBe(terminal);
    for (let i = 1; i <= 50; i++) expect(sha256(seeds[i]!)).toBe(seeds[i - 1]);
  });

  it("links seed k to the commitment by k hashes, and no other seed or index", () => {
    const commitment = seeds[0]!;
    for (const k of [1, 7, 50]) expect(chainReaches(seeds[k]!, k, commitment)).toBe(true);
    expect(chainReaches(seeds[7]!, 6, commitment)).toBe(false);
    expect(chainReaches(sha256("not in the chain"), 7, commitment)).toBe(false);
    expect(chainReaches(seeds[3]!, 3, commitment.toUpperCase())).toBe(true);
  });
});
