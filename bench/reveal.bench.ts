// Synchronized reveal: N clock-synced SDK clients in one room; a `reveal` action; each client notes,
// in server time by its own synced clock, when the SDK handed the event over. Reported: the spread
// (max − min) across clients, and p99 of |delivery − revealAt|.
// Usage: node --import tsx bench/reveal.bench.ts [--short]
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { WebSocket } from "ws";
import { CroupierClient } from "../src/client/index.js";
import type { BenchOptions, BenchResult } from "./support/bench-types.js";
import { isMain, printResult } from "./support/main.js";
import type { RevealChild, RevealParent } from "./support/reveal-swarm.child.js";
import { accessTokens, startBenchServer } from "./support/server-process.js";
import { median, percentile, round } from "./support/stats.js";

const targets = { p99Ms: 20 };
const childPath = fileURLToPath(new URL("./support/reveal-swarm.child.ts", import.meta.url));
const room = "sandbox:reveal";
const clientProcesses = 2;

interface Swarm {
  children: ChildProcess[];
  opened: Array<Extract<RevealChild, { op: "opened" }>>;
  rounds: Map<number, Array<Extract<RevealChild, { op: "round" }>>>;
}

async function openSwarm(url: string, tokens: string[], total: number): Promise<Swarm> {
  const swarm: Swarm = { children: [], opened: [], rounds: new Map() };
  const perChild = Math.ceil(total / clientProcesses);
  await Promise.all(
    Array.from(
      { length: clientProcesses },
      (_, i) =>
        new Promise<void>((resolve) => {
          const child = fork(childPath, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
          swarm.children.push(child);
          child.on("message", (message: RevealChild) => {
            if (message.op === "opened") {
              swarm.opened.push(message);
              resolve();
            } else swarm.rounds.set(message.round, [...(swarm.rounds.get(message.round) ?? []), message]);
          });
          child.send({ op: "open", url, tokens, room, count: Math.min(perChild, total - i * perChild), concurrency: 25 } satisfies RevealParent);
        }),
    ),
  );
  return swarm;
}

async function waitRound(swarm: Swarm, k: number, timeoutMs = 30_000): Promise<Array<Extract<RevealChild, { op: "round" }>>> {
  const deadline = Date.now() + timeoutMs;
  while ((swarm.rounds.get(k)?.length ?? 0) < swarm.children.length) {
    if (Date.now() > deadline) throw new Error(`reveal round ${k} not delivered to every client`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return swarm.rounds.get(k) ?? [];
}

export async function runRevealBench(options: BenchOptions = {}): Promise<BenchResult> {
  const short = options.short ?? false;
  const clients = short ? 200 : 1_000;
  const rounds = short ? 5 : 10;
  const server = await startBenchServer();
  try {
    const tokens = await accessTokens(server.url, 20, "rev");
    const swarm = await openSwarm(server.url, tokens, clients);
    const opened = swarm.opened.reduce((n, o) => n + o.ok, 0);
    if (opened < clients) throw new Error(`only ${opened} of ${clients} SDK clients connected: ${swarm.opened.find((o) => o.firstError)?.firstError}`);
    const dealer = new CroupierClient({ url: server.url, WebSocket, accessToken: tokens[0] as string });
    await dealer.connect();
    await dealer.join(room);
    const errors: number[] = [];
    const spreads: number[] = [];
    try {
      for (let k = 1; k <= rounds; k++) {
        await dealer.act(room, { kind: "reveal", text: String(k) });
        const reports = await waitRound(swarm, k);
        const revealAt = (reports[0] as { revealAt: number }).revealAt;
        const delivered = reports.flatMap((r) => r.deliveredMs);
        for (const d of delivered) errors.push(Math.abs(d - revealAt));
        spreads.push(Math.max(...delivered) - Math.min(...delivered));
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    } finally {
      dealer.close();
      for (const child of swarm.children) child.send({ op: "close" } satisfies RevealParent);
    }
    const rtts = swarm.opened.flatMap((o) => o.rttMs);
    const offsets = swarm.opened.flatMap((o) => o.offsetMs.map(Math.abs));
    const p99 = percentile(errors, 99);
    return {
      name: "reveal",
      metrics: [
        {
          name: `reveal to ${clients} synced clients, p99 |delivery − revealAt|`,
          value: round(p99, 2),
          unit: "ms",
          target: `<= ${targets.p99Ms}`,
          ok: p99 <= targets.p99Ms,
        },
        { name: "  max |delivery − revealAt|", value: round(percentile(errors, 100), 2), unit: "ms" },
        { name: "  skew (max − min delivery), median round", value: round(median(spreads), 2), unit: "ms" },
        { name: "  skew, worst round", value: round(Math.max(...spreads), 2), unit: "ms" },
        { name: "  clock sync best round trip, p99 over clients", value: round(percentile(rtts, 99), 2), unit: "ms" },
        { name: "  |clock offset| estimate, p99 (same host: true offset 0)", value: round(percentile(offsets, 99), 2), unit: "ms" },
      ],
      notes: [
        `reveal: ${clients} SDK clients in ${clientProcesses} processes, ${rounds} reveals, revealLeadMs 150 (default); delivery time is each client's local clock plus its own synced offset.`,
      ],
    };
  } finally {
    await server.stop();
  }
}

if (isMain(import.meta.url)) await printResult(runRevealBench({ short: process.argv.includes("--short") }));
