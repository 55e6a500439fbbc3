/**
 * `croupier certify`: runs millions of rounds of each game on worker threads and judges them the way a
 * test lab would (docs/FAIRNESS.md): empirical tests on mapped outcomes, NIST SP 800-22 on the raw bit
 * stream, RTP with its 99% confidence interval beside the exact value. Writes report.json and
 * report.html, prints a summary, and exits 1 if anything fails.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { Worker } from "node:worker_threads";
import {
  addRtpSums, chiSquareFit, countValues, emptyNistPValues, emptyRtpSums, estimateRtp, judgeFamily, judgeNistBattery, nistParameters, nistTestNames, outcomeBattery,
  type JudgedTest, type NistPValues, type RtpSums,
} from "../engine/certify/index.js";
import { toDecimal, toNumber, type Fraction } from "../engine/math/fraction.js";
import { fraction } from "../engine/math/fraction.js";
import { compileSlot, crownJewels, theoreticalRtp } from "../engine/slots/index.js";
import { certifiedGames, type CertifiedGame, type Checkpoint, type OutcomeFit, type OutcomeSequence, type WorkerInput, type WorkerMessage, type WorkerResult } from "./certify.worker.js";
import { renderReportHtml, type CertifyOptions, type CertifyReport, type FitReport, type GameReport, type RtpReport } from "./report.html.js";
import { ConfigError } from "../config/config.js";


export const roundsDefault = 10_000_000;
/** 1,000 sequences: NIST's pass-proportion interval then ends below 100%, so a perfect pass rate is caught too. */
export const nistSequencesDefault = 1_000;
export const nistBitsDefault = 1 << 17;
const checkpointsPerWorker = 60;

const usage = `croupier certify --game <slots|roulette|blackjack|holdem|all> [--rounds N] [--seed S] [--out DIR] [--workers K]

  --rounds N          rounds per game (default ${roundsDefault.toLocaleString("en")})
  --seed S            use a seeded generator (reproducible for the same seed and --workers); default: the CSPRNG
  --out DIR           where report.json and report.html go (default ./certification/<timestamp>)
  --workers K         worker threads (default: every core)
  --nist-sequences M  NIST sequences per game (default ${nistSequencesDefault})
  --nist-bits B       bits per NIST sequence (default ${nistBitsDefault})`;

export function parseCertifyArgs(argv: readonly string[], now = new Date()): CertifyOptions | "help" {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--help" || arg === "-h") return "help";
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (match === null) throw new ConfigError(`unexpected argument "${arg}"\n\n${usage}`);
    const name = match[1] as string;
    if (!["game", "rounds", "seed", "out", "workers", "nist-sequences", "nist-bits"].includes(name)) throw new ConfigError(`unknown option --${name}\n\n${usage}`);
    values.set(name, match[2] ?? argv[++i] ?? "");
  }
  const game = values.get("game");
  if (game === undefined) throw new ConfigError(`certify needs --game\n\n${usage}`);
  if (game !== "all" && !(certifiedGames as readonly string[]).includes(game)) throw new ConfigError(`--game must be one of ${certifiedGames.join(", ")} or all`);
  const integer = (name: string, fallback: number, min: number): number => {
    const text = values.get(name);
    if (text === undefined) return fallback;
    const value = Number(text.replace(/_/g, ""));
    if (!Number.isSafeInteger(value) || value < min) throw new ConfigError(`--${name} must be an integer of at least ${min}`);
    return value;
  };
  const stamp = now.toISOString().replace(/[:.]/g, "-");
  return {
    games: game === "all" ? certifiedGames : [game as CertifiedGame],
    rounds: integer("rounds", roundsDefault, 1_000),
    seed: values.get("seed") ?? null,
    out: resolve(values.get("out") ?? join("certification", stamp)),
    workers: integer("workers", availableParallelism(), 1),
    nistSequences: integer("nist-sequences", nistSequencesDefault, 1),
    nistBits: integer("nist-bits", nistBitsDefault, 1_024),
  };
}

