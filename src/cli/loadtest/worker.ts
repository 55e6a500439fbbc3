/**
 * One driver child process of `croupier loadtest` (started with fork by the driver). It runs its
 * share of the players, reports progress a few times a second, and at the end sends its histograms,
 * error counts and what each player observed of its money and its rooms.
 */
import { findCurrency, type Currency } from "../../engine/money/index.js";
import { closeHttpPools } from "./http-fetch.js";
import { Metrics, type MetricsSnapshot } from "./metrics.js";
import { RouletteSession } from "./roulette.scenario.js";
import { SlotsSession } from "./slots.scenario.js";
import { BlackjackSession } from "./blackjack.scenario.js";
import { HoldemSession } from "./holdem.scenario.js";
import { chatRoomPlayersMax, runChat } from "./chat.scenario.js";
import { reconnectRoomPlayersMax, runReconnect } from "./reconnect.scenario.js";
import { AbuserSession, isAbuser, normalObserved, runNormal, type AbuseObserved } from "./abuse.scenario.js";
import { codeOf, SimulatedPlayer, sleep, type PlayerContext, type RunPlan } from "./player.js";
import type { Scenario } from "./options.js";

export type ToWorker = { readonly type: "start"; readonly plan: RunPlan; readonly indexes: readonly number[] } | { readonly type: "stop" };

export interface PlayerResult {
  readonly index: number;
  readonly username: string;
  /** The account's id, once the player was welcomed on its socket. */
  readonly userId: string | null;
  readonly url: string;
  readonly scenario: Exclude<Scenario, "mix">;
  readonly stage: SimulatedPlayer["stage"];
  readonly started: boolean;
  readonly failure: string | null;
  /** Minor units as decimal strings; null fields mean the player never got that far. */
  readonly money: Record<keyof SimulatedPlayer["money"], string> | null;
  readonly ledger: { readonly totalMinor: string; readonly availableMinor: string; readonly heldMinor: string; readonly balanceMinor: string } | null;
  readonly delivery: SimulatedPlayer["delivery"];
  /**
   * Where `ledger` comes from: the player's own `GET /v1/wallet`, or, for an account locked during the
   * run (its sessions revoked), the operator's reading filled in by the driver (abuse-audit.ts).
   */
  readonly ledgerSource: "player" | "operator" | null;
  /** The abuse scenario: whether the player is a bot, and what it saw (null in other scenarios). */
  readonly abuse: AbuseObserved | null;
}

/** `ready`: playing; `failed`: gave up before playing; `finished`: done and audited. */
export interface Progress {
  readonly connected: number;
  readonly ready: number;
  readonly failed: number;
  readonly finished: number;
  readonly ops: number;
  readonly bets: number;
  readonly errors: number;
  /** CPU time this driver process has used so far (user + system), in milliseconds. */
  readonly cpuMs: number;
  readonly window: string;
}

export type FromWorker =
  ({ readonly type: "progress" } & Progress) | { readonly type: "result"; readonly metrics: MetricsSnapshot; readonly players: readonly PlayerResult[] };

const progressIntervalMs = 250;

const cpuMsOf = (usage: NodeJS.CpuUsage): number => (usage.user + usage.system) / 1_000;
/**
 * Players of one process getting ready (register, login, deposit, connect) at once. Beyond it they
 * queue: a thousand players polling their deposits together would only slow the server down.
 */
const setupsInFlightMax = 64;

