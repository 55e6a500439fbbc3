// Durable, ledger-settled slot spins per second on PostgreSQL, micro-batched, beside a ledger that
// commits one transaction per spin, in the same run. A benchmark, not a test: it reports numbers.
// Usage: node --import tsx bench/ledger.bench.ts [--short] [--callers N]
// DATABASE_URL (default postgres://127.0.0.1:5432/postgres) must allow creating a database; the
// bench creates its own and drops it at the end.
import pg from "pg";
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { createPgDb } from "../src/adapters/postgres/sql-db.pg.js";
import { migrate } from "../src/adapters/postgres/migrate.js";
import { createSqlLedgerStore, type SqlLedgerStoreOptions } from "../src/adapters/postgres/ledger-store.sql.js";
import type { LedgerStore } from "../src/app/ports/ledger-store.js";
import type { SqlDb } from "../src/adapters/postgres/sql-db.js";
import { optionSpecs } from "../src/config/options.js";

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

export interface LedgerBenchOptions {
  readonly short?: boolean;
  /** Concurrent callers, each with one spin in flight. */
  readonly callers?: number;
  readonly databaseUrl?: string;
}

const targets = { spinsPerSecond: 20_000, p99Ms: 50, ratio: 5 };
/** At least one player per caller: a player has one spin in flight at a time. */
const playersTotal = 2_000;
const fundMinor = 1_000_000_000n;

