// The parent's handle on socket-swarm child processes.
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ChildMessage, ParentMessage, SwarmProtocol } from "./socket-swarm.child.js";

const childPath = fileURLToPath(new URL("./socket-swarm.child.ts", import.meta.url));

export interface Swarm {
  readonly opened: number;
  readonly failed: number;
  readonly firstError: string | null;
  /** Resolves with the time (wall ms) the last client of every process received round `round`. */
  round(round: number, timeoutMs?: number): Promise<{ firstMs: number; lastMs: number }>;
  close(): Promise<void>;
}

/** Opens `total` clients spread over `processes` children, each from its own loopback address. */
export async function openSwarm(options: {
  protocol: SwarmProtocol;
  url: string;
  tokens: readonly string[];
  room: string | null;
  total: number;
  processes: number;
  concurrency?: number;
  addressBase?: number;
}): Promise<Swarm> {
  const children: ChildProcess[] = [];
  const listeners: Array<(message: ChildMessage, index: number) => void> = [];
  const perChild = Math.ceil(options.total / options.processes);
  const opened: Array<Promise<Extract<ChildMessage, { op: "opened" }>>> = [];
  for (let i = 0; i < options.processes; i++) {
    const count = Math.min(perChild, options.total - i * perChild);
    if (count <= 0) break;
    const child = fork(childPath, [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
    children.push(child);
    child.on("message", (message: ChildMessage) => {
      for (const l of listeners) l(message, i);
    });
    opened.push(
      new Promise((resolve) => {
        const l = (message: ChildMessage, index: number) => {
          if (index === i && message.op === "opened") resolve(message);
        };
        listeners.push(l);
      }),
    );
    const message: ParentMessage = {
      op: "open",
      protocol: options.protocol,
      url: options.url,
      tokens: options.tokens,
      room: options.room,
      count,
      localAddress: `127.0.0.${(options.addressBase ?? 10) + i}`,
      concurrency: options.concurrency ?? 100,
    };
    child.send(message);
  }
  const results = await Promise.all(opened);
  const pendingRounds = new Map<number, { lastMs: number; firstMs: number; reported: number; resolve: (v: { firstMs: number; lastMs: number }) => void }>();
  const early = new Map<number, Array<{ firstMs: number; lastMs: number }>>();
  listeners.push((message) => {
    if (message.op !== "round") return;
    const pending = pendingRounds.get(message.round);
    if (pending === undefined) {
      early.set(message.round, [...(early.get(message.round) ?? []), message]);
      return;
    }
    settle(message.round, pending, message);
  });
  function settle(
    round: number,
    pending: { lastMs: number; firstMs: number; reported: number; resolve: (v: { firstMs: number; lastMs: number }) => void },
    message: { firstMs: number; lastMs: number },
  ) {
    pending.reported++;
    pending.lastMs = Math.max(pending.lastMs, message.lastMs);
    pending.firstMs = Math.min(pending.firstMs, message.firstMs);
    if (pending.reported === children.length) {
      pendingRounds.delete(round);
      pending.resolve({ firstMs: pending.firstMs, lastMs: pending.lastMs });
    }
  }
  return {
    opened: results.reduce((n, r) => n + r.ok, 0),
    failed: results.reduce((n, r) => n + r.failed, 0),
    round(round, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`round ${round} not received by every client within ${timeoutMs} ms`)), timeoutMs);
        const pending = {
          lastMs: 0,
          firstMs: Infinity,
          reported: 0,
          resolve: (v: { firstMs: number; lastMs: number }) => {
            clearTimeout(timer);
            resolve(v);
          },
        };
        pendingRounds.set(round, pending);
        for (const m of early.get(round) ?? []) settle(round, pending, m);
        early.delete(round);
      });
    },
    async close() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              child.once("exit", () => resolve());
              child.send({ op: "close" } satisfies ParentMessage);
              setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
            }),
        ),
      );
    },
    firstError: results.find((r) => r.firstError !== null)?.firstError ?? null,
  };
}
