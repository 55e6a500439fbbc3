import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  acceptLimit,
  mapDraw,
  rejectionAttemptsMax,
  uint32Space,
  uint53Space,
  uniformInt,
  uniformInt53,
  uniformIntBetween,
} from "../../src/engine/rng/uniform.js";
import { SeededRng } from "../../src/engine/rng/seeded.rng.js";
import { ScriptedRng } from "./support.js";

describe("rejection-sampled mapping", () => {
  it("is exactly uniform for every range of an 8-bit and a 10-bit space, by enumerating every draw", () => {
    for (const space of [2 ** 8, 2 ** 10]) {
      for (let n = 1; n <= space; n++) {
        const counts = new Array<number>(n).fill(0);
        let rejected = 0;
        for (let draw = 0; draw < space; draw++) {
          const value = mapDraw(draw, space, n);
          if (value === -1) rejected++;
          else counts[value] = (counts[value] ?? 0) + 1;
        }
        const expected = Math.floor(space / n);
        if (!counts.every((count) => count === expected)) throw new Error(`space ${space}, n ${n}: uneven ${counts.join(",")}`);
        // The fewest draws possible are thrown away: fewer than one per residue.
        expect(rejected).toBe(space % n);
      }
    }
  });

  it("accepts an exact multiple of n in the 32-bit space, for awkward ranges", () => {
    const awkward = [1, 2, 3, 5, 6, 7, 37, 52, 311, 1000, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 3 * 2 ** 30, 2 ** 32 - 1, 2 ** 32];
    for (const n of awkward) {
      const limit = acceptLimit(uint32Space, n);
      expect(limit % n).toBe(0);
      expect(uint32Space - limit).toBeLessThan(n);
      expect(limit).toBeGreaterThan(uint32Space / 2 - 1);
    }
  });

  it("accepts an exact multiple of n in the 53-bit space", () => {
    fc.assert(
      fc.property(fc.integer({ min: uint32Space + 1, max: Number.MAX_SAFE_INTEGER }), (n) => {
        const limit = acceptLimit(uint53Space, n);
        return Number.isSafeInteger(limit) && limit % n === 0 && uint53Space - limit < n;
      }),
    );
    expect(acceptLimit(uint53Space, uint53Space)).toBe(uint53Space);
  });

  it("uniformInt returns the first accepted draw mapped mod n", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: uint32Space }),
        fc.array(fc.integer({ min: 0, max: uint32Space - 1 }), { minLength: 1, maxLength: 8 }),
        (n, draws) => {
          const expected = draws.map((draw) => mapDraw(draw, uint32Space, n)).find((value) => value !== -1);
          if (expected === undefined) return true;
          const rng = new ScriptedRng(draws);
          return uniformInt(rng, n) === expected && expected >= 0 && expected < n;
        },
      ),
    );
  });

  it("rejects the biased tail: for n = 3, 2^32 - 1 is redrawn", () => {
    const rng = new ScriptedRng([2 ** 32 - 1, 7]);
    expect(uniformInt(rng, 3)).toBe(1);
    expect(rng.used).toBe(2);
  });

  it("uses one draw for 2^32 and never rejects", () => {
    expect(uniformInt(new ScriptedRng([2 ** 32 - 1]), 2 ** 32)).toBe(2 ** 32 - 1);
  });

  it("uniformInt53 joins 21 + 32 bits and delegates small ranges to a single draw", () => {
    expect(uniformInt53(new ScriptedRng([0xffffffff, 0xffffffff]), uint53Space)).toBe(uint53Space - 1);
    expect(uniformInt53(new ScriptedRng([0x00000800, 5]), uint53Space)).toBe(uint32Space + 5);
    const small = new ScriptedRng([10, 99]);
    expect(uniformInt53(small, 37)).toBe(10);
    expect(small.used).toBe(1);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.integer(), (n, seed) => {
        const value = uniformInt53(new SeededRng(seed), n);
        return Number.isSafeInteger(value) && value >= 0 && value < n;
      }),
    );
  });

  it("uniformIntBetween covers both ends of the interval", () => {
    const rng = new SeededRng("between");
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(uniformIntBetween(rng, -3, 3));
    expect([...seen].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
  });

  it("fails loudly on a stuck generator and on invalid ranges", () => {
    const stuck = { nextUint32: () => 2 ** 32 - 1 };
    expect(() => uniformInt(stuck, 3)).toThrow(/rejected 128 times/);
    expect(rejectionAttemptsMax).toBe(128);
    for (const n of [0, -1, 1.5, Number.NaN, uint32Space + 1]) expect(() => uniformInt(stuck, n)).toThrow(/range size/);
    expect(() => uniformInt53(stuck, uint53Space + 2)).toThrow(/range size/);
  });

  it("passes a chi-square sanity check on 37 outcomes with the seeded generator", () => {
    const rng = new SeededRng("chi-square");
    const bins = 37;
    const draws = 370_000;
    const counts = new Array<number>(bins).fill(0);
    for (let i = 0; i < draws; i++) {
      const value = uniformInt(rng, bins);
      counts[value] = (counts[value] ?? 0) + 1;
    }
    const expected = draws / bins;
    const chiSquare = counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    // 36 degrees of freedom: the 99.99th percentile is about 75.
    expect(chiSquare).toBeLessThan(75);
  });
});
