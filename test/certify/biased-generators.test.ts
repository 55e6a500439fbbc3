// Generators a lab must reject, through the command's own plan, worker and judgement (in this thread):
// a run at the stated 1% family-wise level still fails each of them, and passes a fair generator of the
// same sizes. The sizes are the smallest that detect each defect with a wide margin.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { measureGame, judgeRun, planWorkers } from "../../src/cli/certify.command.js";
import { runWorker, type CertifiedGame } from "../../src/cli/certify.worker.js";
import type { CertifyOptions, GameReport } from "../../src/cli/report.html.js";
import type { Rng } from "../../src/engine/rng/rng.js";
import { SeededRng } from "../../src/engine/rng/seeded.rng.js";
import { captureStream } from "../support/captured-stream.js";
import { runCroupier } from "../support/process.js";

interface Sizes {
  readonly rounds: number;
  readonly nistSequences: number;
  readonly nistBits: number;
}

function certifyWith(game: CertifiedGame, rng: Rng, sizes: Sizes): GameReport {
  const options: CertifyOptions = { games: [game], seed: null, rngFile: null, alpha: 0.01, out: "", workers: 1, ...sizes };
  const [input] = planWorkers(game, options, null);
  if (input === undefined) throw new Error("no worker planned");
  const result = runWorker(input, () => {}, rng);
  const [report] = judgeRun([measureGame(game, [result], options, 1)], options.alpha).games;
  if (report === undefined) throw new Error("no report");
  return report;
}

const rejected = (report: GameReport) => report.decisions.filter((d) => d.rejected).map((d) => `${d.kind}: ${d.test}`);

/** Pocket 17 comes up 0.2 percentage points more often: 1/37 + 0.002. The skew is a word the mapping sends to 17. */
class SkewedWheelRng implements Rng {
  private readonly inner = new SeededRng("skewed-wheel");
  // P(17) = q + (1 − q)/37 = 1/37 + 0.002 for q = 0.002 · 37/36.
  private readonly skewBelow = Math.round(0.002 * (37 / 36) * 2 ** 32);
  nextUint32(): number {
    return this.inner.nextUint32() < this.skewBelow ? 17 : this.inner.nextUint32();
  }
}

/** Each bit is 1 with probability 0.501: a fair word OR a sparse mask whose bits are 1 with probability 0.002. */
class OnesBiasedRng implements Rng {
  private readonly inner = new SeededRng("ones-50.1");
  private untilNextOne = this.gap();
  private gap(): number {
    // Geometric gap between mask bits: ⌊ln U / ln(1 − 0.002)⌋.
    return Math.floor(Math.log((this.inner.nextUint32() + 1) / 2 ** 32) / Math.log1p(-0.002));
  }
  nextUint32(): number {
    let mask = 0;
    for (let bit = 0; bit < 32; bit++) {
      if (this.untilNextOne-- === 0) {
        mask |= 1 << (31 - bit);
        this.untilNextOne = this.gap();
      }
    }
    return (this.inner.nextUint32() | mask) >>> 0;
  }
}

/** Good words, repeated every 4,096 words. */
class PeriodicRng implements Rng {
  private readonly cycle: Uint32Array;
  private at = 0;
  constructor(period: number) {
    const inner = new SeededRng("period");
    this.cycle = Uint32Array.from({ length: period }, () => inner.nextUint32());
  }
  nextUint32(): number {
    const word = this.cycle[this.at] as number;
    this.at = (this.at + 1) % this.cycle.length;
    return word;
  }
}

/** 31-bit words (a Math.random-style generator): the top bit is always 0. */
class ThirtyOneBitRng implements Rng {
  private readonly inner = new SeededRng("31-bit");
  nextUint32(): number {
    return this.inner.nextUint32() >>> 1;
  }
}

describe("biased generators fail certification at a 1% family-wise level", () => {
  const wheel: Sizes = { rounds: 400_000, nistSequences: 60, nistBits: 8_192 };
  it("a wheel skewed 0.2 points towards 17: RTP and pocket frequencies", () => {
    const report = certifyWith("roulette", new SkewedWheelRng(), wheel);
    expect(report.passed).toBe(false);
    expect(rejected(report)).toEqual(expect.arrayContaining(["RTP: measured vs exact RTP (two-sided z)", "outcome test: chi-square frequency"]));
  });

  it("the same sizes pass a fair generator", () => {
    const report = certifyWith("roulette", new SeededRng("fair-wheel"), wheel);
    expect(rejected(report)).toEqual([]);
    expect(report.passed).toBe(true);
  });

  it("50.1% ones in the raw bits, from a captured file: NIST frequency and cumulative sums (500 sequences of 2^17 bits)", async () => {
    // Run as a lab would, as a child process (the NIST sample takes seconds; the test's thread stays free).
    const file = captureStream(new OnesBiasedRng(), 500 * 4_096);
    const out = mkdtempSync(join(tmpdir(), "croupier-certify-"));
    const run = await runCroupier([
      "certify",
      "--game",
      "roulette",
      "--rng-file",
      file,
      "--rounds",
      "10000",
      "--nist-sequences",
      "500",
      "--nist-bits",
      "131072",
      "--workers",
      "2",
      "--out",
      out,
    ]);
    expect(run.stdout).toContain("CERTIFICATION FAILED");
    expect(run.code).toBe(1);
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as { games: GameReport[] };
    const roulette = report.games[0] as GameReport;
    expect(roulette.nist.sequences).toBe(500);
    expect(rejected(roulette).every((d) => d.startsWith("NIST"))).toBe(true);
    expect(rejected(roulette)).toEqual(expect.arrayContaining(["NIST uniformity: frequency", "NIST uniformity: cusum_forward"]));
  }, 300_000);

  const small: Sizes = { rounds: 100_000, nistSequences: 60, nistBits: 8_192 };
  it("a period of 4,096 words: pocket frequencies too even, every outcome test that sees the repeats", () => {
    const report = certifyWith("roulette", new PeriodicRng(4_096), small);
    expect(report.passed).toBe(false);
    expect(rejected(report)).toEqual(expect.arrayContaining(["outcome test: chi-square frequency"]));
  });

  it("31-bit words: NIST sees the missing top bit (the outcome mapping alone would not)", () => {
    const report = certifyWith("roulette", new ThirtyOneBitRng(), small);
    expect(report.passed).toBe(false);
    expect(rejected(report)).toEqual(expect.arrayContaining(["NIST pass proportion: frequency"]));
    expect(rejected(report).some((d) => d.startsWith("outcome test"))).toBe(false);
  });

  it("the small sizes pass a fair generator, for slots too", () => {
    expect(rejected(certifyWith("roulette", new SeededRng("fair-small"), small))).toEqual([]);
    expect(rejected(certifyWith("slots", new SeededRng("fair-slots"), { ...small, rounds: 10_000 }))).toEqual([]);
  });
});
