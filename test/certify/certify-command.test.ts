// `croupier certify` and `croupier verify` as a user runs them: real child processes running the build.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hashServerSeed, ProvablyFairRng, shuffleInPlace } from "../../src/engine/rng/index.js";
import { spin } from "../../src/engine/roulette/index.js";
import { formatCard, orderedDeck } from "../../src/engine/poker/cards.js";
import { SeededRng } from "../../src/engine/rng/seeded.rng.js";
import { captureStream } from "../support/captured-stream.js";
import { runCroupier } from "../support/process.js";
import type { CertifyReport, GameReport } from "../../src/cli/certify.command.js";

// Small enough for CI; NIST's uniformity check needs at least 55 sequences.
const small = ["--rounds", "10000", "--workers", "2", "--nist-sequences", "60", "--nist-bits", "8192"];

describe("croupier certify", () => {
  it("certifies every game with a small run and writes a JSON and an HTML report", async () => {
    const out = mkdtempSync(join(tmpdir(), "croupier-certify-"));
    const run = await runCroupier(["certify", "--game", "all", "--seed", "ci", "--out", out, ...small]);
    expect(run.stdout).toContain("CERTIFICATION PASSED at family-wise level 0.01");
    expect(run.stdout).toContain("Rule: Holm–Bonferroni over all");
    expect(run.stdout).not.toContain("0/0");
    expect(run.stdout).toMatch(/roulette +10,000 .* 1\/1 +PASS/);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/rounds\/s/);
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as CertifyReport;
    expect(report.passed).toBe(true);
    expect(report.family).toMatchObject({ alpha: 0.01, rejected: 0, passed: true });
    const decisions = report.games.flatMap((g) => g.decisions);
    expect(decisions).toHaveLength(report.family.decisions);
    expect(decisions.map((d) => d.rank).sort((a, b) => a - b)).toEqual(Array.from({ length: decisions.length }, (_, i) => i + 1));
    for (const d of decisions) expect(d.adjustedP).toBeGreaterThanOrEqual(d.pValue);
    expect(report.games.map((g) => g.game)).toEqual(["roulette", "slots", "blackjack", "holdem"]);
    for (const game of report.games) {
      expect(game.rounds).toBe(10_000);
      expect(game.outcomeTests.map((t) => t.name)).toEqual(["chi-square frequency", "runs", "serial correlation", "gap", "poker", "coupon collector"]);
      expect(game.nist.verdicts).toHaveLength(10);
      for (const verdict of game.nist.verdicts) expect(verdict.sequences).toBe(60);
    }
    const [roulette, slots, blackjack, holdem] = report.games as [GameReport, GameReport, GameReport, GameReport];
    expect(roulette.rtp!.theoretical!.exact).toBe("36/37 = 0.97297297");
    expect(roulette.rtp!.ci99[0]).toBeLessThan(0.972973);
    expect(slots.fits).toHaveLength(5);
    expect(blackjack.rtp!.theoretical).toBeNull();
    expect(blackjack.rtp!.test).toBeNull();
    expect(roulette.rtp!.test!.decision).toBe("roulette · RTP · measured vs exact RTP (two-sided z) · return per stake");
    // Roulette: 6 outcome tests, 10 NIST tests × 2, RTP; its paytable check holds.
    expect(roulette.decisions).toHaveLength(27);
    expect(roulette.checks).toEqual([expect.objectContaining({ passed: true, detail: "8 of 8 bet kinds" })]);
    expect(holdem.rtp).toBeNull();
    expect(holdem.checks.every((c) => c.passed)).toBe(true);
    expect(holdem.fits.map((f) => f.sequence)).toContain("first player's starting hand (169 classes)");
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toContain("<svg");
    expect(html).toContain("adjusted p");
    expect(html).toContain("All decisions, smallest raw p-value first");
    expect(html).not.toMatch(/<script|<link|src="http/);
  }, 120_000);

  it("refuses bad arguments with exit code 2", async () => {
    const run = await runCroupier(["certify", "--game", "baccarat"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--game must be one of");
    const alpha = await runCroupier(["certify", "--game", "roulette", "--alpha", "1"]);
    expect(alpha.code).toBe(2);
    expect(alpha.stderr).toContain("--alpha must be a number in (0, 0.5]");
  });

  it("certifies a captured byte stream: the run lasts as long as the file, at the --alpha asked for", async () => {
    const file = captureStream(new SeededRng("lab capture"), 40_000);
    const out = mkdtempSync(join(tmpdir(), "croupier-certify-"));
    const run = await runCroupier([
      "certify",
      "--game",
      "roulette",
      "--rng-file",
      file,
      "--alpha",
      "0.05",
      "--out",
      out,
      "--workers",
      "2",
      "--nist-sequences",
      "60",
      "--nist-bits",
      "8192",
    ]);
    expect(run.stdout).toContain("CERTIFICATION PASSED at family-wise level 0.05");
    expect(run.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8")) as CertifyReport;
    // One 32-bit word per spin (a rejection is a ~1e-9 event for 37 pockets), so 40,000 words make 40,000 spins.
    expect(report.games[0]!.rounds).toBe(40_000);
    expect(report.rng).toBe("captured stream captured.bin (160,000 bytes, big-endian 32-bit words); the stream ran out after 40,000 rounds");
    expect(report.games[0]!.nist.sequences).toBe(60);
    expect(report.family).toMatchObject({ alpha: 0.05, decisions: 27 });
  }, 120_000);

  it("refuses a captured stream too short to certify, and one meant for every game", async () => {
    const dir = mkdtempSync(join(tmpdir(), "croupier-stream-"));
    writeFileSync(join(dir, "tiny.bin"), Buffer.alloc(512));
    const tiny = await runCroupier(["certify", "--game", "roulette", "--rng-file", join(dir, "tiny.bin"), "--out", dir]);
    expect(tiny.code).toBe(2);
    expect(tiny.stderr).toContain("holds 512 bytes, fewer than one NIST sequence of 131,072 bits");
    const short = await runCroupier(["certify", "--game", "roulette", "--rng-file", join(dir, "tiny.bin"), "--nist-bits", "1024", "--out", dir]);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain("supplied only 128 rounds of roulette; the battery needs at least 1,000");
    const all = await runCroupier(["certify", "--game", "all", "--rng-file", join(dir, "tiny.bin")]);
    expect(all.code).toBe(2);
    expect(all.stderr).toContain("--rng-file certifies one game at a time");
  });
});

describe.concurrent("croupier verify", () => {
  const seeds = { serverSeed: "e3b0c44298fc1c149afbf4c8996fb924-server", clientSeed: "lucky", nonce: 7 };
  const args = ["verify", "--server-seed", seeds.serverSeed, "--client-seed", seeds.clientSeed, "--nonce", "7"];

  it("recomputes a roulette round the engine played, and checks the recorded pocket", async () => {
    const pocket = spin(new ProvablyFairRng(seeds));
    const run = await runCroupier([...args, "--game", "roulette", "--server-seed-hash", hashServerSeed(seeds.serverSeed), "--result", String(pocket)]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`outcome: ${pocket}`);
    expect(run.stdout).toContain("MATCHES");
    const wrong = await runCroupier([...args, "--game", "roulette", "--result", String((pocket + 1) % 37)]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain("MISMATCH");
  });

  it("fails when the revealed seed is not the one committed to", async () => {
    const run = await runCroupier([...args, "--game", "roulette", "--server-seed-hash", hashServerSeed("another seed")]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("server seed hash mismatch");
  });

  it("checks a hold'em deck by its first cards", async () => {
    const deck = shuffleInPlace(new ProvablyFairRng(seeds), orderedDeck()).map(formatCard);
    const run = await runCroupier([...args, "--game", "holdem", "--result", deck.slice(0, 5).join(" ")]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("MATCHES");
  });

  it("refuses a missing nonce with exit code 2", async () => {
    const run = await runCroupier(["verify", "--server-seed", "s", "--client-seed", "c", "--game", "roulette"]);
    expect(run.code).toBe(2);
  });
});
