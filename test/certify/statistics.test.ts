import { describe, expect, it } from "vitest";
import {
  approximateEntropy,
  bitsFromString,
  blockFrequency,
  chiSquareFit,
  chiSquareP,
  couponCollectorTest,
  couponLengthProbabilities,
  cumulativeSums,
  dftModuliHalf,
  erfc,
  estimateRtp,
  frequency,
  gammaP,
  gammaQ,
  gapTest,
  judgeNist,
  logGamma,
  longestRunOfOnes,
  normalCdf,
  pokerTest,
  RtpAccumulator,
  runs,
  runsTest,
  serial,
  serialCorrelationTest,
  spectral,
  wordsToBits,
} from "../../src/engine/certify/index.js";
import { SeededRng } from "../../src/engine/rng/seeded.rng.js";
import { uniformInt } from "../../src/engine/rng/uniform.js";

// SP 800-22 rev. 1a's worked examples. ε100 is the first 100 bits of π's binary expansion.
const epsilon100 = bitsFromString("1100100100001111110110101010001000100001011010001100001000110100110001001100011001100010100010111000");
const epsilon128 = bitsFromString(
  "11001100000101010110110001001100111000000000001001001101010100010001001111010110100000001101011111001100111001101101100010110010",
);

describe("special functions", () => {
  it("match closed forms and table values", () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    for (const x of [0.1, 1, 3, 10, 40]) expect(gammaQ(1, x)).toBeCloseTo(Math.exp(-x), 13);
    expect(gammaP(2.5, 1.7) + gammaQ(2.5, 1.7)).toBeCloseTo(1, 14);
    expect(erfc(0)).toBe(1);
    expect(erfc(1)).toBeCloseTo(0.157299207050285, 13);
    expect(erfc(-1)).toBeCloseTo(1.842700792949715, 13);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 12);
    // Chi-square critical values: 3.841 (1 df) at 5%, 23.209 (10 df) at 1%, 21.666 (9 df) at 1%.
    expect(chiSquareP(3.841458820694124, 1)).toBeCloseTo(0.05, 12);
    expect(chiSquareP(23.209251158954356, 10)).toBeCloseTo(0.01, 12);
    expect(chiSquareP(21.66599433346194, 9)).toBeCloseTo(0.01, 12);
  });
});

describe("NIST SP 800-22 worked examples", () => {
  const cases: [string, () => number, number][] = [
    ["2.1.4 frequency, n = 10", () => frequency(bitsFromString("1011010101")), 0.527089],
    ["2.1.8 frequency, n = 100", () => frequency(epsilon100), 0.109599],
    ["2.2.4 block frequency, M = 3", () => blockFrequency(bitsFromString("0110011010"), 3), 0.801252],
    ["2.2.8 block frequency, M = 10", () => blockFrequency(epsilon100, 10), 0.706438],
    ["2.3.4 runs, n = 10", () => runs(bitsFromString("1001101011")), 0.147232],
    ["2.3.8 runs, n = 100", () => runs(epsilon100), 0.500798],
    ["2.12.4 approximate entropy, m = 3", () => approximateEntropy(bitsFromString("0100110101"), 3), 0.261961],
    ["2.12.8 approximate entropy, m = 2", () => approximateEntropy(epsilon100, 2), 0.235301],
    ["2.11.4 serial P1, m = 3", () => serial(bitsFromString("0011011101"), 3).p1, 0.808792],
    ["2.11.4 serial P2, m = 3", () => serial(bitsFromString("0011011101"), 3).p2, 0.67032],
    ["2.13.4 cumulative sums, n = 10", () => cumulativeSums(bitsFromString("1011010111")).forward, 0.4116588],
    ["2.13.8 cumulative sums forward, n = 100", () => cumulativeSums(epsilon100).forward, 0.219194],
    ["2.13.8 cumulative sums backward, n = 100", () => cumulativeSums(epsilon100).backward, 0.114866],
  ];
  for (const [name, compute, expected] of cases) {
    it(name, () => expect(Math.abs(compute() - expected)).toBeLessThan(1e-6));
  }

  it("2.4.8 longest run of ones, M = 8 (NIST prints 0.180609 from rounded class probabilities)", () => {
    expect(Math.abs(longestRunOfOnes(epsilon128) - 0.180609)).toBeLessThan(2e-5);
  });

  it("spectral: the FFT agrees with a direct DFT, and a periodic sequence fails", () => {
    const rng = new SeededRng("dft");
    const x = Float64Array.from({ length: 512 }, () => ((rng.nextUint32() & 1) === 1 ? 1 : -1));
    const fast = dftModuliHalf(x);
    for (let k = 0; k < 256; k += 17) {
      let re = 0;
      let im = 0;
      for (let j = 0; j < 512; j++) {
        re += (x[j] as number) * Math.cos((2 * Math.PI * j * k) / 512);
        im -= (x[j] as number) * Math.sin((2 * Math.PI * j * k) / 512);
      }
      expect(fast[k]).toBeCloseTo(Math.sqrt(re * re + im * im), 9);
    }
    const words = Uint32Array.from({ length: 1024 }, () => rng.nextUint32());
    expect(spectral(wordsToBits(words))).toBeGreaterThan(0.001);
    expect(spectral(bitsFromString("1101".repeat(8192)))).toBeLessThan(1e-6);
  });

  it("gives pass proportions an exact two-sided binomial p-value: too many failures and a perfect 100% are both unlikely", () => {
    const uniform = Array.from({ length: 1000 }, (_, i) => (i + 0.5) / 1000);
    // Values from SciPy's binomtest(k, 1000, 0.01) on the failure count k.
    expect(judgeNist(uniform)).toMatchObject({ sequences: 1000, passed: 990, uniformityApplied: true });
    expect(judgeNist(uniform).proportionP).toBeCloseTo(1, 12);
    expect(judgeNist(uniform).uniformityP).toBeCloseTo(1, 12);
    const perfect = uniform.map((p) => 0.01 + p * 0.99);
    expect(judgeNist(perfect).passed).toBe(1000);
    expect(judgeNist(perfect).proportionP).toBeCloseTo(8.520045585902545e-5, 15);
    const failing = uniform.map((p, i) => (i % 20 === 0 ? 0.001 : p));
    // 50 forced failures plus the 9 other p-values below 0.01.
    expect(judgeNist(failing).passed).toBe(941);
    expect(judgeNist(failing).proportionP / 1.1676857868562501e-26).toBeCloseTo(1, 6);
    const clumped = uniform.map((p) => 0.5 + p / 2);
    expect(judgeNist(clumped).uniformityP).toBeLessThan(1e-100);
    expect(judgeNist(uniform.slice(0, 54)).uniformityApplied).toBe(false);
    expect(judgeNist([]).proportionP).toBe(1);
  });
});

