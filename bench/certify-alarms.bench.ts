// False alarms of `croupier certify`: a perfect generator must fail a run at most as often as the
// run's stated family-wise level (1%). Runs `certify --game all` on 100 seeds with small sizes and
// counts the failed runs. A benchmark, not a test: it takes minutes, and its figure is a rate.
// Opt-in: `npm run bench -- --only certify-alarms` (or `--full`); on its own:
//   node --import tsx bench/certify-alarms.bench.ts [--seeds 100] [--first 0]
import { runWorker } from "../src/cli/certify.worker.js";
import { certify, Progress, type GameRunner } from "../src/cli/certify.command.js";
import { certifiedGames } from "../src/cli/certify.worker.js";
import type { CertifyOptions } from "../src/cli/report.html.js";
import type { BenchResult } from "./support/bench-types.js";

/** The sizes of the CI test: 10,000 rounds per game, 60 NIST sequences of 8,192 bits, two workers' shares. */
export const alarmRunOptions = (seed: string, alpha = 0.01): CertifyOptions => ({
  games: certifiedGames,
  rounds: 10_000,
  seed,
  rngFile: null,
  alpha,
  out: "",
  workers: 2,
  nistSequences: 60,
  nistBits: 8_192,
});

/** The command's plan and worker code, run in this thread one input after another (no thread start-up per run). */
const inProcess: GameRunner = (inputs, report) => Promise.resolve(inputs.map((input) => runWorker(input, report)));

export interface AlarmTally {
  readonly runs: number;
  readonly failed: number;
  /** Runs with some raw p-value below α: how many would fail if each decision were judged alone at α. */
  readonly failedUncorrected: number;
  readonly decisionsPerRun: number;
  readonly rejectedBy: Readonly<Record<string, number>>;
  readonly failedSeeds: readonly string[];
}

export async function countFalseAlarms(seeds: number, alpha = 0.01, first = 0): Promise<AlarmTally> {
  let failed = 0;
  let failedUncorrected = 0;
  let decisionsPerRun = 0;
  const rejectedBy: Record<string, number> = {};
  const failedSeeds: string[] = [];
  for (let i = first; i < first + seeds; i++) {
    const seed = `false-alarm-${i}`;
    const report = await certify(alarmRunOptions(seed, alpha), new Progress(true), inProcess);
    const decisions = report.games.flatMap((game) => game.decisions);
    decisionsPerRun = decisions.length;
    if (decisions.some((d) => d.pValue < alpha)) failedUncorrected++;
    if (!report.passed) {
      failed++;
      failedSeeds.push(seed);
      for (const d of decisions.filter((x) => x.rejected))
        rejectedBy[`${d.scope} ${d.kind} ${d.test}`] = (rejectedBy[`${d.scope} ${d.kind} ${d.test}`] ?? 0) + 1;
    }
  }
  return { runs: seeds, failed, failedUncorrected, decisionsPerRun, rejectedBy, failedSeeds };
}

export async function runCertifyAlarmsBench(_options: { short?: boolean } = {}): Promise<BenchResult> {
  const started = performance.now();
  const tally = await countFalseAlarms(100);
  const seconds = (performance.now() - started) / 1000;
  return {
    name: "certify-alarms",
    metrics: [
      { name: "certify --game all, perfect generator: failed runs of 100 (α = 1%)", value: tally.failed, unit: "runs", target: "≤ 3", ok: tally.failed <= 3 },
      { name: "  same runs judged decision by decision at 1% (no correction)", value: tally.failedUncorrected, unit: "runs" },
      { name: "  decisions per run", value: tally.decisionsPerRun, unit: "" },
      { name: "  wall time for 100 runs", value: Math.round(seconds), unit: "s" },
    ],
    notes: [
      `certify-alarms: seeded runs false-alarm-0…99, 10,000 rounds per game, 60 NIST sequences of 8,192 bits; failed seeds: ${tally.failedSeeds.join(", ") || "none"}${
        Object.keys(tally.rejectedBy).length === 0
          ? ""
          : `; rejected: ${Object.entries(tally.rejectedBy)
              .map(([k, v]) => `${k} ×${v}`)
              .join(", ")}`
      }`,
    ],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const at = process.argv.indexOf("--seeds");
  const seeds = at >= 0 ? Number(process.argv[at + 1]) : 100;
  const from = process.argv.indexOf("--first");
  const started = performance.now();
  const tally = await countFalseAlarms(seeds, 0.01, from >= 0 ? Number(process.argv[from + 1]) : 0);
  console.log(JSON.stringify({ ...tally, seconds: Math.round((performance.now() - started) / 1000) }, null, 2));
}
