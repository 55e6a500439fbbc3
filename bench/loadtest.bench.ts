// The real path, end to end: `croupier loadtest` against two production nodes (PostgreSQL + Redis)
// started here as their own processes, as docs/LOADTEST.md describes. Slots (1,000 players, think
// 100 ms) and roulette (2,000 players, think 500 ms, the default 3 tables) in full mode; smaller runs
// in short mode. Reports throughput, latency and the servers' own per-stage breakdown beside the
// targets of issue #18.
// Usage: node --import tsx bench/loadtest.bench.ts [--short] [--only slots|roulette] [--players N]
//   [--seconds S] [--progress]   (the last four for a focused run while working on the path; --progress
//   shows the load tester's progress lines and summary)
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Report } from "../src/cli/loadtest/report.js";
import type { BenchMetric, BenchOptions, BenchResult } from "./support/bench-types.js";
import { isMain, printResult } from "./support/main.js";
import { productionFlags, startBenchServer, type BenchServer } from "./support/server-process.js";
import { productionServices } from "./support/services.js";
import { round } from "./support/stats.js";

const cli = fileURLToPath(new URL("../src/cli/croupier.ts", import.meta.url));

interface Run {
  readonly scenario: "slots" | "roulette";
  readonly players: number;
  readonly seconds: number;
  readonly thinkMs: number;
  readonly action: "spin" | "bet";
  readonly opsTarget?: number;
  readonly p99TargetMs: number;
}

const runs = (short: boolean): Run[] => [
  { scenario: "slots", players: short ? 300 : 1_000, seconds: short ? 20 : 60, thinkMs: 100, action: "spin", opsTarget: 5_000, p99TargetMs: 100 },
  { scenario: "roulette", players: short ? 400 : 2_000, seconds: short ? 30 : 60, thinkMs: 500, action: "bet", p99TargetMs: 100 },
];

interface Focus {
  readonly only?: string;
  readonly players?: number;
  readonly seconds?: number;
  readonly progress: boolean;
}

function focusFromArgv(argv: readonly string[]): Focus {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const number = (flag: string): number | undefined => {
    const v = value(flag);
    return v === undefined ? undefined : Number(v);
  };
  const only = value("--only"),
    players = number("--players"),
    seconds = number("--seconds");
  return {
    ...(only === undefined ? {} : { only }),
    ...(players === undefined ? {} : { players }),
    ...(seconds === undefined ? {} : { seconds }),
    progress: argv.includes("--progress"),
  };
}

function focused(all: readonly Run[], focus: Focus): Run[] {
  return all
    .filter((r) => focus.only === undefined || r.scenario === focus.only)
    .map((r) => ({
      ...r,
      ...(focus.players === undefined ? {} : { players: focus.players }),
      ...(focus.seconds === undefined ? {} : { seconds: focus.seconds }),
    }));
}

function loadtest(urls: readonly string[], run: Run, out: string, progress = false): Promise<number> {
  const args = [
    "--import",
    "tsx",
    cli,
    "loadtest",
    ...urls.flatMap((u) => ["--url", u]),
    "--players",
    String(run.players),
    "--scenario",
    run.scenario,
    "--duration",
    `${run.seconds}s`,
    "--think-time",
    `${run.thinkMs}ms`,
    "--processes",
    "2",
    "--source-addresses",
    "127.0.0.1,127.0.0.2",
    "--progress",
    progress ? "lines" : "off",
    "--out",
    out,
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", progress ? "inherit" : "ignore", "inherit"] });
    child.once("exit", (code) => resolve(code ?? 1));
  });
}