/**
 * The worker beside this file: certify.worker.js when built. Running from source under tsx, the .js
 * file does not exist and a worker does not inherit tsx's loader (node 20 ignores `--import` in a
 * worker's execArgv), so a tiny bootstrap registers tsx in the worker and then imports the .ts file.
 */
function startWorker(input: WorkerInput): Worker {
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./certify.worker.js", import.meta.url), { workerData: input });
  const tsxApi = import.meta.resolve("tsx/esm/api");
  const script = new URL("./certify.worker.ts", import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(script)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: input });
}

const share = (total: number, parts: number, index: number): number => Math.floor(total / parts) + (index < total % parts ? 1 : 0);

async function runGame(game: CertifiedGame, options: CertifyOptions, progress: Progress): Promise<WorkerResult[]> {
  const workers = Math.min(options.workers, options.rounds);
  progress.start(game, options.rounds);
  const runs = Array.from({ length: workers }, (_, index) => {
    const input: WorkerInput = {
      game, rounds: share(options.rounds, workers, index),
      seed: options.seed === null ? null : `${options.seed}:${game}:${index}`,
      nistSequences: share(options.nistSequences, workers, index), nistBits: options.nistBits, checkpoints: checkpointsPerWorker,
    };
    return new Promise<WorkerResult>((resolvePromise, reject) => {
      const worker = startWorker(input);
      worker.on("message", (message: WorkerMessage) => {
        if (message.type === "progress") progress.advance(message.rounds);
        else resolvePromise(message.result);
      });
      worker.on("error", reject);
      worker.on("exit", (code) => { if (code !== 0) reject(new Error(`certify worker ${index} exited with ${code}`)); });
    });
  });
  try {
    return await Promise.all(runs);
  } finally {
    progress.finish();
  }
}

function mergeSequences(results: readonly WorkerResult[]): OutcomeSequence[] {
  return (results[0]?.sequences ?? []).map((first, i) => {
    const parts = results.map((result) => result.sequences[i]?.values ?? new Uint8Array());
    const values = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let offset = 0;
    for (const part of parts) {
      values.set(part, offset);
      offset += part.length;
    }
    return { name: first.name, range: first.range, values };
  });
}

function mergeFits(results: readonly WorkerResult[]): OutcomeFit[] {
  return (results[0]?.fits ?? []).map((first, i) => ({
    ...first, observed: first.observed.map((_, k) => results.reduce((sum, result) => sum + (result.fits[i]?.observed[k] ?? 0), 0)),
  }));
}

/** Convergence: worker checkpoints are at the same fractions of their shares, so the k-th ones add up. */
function mergeCheckpoints(results: readonly WorkerResult[]): { rounds: number; rtp: number }[] {
  const count = Math.min(...results.map((result) => result.checkpoints.length));
  return Array.from({ length: count }, (_, k) => {
    const points = results.map((result) => result.checkpoints[k] as Checkpoint);
    const stake = points.reduce((sum, point) => sum + point.stakeMinor, 0n);
    const ret = points.reduce((sum, point) => sum + point.returnMinor, 0n);
    return { rounds: points.reduce((sum, point) => sum + point.rounds, 0), rtp: stake === 0n ? 0 : Number((ret * 1_000_000_000n) / stake) / 1e9 };
  });
}

/** The exact RTP each game is held to; blackjack has none (its RTP under basic strategy is what the simulation measures). */
function theoreticalRtpOf(game: CertifiedGame): Fraction | null {
  if (game === "roulette") return fraction(36n, 37n);
  if (game === "slots") return theoreticalRtp(compileSlot(crownJewels)).reelsReturn;
  return null;
}

function rtpReport(game: CertifiedGame, sums: RtpSums): RtpReport {
  const estimate = estimateRtp(sums);
  const exact = theoreticalRtpOf(game);
  const value = exact === null ? null : toNumber(exact);
  return {
    rounds: sums.rounds.toString(), stakeMinor: sums.stakeMinor.toString(), returnMinor: sums.returnMinor.toString(),
    rtp: estimate.rtp, ci99: estimate.ci99,
    theoretical: exact === null || value === null ? null : { exact: `${exact.numerator}/${exact.denominator} = ${toDecimal(exact, 8)}`, value },
    passed: value === null ? null : value >= estimate.ci99[0] && value <= estimate.ci99[1],
  };
}

