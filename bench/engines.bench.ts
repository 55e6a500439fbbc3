// Engine throughput and certification speed. A benchmark, not a test: it reports numbers against the
// targets of docs/ENGINES.md and MISSION.md.
// Usage: node --import tsx bench/engines.bench.ts [--short]
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runWorker, type CertifiedGame } from "../src/cli/certify.worker.js";
import { evaluate7 } from "../src/engine/poker/index.js";
import { SeededRng, shuffleInPlace } from "../src/engine/rng/index.js";

export interface BenchMetric {
  name: string;
  value: number;
  unit: string;
  target?: string;
  ok?: boolean;
}
export interface BenchResult {
  name: string;
  metrics: BenchMetric[];
}

const targets = { evaluationsPerSecond: 10_000_000, certifySeconds: 60 };
const cli = fileURLToPath(new URL("../src/cli/croupier.ts", import.meta.url));

/**
 * Rounds per second on one core, as the certification workers play them (seeded generator, no NIST
 * sample): roulette with an eight-bet card, a Crown Jewels paid spin with its free spins, a blackjack
 * round under basic strategy, a six-seat hold'em hand of simulated players.
 */
function roundsPerSecond(game: CertifiedGame, rounds: number): number {
  runWorker({ game, rounds: Math.ceil(rounds / 10), seed: "bench-warmup", nistSequences: 0, nistBits: 1024, checkpoints: 0 }, () => {});
  const started = performance.now();
  runWorker({ game, rounds, seed: "bench", nistSequences: 0, nistBits: 1024, checkpoints: 0 }, () => {});
  return rounds / ((performance.now() - started) / 1000);
}

/** 7-card evaluations per second over random hands held in a typed array (no allocation in the loop). */
function evaluationsPerSecond(hands: number): number {
  const rng = new SeededRng("bench-eval");
  const cards = new Uint8Array(hands * 7);
  const deck = Array.from({ length: 52 }, (_, i) => i);
  for (let h = 0; h < hands; h++) {
    shuffleInPlace(rng, deck);
    for (let i = 0; i < 7; i++) cards[h * 7 + i] = deck[i] as number;
  }
  let checksum = 0;
  let best = 0;
  for (let pass = 0; pass < 5; pass++) {
    const started = performance.now();
    for (let h = 0; h < hands; h++) {
      const o = h * 7;
      checksum ^= evaluate7(
        cards[o] as number,
        cards[o + 1] as number,
        cards[o + 2] as number,
        cards[o + 3] as number,
        cards[o + 4] as number,
        cards[o + 5] as number,
        cards[o + 6] as number,
      );
    }
    best = Math.max(best, hands / ((performance.now() - started) / 1000));
  }
  if (checksum === -1) console.log(checksum);
  return best;
}

/** Wall time of the real `croupier certify --game roulette` command, NIST battery included. */
function certifyRouletteSeconds(rounds: number): Promise<number> {
  const out = mkdtempSync(join(tmpdir(), "croupier-bench-certify-"));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", cli, "certify", "--game", "roulette", "--rounds", String(rounds), "--out", out], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      rmSync(out, { recursive: true, force: true });
      // Exit 1 is a failed certification (possible by chance); the wall time still counts. Anything else is an error.
      if (code !== 0 && code !== 1) reject(new Error(`certify exited with ${code}:\n${output}`));
      else resolve((performance.now() - started) / 1000);
    });
  });
}

export async function runEnginesBench({ short }: { short: boolean }): Promise<BenchResult> {
  const scale = short ? 0.2 : 1;
  const metrics: BenchMetric[] = [];
  const games: [CertifiedGame, number][] = [
    ["roulette", 2_000_000],
    ["slots", 200_000],
    ["blackjack", 100_000],
    ["holdem", 40_000],
  ];
  for (const [game, rounds] of games) {
    metrics.push({ name: `${game} rounds/s per core`, value: Math.round(roundsPerSecond(game, Math.ceil(rounds * scale))), unit: "rounds/s" });
  }
  const evaluations = evaluationsPerSecond(short ? 500_000 : 2_000_000);
  metrics.push({
    name: "7-card evaluations/s (one core)",
    value: Math.round(evaluations),
    unit: "evals/s",
    target: `≥ ${targets.evaluationsPerSecond.toLocaleString("en")}`,
    ok: evaluations >= targets.evaluationsPerSecond,
  });
  const certifyRounds = short ? 1_000_000 : 10_000_000;
  const seconds = await certifyRouletteSeconds(certifyRounds);
  // Short mode runs 1M spins for real (start-up and the full NIST sample are fixed costs) and adds the
  // other 9M at the measured per-core roulette rate on every core.
  const perCore = metrics[0]?.value ?? 1;
  const tenMillion = short ? seconds + 9_000_000 / (perCore * availableParallelism()) : seconds;
  metrics.push({
    name: short ? "certify 10M roulette spins (1M measured + 9M extrapolated)" : "certify 10M roulette spins (wall)",
    value: Math.round(tenMillion * 10) / 10,
    unit: "s",
    target: `≤ ${targets.certifySeconds}`,
    ok: tenMillion <= targets.certifySeconds,
  });
  return { name: "engines", metrics };
}

export function formatBench(result: BenchResult): string {
  const rows = result.metrics.map((m) => [
    m.name,
    `${m.value.toLocaleString("en")} ${m.unit}`,
    m.target ?? "",
    m.ok === undefined ? "" : m.ok ? "ok" : "MISSED",
  ]);
  const widths = ["metric", "value", "target", ""].map((header, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0), header.length));
  const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ");
  return [line(["metric", "value", "target", ""]), ...rows.map(line)].join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = await runEnginesBench({ short: process.argv.includes("--short") });
  console.log(formatBench(result));
}