async function measure(urls: readonly string[], run: Run, notes: string[], progress: boolean): Promise<BenchMetric[]> {
  const out = mkdtempSync(join(tmpdir(), "croupier-bench-lt-"));
  try {
    const exit = await loadtest(urls, run, out, progress);
    const report = JSON.parse(readFileSync(join(out, "loadtest-report.json"), "utf8")) as Report;
    const latency = report.latency[run.action];
    const label = `${run.scenario} ${run.players} players, think ${run.thinkMs} ms, ${run.seconds} s`;
    const perSecond = round(report.throughput.betsPerSecond, 0);
    const p99 = latency?.p99Ms ?? Number.NaN;
    const codes = Object.entries(report.errors.byCode)
      .map(([code, n]) => `${code} ${n}`)
      .join(", ");
    const unknown = report.reconciliation.differences.filter((d) => d.ledger === "unknown").length;
    const wrong = report.reconciliation.differences.length - unknown;
    notes.push(
      `loadtest ${run.scenario}: exit ${exit}; errors ${report.errors.total}${codes === "" ? "" : ` (${codes})`}; reconciliation ${report.reconciliation.ok ? "ok" : "FAILED"}: ${wrong} players whose ledger differs from what they observed, ${unknown} whose ledger could not be read.`,
    );
    const slowest = [...report.stages.stages]
      .filter((s) => s.stage !== "total")
      .sort((a, b) => b.meanMs - a.meanMs)
      .slice(0, 3);
    return [
      {
        name: `${label}: ${run.action}s/s`,
        value: perSecond,
        unit: "/s",
        ...(run.opsTarget === undefined ? {} : { target: `>= ${run.opsTarget}`, ok: perSecond >= run.opsTarget }),
      },
      { name: `  ${run.action} p50`, value: round(latency?.p50Ms ?? Number.NaN, 0), unit: "ms" },
      { name: `  ${run.action} p99`, value: round(p99, 0), unit: "ms", target: `<= ${run.p99TargetMs}`, ok: p99 <= run.p99TargetMs },
      {
        name: "  errors",
        value: round(report.errors.rate * 100, 2),
        unit: "%",
        target: run.scenario === "slots" ? "= 0" : "<= 0.1",
        ok: run.scenario === "slots" ? report.errors.total === 0 : report.errors.rate <= 0.001,
      },
      {
        name: "  reconciliation ok, exit 0",
        value: report.reconciliation.ok && exit === 0 ? 1 : 0,
        unit: "",
        target: "= 1",
        ok: report.reconciliation.ok && exit === 0,
      },
      {
        name: "  deposit p50 (setup)",
        value: round(report.latency.deposit?.p50Ms ?? Number.NaN, 0),
        unit: "ms",
        target: "<= 1000",
        ok: (report.latency.deposit?.p50Ms ?? Infinity) <= 1_000,
      },
      {
        name: "  join p99 (setup)",
        value: round(report.latency.join?.p99Ms ?? Number.NaN, 0),
        unit: "ms",
        target: "<= 500",
        ok: (report.latency.join?.p99Ms ?? Infinity) <= 500,
      },
      ...slowest.map((s) => ({ name: `  stage ${s.stage} mean (p99)`, value: round(s.meanMs, 1), unit: "ms", note: `p99 ${round(s.p99Ms, 0)} ms` })),
      ...cpuMetrics(run, report.stages.cpu ?? null),
    ];
  } finally {
    // BENCH_LOADTEST_REPORT=/tmp/x keeps each run's full JSON report as /tmp/x.<scenario>.json (the differences, per player).
    const keep = process.env.BENCH_LOADTEST_REPORT;
    if (keep !== undefined) cpSync(join(out, "loadtest-report.json"), `${keep}.${run.scenario}.json`, { force: true });
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * CPU per action over the steady phase, both servers together and the load drivers: what an action
 * costs, which noise on the shared machine barely moves (throughput and latency move with it). The
 * whole machine's budget at the target rate is its cores divided by the rate (2 cores at 5,000/s: 0.4 ms).
 */
function cpuMetrics(run: Run, cpu: Report["stages"]["cpu"] | null): BenchMetric[] {
  if (cpu === null || cpu === undefined) return [];
  return [
    ...(cpu.serverMsPerAction === null
      ? []
      : [{ name: `  server CPU per ${run.action} (${cpu.nodes} nodes)`, value: round(cpu.serverMsPerAction, 3), unit: "ms" }]),
    { name: `  load driver CPU per ${run.action}`, value: round(cpu.driverMsPerAction, 3), unit: "ms" },
  ];
}

export async function runLoadtestBench(options: BenchOptions = {}, focus: Focus = { progress: false }): Promise<BenchResult> {
  const short = options.short ?? false;
  const services = await productionServices();
  if (typeof services === "string") return { name: "loadtest", metrics: [], notes: [`loadtest: skipped, ${services}`] };
  const servers: BenchServer[] = [];
  try {
    const flags = productionFlags(services);
    servers.push(await startBenchServer(flags));
    servers.push(await startBenchServer(flags));
    const urls = servers.map((s) => s.url);
    const metrics: BenchMetric[] = [];
    const notes: string[] = [];
    for (const run of focused(runs(short), focus)) metrics.push(...(await measure(urls, run, notes, focus.progress)));
    return {
      name: "loadtest",
      metrics,
      notes: [
        "loadtest: `croupier loadtest` (2 driver processes, 2 source addresses) against two `croupier serve` processes in production mode sharing one PostgreSQL database and one Redis, everything on this machine; argon2 at 8 MiB × 1 so that registration does not dominate the setup.",
        "loadtest: the stage lines are the servers' own `croupier_action_stage_seconds` over the run (the three slowest stages by mean).",
        ...notes,
      ],
    };
  } finally {
    for (const server of servers) await server.stop();
    await services.dispose();
  }
}

if (isMain(import.meta.url)) await printResult(runLoadtestBench({ short: process.argv.includes("--short") }, focusFromArgv(process.argv.slice(2))));