export function judgeGame(game: CertifiedGame, results: readonly WorkerResult[], options: CertifyOptions, seconds: number): GameReport {
  const sequences = mergeSequences(results);
  const fits = mergeFits(results);
  const raw = [
    ...sequences.flatMap((sequence) => outcomeBattery(sequence.values, sequence.range).map((result) => ({ ...result, sequence: sequence.name }))),
    ...fits.map((fit) => {
      const result = chiSquareFit(fit.observed, fit.probabilities);
      return { name: "chi-square fit", sequence: fit.name, statistic: result.statistic, pValue: result.pValue };
    }),
  ];
  const judged = judgeFamily(raw);
  const outcomeTests = judged.slice(0, raw.length - fits.length);
  const fitReports: FitReport[] = fits.map((fit, i) => {
    const total = fit.observed.reduce((sum, count) => sum + count, 0);
    return { ...(judged[outcomeTests.length + i] as JudgedTest), labels: fit.labels, observed: fit.observed, expected: fit.probabilities.map((p) => p * total) };
  });
  const nistValues: NistPValues = emptyNistPValues();
  for (const result of results) for (const name of nistTestNames) nistValues[name].push(...result.nist[name]);
  const verdicts = judgeNistBattery(nistValues);
  const rtpSums = results.every((result) => result.rtp !== null) ? results.reduce((sum, result) => addRtpSums(sum, result.rtp as RtpSums), emptyRtpSums) : null;
  const rtp = rtpSums === null ? null : rtpReport(game, rtpSums);
  const checks = results.flatMap((result) => result.checks);
  const mergedChecks = [...new Set(checks.map((check) => check.name))].map((name) => {
    const same = checks.filter((check) => check.name === name);
    return { name, passed: same.every((check) => check.passed), detail: same.map((check) => check.detail).join("; ") };
  });
  const facts: Record<string, number> = {};
  for (const result of results) for (const [key, value] of Object.entries(result.facts)) facts[key] = (facts[key] ?? 0) + value;
  const passed = judged.every((test) => test.passed) && verdicts.every((verdict) => verdict.ok) && rtp?.passed !== false && mergedChecks.every((check) => check.passed);
  return {
    game, rounds: options.rounds, workers: results.length, seconds, roundsPerSecond: options.rounds / seconds,
    outcomeTests, fits: fitReports,
    histograms: sequences.map((sequence) => ({ name: sequence.name, observed: countValues(sequence.values, sequence.range), expected: sequence.values.length / sequence.range })),
    nist: { sequences: options.nistSequences, bits: options.nistBits, verdicts }, rtp,
    convergence: mergeCheckpoints(results), checks: mergedChecks, facts, passed,
  };
}

/** A one-line progress bar on stderr: percentage, rounds per second, time left. Redrawn at most 10 times a second. */
class Progress {
  private game = "";
  private total = 0;
  private done = 0;
  private started = 0;
  private drawnAt = 0;
  private readonly tty = process.stderr.isTTY === true;

  start(game: string, total: number): void {
    Object.assign(this, { game, total, done: 0, started: performance.now(), drawnAt: 0 });
    this.draw(true);
  }

  advance(rounds: number): void {
    this.done += rounds;
    this.draw(false);
  }

  finish(): void {
    this.draw(true);
    process.stderr.write(this.tty ? "\n" : "");
  }

  private draw(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.drawnAt < (this.tty ? 100 : 5_000)) return;
    this.drawnAt = now;
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? this.done / seconds : 0;
    const fraction = this.total === 0 ? 1 : this.done / this.total;
    const eta = rate > 0 ? (this.total - this.done) / rate : 0;
    const width = 30;
    const bar = "█".repeat(Math.round(fraction * width)).padEnd(width, "░");
    const line = `${this.game.padEnd(9)} ${bar} ${(fraction * 100).toFixed(1).padStart(5)}%  ${Math.round(rate).toLocaleString("en")} rounds/s  ETA ${eta.toFixed(0)}s${this.done >= this.total ? "  (statistics…)" : ""}`;
    process.stderr.write(this.tty ? `\r${line}\x1b[K` : `${line}\n`);
  }
}

