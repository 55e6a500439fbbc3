// Idle connections: as many authenticated, idle WebSocket connections as this machine allows one
// server process, opened from several client processes; the server's resident memory growth per
// connection, beside a minimal Socket.IO server holding the same number in the same run.
// Usage: node --import tsx bench/idle.bench.ts [--short]
import type { BenchOptions, BenchResult } from "./support/bench-types.js";
import { isMain, printResult } from "./support/main.js";
import { accessTokens, productionFlags, startBenchServer } from "./support/server-process.js";
import { productionServices } from "./support/services.js";
import { startSocketIoServer } from "./support/socketio-server.js";
import { median, round } from "./support/stats.js";
import { openSwarm, type Swarm } from "./support/swarm.js";

const targets = { bytesPerConnection: 8 * 1024, connections: 100_000 };
/** One process may hold ~20,000 open files here (ulimit -n); the server keeps some for itself. */
const perProcessClientsMax = 7_000;
const settleMs = 2_000;
const steps = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Theil–Sen slope of y over x: the median of the slopes between every pair of readings. One reading
 * thrown off (a process giving memory back late) moves it far less than a least-squares fit.
 */
function slope(points: ReadonlyArray<{ x: number; y: number }>): number {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const a = points[i] as { x: number; y: number };
      const b = points[j] as { x: number; y: number };
      if (b.x !== a.x) slopes.push((b.y - a.y) / (b.x - a.x));
    }
  }
  return median(slopes);
}

/** The median of three RSS readings a second apart, after the settle time and a full collection. */
async function settledRss(server: { rss(): number; collectGarbage(): void }): Promise<number> {
  await sleep(settleMs);
  server.collectGarbage();
  await sleep(500);
  const rss = () => server.rss();
  const readings: number[] = [];
  for (let i = 0; i < 3; i++) {
    readings.push(rss());
    await sleep(1_000);
  }
  return readings.sort((a, b) => a - b)[1] as number;
}

/**
 * A freshly started server gives memory back for a while (V8's memory reducer, the allocator);
 * readings start once RSS, after a collection, moves by less than 1 MB over 3 s (or after 60 s).
 */
async function stableRss(server: { rss(): number; collectGarbage(): void }): Promise<void> {
  const deadline = Date.now() + 60_000;
  let previous = Number.POSITIVE_INFINITY;
  while (Date.now() < deadline) {
    server.collectGarbage();
    await sleep(3_000);
    const now = server.rss();
    if (Math.abs(previous - now) < 2 ** 20) return;
    previous = now;
  }
}

/**
 * A first tenth of the connections warms the server (JIT, pools, the account creation's hashing);
 * the rest connect in `steps` equal groups, and the server's RSS is read after each. The figure per
 * connection is the slope of RSS over connections (least squares over the readings), which a single
 * garbage collection between two readings moves much less than a plain difference.
 */
async function measure(
  start: () => Promise<{ url: string; tokens: string[]; protocol: "croupier" | "socketio"; rss(): number; collectGarbage(): void; stop(): Promise<void> }>,
  count: number,
  addressBase: number,
): Promise<{ opened: number; bytesPerConnection: number; totalBytes: number; firstError: string | null; readings: Array<{ x: number; y: number }> }> {
  const server = await start();
  await stableRss(server);
  const warm = Math.max(200, Math.floor(count / 10));
  const stepSize = Math.ceil((count - warm) / steps);
  const swarms: Swarm[] = [];
  try {
    const swarmOptions = { protocol: server.protocol, url: server.url, tokens: server.tokens, room: null, concurrency: 200 };
    swarms.push(await openSwarm({ ...swarmOptions, total: warm, processes: Math.ceil(warm / perProcessClientsMax), addressBase }));
    let opened = swarms[0]?.opened ?? 0;
    const readings = [{ x: opened, y: await settledRss(server) }];
    for (let step = 0; step < steps; step++) {
      const total = Math.min(stepSize, count - warm - step * stepSize);
      if (total <= 0) break;
      const swarm = await openSwarm({ ...swarmOptions, total, processes: Math.ceil(total / perProcessClientsMax), addressBase: addressBase + 4 * (step + 1) });
      swarms.push(swarm);
      opened += swarm.opened;
      readings.push({ x: opened, y: await settledRss(server) });
    }
    const last = readings[readings.length - 1] as { x: number; y: number };
    return {
      opened,
      bytesPerConnection: slope(readings),
      totalBytes: last.y,
      firstError: swarms.find((s) => s.firstError !== null)?.firstError ?? null,
      readings,
    };
  } finally {
    for (const swarm of swarms) await swarm.close();
    await server.stop();
  }
}

