// Resume: a client misses 100 events while disconnected, then reconnects; measured from the moment it
// starts to connect (TCP, upgrade, hello with token check, join with resume) until the SDK has handed
// over the 100th replayed event. p99 over many repetitions, beside Socket.IO's connection state recovery
// measured in the same run, turn about (both servers up at once).
//
// Every wait has a deadline: a repetition that does not complete fails the benchmark with what it was
// waiting for, it never hangs. A Socket.IO reconnect that is not a recovery (`socket.recovered` false:
// no replay will come) fails at once.
// Usage: node --import tsx bench/resume.bench.ts [--short]
import { createRequire } from "node:module";
import { io as ioClient, type Socket } from "socket.io-client";
import { WebSocket } from "ws";
import { CroupierClient, type RoomEvent } from "../src/client/index.js";
import type { BenchOptions, BenchResult } from "./support/bench-types.js";
import { isMain, printResult } from "./support/main.js";
import { accessTokens, startBenchServer } from "./support/server-process.js";
import { startSocketIoServer } from "./support/socketio-server.js";
import { percentile, round, wallMs } from "./support/stats.js";

const ioVersion = (createRequire(import.meta.url)("socket.io/package.json") as { version: string }).version;

const targets = { p99Ms: 10 };
const missed = 100;
const warmups = 5;
const quietMs = 50;
const room = "sandbox:resume";
/** The deadline of one step of a repetition (a resume takes milliseconds; this only turns a hang into an error). */
const stepTimeoutMs = 15_000;
/** The deadline of starting or stopping a server, and of creating the accounts. */
const setupTimeoutMs = 90_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `promise`, or an error naming `what` once `ms` have passed without it settling. */
function deadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`resume bench: ${what} did not complete within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** One system's resume, measured once: `miss` makes the watcher miss events, `resume` reconnects it and resolves when all are in. */
interface ResumeSystem {
  readonly name: string;
  miss(): Promise<void>;
  resume(): Promise<{ readonly ms: number; readonly wrong: boolean }>;
  close(): Promise<void>;
}

async function croupierSystem(): Promise<ResumeSystem> {
  const server = await deadline(startBenchServer(), setupTimeoutMs, "starting croupier serve");
  let actor: CroupierClient | null = null;
  let watcher: CroupierClient | null = null;
  const close = async () => {
    actor?.close();
    watcher?.close();
    await deadline(server.stop(), setupTimeoutMs, "stopping croupier serve");
  };
  try {
    const [actorToken, watcherToken] = await deadline(accessTokens(server.url, 2, "res"), setupTimeoutMs, "creating the Croupier accounts");
    const a = new CroupierClient({ url: server.url, WebSocket, accessToken: actorToken as string, requestTimeoutMs: stepTimeoutMs });
    const w = new CroupierClient({ url: server.url, WebSocket, accessToken: watcherToken as string, requestTimeoutMs: stepTimeoutMs });
    [actor, watcher] = [a, w];
    await deadline(Promise.all([a.connect(), w.connect()]), stepTimeoutMs, "connecting the Croupier clients");
    await deadline(Promise.all([a.join(room), w.join(room)]), stepTimeoutMs, "joining the Croupier room");
    return {
      name: "croupier",
      async miss() {
        w.close();
        await deadline(
          Promise.all(Array.from({ length: missed }, (_, i) => a.act(room, { kind: "note", text: `m${i}` }))),
          stepTimeoutMs,
          "Croupier: 100 actions while the watcher is away",
        );
      },
      async resume() {
        const from = w.position(room)?.offset ?? 0;
        const offsets: number[] = [];
        let off = () => {};
        const done = new Promise<number>((resolve) => {
          off = w.on("event", (event: RoomEvent) => {
            offsets.push(event.offset);
            if (event.offset >= from + missed) resolve(wallMs());
          });
        });
        try {
          const t0 = wallMs();
          const connected = w.connect();
          connected.catch(() => undefined); // awaited below; a failure meanwhile must not go unhandled
          const t1 = await deadline(
            Promise.race([done, connected.then(() => done)]),
            stepTimeoutMs,
            `Croupier: replay of ${missed} events after offset ${from}`,
          );
          await deadline(connected, stepTimeoutMs, "Croupier: reconnect (welcome and clock sync)");
          return { ms: t1 - t0, wrong: offsets.length !== missed || offsets.some((o, i) => o !== from + 1 + i) };
        } finally {
          off();
        }
      },
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

/**
 * Socket.IO with its connection state recovery, through its own client. Recovery covers an abnormal
 * close, not a deliberate `disconnect()`: the watcher's transport is cut (the server sees "transport
 * close" and keeps the session), the actor's 100 events are acknowledged by the server, then the
 * watcher reconnects with its session id and the offset of the last event it received, and the server
 * replays what came after. A client that has received no event yet has no offset and is not recovered,
 * so the watcher receives one event before the first repetition.
 */
async function socketIoSystem(): Promise<ResumeSystem> {
  const server = await deadline(startSocketIoServer({ recovery: true }), setupTimeoutMs, "starting the Socket.IO server");
  const url = `http://127.0.0.1:${server.port}`;
  const options = { transports: ["websocket" as const], reconnection: false, forceNew: true };
  const actor = ioClient(url, options);
  const watcher = ioClient(url, options);
  const close = async () => {
    actor.close();
    watcher.close();
    await deadline(server.stop(), setupTimeoutMs, "stopping the Socket.IO server");
  };
  const connected = (socket: Socket) =>
    new Promise<void>((resolve, reject) => {
      if (socket.connected) {
        resolve();
        return;
      }
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
  let received: string[] = [];
  let expected = 0;
  let finish: (() => void) | null = null;
  watcher.on("e", (payload: string) => {
    received.push(payload);
    if (received.length >= expected) finish?.();
  });
  /** Members of the room by the server's count: the watcher's old socket has left it once the server has seen the close. */
  const members = async () => (await actor.timeout(stepTimeoutMs).emitWithAck("members")) as number;
  let round = 0;
  try {
    await deadline(Promise.all([connected(actor), connected(watcher)]), stepTimeoutMs, "connecting the Socket.IO clients");
    // The first event gives the watcher an offset to recover from.
    expected = 1;
    const primed = new Promise<void>((resolve) => (finish = resolve));
    await deadline(actor.timeout(stepTimeoutMs).emitWithAck("note", "prime"), stepTimeoutMs, "Socket.IO: the priming event");
    await deadline(primed, stepTimeoutMs, "Socket.IO: the watcher receiving the priming event");
    finish = null;
    return {
      name: "socket.io",
      async miss() {
        round += 1;
        watcher.io.engine.close();
        // The session is kept when the server handles the close; a reconnect that overtook it would not be recovered.
        const until = Date.now() + stepTimeoutMs;
        while ((await members()) > 1) {
          if (Date.now() > until) throw new Error(`resume bench: Socket.IO: the server did not see the watcher's close within ${stepTimeoutMs} ms`);
          await sleep(1);
        }
        await deadline(
          Promise.all(Array.from({ length: missed }, (_, i) => actor.timeout(stepTimeoutMs).emitWithAck("note", `r${round}m${i}`))),
          stepTimeoutMs,
          "Socket.IO: 100 events while the watcher is away",
        );
      },
      async resume() {
        received = [];
        expected = missed;
        const done = new Promise<number>((resolve) => (finish = () => resolve(wallMs())));
        const notRecovered = new Promise<never>((_, reject) => {
          watcher.once("connect", () => {
            if (!watcher.recovered) reject(new Error("resume bench: Socket.IO reconnected without recovering the session (no replay will come)"));
          });
          watcher.once("connect_error", (error: Error) => reject(error));
        });
        notRecovered.catch(() => undefined); // raced below
        try {
          const t0 = wallMs();
          watcher.connect();
          const t1 = await deadline(Promise.race([done, notRecovered]), stepTimeoutMs, `Socket.IO: replay of ${missed} events`);
          const wrong = !watcher.recovered || received.length !== missed || received.some((payload, i) => payload !== `r${round}m${i}`);
          return { ms: t1 - t0, wrong };
        } finally {
          finish = null;
          watcher.off("connect");
          watcher.off("connect_error");
        }
      },
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

export async function runResumeBench(options: BenchOptions = {}): Promise<BenchResult> {
  const short = options.short ?? false;
  const repetitions = short ? 50 : 200;
  // Both systems are up at once and measured turn about, so a noisy moment of a shared machine falls
  // on both alike.
  const systems: ResumeSystem[] = [];
  try {
    systems.push(await croupierSystem());
    systems.push(await socketIoSystem());
    const times = new Map(systems.map((s) => [s.name, [] as number[]]));
    const wrong = new Map(systems.map((s) => [s.name, 0]));
    for (let rep = 0; rep < warmups + repetitions; rep++) {
      for (const system of systems) {
        await system.miss();
        // The events were missed some time ago: let the burst settle before the clock starts.
        await sleep(quietMs);
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
        {
          name: `resume after ${missed} missed events, p99 of ${repetitions}`,
          value: round(p99, 2),
          unit: "ms",
          target: `<= ${targets.p99Ms} and <= Socket.IO`,
          ok,
          baseline: round(baseline, 2),
          ratio: round(p99 / baseline, 2),
        },
        {
          name: "  p50",
          value: round(percentile(ours, 50), 2),
          unit: "ms",
          baseline: round(percentile(theirs, 50), 2),
          ratio: round(percentile(ours, 50) / percentile(theirs, 50), 2),
        },
        { name: "  max", value: round(percentile(ours, 100), 2), unit: "ms", baseline: round(percentile(theirs, 100), 2) },
        {
          name: "  replays with a gap, a duplicate or disorder",
          value: wrong.get("croupier") ?? 0,
          unit: "",
          target: "= 0",
          ok: wrong.get("croupier") === 0,
          baseline: wrong.get("socket.io") ?? 0,
        },
      ],
      notes: [
        `resume: each client in the bench process, each server in its own process (Croupier embedded, edge buffer 1000 entries; Socket.IO ${ioVersion} with connectionStateRecovery, its own client). Each repetition, turn about: the watcher drops, another client sends 100 events (acknowledged), then the watcher reconnects (new TCP + WebSocket; Croupier: hello with token check and join with resume; Socket.IO: CONNECT with session id and offset, checked recovered) until the 100th missed event is handed over.`,
      ],
    };
  } finally {
    for (const system of systems) await system.close().catch((error: unknown) => console.error(error));
  }
}

if (isMain(import.meta.url)) await printResult(runResumeBench({ short: process.argv.includes("--short") }));
