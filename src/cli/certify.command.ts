/**
 * `croupier certify`: runs millions of rounds of each game on worker threads and judges them the way a
 * test lab would (docs/FAIRNESS.md): empirical tests on mapped outcomes, NIST SP 800-22 on the raw bit
 * stream, RTP against its exact value. Every p-value of the run is one decision of a family judged by
 * Holm's correction at a stated level (1% by default), so a fair run fails at most that often. Writes
 * report.json and report.html, prints a summary, and exits 1 if anything fails.
 */
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, join, resolve } from "node:path";
import { Worker } from "node:worker_threads";
import {
  addRtpSums,
  certifyAlphaDefault,
  chiSquareFit,
  countValues,
  emptyNistPValues,
  emptyRtpSums,
  estimateRtp,
  judgeDecisions,
  judgeNistBattery,
  nistDecisions,
  nistParameters,
  nistTestNames,
  outcomeBattery,
  outcomeDecisions,
  rtpDecision,
  rtpTest,
  type Decision,
  type NistPValues,
  type RtpSums,
} from "../engine/certify/index.js";
import { toDecimal, toNumber, type Fraction } from "../engine/math/fraction.js";
import { fraction } from "../engine/math/fraction.js";
import { compileSlot, crownJewels, theoreticalRtp } from "../engine/slots/index.js";
import {
  certifiedGames,
  type CertifiedGame,
  type Checkpoint,
  type OutcomeFit,
  type OutcomeSequence,
  type WorkerInput,
  type WorkerMessage,
  type WorkerResult,
} from "./certify.worker.js";
import {
  renderReportHtml,
  type CertifyOptions,
  type CertifyReport,
  type FitReport,
  type GameReport,
  type NistReport,
  type RtpReport,
  type TestReport,
} from "./report.html.js";
import { ConfigError, parseCommandArgs } from "../config/config.js";

export const roundsDefault = 10_000_000;
/** 1,000 sequences: NIST's pass-proportion interval then ends below 100%, so a perfect pass rate is caught too. */
export const nistSequencesDefault = 1_000;
export const nistBitsDefault = 1 << 17;
/** Below this many rounds a game's battery says too little; a captured stream must supply at least this many. */
export const roundsMin = 1_000;
const checkpointsPerWorker = 60;

const usage = `croupier certify --game <slots|roulette|blackjack|holdem|all> [--rounds N] [--seed S | --rng-file F] [--alpha A] [--out DIR] [--workers K]

  --rounds N          rounds per game (default ${roundsDefault.toLocaleString("en")}); with --rng-file, a cap
  --seed S            use a seeded generator (reproducible for the same seed and --workers); default: the CSPRNG
  --rng-file F        certify a captured raw byte stream instead of a generator (one game, not all): big-endian
                      32-bit words; the run plays until the stream runs out or N rounds, whichever comes first
  --alpha A           family-wise level of the whole run: a fair run fails with probability at most A (default ${certifyAlphaDefault})
  --out DIR           where report.json and report.html go (default ./certification/<timestamp>)
  --workers K         worker threads (default: every core)
  --nist-sequences M  NIST sequences per game (default ${nistSequencesDefault})
  --nist-bits B       bits per NIST sequence (default ${nistBitsDefault})`;