interface RunFigures {
  spins: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export async function runLedgerBench(options: LedgerBenchOptions = {}): Promise<BenchResult> {
  const short = options.short ?? false;
  const callers = Math.min(options.callers ?? 400, playersTotal);
  const adminUrl = withUser(options.databaseUrl ?? process.env.DATABASE_URL ?? "postgres://127.0.0.1:5432/postgres");
  const name = `croupier_bench_${randomBytes(4).toString("hex")}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await admin(adminUrl, `create database "${name}"`);
  try {
    const setupDb = createPgDb({ connectionString: url.toString(), poolConnectionsMax: 4, statementTimeoutMs: 60_000, applicationName: "croupier-bench" });
    await migrate(setupDb);
    const world = await createAccounts(setupDb);
    await setupDb.close();
    const seconds = short ? 3 : 10;
    // The server's own defaults (src/config/options.ts): batches of at most ledgerBatchOpsMax, several
    // in flight, each on its own connection; the shared house row is locked only for a batch's last
    // statement and its commit, so batches overlap everything else (docs/LEDGER.md, "Batching").
    const production = {
      batchOpsMax: optionSpecs.ledgerBatchOpsMax.default,
      batchWaitMs: optionSpecs.ledgerBatchWaitMs.default,
      batchesInFlightMax: optionSpecs.ledgerBatchesInFlightMax.default,
    };
    const batched = await measure(url.toString(), world, production, production.batchesInFlightMax + 1, callers, seconds, "b");
    const baseline = await measure(url.toString(), world, { batchOpsMax: 1, batchWaitMs: 0, batchesInFlightMax: 16 }, 16, callers, short ? 2 : 5, "u");
    const batchedRate = batched.spins / batched.seconds;
    const baselineRate = baseline.spins / baseline.seconds;
    const ratio = batchedRate / baselineRate;
    return {
      name: "ledger",
      metrics: [
        {
          name: "batched settled spins",
          value: round(batchedRate),
          unit: "spins/s",
          target: `>= ${targets.spinsPerSecond}`,
          ok: batchedRate >= targets.spinsPerSecond,
        },
        { name: "batched ack latency p50", value: round(batched.p50Ms, 2), unit: "ms" },
        { name: "batched ack latency p99", value: round(batched.p99Ms, 2), unit: "ms", target: `<= ${targets.p99Ms}`, ok: batched.p99Ms <= targets.p99Ms },
        { name: "baseline (1 tx per spin) settled spins", value: round(baselineRate), unit: "spins/s" },
        { name: "baseline ack latency p99", value: round(baseline.p99Ms, 2), unit: "ms" },
        { name: "batched / baseline", value: round(ratio, 2), unit: "x", target: `>= ${targets.ratio}`, ok: ratio >= targets.ratio },
        { name: "concurrent callers", value: callers, unit: "callers" },
      ],
    };
  } finally {
    await admin(adminUrl, `drop database if exists "${name}" with (force)`);
  }
}

interface World {
  houseId: bigint;
  players: bigint[];
}

async function createAccounts(db: SqlDb): Promise<World> {
  const store = createSqlLedgerStore(db);
  const house = await store.openAccount({ owner: "game:bench-slots", kind: "house", currency: "XTS" });
  const clearing = await store.openAccount({ owner: "payments:bench", kind: "payment_clearing", currency: "XTS" });
  const players: bigint[] = [];
  for (let i = 0; i < playersTotal; i += 100) {
    const chunk = await Promise.all(
      Array.from({ length: 100 }, (_, j) => store.openAccount({ owner: `bench-${i + j}`, kind: "player_cash", currency: "XTS" })),
    );
    players.push(...chunk.map((a) => a.id));
  }
  const funded = await Promise.all(
    players.map((id) =>
      store.submit({
        type: "transfer",
        kind: "deposit",
        key: `fund-${id}`,
        currency: "XTS",
        debitAccountId: clearing.id,
        creditAccountId: id,
        amount: fundMinor,
        reference: "bench",
      }),
    ),
  );
  if (funded.some((o) => o.status !== "ok")) throw new Error("funding failed");
  await store.close();
  return { houseId: house.id, players };
}

/** `callers` loops, each submitting one instant spin at a time, for `seconds` after a short warm-up. */
async function measure(
  url: string,
  world: World,
  store: Partial<SqlLedgerStoreOptions>,
  connections: number,
  callers: number,
  seconds: number,
  tag: string,
): Promise<RunFigures> {
  const db = createPgDb({ connectionString: url, poolConnectionsMax: connections, statementTimeoutMs: 60_000, applicationName: `croupier-bench-${tag}` });
  const ledger: LedgerStore = createSqlLedgerStore(db, store);
  const latencies: number[] = [];
  let seq = 0;
  let recording = false;
  let stop = false;
  // Each caller is one player's session: one spin in flight at a time, as a slot client plays.
  const caller = async (c: number) => {
    while (!stop) {
      const n = seq++;
      const stake = 100n;
      const win = n % 4 === 0 ? 250n : 0n;
      const started = performance.now();
      const outcome = await ledger.submit({
        type: "instant",
        key: `${tag}-${n}`,
        currency: "XTS",
        accountId: world.players[c % world.players.length] as bigint,
        houseAccountId: world.houseId,
        stake,
        payouts: win > 0n ? [{ fromAccountId: world.houseId, amount: win }] : [],
        reference: `spin-${n}`,
      });
      if (outcome.status !== "ok") throw new Error(`spin refused: ${outcome.status}`);
      if (recording) latencies.push(performance.now() - started);
    }
  };
  const running = Array.from({ length: callers }, (_, c) => caller(c));
  await sleep(1_000);
  recording = true;
  const started = performance.now();
  await sleep(seconds * 1_000);
  recording = false;
  const elapsed = (performance.now() - started) / 1_000;
  stop = true;
  await Promise.all(running);
  await ledger.close();
  await db.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return { spins: latencies.length, seconds: elapsed, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: latencies.at(-1) ?? Number.NaN };
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** pg takes the user from $USER when the URL names none; a bare container may have neither. */
function withUser(text: string): string {
  const url = new URL(text);
  if (url.username === "" && !process.env.PGUSER && !process.env.USER) url.username = "postgres";
  return url.toString();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;

export function formatBench(result: BenchResult): string {
  const rows = result.metrics.map((m) => [m.name, `${m.value} ${m.unit}`, m.target ?? "", m.ok === undefined ? "" : m.ok ? "ok" : "MISSED"]);
  const widths = ["metric", "value", "target", ""].map((header, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0), header.length));
  const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ");
  return [line(["metric", "value", "target", ""]), ...rows.map(line)].join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const callersAt = args.indexOf("--callers");
  const result = await runLedgerBench({ short: args.includes("--short"), ...(callersAt >= 0 ? { callers: Number(args[callersAt + 1]) } : {}) });
  console.log(formatBench(result));
}
