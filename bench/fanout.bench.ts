// Broadcast fan-out: N clients in one room, one 200-byte event, time until the LAST client has it;
// the same scenario on a minimal Socket.IO server in the same run, and the ratio. Two bare `ws`
// servers run beside them as reference points. All four hold their clients at once and the rounds
// are interleaved (Croupier, Socket.IO, ws, ws framed once, Croupier, ...), so a change in the
// machine's background load during the run affects every system alike.
// Usage: node --import tsx bench/fanout.bench.ts [--short]
import { WebSocket } from "ws";
import { CroupierClient } from "../src/client/index.js";
import type { BenchOptions, BenchResult } from "./support/bench-types.js";
import { isMain, printResult } from "./support/main.js";
import { accessTokens, startBenchServer, type BenchServer } from "./support/server-process.js";
import { startRawWsServer, startSocketIoServer, type SocketIoServer } from "./support/socketio-server.js";
import { median, percentile, round, wallMs } from "./support/stats.js";
import { openSwarm, type Swarm } from "./support/swarm.js";

const targets = { lastMs: 120, ratio: 0.7 };
const payloadBytes = 200;
const clientProcesses = 2;
const room = "sandbox:fanout";
const pauseMs = 250;
const warmupRounds = 2;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The round marker the client processes look for, padded to payloadBytes. */
function payload(k: number): string {
  const marker = `|R${k}|`;
  return marker + "x".repeat(payloadBytes - marker.length);
}

interface System {
  readonly name: string;
  readonly swarm: Swarm;
  trigger(k: number): Promise<void>;
  stop(): Promise<void>;
}

/** Closes a swarm that could not open all its clients, and gives the error to throw. */
async function closing(swarm: Swarm, message: string): Promise<Error> {
  await swarm.close();
  return new Error(message);
}

/** Runs a system's setup; if it fails, stops what it started (a failed run must not leave servers behind). */
async function orStop<T>(started: { stop(): Promise<void> }[], setup: () => Promise<T>): Promise<T> {
  try {
    return await setup();
  } catch (error) {
    for (const thing of started.reverse()) await thing.stop().catch(() => undefined);
    throw error;
  }
}

async function croupierSystem(clients: number): Promise<System> {
  const server = await startBenchServer();
  return orStop([server], () => croupierOn(server, clients));
}

async function croupierOn(server: BenchServer, clients: number): Promise<System> {
  const tokens = await accessTokens(server.url, 20, "fan");
  const swarm = await openSwarm({
    protocol: "croupier",
    url: `${server.url.replace(/^http/, "ws")}/v1/ws`,
    tokens,
    room,
    total: clients,
    processes: clientProcesses,
    addressBase: 10,
  });
  if (swarm.opened < clients) throw await closing(swarm, `only ${swarm.opened} of ${clients} Croupier clients connected: ${swarm.firstError}`);
  const dealer = new CroupierClient({ url: server.url, WebSocket, accessToken: tokens[0] as string });
  await dealer.connect();
  await dealer.join(room);
  return {
    name: "croupier",
    swarm,
    async trigger(k) {
      await dealer.act(room, { kind: "note", text: payload(k) });
    },
    async stop() {
      dealer.close();
      await swarm.close();
      await server.stop();
    },
  };
}

async function socketIoSystem(clients: number): Promise<System> {
  const server = await startSocketIoServer();
  return orStop([server], () => socketIoOn(server, clients));
}

async function socketIoOn(server: SocketIoServer, clients: number): Promise<System> {
  const url = `ws://127.0.0.1:${server.port}/socket.io/?EIO=4&transport=websocket`;
  const swarm = await openSwarm({ protocol: "socketio", url, tokens: [""], room: null, total: clients, processes: clientProcesses, addressBase: 20 });
  if (swarm.opened < clients) throw await closing(swarm, `only ${swarm.opened} of ${clients} Socket.IO clients connected: ${swarm.firstError}`);
  const trigger = await socketIoTrigger(url);
  return {
    name: "socket.io",
    swarm,
    async trigger(k) {
      trigger.send(`42${JSON.stringify(["bcast", payload(k)])}`);
    },
    async stop() {
      trigger.terminate();
      await swarm.close();
      await server.stop();
    },
  };
}

async function rawWsSystem(mode: "send" | "preframed", clients: number): Promise<System> {
  const server = await startRawWsServer(mode);
  return orStop([server], () => rawWsOn(server, mode, clients));
}

