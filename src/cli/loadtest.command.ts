/**
 * `croupier loadtest`: drives simulated players (accounts, deposits, play) over real WebSockets from
 * several processes and source addresses against one or more nodes, shows live progress, and ends
 * with latency histograms, errors by code and a money reconciliation against the ledger.
 * docs/LOADTEST.md explains the scenarios and the reconciliation.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { findCurrency, type Currency } from "../engine/money/index.js";
import { runDriver } from "./loadtest/driver.js";
import { loadtestUsage, parseLoadtestOptions, type LoadtestOptions } from "./loadtest/options.js";
import type { RunPlan } from "./loadtest/player.js";
import { ProgressView } from "./loadtest/progress.js";
import { buildReport, markdownReport, textReport } from "./loadtest/report.js";
import { scrapeStages, stageDifference, summarizeStages } from "./loadtest/stages.js";

/** Driver processes need a moment to start (tsx compiles them when running from source). */
const startLeadMs = 1_500;

function planOf(options: LoadtestOptions, startAtMs: number): RunPlan {
  return {
    urls: options.urls, players: options.players, scenario: options.scenario, rampUpMs: options.rampUpMs, thinkTimeMs: options.thinkTimeMs,
    sourceAddresses: options.sourceAddresses, deposit: options.deposit, depositMinor: options.depositMinor.toString(), currency: options.currency,
    password: options.password, accountPrefix: options.accountPrefix, reuseAccounts: options.reuseAccounts, settleWaitMs: options.settleWaitMs,
    tables: options.tables, blackjackTables: options.blackjackTables, holdemTables: options.holdemTables, startAtMs, runId: randomBytes(6).toString("hex"),
  };
}

export async function runLoadtest(argv: readonly string[]): Promise<void> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(loadtestUsage);
    return;
  }
  const options = parseLoadtestOptions(argv, randomBytes(4).toString("hex"));
  const currency = findCurrency(options.currency) as Currency;
  const mode = options.progress === "auto" ? (process.stderr.isTTY ? "bar" : "lines") : options.progress;
  const startAtMs = Date.now() + startLeadMs;
  const plan = planOf(options, startAtMs);
  const view = new ProgressView(mode, options.players);
  view.note(`loadtest: ${options.players} ${options.scenario} players, accounts ${options.accountPrefix}-0..${options.players - 1}, ${options.processes} driver process(es)`);
  const token = options.metricsToken ?? undefined;
  const before = await Promise.all(options.urls.map((url) => scrapeStages(url, token)));
  const outcome = await runDriver(plan, options.processes, { durationMs: options.durationMs, setupWaitMsMax: options.setupWaitMs }, view);
  const after = await Promise.all(options.urls.map((url) => scrapeStages(url, token)));
  const pairs = options.urls.flatMap((_, i) => {
    const [b, a] = [before[i], after[i]];
    return b === null || b === undefined || a === null || a === undefined ? [] : [{ before: b, after: a }];
  });
  const stages = { nodes: pairs.length, of: options.urls.length, stages: summarizeStages(stageDifference(pairs)) };
  const report = buildReport(options, outcome, currency, startAtMs, stages);
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