const percent = (value: number, digits = 4) => `${(value * 100).toFixed(digits)}%`;

export function summaryTable(report: CertifyReport): string {
  const lines = [`RNG: ${report.rng}`, "game       rounds        tests   NIST    RTP (99% CI)                          exact        checks  verdict"];
  for (const game of report.games) {
    const tests = `${game.outcomeTests.filter((t) => t.passed).length + game.fits.filter((t) => t.passed).length}/${game.outcomeTests.length + game.fits.length}`;
    const nist = `${game.nist.verdicts.filter((v) => v.ok).length}/${game.nist.verdicts.length}`;
    const rtp = game.rtp === null ? "n/a (rake and conservation checked)" : `${percent(game.rtp.rtp)} [${percent(game.rtp.ci99[0])}, ${percent(game.rtp.ci99[1])}]`;
    const exact = game.rtp?.theoretical === null || game.rtp === null ? "—" : percent(game.rtp.theoretical.value);
    const checks = `${game.checks.filter((c) => c.passed).length}/${game.checks.length}`;
    lines.push(`${game.game.padEnd(10)} ${game.rounds.toLocaleString("en").padEnd(13)} ${tests.padEnd(7)} ${nist.padEnd(7)} ${rtp.padEnd(37)} ${exact.padEnd(12)} ${checks.padEnd(7)} ${game.passed ? "PASS" : "FAIL"}`);
  }
  for (const game of report.games) {
    for (const test of [...game.outcomeTests, ...game.fits]) if (!test.passed) lines.push(`  ${game.game}: ${test.name} on ${test.sequence}: p = ${test.pValue.toExponential(3)} < ${test.threshold.toExponential(2)}`);
    for (const verdict of game.nist.verdicts) {
      if (!verdict.ok) lines.push(`  ${game.game}: NIST ${verdict.test}: ${verdict.passed}/${verdict.sequences} passed (range ${verdict.proportionRange.map((x) => x.toFixed(4)).join("–")}), uniformity P = ${verdict.uniformityP.toExponential(3)}`);
    }
    if (game.rtp?.passed === false) lines.push(`  ${game.game}: exact RTP outside the 99% interval`);
    for (const check of game.checks) if (!check.passed) lines.push(`  ${game.game}: ${check.name}: ${check.detail}`);
  }
  lines.push(report.passed ? "CERTIFICATION PASSED" : "CERTIFICATION FAILED");
  return lines.join("\n");
}

const jsonReplacer = (_key: string, value: unknown) => (typeof value === "bigint" ? value.toString() : value);

export type { CertifyOptions, CertifyReport, GameReport } from "./report.html.js";

export async function runCertify(argv: string[]): Promise<void> {
  const parsed = parseCertifyArgs(argv);
  if (parsed === "help") {
    console.log(usage);
    return;
  }
  const options = parsed;
  const startedAt = new Date().toISOString();
  const progress = new Progress();
  const games: GameReport[] = [];
  for (const game of options.games) {
    const started = performance.now();
    const results = await runGame(game, options, progress);
    games.push(judgeGame(game, results, options, (performance.now() - started) / 1000));
  }
  const { out: _out, ...reported } = options;
  const report: CertifyReport = {
    tool: "croupier certify", startedAt,
    rng: options.seed === null ? "CryptoRng (node CSPRNG)" : `SeededRng, seed "${options.seed}" (reproducible; not for production)`,
    options: reported, games, passed: games.every((game) => game.passed),
  };
  mkdirSync(options.out, { recursive: true });
  writeFileSync(join(options.out, "report.json"), JSON.stringify({ ...report, nistParameters: nistParameters(options.nistBits) }, jsonReplacer, 2));
  writeFileSync(join(options.out, "report.html"), renderReportHtml(report));
  console.log(summaryTable(report));
  console.log(`reports: ${join(options.out, "report.json")}, ${join(options.out, "report.html")}`);
  if (!report.passed) process.exitCode = 1;
}