describe("empirical outcome tests", () => {
  const rng = new SeededRng("outcomes");
  const fair = Uint8Array.from({ length: 100_000 }, () => uniformInt(rng, 37));

  it("coupon collector lengths: a probability distribution with mean d·H(d)", () => {
    const p = couponLengthProbabilities(37);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    const harmonic = Array.from({ length: 37 }, (_, i) => 1 / (i + 1)).reduce((a, b) => a + b, 0);
    const mean = p.slice(0, -1).reduce((sum, q, r) => sum + q * r, 0);
    expect(mean).toBeCloseTo(37 * harmonic, 3);
  });

  it("pools small expected counts and computes Pearson's statistic", () => {
    const fit = chiSquareFit([10, 20, 30, 1, 0], [0.2, 0.3, 0.49, 0.005, 0.005]);
    expect(fit.bins).toHaveLength(3);
    expect(fit.degreesOfFreedom).toBe(2);
    // 61 counts: expected 12.2, 18.3 and 30.5 after the last two bins join the third.
    expect(fit.statistic).toBeCloseTo(2.2 ** 2 / 12.2 + 1.7 ** 2 / 18.3 + 0.5 ** 2 / 30.5, 12);
  });

  it("pass a fair sequence and fail structured ones", () => {
    for (const test of [runsTest, serialCorrelationTest, gapTest, pokerTest, couponCollectorTest]) {
      expect(test(fair, 37).pValue).toBeGreaterThan(0.001);
    }
    const alternating = fair.map((x, i) => (i % 2 === 0 ? x % 18 : 18 + (x % 19)));
    expect(runsTest(alternating, 37).pValue).toBeLessThan(1e-9);
    const sticky = fair.map((x, i) => (i % 4 === 3 ? (fair[i - 1] as number) : x));
    expect(serialCorrelationTest(sticky, 37).pValue).toBeLessThan(1e-9);
    expect(pokerTest(sticky, 37).pValue).toBeLessThan(1e-9);
    const cyclic = fair.map((_, i) => i % 37);
    expect(couponCollectorTest(cyclic, 37).pValue).toBeLessThan(1e-9);
    expect(gapTest(cyclic, 37).pValue).toBeLessThan(1e-9);
  });
});

describe("RTP confidence interval", () => {
  it("with a constant stake, is mean ± 2.576 sd/√n of the return per stake", () => {
    const rng = new SeededRng("rtp");
    const accumulator = new RtpAccumulator();
    const returns: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const ret = uniformInt(rng, 37) === 0 ? 3_600n : 0n;
      accumulator.add(100n, ret);
      returns.push(Number(ret) / 100);
    }
    const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
    const sd = Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / (returns.length - 1));
    const estimate = estimateRtp(accumulator.sums());
    expect(estimate.rtp).toBeCloseTo(mean, 12);
    expect(estimate.ci99[0]).toBeCloseTo(mean - (2.576 * sd) / Math.sqrt(returns.length), 10);
    expect(estimate.ci99[1]).toBeCloseTo(mean + (2.576 * sd) / Math.sqrt(returns.length), 10);
  });
});
