import { describe, expect, it } from "vitest";
import { SeededRng } from "../../src/engine/rng/seeded.rng.js";

describe("SeededRng (xoshiro128**, tests and simulations only)", () => {
  it("matches the reference implementation from state {1, 2, 3, 4}", () => {
    const rng = SeededRng.fromState([1, 2, 3, 4]);
    expect(Array.from({ length: 6 }, () => rng.nextUint32())).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it("replays the same sequence for the same seed and differs across seeds", () => {
    const take = (seed: string | number) => {
      const rng = new SeededRng(seed);
      return Array.from({ length: 16 }, () => rng.nextUint32());
    };
    expect(take("sim-1")).toEqual(take("sim-1"));
    expect(take(1)).toEqual(take("1"));
    expect(take(1)).not.toEqual(take(2));
  });

  it("returns uint32 values with roughly balanced bits", () => {
    const rng = new SeededRng("bits");
    const draws = 20_000;
    const ones = new Array<number>(32).fill(0);
    for (let i = 0; i < draws; i++) {
      const value = rng.nextUint32();
      expect(Number.isInteger(value) && value >= 0 && value < 2 ** 32).toBe(true);
      for (let bit = 0; bit < 32; bit++) if ((value >>> bit) & 1) ones[bit] = (ones[bit] ?? 0) + 1;
    }
    // Each bit is Binomial(20000, 1/2): sd ~71, so 500 is seven sigma.
    for (const count of ones) expect(Math.abs(count - draws / 2)).toBeLessThan(500);
  });

  it("rejects the all-zero state, which xoshiro never leaves", () => {
    expect(() => SeededRng.fromState([0, 0, 0, 0])).toThrow(/all zero/);
  });
});
