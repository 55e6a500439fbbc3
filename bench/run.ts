// The benchmark suite: `npm run bench` runs every benchmark module and prints one table of figures
// beside their targets (and, where a baseline runs in the same run, the ratio to it).
//
//   npm run bench                  short mode (the default): a few minutes on a 2-core machine
//   npm run bench -- --full        full mode: the published figures (docs/BENCHMARKS.md)
//   npm run bench -- --only fanout one benchmark (ledger, engines, fanout, reveal, resume, idle, loadtest, certify-alarms)
//
// certify-alarms (100 certification runs, several minutes) is opt-in: it runs with --full or --only.
//
// Results go to bench/results/<timestamp>.json and bench/results/latest.md.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, freemem, loadavg, totalmem } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BenchMetric, BenchResult } from "./support/bench-types.js";

interface Entry {
  readonly name: string;
  readonly file: string;
  readonly exportName: string;
  readonly optIn?: boolean;
}

/** Every benchmark of the project; a module another area has not written yet is skipped with a note. */
const suite: readonly Entry[] = [
  { name: "ledger", file: "ledger.bench.ts", exportName: "runLedgerBench" },
  { name: "engines", file: "engines.bench.ts", exportName: "runEnginesBench" },
  { name: "fanout", file: "fanout.bench.ts", exportName: "runFanoutBench" },
  { name: "reveal", file: "reveal.bench.ts", exportName: "runRevealBench" },
  { name: "resume", file: "resume.bench.ts", exportName: "runResumeBench" },
  { name: "idle", file: "idle.bench.ts", exportName: "runIdleBench" },
  { name: "loadtest", file: "loadtest.bench.ts", exportName: "runLoadtestBench" },
  { name: "certify-alarms", file: "certify-alarms.bench.ts", exportName: "runCertifyAlarmsBench", optIn: true },
];

interface Outcome {
  readonly entry: Entry;
  readonly seconds: number;
  readonly result: BenchResult | null;
  readonly skipped?: string;
  readonly error?: string;
}

function parseArgs(argv: readonly string[]): { short: boolean; only: string | null } {
  const onlyAt = argv.indexOf("--only");
  const only = onlyAt >= 0 ? (argv[onlyAt + 1] ?? null) : (argv.find((a) => a.startsWith("--only="))?.slice(7) ?? null);
  if (only !== null && !suite.some((e) => e.name === only)) {
    console.error(`unknown benchmark "${only}"; one of: ${suite.map((e) => e.name).join(", ")}`);
    process.exit(2);
  }
  return { short: !argv.includes("--full"), only };
}

async function runOne(entry: Entry, short: boolean): Promise<Outcome> {
  const path = fileURLToPath(new URL(`./${entry.file}`, import.meta.url));
  if (!existsSync(path)) return { entry, seconds: 0, result: null, skipped: `bench/${entry.file} does not exist yet` };
  const started = performance.now();
  try {
    const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    const run = module[entry.exportName];
    if (typeof run !== "function") return { entry, seconds: 0, result: null, skipped: `bench/${entry.file} does not export ${entry.exportName}` };
    const result = await (run as (o: { short: boolean }) => Promise<BenchResult>)({ short });
    return { entry, seconds: (performance.now() - started) / 1000, result };
  } catch (error) {
    return {
      entry,
      seconds: (performance.now() - started) / 1000,
      result: null,
      error: error instanceof Error ? (error.message.split("\n")[0] ?? String(error)) : String(error),
    };
  }
}

const columns = ["benchmark", "metric", "value", "target", "ok", "baseline", "ratio"] as const;

function row(bench: string, m: BenchMetric): string[] {
  return [
    bench,
    m.name,
    `${m.value} ${m.unit}`.trim(),
    m.target ?? "",
    m.ok === undefined ? "" : m.ok ? "ok" : "MISSED",
    m.baseline === undefined ? "" : `${m.baseline} ${m.unit}`.trim(),
    m.ratio === undefined ? "" : `${m.ratio}x`,
  ];
}

function rows(outcomes: readonly Outcome[]): string[][] {
  return outcomes.flatMap((o) => {
    if (o.skipped !== undefined) return [[o.entry.name, `skipped: ${o.skipped}`, "", "", "", "", ""]];
    if (o.error !== undefined) return [[o.entry.name, `FAILED: ${o.error}`, "", "", "MISSED", "", ""]];
    return (o.result?.metrics ?? []).map((m) => row(o.entry.name, m));
  });
}

function textTable(body: string[][]): string {
  const all = [[...columns], ...body];
  const widths = columns.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(all[0] as string[]), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

function markdownTable(body: string[][]): string {
  const esc = (c: string) => c.replace(/\|/g, "\\|");
  return [`| ${columns.join(" | ")} |`, `|${columns.map(() => "---").join("|")}|`, ...body.map((r) => `| ${r.map(esc).join(" | ")} |`)].join("\n");
}

function machine() {
  const cpu = cpus();
  return {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    freeMemoryGiB: Math.round(freemem() / 2 ** 30),
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

async function main(): Promise<void> {
  const { short, only } = parseArgs(process.argv.slice(2));
  const startedAt = new Date();
  const host = machine();
  console.log(
    `Croupier benchmarks, ${short ? "short" : "full"} mode${only ? `, only ${only}` : ""} — ${host.cpus} × ${host.cpuModel}, ${host.memoryGiB} GiB, node ${host.node}, load ${host.loadAverage.join(" ")}`,
  );
  const outcomes: Outcome[] = [];
  for (const entry of suite) {
    if (only !== null && entry.name !== only) continue;
    if (entry.optIn === true && only === null && short) continue;
    process.stdout.write(`running ${entry.name} ... `);
    const outcome = await runOne(entry, short);
    outcomes.push(outcome);
    console.log(
      outcome.skipped !== undefined
        ? `skipped (${outcome.skipped})`
        : outcome.error !== undefined
          ? `FAILED after ${outcome.seconds.toFixed(0)} s: ${outcome.error}`
          : `done in ${outcome.seconds.toFixed(0)} s`,
    );
  }
  const body = rows(outcomes);
  const notes = outcomes.flatMap((o) => o.result?.notes ?? []);
  console.log(`\n${textTable(body)}\n`);
  for (const n of notes) console.log(`- ${n}`);

  const dir = fileURLToPath(new URL("./results/", import.meta.url));
  mkdirSync(dir, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, "-");
  const json = {
    startedAt: startedAt.toISOString(),
    mode: short ? "short" : "full",
    only,
    machine: host,
    outcomes: outcomes.map((o) => ({ name: o.entry.name, seconds: Math.round(o.seconds), skipped: o.skipped, error: o.error, result: o.result })),
  };
  writeFileSync(`${dir}${stamp}.json`, `${JSON.stringify(json, null, 2)}\n`);
  const md = [
    `# Benchmark results`,
    "",
    `${short ? "Short" : "Full"} mode${only ? `, only ${only}` : ""}, started ${startedAt.toISOString()}; ${host.cpus} × ${host.cpuModel}, ${host.memoryGiB} GiB, node ${host.node}, load average at start ${host.loadAverage.join(" ")}.`,
    "",
    markdownTable(body),
    "",
    ...notes.map((n) => `- ${n}`),
    "",
  ].join("\n");
  writeFileSync(`${dir}latest.md`, md);
  console.log(`\nwritten: bench/results/${stamp}.json and bench/results/latest.md`);
  process.exit(0);
}

await main();