export async function runIdleBench(options: BenchOptions = {}): Promise<BenchResult> {
  const short = options.short ?? false;
  const services = await productionServices();
  const production = typeof services === "string" ? null : services;
  // Several workers need production mode (they share state through PostgreSQL and Redis).
  const workers = production === null ? 1 : short ? 2 : 6;
  const count = production === null ? (short ? 3_000 : 19_000) : short ? 3_000 : targets.connections;
  const baselineCount = Math.min(count, 19_000);
  try {
    const croupier = await measure(
      async () => {
        const flags = production === null ? [] : [...productionFlags(production), ...(workers > 1 ? ["--workers", String(workers)] : [])];
        const server = await startBenchServer(flags);
        const tokens = await accessTokens(server.url, 20, "idle");
        return {
          url: `${server.url.replace(/^http/, "ws")}/v1/ws`,
          tokens,
          protocol: "croupier",
          rss: () => server.rssBytes(),
          collectGarbage: () => server.collectGarbage(),
          stop: () => server.stop(),
        };
      },
      count,
      50,
    );
    const socketIo = await measure(
      async () => {
        const server = await startSocketIoServer();
        return {
          url: `ws://127.0.0.1:${server.port}/socket.io/?EIO=4&transport=websocket`,
          tokens: [""],
          protocol: "socketio",
          rss: () => server.rssBytes(),
          collectGarbage: () => server.collectGarbage(),
          stop: () => server.stop(),
        };
      },
      baselineCount,
      90,
    );
    const kb = croupier.bytesPerConnection / 1024;
    return {
      name: "idle",
      metrics: [
        {
          name: `authenticated idle connections held (${workers} server process${workers > 1 ? "es" : ""})`,
          value: croupier.opened,
          unit: "conns",
          target: `>= ${targets.connections}`,
          ok: croupier.opened >= targets.connections,
          baseline: socketIo.opened,
        },
        {
          name: "  server RSS growth per connection",
          value: round(kb, 2),
          unit: "KB",
          target: "<= 8",
          ok: croupier.bytesPerConnection <= targets.bytesPerConnection,
          baseline: round(socketIo.bytesPerConnection / 1024, 2),
          ratio: round(croupier.bytesPerConnection / socketIo.bytesPerConnection, 2),
        },
        {
          name: "  server RSS in total with every connection open (all processes)",
          value: round(croupier.totalBytes / 2 ** 20),
          unit: "MB",
          baseline: round(socketIo.totalBytes / 2 ** 20),
        },
        {
          name: "  that total per connection (an upper bound: includes each process's baseline)",
          value: round(croupier.totalBytes / croupier.opened / 1024, 2),
          unit: "KB",
          baseline: round(socketIo.totalBytes / socketIo.opened / 1024, 2),
        },
      ],
      notes: [
        `idle: ${count} connections asked for (${croupier.opened} opened${croupier.firstError ? `; first failure: ${croupier.firstError}` : ""}), each sent hello with an access token (20 accounts) and then nothing; ${production === null ? `embedded mode, one process (${services as string}, so no --workers)` : `production mode (PostgreSQL + Redis), croupier serve --workers ${workers}`}; client processes of at most ${perProcessClientsMax} sockets, each from its own 127.0.0.x address.`,
        `idle: per connection = Theil–Sen slope (median of pairwise slopes) of server RSS (all server processes, from /proc, median of 3 readings after ${settleMs / 1000} s of quiet and a full garbage collection in each process: the bench preloads bench/support/gc-on-signal.ts with --expose-gc and sends SIGUSR2) over connections, from a warm first tenth through ${steps} more groups; the total below bounds it from above. Croupier readings (connections: MB): ${croupier.readings.map((r) => `${r.x}: ${round(r.y / 2 ** 20)}`).join(", ")}. Baseline: a minimal Socket.IO server (one process) with ${baselineCount} of the same clients.`,
        ...(count < targets.connections
          ? [
              `idle: the ${targets.connections}-connection target needs several worker processes (one process holds ~20,000 open files here); ${short ? "short mode opens " + String(count) : "this run could not use --workers"}.`,
            ]
          : []),
      ],
    };
  } finally {
    await production?.dispose();
  }
}

if (isMain(import.meta.url)) await printResult(runIdleBench({ short: process.argv.includes("--short") }));