async function rawWsOn(server: SocketIoServer, mode: "send" | "preframed", clients: number): Promise<System> {
  const url = `ws://127.0.0.1:${server.port}/`;
  const swarm = await openSwarm({
    protocol: "raw",
    url,
    tokens: [""],
    room: null,
    total: clients,
    processes: clientProcesses,
    addressBase: mode === "send" ? 30 : 40,
  });
  if (swarm.opened < clients) throw await closing(swarm, `only ${swarm.opened} of ${clients} bare ws clients connected: ${swarm.firstError}`);
  const trigger = new WebSocket(url);
  await new Promise((resolve, reject) => {
    trigger.once("open", resolve);
    trigger.once("error", reject);
  });
  return {
    name: `ws ${mode}`,
    swarm,
    async trigger(k) {
      trigger.send(payload(k));
    },
    async stop() {
      trigger.terminate();
      await swarm.close();
      await server.stop();
    },
  };
}

function socketIoTrigger(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on("error", reject);
    ws.on("message", (data: Buffer) => {
      const text = data.toString();
      if (text.startsWith("0{")) ws.send("40");
      else if (text.startsWith("40")) resolve(ws);
      else if (text === "2") ws.send("3");
    });
  });
}

/** One broadcast on one system: from the trigger to the last client's receipt, in ms. */
async function oneRound(system: System, k: number): Promise<number> {
  const received = system.swarm.round(k);
  received.catch(() => undefined); // awaited below; this only keeps a timeout from going unhandled meanwhile
  const t0 = wallMs();
  await system.trigger(k);
  const { lastMs } = await received;
  return lastMs - t0;
}

export async function runFanoutBench(options: BenchOptions = {}): Promise<BenchResult> {
  const short = options.short ?? false;
  const clients = short ? 2_000 : 10_000;
  const rounds = short ? 7 : 11;
  const systems: System[] = [];
  try {
    // One at a time, so that a failing start still leaves the started ones to be stopped below.
    systems.push(await croupierSystem(clients));
    systems.push(await socketIoSystem(clients));
    systems.push(await rawWsSystem("send", clients));
    systems.push(await rawWsSystem("preframed", clients));
    const times = new Map<string, number[]>(systems.map((s) => [s.name, []]));
    for (let k = 0; k < warmupRounds + rounds; k++) {
      for (const system of systems) {
        const ms = await oneRound(system, k);
        if (k >= warmupRounds) times.get(system.name)?.push(ms);
        await sleep(pauseMs);
      }
    }
    const of = (name: string) => times.get(name) ?? [];
    const ours = median(of("croupier"));
    const theirs = median(of("socket.io"));
    return {
      name: "fanout",
      metrics: [
        {
          name: `broadcast to ${clients} clients, last receives (median of ${rounds})`,
          value: round(ours),
          unit: "ms",
          target: `<= ${targets.lastMs}`,
          ok: ours <= targets.lastMs,
          baseline: round(theirs),
          ratio: round(ours / theirs, 2),
        },
        {
          name: "  ratio to Socket.IO (same run)",
          value: round(ours / theirs, 2),
          unit: "x",
          target: `<= ${targets.ratio}`,
          ok: ours / theirs <= targets.ratio,
        },
        { name: "  slowest round", value: round(percentile(of("croupier"), 100)), unit: "ms", baseline: round(percentile(of("socket.io"), 100)) },
        { name: "  reference: bare ws server, ws.send per client (median)", value: round(median(of("ws send"))), unit: "ms" },
        { name: "  reference: bare ws server, framed once, same bytes per socket (median)", value: round(median(of("ws preframed"))), unit: "ms" },
      ],
      notes: [
        `fanout: ${clients} bare WebSocket clients per system in ${clientProcesses} processes, one room; a ${payloadBytes}-byte text per event; time from the trigger to the last client's receipt (Croupier: action -> room owner -> log -> broadcast; Socket.IO: emit -> io.to(room).emit; ws: message -> loop over clients). All systems up at once, rounds interleaved, ${warmupRounds} warm-up rounds each not counted.`,
        `fanout rounds (ms): ${systems
          .map(
            (s) =>
              `${s.name} ${of(s.name)
                .map((t) => round(t))
                .join(", ")}`,
          )
          .join("; ")}.`,
      ],
    };
  } finally {
    for (const system of systems) await system.stop();
  }
}

if (isMain(import.meta.url)) await printResult(runFanoutBench({ short: process.argv.includes("--short") }));
