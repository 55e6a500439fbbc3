// Resume: a client misses 100 events while disconnected, then reconnects; measured from the moment it
// starts to connect (TCP, upgrade, hello with token check, join with resume) until the SDK has handed
// over the 100th replayed event. p99 over many repetitions, beside Socket.IO's connection state recovery
// measured in the same run, turn about.
// Usage: node --import tsx bench/resume.bench.ts [--short]
import { WebSocket } from "ws";
import { CroupierClient } from "../src/client/index.js";
import type { BenchOptions, BenchResult } from "./support/bench-types.js";
import { isMain, printResult } from "./support/main.js";
import { accessTokens, startBenchServer } from "./support/server-process.js";
import { percentile, round, wallMs } from "./support/stats.js";
import { startSocketIoServer } from "./support/socketio-server.js";
import { io as ioClient, type Socket } from "socket.io-client";
import { createRequire } from "node:module";

const ioVersion = (createRequire(import.meta.url)("socket.io/package.json") as { version: string }).version;

const targets = { p99Ms: 10 };
const missed = 100;
const warmups = 5;
const quietMs = 50;
const room = "sandbox:resume";

/** One system's resume, measured once: `miss` makes it miss events, `resume` reconnects and resolves when all are in. */
interface ResumeSystem {
  readonly name: string;
  miss(): Promise<void>;
  resume(): Promise<{ readonly ms: number; readonly wrong: boolean }>;
  close(): Promise<void>;
}

async function croupierSystem(): Promise<ResumeSystem> {
  const server = await startBenchServer();
  const [actorToken, watcherToken] = await accessTokens(server.url, 2, "res");
  const actor = new CroupierClient({ url: server.url, WebSocket, accessToken: actorToken as string });
  const watcher = new CroupierClient({ url: server.url, WebSocket, accessToken: watcherToken as string });
  await actor.connect();
  await watcher.connect();
  await actor.join(room);
  await watcher.join(room);
  return {
    name: "croupier",
    async miss() {
      watcher.close();
      await Promise.all(Array.from({ length: missed }, (_, i) => actor.act(room, { kind: "note", text: `m${i}` })));
    },
    async resume() {
      const from = watcher.position(room)?.offset ?? 0;
      const offsets: number[] = [];
      const done = new Promise<number>((resolve) => {
        const off = watcher.on("event", (event) => {
          offsets.push(event.offset);
          if (event.offset < from + missed) return;
          off();
          resolve(wallMs());
        });
      });
      const t0 = wallMs();
      const connected = watcher.connect();
      const t1 = await done;
      await connected;
      return { ms: t1 - t0, wrong: offsets.length !== missed || offsets.some((o, i) => o !== from + 1 + i) };
    },
    async close() {
      actor.close();
      watcher.close();
      await server.stop();
    },
  };
}

/**
 * Socket.IO with its connection state recovery, through its own client: the watcher's transport is
 * cut (an abnormal close, which recovery covers), the actor's 100 events are acknowledged by the
 * server, then the watcher reconnects with its session id and offset and the server replays them.
 */
async function socketIoSystem(): Promise<ResumeSystem> {
  const server = await startSocketIoServer({ recovery: true });
  const url = `http://127.0.0.1:${server.port}`;
  const options = { transports: ["websocket" as const], reconnection: false, forceNew: true };
  const actor = ioClient(url, options);
  const watcher = ioClient(url, options);
  const connected = (socket: Socket) => new Promise<void>((resolve) => (socket.connected ? resolve() : socket.once("connect", () => resolve())));
  await Promise.all([connected(actor), connected(watcher)]);
  let received: string[] = [];
  let expected = 0;
  let finish: (() => void) | null = null;
  watcher.on("e", (payload: string) => {
    received.push(payload);
    if (received.length === expected) finish?.();
  });
  let round = 0;
  return {
    name: "socket.io",
    async miss() {
      round += 1;
      watcher.io.engine.close();
      await new Promise<void>((resolve) => (watcher.connected ? watcher.once("disconnect", () => resolve()) : resolve()));
      await Promise.all(Array.from({ length: missed }, (_, i) => actor.timeout(10_000).emitWithAck("note", `r${round}m${i}`)));
    },
    async resume() {
      received = [];
      expected = missed;
      const done = new Promise<number>((resolve) => (finish = () => resolve(wallMs())));
      const t0 = wallMs();
      watcher.connect();
      const t1 = await done;
      finish = null;
      const wrong = !watcher.recovered || received.some((payload, i) => payload !== `r${round}m${i}`);
      return { ms: t1 - t0, wrong };
    },
    async close() {
      actor.close();
      watcher.close();
      await server.stop();
    },
  };
}

export async function runResumeBench(options: BenchOptions = {}): Promise<BenchResult> {
  const short = options.short ?? false;
  const repetitions = short ? 50 : 200;
  // Both systems are up at once and measured turn about, so a noisy moment of a shared machine falls
  // on both alike.
  const systems = [await croupierSystem(), await socketIoSystem()];
  try {
    const times = new Map(systems.map((s) => [s.name, [] as number[]]));
    const wrong = new Map(systems.map((s) => [s.name, 0]));
    for (let rep = 0; rep < warmups + repetitions; rep++) {
      for (const system of systems) {
        await system.miss();
        // The events were missed some time ago: let the burst settle before the clock starts.
        await new Promise((resolve) => setTimeout(resolve, quietMs));
        const { ms, wrong: bad } = await system.resume();
        if (bad) wrong.set(system.name, (wrong.get(system.name) ?? 0) + 1);
        if (rep >= warmups) times.get(system.name)?.push(ms);
      }
    }
    const ours = times.get("croupier") ?? [];
    const theirs = times.get("socket.io") ?? [];
    const [p99, baseline] = [percentile(ours, 99), percentile(theirs, 99)];
    const ok = p99 <= targets.p99Ms && p99 <= baseline && wrong.get("croupier") === 0;
    return {
      name: "resume",
      metrics: [
        { name: `resume after ${missed} missed events, p99 of ${repetitions}`, value: round(p99, 2), unit: "ms", target: `<= ${targets.p99Ms} and <= Socket.IO`, ok, baseline: round(baseline, 2), ratio: round(p99 / baseline, 2) },
        { name: "  p50", value: round(percentile(ours, 50), 2), unit: "ms", baseline: round(percentile(theirs, 50), 2) },
        { name: "  max", value: round(percentile(ours, 100), 2), unit: "ms", baseline: round(percentile(theirs, 100), 2) },
        { name: "  replays with a gap, a duplicate or disorder", value: wrong.get("croupier") ?? 0, unit: "", target: "= 0", ok: wrong.get("croupier") === 0, baseline: wrong.get("socket.io") ?? 0 },
      ],
      notes: [
        `resume: each client in the bench process, each server in its own process (Croupier embedded, edge buffer 1000 entries; Socket.IO ${ioVersion} with connectionStateRecovery, its own client). Each repetition, turn about: the watcher drops, another client sends 100 events (acknowledged), then the watcher reconnects (new TCP + WebSocket; Croupier: hello with token check and join with resume; Socket.IO: CONNECT with session id and offset) until the 100th missed event is handed over.`,
      ],
    };
  } finally {
    for (const system of systems) await system.close();
  }
}

if (isMain(import.meta.url)) await printResult(runResumeBench({ short: process.argv.includes("--short") }));
