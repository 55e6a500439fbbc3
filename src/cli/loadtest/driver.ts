/**
 * The parent of a load test: forks the driver processes, gives each its share of the players (player
 * i goes to process i mod K), shows their combined progress, and gathers their results. Ctrl-C ends
 * the run early: players stop, wait for their rounds, and are still reconciled.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { MetricsSnapshot } from "./metrics.js";
import { ProgressView, type Totals } from "./progress.js";
import type { RunPlan } from "./player.js";
import type { FromWorker, PlayerResult, ToWorker } from "./worker.js";

export interface RunOutcome {
  readonly metrics: readonly MetricsSnapshot[];
  readonly players: readonly PlayerResult[];
  /** Operations counted between the end of the ramp-up and the end of the run, for the steady rate. */
  readonly steadyOps: number;
  readonly steadyBets: number;
  readonly steadyMs: number;
  /** CPU the driver processes used during the steady phase, in milliseconds. */
  readonly steadyDriverCpuMs: number;
  /** From the first player's start to the steady phase (every player ready). */
  readonly setupMs: number;
  readonly peakOpsPerSecond: number;
  readonly interrupted: boolean;
  readonly processCrashes: readonly string[];
}

/** The worker beside this file: worker.ts when running from source under tsx (fork keeps --import tsx). */
function workerPath(): string {
  const name = import.meta.url.endsWith(".ts") ? "./worker.ts" : "./worker.js";
  return fileURLToPath(new URL(name, import.meta.url));
}

/** When the steady phase starts: every player ready (or given up) after the ramp-up, or this much later. */
export interface Phases {
  readonly durationMs: number;
  /** Longest the setup may run past the ramp-up before the steady phase starts anyway. */
  readonly setupWaitMsMax: number;
  /** Told when the steady phase starts and when it ends (the servers' CPU is read then). */
  readonly onSteady?: () => void;
  readonly onStop?: () => void;
}

const sumOf = (totals: readonly Totals[]): Totals =>
  totals.reduce(
    (a, t) => ({
      connected: a.connected + t.connected,
      ready: a.ready + t.ready,
      failed: a.failed + t.failed,
      finished: a.finished + t.finished,
      ops: a.ops + t.ops,
      bets: a.bets + t.bets,
      errors: a.errors + t.errors,
      cpuMs: a.cpuMs + t.cpuMs,
    }),
    { connected: 0, ready: 0, failed: 0, finished: 0, ops: 0, bets: 0, errors: 0, cpuMs: 0 },
  );

export async function runDriver(plan: RunPlan, processes: number, phases: Phases, view: ProgressView): Promise<RunOutcome> {
  const shares = Array.from({ length: processes }, (_, w) => Array.from({ length: Math.ceil((plan.players - w) / processes) }, (_, k) => w + k * processes));
  const totals: Totals[] = shares.map(() => ({ connected: 0, ready: 0, failed: 0, finished: 0, ops: 0, bets: 0, errors: 0, cpuMs: 0 }));
  const results: (Extract<FromWorker, { type: "result" }> | null)[] = shares.map(() => null);
  const crashes: string[] = [];
  const children: ChildProcess[] = [];
  let interrupted = false;
  let stopSent = false;
  const stopAll = (): void => {
    if (stopSent) return;
    stopSent = true;
    for (const child of children) if (child.connected) child.send({ type: "stop" } satisfies ToWorker);
  };
  const onSigint = (): void => {
    interrupted = true;
    view.note("interrupted: players stop, wait for their rounds, and are reconciled (Ctrl-C again to abort)");
    stopAll();
    process.once("SIGINT", () => process.exit(130));
  };
  process.once("SIGINT", onSigint);
  const rampEndAtMs = plan.startAtMs + plan.rampUpMs;
  // These three are set by the progress callback, which the type checker does not follow.
  let steadyAtMs = null as number | null;
  let atSteady = { ops: 0, bets: 0, cpuMs: 0 };
  let atStop = null as { ops: number; bets: number; cpuMs: number } | null;
  let stoppedAtMs = null as number | null;
  const sampler = setInterval(() => {
    const now = Date.now();
    const total = sumOf(totals);
    if (steadyAtMs === null && now >= rampEndAtMs && (total.ready + total.failed >= plan.players || now >= rampEndAtMs + phases.setupWaitMsMax)) {
      steadyAtMs = now;
      atSteady = { ops: total.ops, bets: total.bets, cpuMs: total.cpuMs };
      phases.onSteady?.();
      view.steady(now, now + phases.durationMs);
    }
    if (stoppedAtMs === null && (interrupted || (steadyAtMs !== null && now >= steadyAtMs + phases.durationMs))) {
      stoppedAtMs = now;
      atStop = { ops: total.ops, bets: total.bets, cpuMs: total.cpuMs };
      phases.onStop?.();
      stopAll();
    }
    view.render(total, now);
  }, 250);

  await Promise.all(
    shares.map(
      (indexes, w) =>
        new Promise<void>((resolve) => {
          const child = fork(workerPath(), [], { stdio: ["ignore", "inherit", "inherit", "ipc"], serialization: "advanced" });
          children.push(child);
          child.on("message", (message: FromWorker) => {
            if (message.type === "progress") {
              totals[w] = message;
              view.addWindow(message.window);
            } else results[w] = message;
          });
          child.on("exit", (code, signal) => {
            if (results[w] === null) crashes.push(`driver process ${w} exited with ${signal ?? code} before sending its results`);
            resolve();
          });
          child.send({ type: "start", plan, indexes } satisfies ToWorker);
        }),
    ),
  );

  clearInterval(sampler);
  process.removeListener("SIGINT", onSigint);
  const done = results.filter((r): r is NonNullable<typeof r> => r !== null);
  view.finish({ ...sumOf(totals), finished: done.reduce((n, r) => n + r.players.length, 0) });
  const end = stoppedAtMs ?? Date.now();
  return {
    metrics: done.map((r) => r.metrics),
    players: done.flatMap((r) => r.players),
    steadyOps: (atStop ?? sumOf(totals)).ops - atSteady.ops,
    steadyBets: (atStop ?? sumOf(totals)).bets - atSteady.bets,
    steadyMs: Math.max(1, end - (steadyAtMs ?? end)),
    steadyDriverCpuMs: (atStop ?? sumOf(totals)).cpuMs - atSteady.cpuMs,
    setupMs: (steadyAtMs ?? end) - plan.startAtMs,
    peakOpsPerSecond: view.peakOpsPerSecond,
    interrupted,
    processCrashes: crashes,
  };
}
