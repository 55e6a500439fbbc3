/**
 * `croupier loadtest`: drives simulated players (accounts, deposits, play) over real WebSockets from
 * several processes and source addresses against one or more nodes, shows live progress, and ends
 * with latency histograms, errors by code and a money reconciliation against the ledger. The abuse
 * scenario also judges the risk engine, as an operator, after the run.
 * docs/LOADTEST.md explains the scenarios and the reconciliation.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { ConfigError } from "../config/config.js";
import { findCurrency, type Currency } from "../engine/money/index.js";
import { auditAbuse, OperatorApi, type AbuseReport } from "./loadtest/abuse-audit.js";
import { runDriver } from "./loadtest/driver.js";
import { codeOf } from "./loadtest/player.js";
import { loadtestUsage, parseLoadtestOptions, type LoadtestOptions } from "./loadtest/options.js";
import type { RunPlan } from "./loadtest/player.js";
import { ProgressView } from "./loadtest/progress.js";
import { buildReport, markdownReport, textReport } from "./loadtest/report.js";
import { scrapeCpuSeconds, scrapeStages, stageDifference, summarizeStages } from "./loadtest/stages.js";

/** Driver processes need a moment to start (tsx compiles them when running from source). */
const startLeadMs = 1_500;

function planOf(options: LoadtestOptions, startAtMs: number): RunPlan {
  return {
    urls: options.urls,
    players: options.players,
    scenario: options.scenario,
    rampUpMs: options.rampUpMs,
    thinkTimeMs: options.thinkTimeMs,
    sourceAddresses: options.sourceAddresses,
    deposit: options.deposit,
    depositMinor: options.depositMinor.toString(),
    currency: options.currency,
    password: options.password,
    accountPrefix: options.accountPrefix,
    reuseAccounts: options.reuseAccounts,
    settleWaitMs: options.settleWaitMs,
    tables: options.tables,
    blackjackTables: options.blackjackTables,
    holdemTables: options.holdemTables,
    abusers: options.abusers,
    startAtMs,
    runId: randomBytes(6).toString("hex"),
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/**
 * The abuse scenario's operator, logged in before the run so that a wrong password or role stops it
 * at once. The password comes from standard input, never from argv.
 */
async function operatorOf(options: LoadtestOptions): Promise<OperatorApi | null> {
  if (options.operator === null) return null;
  const password = await readStdin();
  if (password === "") throw new ConfigError(`--operator ${options.operator}: no password on standard input`);
  try {
    return await OperatorApi.login(options.urls[0] as string, options.operator, password);
  } catch (error) {
    throw new ConfigError(`--operator ${options.operator} cannot read the risk engine: ${codeOf(error)}: ${(error as Error).message}`);
  }
}

export async function runLoadtest(argv: readonly string[]): Promise<void> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(loadtestUsage);
    return;
  }
  const options = parseLoadtestOptions(argv, randomBytes(4).toString("hex"));
  const currency = findCurrency(options.currency) as Currency;
  const operator = await operatorOf(options);
  const mode = options.progress === "auto" ? (process.stderr.isTTY ? "bar" : "lines") : options.progress;
  const startAtMs = Date.now() + startLeadMs;
  const plan = planOf(options, startAtMs);
  const view = new ProgressView(mode, options.players);
  view.note(
    `loadtest: ${options.players} ${options.scenario} players${options.scenario === "abuse" ? ` (${options.abusers} abusers)` : ""}, accounts ${options.accountPrefix}-0..${options.players - 1}, ${options.processes} driver process(es)`,
  );
  const token = options.metricsToken ?? undefined;
  const before = await Promise.all(options.urls.map((url) => scrapeStages(url, token)));
  // The servers' CPU over the steady phase, read when it starts and ends: the cost of an action, which a busy machine slows but does not change.
  const readCpu = () => Promise.all(options.urls.map((url) => scrapeCpuSeconds(url, token)));
  const cpuReads: { atSteady?: Promise<(number | null)[]>; atStop?: Promise<(number | null)[]> } = {};
  let outcome = await runDriver(
    plan,
    options.processes,
    {
      durationMs: options.durationMs,
      setupWaitMsMax: options.setupWaitMs,
      onSteady: () => {
        cpuReads.atSteady = readCpu();
      },
      onStop: () => {
        cpuReads.atStop = readCpu();
      },
    },
    view,
  );
  let abuse: AbuseReport | null = null;
  if (operator !== null) {
    // Right after the players stop (slots leave nothing to settle): the files' scores still see the last minute of play.
    view.note("abuse: reading every player's risk actions and score as the operator");
    const audited = await auditAbuse(operator, outcome.players, currency);
    outcome = { ...outcome, players: audited.players };
    abuse = audited.report;
  }
  const after = await Promise.all(options.urls.map((url) => scrapeStages(url, token)));
  const pairs = options.urls.flatMap((_, i) => {
    const [b, a] = [before[i], after[i]];
    return b === null || b === undefined || a === null || a === undefined ? [] : [{ before: b, after: a }];
  });
  const stages = {
    nodes: pairs.length,
    of: options.urls.length,
    stages: summarizeStages(stageDifference(pairs)),
    cpu: cpuPerAction((await cpuReads.atSteady) ?? [], (await cpuReads.atStop) ?? [], outcome),
  };
  const report = buildReport(options, outcome, currency, startAtMs, stages, abuse);
  console.log(textReport(report));
  if (options.outDir !== null) {
    mkdirSync(options.outDir, { recursive: true });
    const json = join(options.outDir, "loadtest-report.json");
    const md = join(options.outDir, "loadtest-report.md");
    writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(md, `${markdownReport(report)}\n`);
    console.log(`report: ${json}, ${md}`);
  }
  if (!report.ok) process.exitCode = 1;
}

/** CPU per action over the steady phase: the servers' (nodes whose /metrics were read twice) and the driver processes'. */
function cpuPerAction(
  atSteady: readonly (number | null)[],
  atStop: readonly (number | null)[],
  outcome: { readonly steadyOps: number; readonly steadyDriverCpuMs: number },
) {
  if (outcome.steadyOps <= 0) return null;
  let nodes = 0;
  let serverSeconds = 0;
  atStop.forEach((after, i) => {
    const before = atSteady[i];
    if (typeof after !== "number" || typeof before !== "number") return;
    nodes += 1;
    serverSeconds += after - before;
  });
  return {
    nodes,
    serverMsPerAction: nodes === 0 ? null : (serverSeconds * 1_000) / outcome.steadyOps,
    driverMsPerAction: outcome.steadyDriverCpuMs / outcome.steadyOps,
  };
}
