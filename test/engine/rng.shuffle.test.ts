import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SeededRng } from "../../src/engine/rng/seeded.rng.js";
import { shuffle } from "../../src/engine/rng/shuffle.js";
import { weightedChoice } from "../../src/engine/rng/weighted-choice.js";
import { ScriptedRng } from "./support.js";

/** Every sequence of Fisher–Yates picks for n items: pick k chooses from [0, n - 1 - k]. */
function allPickSequences(n: number): number[][] {
  let sequences: number[][] = [[]];
  for (let i = n - 1; i > 0; i--) {
    sequences = sequences.flatMap((prefix) => Array.from({ length: i + 1 }, (_, j) => [...prefix, j]));
  }
  return sequences;
}

describe("shuffle", () => {
  it("maps the n! pick sequences onto the n! permutations one to one (n = 5)", () => {
    const sequences = allPickSequences(5);
    expect(sequences).toHaveLength(120);
    const permutations = new Set(sequences.map((picks) => shuffle(new ScriptedRng(picks), [0, 1, 2, 3, 4]).join("")));
    expect(permutations.size).toBe(120);
  });

  it("returns a permutation of its input, leaves the input alone and draws n - 1 times", () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 60 }), fc.integer(), (items, seed) => {
        const before = items.slice();
        let draws = 0;
        const inner = new SeededRng(seed);
        const counting = {
          nextUint32: () => {
            draws++;
            return inner.nextUint32();
          },
        };
        const result = shuffle(counting, items);
        expect(items).toEqual(before);
        expect(result.slice().sort((a, b) => a - b)).toEqual(before.slice().sort((a, b) => a - b));
        // Ranges this small reject with probability below 60 / 2^32, so the count is n - 1 in practice.
        expect(draws).toBe(Math.max(0, items.length - 1));
      }),
      { numRuns: 200 },
    );
  });
});

describe("weightedChoice", () => {
  it("gives each index exactly its weight's share of the draws", () => {
    const weights = [1, 0, 3, 2];
    const counts = [0, 0, 0, 0];
    for (let r = 0; r < 6; r++) {
      const index = weightedChoice(new ScriptedRng([r]), weights);
      counts[index] = (counts[index] ?? 0) + 1;
    }
    expect(counts).toEqual(weights);
  });

  it("never returns a zero-weight index", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: 20 }).filter((w) => w.some((x) => x > 0)),
        fc.integer(),
        (weights, seed) => (weights[weightedChoice(new SeededRng(seed), weights)] ?? 0) > 0,
      ),
    );
  });

  it("handles totals beyond 32 bits exactly", () => {
    const weights = [2 ** 40, 2 ** 40];
    // Draws build r = 2^40 exactly: high 21 bits = 2^8, low 32 bits = 0. That is the first unit of index 1.
    expect(weightedChoice(new ScriptedRng([(2 ** 8) << 11, 0]), weights)).toBe(1);
    expect(weightedChoice(new ScriptedRng([0xff << 11, 0xffffffff]), weights)).toBe(0);
  });

  it("rejects invalid weight tables as broken configuration", () => {
    const rng = new SeededRng(1);
    expect(() => weightedChoice(rng, [])).toThrow(/all be zero/);
    expect(() => weightedChoice(rng, [0, 0])).toThrow(/all be zero/);
    expect(() => weightedChoice(rng, [1, -1])).toThrow(/non-negative/);
    expect(() => weightedChoice(rng, [1.5])).toThrow(/non-negative/);
    expect(() => weightedChoice(rng, [2 ** 53 - 1, 2])).toThrow(/2\^53/);
  });
});
