// Resume: a client misses 100 events while disconnected, then reconnects; measured from the moment it
// starts to connect (TCP, upgrade, hello with token check, join with resume) until the SDK has handed
// over the 100th replayed event. p99 over many repetitions.
// Usage: node --import tsx bench/resume.bench.ts [--short]
import { WebSocket } from "ws";
import { CroupierClient } from "../src/client/index.js";
import type { BenchOptions, BenchResult } from "./support/bench-types.js";
import { isMain, printResult } from "./support/main.js";
import { accessTokens, startBenchServer } from "./support/server-process.js";
import { percentile, round, wallMs } from "./support/stats.js";

const targets = { p99Ms: 10 };
const missed = 100;
const warmups = 5;
const quietMs = 50;
const room = "sandbox:resume";

export async function runResumeBench(options: BenchOptions = {}): Promise<BenchResult> {
  const short = options.short ?? false;
  const repetitions = short ? 50 : 200;
  const server = await startBenchServer();
  const [actorToken, watcherToken] = await accessTokens(server.url, 2, "res");
  const actor = new CroupierClient({ url: server.url, WebSocket, accessToken: actorToken as string });
  const watcher = new CroupierClient({ url: server.url, WebSocket, accessToken: watcherToken as string });
  try {
    await actor.connect();
    await watcher.connect();
    await actor.join(room);
    await watcher.join(room);
    const times: number[] = [];
    let wrong = 0;
    for (let rep = 0; rep < warmups + repetitions; rep++) {
      watcher.close();
      await Promise.all(Array.from({ length: missed }, (_, i) => actor.act(room, { kind: "note", text: `m${i}` })));
      // The events were missed some time ago: let the room's burst settle before the clock starts.
      await new Promise((resolve) => setTimeout(resolve, quietMs));
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
      if (offsets.length !== missed || offsets.some((o, i) => o !== from + 1 + i)) wrong++;
      if (rep >= warmups) times.push(t1 - t0);
    }
    const p99 = percentile(times, 99);
    return {
      name: "resume",
      metrics: [
        { name: `resume after ${missed} missed events, p99 of ${repetitions}`, value: round(p99, 2), unit: "ms", target: `<= ${targets.p99Ms}`, ok: p99 <= targets.p99Ms && wrong === 0 },
        { name: "  p50", value: round(percentile(times, 50), 2), unit: "ms" },
        { name: "  max", value: round(percentile(times, 100), 2), unit: "ms" },
        { name: "  replays with a gap, a duplicate or disorder", value: wrong, unit: "", target: "= 0", ok: wrong === 0 },
      ],
      notes: [`resume: SDK client in the bench process, server in its own process (embedded mode, edge buffer ${1000} entries); each repetition: disconnect, 100 actions by another client, reconnect (new TCP + WebSocket + hello) and join with resume.`],
    };
  } finally {
    actor.close();
    watcher.close();
    await server.stop();
  }
}

if (isMain(import.meta.url)) await printResult(runResumeBench({ short: process.argv.includes("--short") }));
