import { describe, expect, it } from "vitest";
import { rngBattery, type RngBatteryOptions } from "../../src/engine/certify/index.js";
import type { Rng } from "../../src/engine/rng/rng.js";
import { SeededRng } from "../../src/engine/rng/seeded.rng.js";

const options: RngBatteryOptions = { outcomeRange: 37, outcomeCount: 100_000, nistSequences: 300, nistBits: 1 << 14 };

/** Each bit is 1 with probability 33/64 instead of 1/2: a generator a lab must reject. */
class BitBiasedRng implements Rng {
  private readonly inner = new SeededRng("bit-biased");
  nextUint32(): number {
    const r = this.inner;
    return (r.nextUint32() | (r.nextUint32() & r.nextUint32() & r.nextUint32() & r.nextUint32() & r.nextUint32())) >>> 0;
  }
}

/** Repeats its previous output one time in eight: good bits, bad sequence. */
class StickyRng implements Rng {
  private readonly inner = new SeededRng("sticky");
  private last = 0;
  nextUint32(): number {
    if ((this.inner.nextUint32() & 7) !== 0) this.last = this.inner.nextUint32();
    return this.last;
  }
}

describe("the certification battery", () => {
  it("passes the seeded generator", () => {
    const report = rngBattery(new SeededRng("battery"), options);
    expect(report.verdict.decisions.filter((d) => d.rejected)).toEqual([]);
    // Six outcome tests, and two decisions for each of the ten NIST tests (300 sequences: uniformity applies).
    expect(report.verdict.decisions).toHaveLength(26);
    expect(report.passed).toBe(true);
  });

  it("fails a generator biased towards ones in the raw bits (mapping by rejection hides it from outcomes)", () => {
    const report = rngBattery(new BitBiasedRng(), options);
    expect(report.passed).toBe(false);
    const rejected = report.verdict.decisions.filter((d) => d.rejected);
    expect(rejected.every((d) => d.kind.startsWith("NIST"))).toBe(true);
    expect(rejected.map((d) => d.test)).toEqual(expect.arrayContaining(["frequency", "block_frequency", "cusum_forward", "cusum_backward"]));
  });

  it("fails a generator that repeats itself", () => {
    const report = rngBattery(new StickyRng(), options);
    expect(report.passed).toBe(false);
    expect(report.verdict.decisions.filter((d) => d.rejected && d.kind === "outcome test").map((d) => d.test)).toEqual(
      expect.arrayContaining(["serial correlation", "poker"]),
    );
  });
});