/** A counting semaphore for the setup phase. */
class Gate {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(size: number) {
    this.free = size;
  }
  async enter(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  leave(): void {
    const next = this.waiting.shift();
    if (next !== undefined) next();
    else this.free++;
  }
}
/**
 * The mix, out of every 20 players: 7 roulette (R), 3 slots (S), 2 blackjack (B), 2 hold'em (H),
 * 3 chat (C), 3 reconnect (X), interleaved so small runs get all six.
 */
const mixPattern = "RSBHCXRSBHCXRSRCXRRR";
const mixLetters: Readonly<Record<string, Exclude<Scenario, "mix">>> = { R: "roulette", S: "slots", B: "blackjack", H: "holdem", C: "chat", X: "reconnect" };

export function scenarioOf(plan: RunPlan, index: number): Exclude<Scenario, "mix"> {
  if (plan.scenario !== "mix") return plan.scenario;
  return mixLetters[mixPattern[index % mixPattern.length] as string] as Exclude<Scenario, "mix">;
}

/** The player's rank among the players of its scenario (0, 1, 2 ...): tables with seats fill in this order. */
export function ordinalOf(plan: RunPlan, index: number): number {
  if (plan.scenario !== "mix") return index;
  const letter = mixPattern[index % mixPattern.length] as string;
  const perPattern = Array.from(mixPattern).filter((l) => l === letter).length;
  const before = Array.from(mixPattern.slice(0, index % mixPattern.length)).filter((l) => l === letter).length;
  return Math.floor(index / mixPattern.length) * perPattern + before;
}

/** The room of the chat and reconnect scenarios (the game scenarios find their own tables). */
function roomOf(plan: RunPlan, index: number, scenario: Exclude<Scenario, "mix">): string {
  if (scenario === "roulette") return `roulette:${plan.tables[index % plan.tables.length] as string}`;
  const share = plan.scenario === "mix" ? 3 / 20 : 1;
  const perRoom = scenario === "chat" ? chatRoomPlayersMax : reconnectRoomPlayersMax;
  const rooms = Math.max(1, Math.ceil((plan.players * share) / perRoom));
  return `sandbox:${plan.accountPrefix}-${scenario}-${index % rooms}`;
}

function resultOf(player: SimulatedPlayer, abuse: AbuseObserved | null): PlayerResult {
  const m = player.money;
  const strings = Object.fromEntries(Object.entries(m).map(([k, v]) => [k, String(v)])) as PlayerResult["money"];
  const l = player.ledger;
  return {
    index: player.index,
    username: player.username,
    userId: player.client.welcome?.userId ?? null,
    url: player.url,
    scenario: player.scenario,
    stage: player.stage,
    started: player.started,
    failure: player.failure,
    money: player.baselineKnown ? strings : null,
    ledger:
      l === null
        ? null
        : { totalMinor: String(l.totalMinor), availableMinor: String(l.availableMinor), heldMinor: String(l.heldMinor), balanceMinor: String(l.balanceMinor) },
    delivery: player.delivery,
    ledgerSource: l === null ? null : "player",
    abuse,
  };
}

async function play(player: SimulatedPlayer, plan: RunPlan, abuse: AbuseObserved | null): Promise<void> {
  const ordinal = ordinalOf(plan, player.index);
  switch (player.scenario) {
    case "abuse": {
      const observed = abuse ?? normalObserved();
      return observed.abuser ? new AbuserSession(player, observed).run() : runNormal(player, observed);
    }
    case "roulette":
      return new RouletteSession(player, roomOf(plan, player.index, "roulette")).run();
    case "slots":
      return new SlotsSession(player).run();
    case "blackjack":
      return new BlackjackSession(player, ordinal).run();
    case "holdem":
      return new HoldemSession(player, ordinal).run();
    case "chat":
      return runChat(player, roomOf(plan, player.index, "chat"));
    case "reconnect":
      return runReconnect(player, roomOf(plan, player.index, "reconnect"));
  }
}

async function runPlayer(index: number, ctx: PlayerContext, live: Set<SimulatedPlayer>, gate: Gate): Promise<PlayerResult> {
  const { plan } = ctx;
  await Promise.race([sleep(plan.startAtMs + (plan.rampUpMs * index) / plan.players - Date.now()), ctx.stopping]);
  const scenario = scenarioOf(plan, index);
  const player = new SimulatedPlayer(index, scenario, ctx);
  const abuse = scenario !== "abuse" ? null : isAbuser(plan.players, plan.abusers, index) ? { ...normalObserved(), abuser: true } : normalObserved();
  if (ctx.stopped()) {
    player.failure = "not started: the run ended during the ramp-up";
    return resultOf(player, abuse);
  }
  live.add(player);
  player.started = true;
  try {
    await gate.enter();
    try {
      await player.prepare();
    } finally {
      gate.leave();
    }
    await play(player, plan, abuse);
  } catch (error) {
    player.failure = `${codeOf(error)}: ${(error as Error).message}`;
  }
  try {
    // A locked account's sessions are revoked: the driver reads its ledger as an operator instead.
    if (player.stage !== "new" && player.stage !== "registered" && !player.lockedSeen) await player.audit();
  } catch (error) {
    player.failure = `${player.failure ?? ""}${player.failure === null ? "" : "; "}audit ${codeOf(error)}: ${(error as Error).message}`;
  }
  player.close();
  live.delete(player);
  return resultOf(player, abuse);
}

async function run(plan: RunPlan, indexes: readonly number[], send: (message: FromWorker) => void, stopSignal: Promise<void>): Promise<FromWorker> {
  const metrics = new Metrics();
  const currency = findCurrency(plan.currency) as Currency;
  let stopped = false;
  const stopping = stopSignal.then(() => {
    stopped = true;
  });
  const ctx: PlayerContext = { plan, currency, metrics, stopped: () => stopped, stopping };
  const live = new Set<SimulatedPlayer>();
  let finished = 0;
  let failed = 0;
  const gate = new Gate(setupsInFlightMax);
  const progress = setInterval(() => {
    let connected = 0;
    let ready = 0;
    for (const p of live) {
      if (p.client.state === "open") connected++;
      if (p.stage === "connected") ready++;
    }
    let ops = 0;
    for (const [name, n] of metrics.counters) if (name.startsWith("ops.")) ops += n;
    send({
      type: "progress",
      connected,
      ready,
      failed,
      finished,
      ops,
      bets: (metrics.counters.get("ops.bet") ?? 0) + (metrics.counters.get("ops.spin") ?? 0),
      errors: metrics.errorTotal(),
      cpuMs: cpuMsOf(process.cpuUsage()),
      window: metrics.takeWindow(),
    });
  }, progressIntervalMs);
  const players = await Promise.all(
    indexes.map((index) =>
      runPlayer(index, ctx, live, gate).then((result) => {
        finished++;
        if (result.failure !== null && !stopped) failed++;
        return result;
      }),
    ),
  );
  clearInterval(progress);
  closeHttpPools();
  return { type: "result", metrics: metrics.snapshot(), players };
}

// Started by the driver with an IPC channel; run only there.
if (process.send !== undefined) {
  let stop: () => void = () => undefined;
  const stopSignal = new Promise<void>((resolve) => (stop = resolve));
  const send = (message: FromWorker): void => void process.send?.(message);
  process.on("message", (message: ToWorker) => {
    if (message.type === "stop") stop();
    else
      void run(message.plan, message.indexes, send, stopSignal).then(
        (result) => process.send?.(result, undefined, {}, () => process.disconnect()),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
  });
  // The driver is gone (killed, crashed): nothing would read our results.
  process.on("disconnect", () => setTimeout(() => process.exit(0), 100).unref());
}
