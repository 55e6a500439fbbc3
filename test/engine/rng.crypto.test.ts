import { describe, expect, it } from "vitest";
import { bufferUint32s, CryptoRng } from "../../src/adapters/node/rng.crypto.js";
import { uniformInt } from "../../src/engine/rng/uniform.js";

describe("CryptoRng", () => {
  it("returns uint32 values across several buffer refills, not repeating the buffer", () => {
    const rng = new CryptoRng();
    const draws = bufferUint32s * 3 + 17;
    const values = Array.from({ length: draws }, () => rng.nextUint32());
    for (const value of values) expect(Number.isInteger(value) && value >= 0 && value < 2 ** 32).toBe(true);
    // Among ~3,000 uniform 32-bit values a repeat has probability ~1e-3; a stuck or replayed buffer repeats them all.
    expect(new Set(values).size).toBeGreaterThan(draws - 3);
    expect(values.slice(0, bufferUint32s)).not.toEqual(values.slice(bufferUint32s, 2 * bufferUint32s));
  });

  it("uses the high and the low bits", () => {
    const rng = new CryptoRng();
    let or = 0;
    let and = 0xffffffff;
    for (let i = 0; i < 256; i++) {
      const value = rng.nextUint32();
      or |= value;
      and &= value;
    }
    expect(or >>> 0).toBe(0xffffffff);
    expect(and).toBe(0);
  });

  it("spreads roulette outcomes evenly (chi-square with a generous bound)", () => {
    const rng = new CryptoRng();
    const bins = 37;
    const draws = 185_000;
    const counts = new Array<number>(bins).fill(0);
    for (let i = 0; i < draws; i++) {
      const value = uniformInt(rng, bins);
      counts[value] = (counts[value] ?? 0) + 1;
    }
    const expected = draws / bins;
    const chiSquare = counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    // 36 degrees of freedom: this bound is beyond the 99.999th percentile (about 80), so it flags real bias only.
    expect(chiSquare).toBeLessThan(90);
  });
});