const certifyArgOptions = {
  game: { type: "string" },
  rounds: { type: "string" },
  seed: { type: "string" },
  "rng-file": { type: "string" },
  alpha: { type: "string" },
  out: { type: "string" },
  workers: { type: "string" },
  "nist-sequences": { type: "string" },
  "nist-bits": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export function parseCertifyArgs(argv: readonly string[], now = new Date()): CertifyOptions | "help" {
  const parsed = parseCommandArgs(argv, certifyArgOptions, { usage }).values;
  if (parsed.help === true) return "help";
  const values = new Map(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  const game = values.get("game");
  if (game === undefined) throw new ConfigError(`certify needs --game\n\n${usage}`);
  if (game !== "all" && !(certifiedGames as readonly string[]).includes(game))
    throw new ConfigError(`--game must be one of ${certifiedGames.join(", ")} or all`);
  const integer = (name: string, fallback: number, min: number): number => {
    const text = values.get(name);
    if (text === undefined) return fallback;
    const value = Number(text.replace(/_/g, ""));
    if (!Number.isSafeInteger(value) || value < min) throw new ConfigError(`--${name} must be an integer of at least ${min}`);
    return value;
  };
  const alphaText = values.get("alpha");
  const alpha = alphaText === undefined ? certifyAlphaDefault : Number(alphaText);
  if (!(alpha > 0 && alpha <= 0.5)) throw new ConfigError("--alpha must be a number in (0, 0.5], for example 0.01");
  const rngFile = values.get("rng-file") ?? null;
  if (rngFile !== null) {
    if (values.has("seed")) throw new ConfigError("--rng-file and --seed exclude each other: the stream is the generator");
    if (game === "all") throw new ConfigError("--rng-file certifies one game at a time: pick --game roulette, slots, blackjack or holdem");
  }
  const stamp = now.toISOString().replace(/[:.]/g, "-");
  return {
    games: game === "all" ? certifiedGames : [game as CertifiedGame],
    rounds: integer("rounds", roundsDefault, roundsMin),
    seed: values.get("seed") ?? null,
    rngFile: rngFile === null ? null : resolve(rngFile),
    alpha,
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

/**
 * Each worker's input. With a captured stream, the file's whole 32-bit words are cut into contiguous
 * ranges, one per worker, at NIST-sequence boundaries; each range's NIST sample is the start of its own
 * bytes and never longer than them, and its round cap is the worker's share of --rounds.
 */
export function planWorkers(game: CertifiedGame, options: CertifyOptions, fileBytes: number | null): WorkerInput[] {
  const common = { game, nistBits: options.nistBits, checkpoints: checkpointsPerWorker };
  if (options.rngFile === null || fileBytes === null) {
    const workers = Math.min(options.workers, options.rounds);
    return Array.from({ length: workers }, (_, index) => ({
      ...common,
      rounds: share(options.rounds, workers, index),
      seed: options.seed === null ? null : `${options.seed}:${game}:${index}`,
      nistSequences: share(options.nistSequences, workers, index),
    }));
  }
  const words = Math.floor(fileBytes / 4);
  const wordsPerSequence = Math.ceil(options.nistBits / 32);
  const blocks = Math.floor(words / wordsPerSequence);
  if (blocks === 0)
    throw new ConfigError(
      `${options.rngFile} holds ${fileBytes.toLocaleString("en")} bytes, fewer than one NIST sequence of ${options.nistBits.toLocaleString("en")} bits: supply more data or lower --nist-bits`,
    );
  const workers = Math.min(options.workers, blocks);
  const sequences = Math.min(options.nistSequences, blocks);
  let block = 0;
  return Array.from({ length: workers }, (_, index) => {
    const own = share(blocks, workers, index);
    const offset = block * wordsPerSequence * 4;
    block += own;
    const end = index === workers - 1 ? words * 4 : block * wordsPerSequence * 4;
    return {
      ...common,
      rounds: share(options.rounds, workers, index),
      seed: null,
      file: { path: options.rngFile as string, offset, length: end - offset },
      nistSequences: share(sequences, workers, index),
    };
  });
}

/** Plays the planned worker inputs of one game; `report` receives each worker's progress messages. */
export type GameRunner = (inputs: readonly WorkerInput[], report: (message: WorkerMessage) => void) => Promise<WorkerResult[]>;

/** The command's runner: one worker thread per input. */
const threadRunner: GameRunner = (inputs, report) =>
  Promise.all(
    inputs.map(
      (input, index) =>
        new Promise<WorkerResult>((resolvePromise, reject) => {
          const worker = startWorker(input);
          worker.on("message", (message: WorkerMessage) => {
            if (message.type === "progress") report(message);
            else resolvePromise(message.result);
          });
          worker.on("error", reject);
          worker.on("exit", (code) => {
            if (code !== 0) reject(new Error(`certify worker ${index} exited with ${code}`));
          });
        }),
    ),
  );

async function runGame(game: CertifiedGame, options: CertifyOptions, progress: Progress, runner: GameRunner): Promise<WorkerResult[]> {
  const inputs = planWorkers(game, options, options.rngFile === null ? null : statSync(options.rngFile).size);
  progress.start(
    game,
    inputs.reduce((sum, input) => sum + input.rounds, 0),
  );
  try {
    return await runner(inputs, (message) => {
      if (message.type === "progress") progress.advance(message.rounds);
    });
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
    ...first,
    observed: first.observed.map((_, k) => results.reduce((sum, result) => sum + (result.fits[i]?.observed[k] ?? 0), 0)),
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
    rounds: sums.rounds.toString(),
    stakeMinor: sums.stakeMinor.toString(),
    returnMinor: sums.returnMinor.toString(),
    rtp: estimate.rtp,
    standardError: estimate.standardError,
    ci99: estimate.ci99,
    theoretical: exact === null || value === null ? null : { exact: `${exact.numerator}/${exact.denominator} = ${toDecimal(exact, 8)}`, value },
    test: value === null ? null : testRtp(game, estimate, value),
  };
}

function testRtp(game: CertifiedGame, estimate: ReturnType<typeof estimateRtp>, exact: number): NonNullable<RtpReport["test"]> {
  const test = rtpTest(estimate, exact);
  return { ...test, decision: rtpDecision(game, test.pValue).id };
}

/** A game's measurements and the decisions they make, before the run's family is judged. */
export type MeasuredGame = Omit<GameReport, "decisions" | "passed"> & { readonly pending: readonly Decision[] };

export function measureGame(game: CertifiedGame, results: readonly WorkerResult[], options: CertifyOptions, seconds: number): MeasuredGame {
  const sequences = mergeSequences(results);
  const fits = mergeFits(results);
  const rawTests = sequences.flatMap((sequence) => outcomeBattery(sequence.values, sequence.range).map((result) => ({ ...result, sequence: sequence.name })));
  const rawFits = fits.map((fit) => {
    const result = chiSquareFit(fit.observed, fit.probabilities);
    return { name: "chi-square fit", sequence: fit.name, statistic: result.statistic, pValue: result.pValue };
  });
  const testDecisions = outcomeDecisions(game, "outcome test", rawTests);
  const fitDecisions = outcomeDecisions(game, "chi-square fit", rawFits);
  const idOf = (made: readonly Decision[], test: { name: string; sequence: string }): string | null =>
    made.find((d) => d.test === test.name && d.on === test.sequence)?.id ?? null;
  const outcomeTests: TestReport[] = rawTests.map((test) => ({ ...test, decision: idOf(testDecisions, test) }));
  const fitReports: FitReport[] = fits.map((fit, i) => {
    const total = fit.observed.reduce((sum, count) => sum + count, 0);
    const raw = rawFits[i] as (typeof rawFits)[number];
    return { ...raw, decision: idOf(fitDecisions, raw), labels: fit.labels, observed: fit.observed, expected: fit.probabilities.map((p) => p * total) };
  });
  const nistValues: NistPValues = emptyNistPValues();
  for (const result of results) for (const name of nistTestNames) nistValues[name].push(...result.nist[name]);
  const judgements = judgeNistBattery(nistValues);
  const nistMade = nistDecisions(game, judgements);
  const verdicts: NistReport[] = judgements.map((v) => ({
    ...v,
    proportionDecision: nistMade.find((d) => d.test === v.test && d.kind === "NIST pass proportion")?.id ?? null,
    uniformityDecision: nistMade.find((d) => d.test === v.test && d.kind === "NIST uniformity")?.id ?? null,
  }));
  const rtpSums = results.every((result) => result.rtp !== null) ? results.reduce((sum, result) => addRtpSums(sum, result.rtp as RtpSums), emptyRtpSums) : null;
  const rtp = rtpSums === null ? null : rtpReport(game, rtpSums);
  const checks = results.flatMap((result) => result.checks);
  const mergedChecks = [...new Set(checks.map((check) => check.name))].map((name) => {
    const same = checks.filter((check) => check.name === name);
    return { name, passed: same.every((check) => check.passed), detail: [...new Set(same.map((check) => check.detail))].join("; ") };
  });
  const facts: Record<string, number> = {};
  for (const result of results) for (const [key, value] of Object.entries(result.facts)) facts[key] = (facts[key] ?? 0) + value;
  const rounds = results.reduce((sum, result) => sum + result.rounds, 0);
  return {
    game,
    rounds,
    workers: results.length,
    seconds,
    roundsPerSecond: rounds / seconds,
    outcomeTests,
    fits: fitReports,
    histograms: sequences.map((sequence) => ({
      name: sequence.name,
      observed: countValues(sequence.values, sequence.range),
      expected: sequence.values.length / sequence.range,
    })),
    nist: { sequences: judgements[0]?.sequences ?? 0, bits: options.nistBits, verdicts },
    rtp,
    convergence: mergeCheckpoints(results),
    checks: mergedChecks,
    facts,
    pending: [...testDecisions, ...fitDecisions, ...nistMade, ...(rtp?.test ? [{ ...rtpDecision(game, rtp.test.pValue) }] : [])],
  };
}

/** Judges every decision of the run as one family; a game passes when none of its decisions is rejected and its checks hold. */
export function judgeRun(measured: readonly MeasuredGame[], alpha: number): { games: GameReport[]; family: CertifyReport["family"] } {
  const verdict = judgeDecisions(
    measured.flatMap((game) => game.pending),
    alpha,
  );
  const games = measured.map(({ pending: _pending, ...game }) => {
    const decisions = verdict.decisions.filter((d) => d.scope === game.game);
    return { ...game, decisions, passed: decisions.every((d) => !d.rejected) && game.checks.every((check) => check.passed) };
  });
  const { decisions, ...rest } = verdict;
  return { games, family: { ...rest, decisions: decisions.length } };
}

/** A one-line progress bar on stderr: percentage, rounds per second, time left. Redrawn at most 10 times a second. */
export class Progress {
  private game = "";
  private total = 0;
  private done = 0;
  private started = 0;
  private drawnAt = 0;
  private readonly tty = process.stderr.isTTY;
  /** silent: no output (the false-alarm benchmark runs a hundred certifications). */
  constructor(private readonly silent = false) {}

  start(game: string, total: number): void {
    Object.assign(this, { game, total, done: 0, started: performance.now(), drawnAt: 0 });
    this.draw(true);
  }

  advance(rounds: number): void {
    this.done += rounds;
    this.draw(false);
  }

  finish(): void {
    if (this.silent) return;
    this.draw(true);
    process.stderr.write(this.tty ? "\n" : "");
  }

  private draw(force: boolean): void {
    if (this.silent) return;
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
const pText = (p: number): string => (p === 0 ? "0" : p >= 0.001 ? p.toFixed(4) : p.toExponential(2));

function gameLine(game: GameReport): string {
  const rejected = game.decisions.filter((d) => d.rejected).length;
  const smallest = Math.min(1, ...game.decisions.map((d) => d.adjustedP));
  const rtp = game.rtp === null ? "n/a (rake game)" : `${percent(game.rtp.rtp)} [${percent(game.rtp.ci99[0])}, ${percent(game.rtp.ci99[1])}]`;
  const exact = game.rtp?.theoretical == null ? "—" : percent(game.rtp.theoretical.value);
  const checks = game.checks.length === 0 ? "—" : `${game.checks.filter((c) => c.passed).length}/${game.checks.length}`;
  return `${game.game.padEnd(10)} ${game.rounds.toLocaleString("en").padEnd(12)} ${`${game.decisions.length}`.padEnd(9)} ${`${rejected}`.padEnd(8)} ${pText(smallest).padEnd(10)} ${rtp.padEnd(34)} ${exact.padEnd(11)} ${checks.padEnd(6)} ${game.passed ? "PASS" : "FAIL"}`;
}

/** The printed report: a line per game, then every decision of the run by raw p-value with its adjusted one, then the verdict. */
export function summaryTable(report: CertifyReport): string {
  const lines = [
    `RNG: ${report.rng}`,
    `Rule: ${report.family.rule}`,
    "",
    "game       rounds       decisions rejected min adj p  RTP (99% CI)                       exact       checks verdict",
    ...report.games.map(gameLine),
    "",
    `Decisions, smallest raw p first (threshold: α/(m − rank + 1); reject when adjusted p ≤ α = ${report.family.alpha}):`,
    `${"rank".padStart(4)}  ${"game".padEnd(9)} ${"decision".padEnd(66)} ${"raw p".padEnd(10)} ${"adjusted p".padEnd(10)} ${"threshold".padEnd(9)} verdict`,
  ];
  const all = report.games.flatMap((game) => game.decisions).sort((a, b) => a.rank - b.rank);
  for (const d of all) {
    const test = d.kind === d.test ? d.kind : `${d.kind}: ${d.test}`;
    const what = `${test}${d.on === "raw bits" || d.kind === "RTP" ? "" : ` on ${d.on}`}`;
    lines.push(
      `${String(d.rank).padStart(4)}  ${d.scope.padEnd(9)} ${what.slice(0, 66).padEnd(66)} ${pText(d.pValue).padEnd(10)} ${pText(d.adjustedP).padEnd(10)} ${d.threshold.toExponential(2).padEnd(9)} ${d.rejected ? "REJECTED" : "accept"}`,
    );
  }
  for (const game of report.games)
    for (const check of game.checks) if (!check.passed) lines.push(`  ${game.game}: check failed: ${check.name}: ${check.detail}`);
  lines.push(
    `${report.passed ? "CERTIFICATION PASSED" : "CERTIFICATION FAILED"} at family-wise level ${report.family.alpha} (${report.family.rejected} of ${report.family.decisions} decisions rejected${report.games.some((g) => g.checks.some((c) => !c.passed)) ? ", and a game check failed" : ""})`,
  );
  return lines.join("\n");
}

const jsonReplacer = (_key: string, value: unknown) => (typeof value === "bigint" ? value.toString() : value);

export type { CertifyOptions, CertifyReport, GameReport } from "./report.html.js";

function describeSource(options: CertifyOptions, games: readonly GameReport[], exhausted: boolean): string {
  if (options.rngFile !== null) {
    const bytes = statSync(options.rngFile).size;
    return `captured stream ${basename(options.rngFile)} (${bytes.toLocaleString("en")} bytes, big-endian 32-bit words); ${exhausted ? `the stream ran out after ${games[0]?.rounds.toLocaleString("en")} rounds` : `capped at --rounds ${options.rounds.toLocaleString("en")}`}`;
  }
  return options.seed === null ? "CryptoRng (node CSPRNG)" : `SeededRng, seed "${options.seed}" (reproducible; not for production)`;
}

/**
 * Plays and judges a whole run. The command runs each game's workers as threads; the false-alarm
 * benchmark passes a runner that calls the same worker code in its own thread, a hundred runs in a row.
 */
export async function certify(options: CertifyOptions, progress = new Progress(), runner: GameRunner = threadRunner): Promise<CertifyReport> {
  const startedAt = new Date().toISOString();
  const measured: MeasuredGame[] = [];
  let exhausted = false;
  for (const game of options.games) {
    const started = performance.now();
    const results = await runGame(game, options, progress, runner);
    exhausted ||= results.some((result) => result.exhausted);
    const rounds = results.reduce((sum, result) => sum + result.rounds, 0);
    if (rounds < roundsMin)
      throw new ConfigError(
        `${options.rngFile ?? "the generator"} supplied only ${rounds.toLocaleString("en")} rounds of ${game}; the battery needs at least ${roundsMin.toLocaleString("en")}: supply a longer stream`,
      );
    measured.push(measureGame(game, results, options, (performance.now() - started) / 1000));
  }
  const { games, family } = judgeRun(measured, options.alpha);
  const { out: _out, ...reported } = options;
  return {
    tool: "croupier certify",
    startedAt,
    rng: describeSource(options, games, exhausted),
    options: reported,
    games,
    family,
    passed: games.every((game) => game.passed),
  };
}

export async function runCertify(argv: string[]): Promise<void> {
  const parsed = parseCertifyArgs(argv);
  if (parsed === "help") {
    console.log(usage);
    return;
  }
  const options = parsed;
  const report = await certify(options);
  mkdirSync(options.out, { recursive: true });
  writeFileSync(join(options.out, "report.json"), JSON.stringify({ ...report, nistParameters: nistParameters(options.nistBits) }, jsonReplacer, 2));
  writeFileSync(join(options.out, "report.html"), renderReportHtml(report));
  console.log(summaryTable(report));
  console.log(`reports: ${join(options.out, "report.json")}, ${join(options.out, "report.html")}`);
  if (!report.passed) process.exitCode = 1;
}
