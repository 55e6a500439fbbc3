// The statistics that turn a certification run into one verdict: exact binomial p-values, Holm's
// correction and the RTP z-test. Known values from SciPy 1.17 (scipy.stats.binomtest) and by hand.
import { describe, expect, it } from "vitest";
import {
  binomialTwoSidedP,
  estimateRtp,
  holmBonferroni,
  judgeDecisions,
  nistDecisions,
  outcomeDecisions,
  rtpTest,
  RtpAccumulator,
  judgeNist,
  type Decision,
} from "../../src/engine/certify/index.js";
import { SeededRng } from "../../src/engine/rng/seeded.rng.js";

describe("exact two-sided binomial p-value", () => {
  const cases: [number, number, number, number][] = [
    // k, n, p, SciPy's binomtest(k, n, p).pvalue
    [0, 10, 0.5, 0.001953125], // 2/1024
    [2, 10, 0.5, 0.109375], // 2 · 56/1024
    [10, 1000, 0.01, 1],
    [0, 1000, 0.01, 8.520045585902545e-5],
    [4, 1000, 0.01, 0.055077435408612395],
    [20, 1000, 0.01, 0.003767604241306376],
    [50, 1000, 0.01, 8.306371435388825e-20],
    [3, 60, 0.01, 0.02242016478883543],
    [1, 100, 0.01, 1],
  ];
  for (const [k, n, p, expected] of cases) {
    it(`k = ${k} of n = ${n} at p = ${p}`, () => expect(binomialTwoSidedP(k, n, p) / expected).toBeCloseTo(1, 9));
  }

  it("refuses impossible counts", () => {
    expect(() => binomialTwoSidedP(11, 10, 0.5)).toThrow(RangeError);
    expect(() => binomialTwoSidedP(1.5, 10, 0.5)).toThrow(RangeError);
  });
});

describe("Holm–Bonferroni", () => {
  it("adjusts by the step-down rule and keeps adjusted p-values monotone", () => {
    // Sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → raised to 0.06 (monotone).
    const judged = holmBonferroni([0.01, 0.04, 0.03, 0.005], 0.05);
    expect(judged.map((d) => d.adjustedP)).toEqual([0.03, 0.06, 0.06, 0.02]);
    expect(judged.map((d) => d.rank)).toEqual([2, 4, 3, 1]);
    expect(judged.map((d) => d.threshold)).toEqual([0.05 / 3, 0.05, 0.05 / 2, 0.05 / 4]);
    expect(judged.map((d) => d.rejected)).toEqual([true, false, false, true]);
  });

  it("stops at the first p-value above its threshold, even if a later one is below its own", () => {
    // 0.03 > 0.05/2, so 0.04 (≤ 0.05/1) is not rejected either.
    expect(holmBonferroni([0.03, 0.04], 0.05).map((d) => d.rejected)).toEqual([false, false]);
    expect(holmBonferroni([0.03, 0.04], 0.05).map((d) => d.adjustedP)).toEqual([0.06, 0.06]);
  });

  it("rejects more than Bonferroni can, never less", () => {
    const ps = [0.001, 0.012, 0.013, 0.9];
    const holm = holmBonferroni(ps, 0.05).filter((d) => d.rejected).length;
    const bonferroni = ps.filter((p) => p <= 0.05 / ps.length).length;
    expect(bonferroni).toBe(2);
    expect(holm).toBe(3);
  });

  it("fails a family of 118 independent true nulls about α of the time, not 118 α", () => {
    const rng = new SeededRng("holm-null");
    let failedRuns = 0;
    let failedSingly = 0;
    const runs = 4000;
    for (let run = 0; run < runs; run++) {
      const ps = Array.from({ length: 118 }, () => rng.nextUint32() / 2 ** 32);
      if (holmBonferroni(ps, 0.01).some((d) => d.rejected)) failedRuns++;
      if (ps.some((p) => p < 0.01)) failedSingly++;
    }
    // At most α = 1% (independent nulls: just under), against 1 − 0.99^118 = 69.5% without a correction.
    expect(failedRuns / runs).toBeLessThan(0.016);
    expect(failedSingly / runs).toBeGreaterThan(0.6);
  });

  it("refuses levels and p-values outside their ranges", () => {
    expect(() => holmBonferroni([0.5], 0)).toThrow(RangeError);
    expect(() => holmBonferroni([1.5], 0.01)).toThrow(RangeError);
    expect(() => holmBonferroni([Number.NaN], 0.01)).toThrow(RangeError);
  });
});

describe("a run's decisions", () => {
  it("are judged as one family, with the rule spelled out", () => {
    const decisions: Decision[] = [
      ...outcomeDecisions("roulette", "outcome test", [
        { name: "runs", sequence: "pocket", statistic: 0, pValue: 1e-6 },
        { name: "coupon collector", sequence: "pocket", statistic: 0, pValue: 1, note: "too few complete segments" },
      ]),
      ...nistDecisions("roulette", [{ test: "frequency", ...judgeNist(Array.from({ length: 60 }, (_, i) => (i + 0.5) / 60)) }]),
    ];
    // A test that could not run makes no decision; NIST makes two (60 sequences ≥ 55).
    expect(decisions.map((d) => d.kind)).toEqual(["outcome test", "NIST pass proportion", "NIST uniformity"]);
    const verdict = judgeDecisions(decisions, 0.01);
    expect(verdict.passed).toBe(false);
    expect(verdict.rejected).toBe(1);
    expect(verdict.decisions[0]).toMatchObject({ rank: 1, adjustedP: 3e-6, rejected: true });
    expect(verdict.rule).toContain("Holm–Bonferroni over all 3 decisions at family-wise level α = 0.01");
    expect(() => judgeDecisions([...decisions, decisions[0] as Decision])).toThrow(/unique/);
  });
});

describe("RTP as a p-value", () => {
  it("is the two-sided normal tail of (measured − exact) / standard error", () => {
    const accumulator = new RtpAccumulator();
    const rng = new SeededRng("rtp-test");
    for (let i = 0; i < 1000; i++) accumulator.add(100n, BigInt(rng.nextUint32() % 201));
    const estimate = estimateRtp(accumulator.sums());
    const z = 1.959963984540054;
    expect(rtpTest(estimate, estimate.rtp - z * estimate.standardError).pValue).toBeCloseTo(0.05, 12);
    expect(rtpTest(estimate, estimate.rtp).pValue).toBe(1);
    expect(rtpTest({ rtp: 1, standardError: 0, ci99: [1, 1] }, 0.97).pValue).toBe(0);
  });
});
