// A seeded simulation of the room layer, in the spirit of TigerBeetle's VOPR: two or three nodes (each
// a real RoomDirectory with its RoomHosts) share one in-memory room log, lease and bus; simulated
// clients send actions that move money through a ledger twin (the real ledger judge over an
// in-memory view); a fault schedule drawn from the seed pauses owners past their lease, crashes
// nodes in the middle of an append or after a ledger step, restarts them, cuts them off the bus,
// drops and delays bus messages, takes Redis and the ledger away for a while and makes clocks jump.
// Time is simulated (nothing waits for real), so one seed is a few milliseconds and replays bit for bit.
// After every step the invariants are checked; the first one broken ends the run with its seed.
// docs/SIMULATION.md describes the faults, the invariants and how to replay a seed.
import { onBackgroundFailure } from "../../src/app/background.js";
import { isServiceUnavailable } from "../../src/app/ports/failures.js";
import { MemoryRoomLease } from "../../src/adapters/memory/room-lease.memory.js";
import { MemoryRoomLog } from "../../src/adapters/memory/room-log.memory.js";
import type { Bus, BusHandler } from "../../src/app/ports/bus.js";
import type { Clock, Timer } from "../../src/app/ports/clock.js";
import type { Lease, RoomLease } from "../../src/app/ports/room-lease.js";
import type { AppendOutcome, LiveHandler, LogEntryInput, RoomLog, RoomLogLimits, RoomSnapshot } from "../../src/app/ports/room-log.js";
import type { ActionRequest, Actor, RoomBehavior } from "../../src/app/rooms/room-behavior.js";
import { RoomDirectory, type DirectoryLimits } from "../../src/app/rooms/room-directory.js";
import type { RoomFaults } from "../../src/app/rooms/room-faults.js";
import type { HostReply } from "../../src/app/rooms/room-host.js";
import { canonicalRequest, emptyLedgerView, judgeBatch, type LedgerOp, type LedgerOutcome, type TransferRecord } from "../../src/engine/ledger/index.js";
import { SeededRng, uniformInt, uniformIntBetween, type Rng } from "../../src/engine/rng/index.js";

export const simTestFile = "test/sim/room-sim.test.ts";

/** The one line that replays a seed. */
export function reproduction(seed: number, broken?: SimOptions["broken"]): string {
  return `SIM_SEED=${seed}${broken === undefined ? "" : ` SIM_BROKEN=${broken}`} npx vitest run ${simTestFile}`;
}

export const brokenComponents = ["fence", "keys"] as const;
export type Broken = (typeof brokenComponents)[number];

export interface SimOptions {
  readonly seed: number;
  /**
   * A deliberately broken component, to prove the checker catches what it should: `fence`, a room
   * log that skips the fence check (it writes under whatever fence the lease issued last); `keys`, a
   * ledger that forgets its idempotency keys (a step retried is done again).
   */
  readonly broken?: Broken;
}

export interface SimResult {
  readonly seed: number;
  /** The first invariant broken, or null. */
  readonly violation: string | null;
  readonly steps: number;
  readonly simulatedMs: number;
  /** Actions acknowledged, log entries written, faults injected: what the seed exercised. */
  readonly acked: number;
  readonly entries: number;
  /** Leases the room's lease issued: 1 when one owner kept it throughout, more after each takeover. */
  readonly fences: number;
  readonly faults: readonly string[];
  /** Everything clients were told, in order: two runs of one seed must produce the same trace. */
  readonly trace: readonly string[];
}

const room = "sim:1";
const currency = "EUR";
const houseAccount = 1n;
const playerFunds = 1_000_000n;
const leaseTtlMs = 3_000;
const faultWindowMs = 15_000;
/** After the faults stop, how long every client has to get all its actions acknowledged. */
const healingMs = 60_000;
const clientTimeoutMs = 5_000;
const stepsMax = 50_000;

const directoryLimits: DirectoryLimits = {
  revealLeadMs: 0,
  chatCharsMax: 100,
  chatMessagesPerMinuteMax: 10,
  roomActionQueueMax: 1_000,
  actionIdsRememberedMax: 10_000,
  roomLogEntriesMax: 10_000,
  roomWriteBatchWaitMs: 0,
  leaseTtlMs,
  actionTimeoutMs: 2_000,
  pendingRequestsMax: 1_000,
};
/** Half the seeds make a batch of judged actions wait for companions still being prepared. */
const batchWaitsMs = [0, 20] as const;
const logLimits: RoomLogLimits = { roomLogEntriesMax: 100_000, roomLogAgeMsMax: 365 * 86_400_000 };

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

/** What the ledger throws while it is down: a PostgreSQL connection lost (57P01), which the host answers SERVICE_UNAVAILABLE. */
const lostConnection = Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" });
const ledgerLost = (): Error => lostConnection;

/**
 * Lets everything already started run to its end. The simulated components only ever wait on
 * promises and on the simulated clock, so once the microtask queue is empty nothing more will run
 * before the next timer: one macrotask turn is a full settle.
 */
const settle = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

interface SimTimer {
  at: number;
  readonly id: number;
  readonly everyMs: number | null;
  readonly run: () => void;
}

/** The world's time: timers run only when the simulation steps, earliest first (ties in arming order). */
class WorldClock {
  static readonly start = Date.UTC(2026, 0, 1);
  now = WorldClock.start;
  private seq = 0;
  private readonly timers = new Map<number, SimTimer>();

  arm(delayMs: number, everyMs: number | null, run: () => void): Timer {
    const id = ++this.seq;
    this.timers.set(id, { at: this.now + Math.max(0, delayMs), id, everyMs, run });
    return { cancel: () => void this.timers.delete(id) };
  }

  /** Runs the earliest timer due by `untilMs` and lets what it started settle; false when none is due. */
  async step(untilMs: number): Promise<boolean> {
    let next: SimTimer | undefined;
    for (const t of this.timers.values()) if (next === undefined || t.at < next.at || (t.at === next.at && t.id < next.id)) next = t;
    if (next === undefined || next.at > untilMs) return false;
    this.now = Math.max(this.now, next.at);
    if (next.everyMs === null) this.timers.delete(next.id);
    else next.at = this.now + next.everyMs;
    next.run();
    await settle();
    return true;
  }

  /** Time leaps forward (a suspended VM, an NTP step): timers due on the way run late, in order. */
  jump(ms: number): void {
    this.now += ms;
  }

  /** Milliseconds since the simulation started, for the trace. */
  get elapsed(): number {
    return this.now - WorldClock.start;
  }
}

type NodeState = "running" | "paused" | "crashed";
const crashPoints = ["before an append", "after an append", "after a ledger step"] as const;
type CrashPoint = (typeof crashPoints)[number];

/**
 * One incarnation of a node. A paused node runs nothing: its port calls, timers and bus deliveries
 * wait until it resumes. A crashed one never runs again; a restart is a new incarnation on the same
 * machine (a new process: a new node id, empty memory).
 */
class SimNode {
  state: NodeState = "running";
  skewMs = 0;
  /** Cut off from the bus: what it publishes and what is published to it is lost. */
  cutOff = false;
  /** Crash at the next append (before the log sees it, or after it is written but before the answer), or after the next ledger step. */
  crashAt: CrashPoint | null = null;
  private deferred: Array<() => void> = [];
  private readonly timers = new Set<Timer>();
  readonly clock: Clock;
  directory: RoomDirectory | null = null;

  constructor(
    readonly machine: string,
    readonly name: string,
    private readonly world: WorldClock,
  ) {
    const timer = (delayMs: number, everyMs: number | null, run: () => void): Timer => {
      const armed = world.arm(delayMs, everyMs, () => {
        if (everyMs === null) this.timers.delete(armed);
        this.run(run);
      });
      this.timers.add(armed);
      return {
        cancel: () => {
          armed.cancel();
          this.timers.delete(armed);
        },
      };
    };
    this.clock = {
      nowMs: () => this.world.now + this.skewMs,
      after: (ms, run) => timer(ms, null, run),
      every: (ms, run) => timer(Math.max(1, ms), Math.max(1, ms), run),
    };
  }

  /** Runs `task` now when running, at resumption when paused, never when crashed. */
  run(task: () => void): void {
    if (this.state === "running") task();
    else if (this.state === "paused") this.deferred.push(task);
  }

  gate(): Promise<void> {
    return new Promise((resolve) => this.run(resolve));
  }

  /** A call into a shared service: it waits while this node is paused, on the way out and on the way back. */
  async call<T>(call: () => Promise<T>): Promise<T> {
    await this.gate();
    const result = await call();
    await this.gate();
    return result;
  }

  pause(): void {
    if (this.state === "running") this.state = "paused";
  }

  resume(): void {
    if (this.state !== "paused") return;
    this.state = "running";
    const deferred = this.deferred;
    this.deferred = [];
    for (const task of deferred) task();
  }

  crash(): void {
    this.state = "crashed";
    this.deferred = [];
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
  }
}

interface Append {
  readonly writer: string;
  readonly fence: number;
  readonly first: number;
  readonly last: number;
}

/** What the shared services saw: each fence the lease issued and to whom, each append and under which fence. */
class Journal {
  readonly issued = new Map<number, string>();
  readonly appends: Append[] = [];
}

/**
 * Where the log and the lease live (Redis in production), as the nodes reach it: `down` while an outage
 * lasts, every call failing as a lost connection does; an append then fails before it is written or,
 * on a coin toss, after (the caller cannot tell which).
 */
interface Store {
  down(): boolean;
  coin(): boolean;
}

/** What the log and the lease throw while they are down: ioredis's closed connection (SERVICE_UNAVAILABLE). */
const storeLost = (): Error => Object.assign(new Error("Connection is closed."), { code: "ECONNRESET", simulated: true });

const reach =
  <T>(store: Store, call: () => Promise<T>) =>
  (): Promise<T> =>
    store.down() ? Promise.reject(storeLost()) : call();

/** A node's view of the shared room log: calls wait while it is paused; it may crash in the middle of an append. */
class NodeLog implements RoomLog {
  constructor(
    private readonly node: SimNode,
    private readonly shared: RoomLog,
    private readonly store: Store,
    private readonly journal: Journal,
    private readonly crashed: (node: SimNode) => void,
  ) {}

  head(room: string) {
    return this.node.call(reach(this.store, () => this.shared.head(room)));
  }
  read(room: string, afterOffset: number, limit: number) {
    return this.node.call(reach(this.store, () => this.shared.read(room, afterOffset, limit)));
  }
  snapshot(room: string) {
    return this.node.call(reach(this.store, () => this.shared.snapshot(room)));
  }
  subscribe(room: string, handler: LiveHandler) {
    return this.shared.subscribe(room, handler);
  }
  close() {
    return this.shared.close();
  }

  async append(room: string, fence: number, entries: readonly LogEntryInput[], snapshot: RoomSnapshot, nowMs: number): Promise<AppendOutcome> {
    await this.node.gate();
    const crash = this.node.crashAt;
    if (crash === "before an append") {
      this.crashed(this.node);
      return never();
    }
    const down = this.store.down();
    if (down && this.store.coin()) throw storeLost();
    const outcome = await this.shared.append(room, fence, entries, snapshot, nowMs);
    const first = outcome.ok ? outcome.entries[0] : undefined;
    if (outcome.ok && first !== undefined)
      this.journal.appends.push({ writer: this.node.name, fence, first: first.offset, last: first.offset + outcome.entries.length - 1 });
    if (crash === "after an append") {
      this.crashed(this.node);
      return never();
    }
    if (down) throw storeLost();
    await this.node.gate();
    return outcome;
  }
}

/** A node's view of the shared lease: calls wait while it is paused; each fence issued is journaled. */
class NodeLease implements RoomLease {
  constructor(
    private readonly node: SimNode,
    private readonly shared: RoomLease,
    private readonly store: Store,
    private readonly journal: Journal,
  ) {}

  acquire(room: string, nodeId: string, ttlMs: number) {
    return this.node.call(
      reach(this.store, async () => {
        const fence = await this.shared.acquire(room, nodeId, ttlMs);
        if (fence !== null) this.journal.issued.set(fence, this.node.name);
        return fence;
      }),
    );
  }
  renew(room: string, lease: Lease, ttlMs: number) {
    return this.node.call(reach(this.store, () => this.shared.renew(room, lease, ttlMs)));
  }
  release(room: string, lease: Lease) {
    return this.node.call(reach(this.store, () => this.shared.release(room, lease)));
  }
  holder(room: string) {
    return this.node.call(reach(this.store, () => this.shared.holder(room)));
  }
  announce(nodeId: string, ttlMs: number) {
    return this.node.call(reach(this.store, () => this.shared.announce(nodeId, ttlMs)));
  }
  withdraw(nodeId: string) {
    return this.node.call(reach(this.store, () => this.shared.withdraw(nodeId)));
  }
  hostingNodes() {
    return this.node.call(reach(this.store, () => this.shared.hostingNodes()));
  }
}

/** The broken component: a log that skips the fence check, writing under the latest fence whoever asks. */
class UnfencedLog extends MemoryRoomLog {
  constructor(
    private readonly lease: MemoryRoomLease,
    limits: RoomLogLimits,
  ) {
    super(lease, limits, "sim");
  }

  override append(room: string, _fence: number, entries: readonly LogEntryInput[], snapshot: RoomSnapshot, nowMs: number): Promise<AppendOutcome> {
    return super.append(room, this.lease.currentFence(room), entries, snapshot, nowMs);
  }
}

/**
 * The bus, at most once like the real one, with the seed's faults: a message to a subscriber may be
 * dropped or delayed (so it overtakes or is overtaken by others); one for a paused node waits for it.
 */
class FaultyBus {
  faulty = true;
  dropped = 0;
  delayed = 0;
  private readonly subscriptions = new Map<string, Set<{ readonly node: SimNode; readonly handler: BusHandler }>>();

  constructor(
    private readonly world: WorldClock,
    private readonly rng: Rng,
    readonly dropPerMille: number,
    readonly delayPerMille: number,
  ) {}

  of(node: SimNode): Bus {
    return {
      publish: async (channel, message) => {
        await node.gate();
        if (!node.cutOff) this.publish(channel, message);
      },
      subscribe: async (channel, handler) => {
        const set = this.subscriptions.get(channel) ?? new Set();
        const entry = { node, handler };
        set.add(entry);
        this.subscriptions.set(channel, set);
        return async () => void set.delete(entry);
      },
      close: async () => this.forget(node),
    };
  }

  forget(node: SimNode): void {
    for (const set of this.subscriptions.values()) for (const entry of set) if (entry.node === node) set.delete(entry);
  }

  private publish(channel: string, message: string): void {
    for (const { node, handler } of [...(this.subscriptions.get(channel) ?? [])]) {
      const deliver = () => node.run(() => node.cutOff || handler(message));
      const draw = this.faulty ? uniformInt(this.rng, 1_000) : 1_000;
      if (draw < this.dropPerMille) {
        this.dropped++;
      } else if (draw < this.dropPerMille + this.delayPerMille) {
        this.delayed++;
        this.world.arm(uniformIntBetween(this.rng, 1, 3_000), null, deliver);
      } else {
        queueMicrotask(deliver);
      }
    }
  }
}

/** The money twin: the real ledger judge over an in-memory view, one house account and one cash account per player. */
class LedgerTwin {
  private readonly view = emptyLedgerView();
  readonly transfers: TransferRecord[] = [];
  readonly accounts = new Map<string, bigint>();

  constructor(
    users: readonly string[],
    private readonly forgetsKeys: boolean,
  ) {
    this.view.accounts.set(houseAccount, { id: houseAccount, owner: "house", kind: "house", currency, balance: 0n, held: 0n });
    users.forEach((userId, i) => {
      const id = BigInt(i + 2);
      this.accounts.set(userId, id);
      this.view.accounts.set(id, { id, owner: userId, kind: "player_cash", currency, balance: playerFunds, held: 0n });
    });
  }

  /**
   * One step of a wager: at once (`instant`), or held when prepared (`reserve`) and posted when applied
   * (`settle`); or a draw's prize, paid by the house (`draw`).
   */
  run(step: WagerStep, wager: Wager): LedgerOutcome {
    const accountId = this.accounts.get(wager.userId) as bigint;
    const payouts = wager.win > 0n ? [{ fromAccountId: houseAccount, amount: wager.win }] : [];
    const op: LedgerOp =
      step === "instant"
        ? { type: "instant", key: wager.key, currency, accountId, houseAccountId: houseAccount, stake: wager.stake, payouts, reference: wager.key }
        : step === "reserve"
          ? { type: "reserve", key: `${wager.key}:reserve`, currency, holdId: wager.key, accountId, amount: wager.stake, reference: wager.key }
          : step === "settle"
            ? { type: "settle", key: `${wager.key}:settle`, currency, holdId: wager.key, houseAccountId: houseAccount, payouts }
            : {
                type: "transfer",
                kind: "adjustment",
                key: wager.key,
                currency,
                debitAccountId: houseAccount,
                creditAccountId: accountId,
                amount: wager.win,
                reference: wager.key,
              };
    if (this.forgetsKeys) this.view.idempotency.delete(op.key);
    const { outcomes, writes } = judgeBatch(this.view, [{ op, fingerprint: canonicalRequest(op) }]);
    this.transfers.push(...writes.transfers);
    return outcomes[0] as LedgerOutcome;
  }

  balance(accountId: bigint): bigint {
    return this.view.accounts.get(accountId)?.balance ?? 0n;
  }

  total(): bigint {
    let sum = 0n;
    for (const account of this.view.accounts.values()) sum += account.balance;
    return sum;
  }

  /** Whether the wager's stake reached the house. */
  paid(wager: Wager, held: boolean): boolean {
    return this.view.idempotency.has(held ? `${wager.key}:settle` : wager.key);
  }

  /** Money held and never posted nor released. */
  held(): bigint {
    let sum = 0n;
    for (const account of this.view.accounts.values()) sum += account.held;
    return sum;
  }
}

type WagerStep = "instant" | "reserve" | "settle" | "draw";
interface Wager {
  readonly userId: string;
  readonly key: string;
  readonly stake: bigint;
  readonly win: bigint;
}
/** The ledger key of an action's wager (the action id scoped by its player, as the room host scopes it). */
const wagerKey = (scoped: string) => `sim:${scoped}`;

const wagerOf = (action: ActionRequest, actor: Actor, actionId: string): Wager => ({
  userId: actor.userId,
  key: wagerKey(`${actor.userId}:${actionId}`),
  stake: BigInt(action.stake as string),
  win: BigInt(action.win as string),
});

interface SimRoom {
  readonly spins: number;
  readonly notes: number;
  readonly staked: bigint;
  readonly paid: bigint;
  readonly draws: number;
  /** When the next draw is due (room time); armed by the first wager, null once the last draw is done. */
  readonly nextDrawAt: number | null;
}

/** A draw every 4 s once the room has a wager, four at most: a prize for a player, paid by the house. */
const drawEveryMs = 4_000;
const drawsMax = 4;
const drawPrize = 50n;
/** The draw's winner follows from its number, so a draw retried by a new owner is the same ledger request. */
const drawOf = (n: number): Wager => ({ userId: `u${(n % 2) + 1}`, key: `sim:draw:${n}`, stake: 0n, win: drawPrize });

/**
 * The room the clients play. A spin stakes money and may win some back at once (an instant bet in the
 * ledger, an effect inside the room's queue); a bet holds its stake first, in a `prepare` effect run
 * outside the queue, and settles it when applied. Every ledger step is keyed by the action id, so a
 * step retried (by a new owner, or after a stale one was fenced) is replayed, not paid twice. A note
 * moves no money and needs no effect, so notes are batched into one append. Timed draws (the room's
 * deadline, run as ticks by the owner) pay a prize and start a new round: a barrier, so an action
 * based on an offset before it is refused ACTION_STALE. Amounts travel as strings.
 */
const simRoom: RoomBehavior<SimRoom> = {
  kind: "sim",
  canJoin: () => true,
  initial: () => ({ spins: 0, notes: 0, staked: 0n, paid: 0n, draws: 0, nextDrawAt: null }),
  deadline: (state) => state.nextDrawAt,
  prepare: (_state, action, actor, ctx) =>
    action.kind === "bet" && ctx.actionId !== undefined ? { ok: true, effect: { step: "reserve", wager: wagerOf(action, actor, ctx.actionId) } } : null,
  apply(state, action, actor, ctx) {
    if (action.kind === "tick") {
      if (state.nextDrawAt === null || ctx.nowMs < state.nextDrawAt) return { ok: true, state, events: [] };
      const n = state.draws + 1;
      const draw = drawOf(n);
      return {
        ok: true,
        effect: { step: "draw", wager: draw },
        resume: (outcome) =>
          (outcome as LedgerOutcome).status !== "ok"
            ? { ok: false, error: "ACTION_REJECTED" }
            : {
                ok: true,
                state: { ...state, draws: n, nextDrawAt: n < drawsMax ? (state.nextDrawAt as number) + drawEveryMs : null },
                events: [{ kind: "drawn", data: { n, winner: draw.userId, prize: draw.win.toString() } }],
                barrier: true,
              },
      };
    }
    if (action.kind === "note") {
      const notes = state.notes + 1;
      return { ok: true, state: { ...state, notes }, events: [{ kind: "noted", data: { by: actor.userId } }], result: { notes } };
    }
    if ((action.kind !== "spin" && action.kind !== "bet") || ctx.actionId === undefined) return { ok: false, error: "ACTION_REJECTED" };
    const held = action.kind === "bet";
    if (held && (ctx.prepared as LedgerOutcome | undefined)?.status !== "ok") return { ok: false, error: "WALLET_INSUFFICIENT_FUNDS" };
    const wager = wagerOf(action, actor, ctx.actionId);
    return {
      ok: true,
      effect: { step: held ? "settle" : "instant", wager },
      resume: (outcome) => {
        if ((outcome as LedgerOutcome).status !== "ok") return { ok: false, error: "WALLET_INSUFFICIENT_FUNDS" };
        const spins = state.spins + 1;
        return {
          ok: true,
          state: {
            ...state,
            spins,
            staked: state.staked + wager.stake,
            paid: state.paid + wager.win,
            nextDrawAt: state.nextDrawAt ?? (state.draws < drawsMax ? ctx.nowMs + drawEveryMs : null),
          },
          events: [{ kind: "wagered", data: { by: actor.userId, stake: action.stake, win: action.win, held } }],
          result: { spins },
        };
      },
    };
  },
  snapshot: (state) => ({ public: { ...state, staked: state.staked.toString(), paid: state.paid.toString() } }),
  restore: (snapshot) => {
    const s = snapshot.public as Omit<SimRoom, "staked" | "paid"> & { staked: string; paid: string };
    return { ...s, staked: BigInt(s.staked), paid: BigInt(s.paid) };
  },
};

interface Acked {
  readonly offset: number;
  readonly action: ActionRequest;
  readonly result?: string;
}

/** Replies a client may get without anything being wrong: the owner moved, died or did not answer in time. */
const retryable = new Set(["ROOM_UNAVAILABLE", "SERVICE_UNAVAILABLE"]);

class Simulation {
  readonly world = new WorldClock();
  private readonly lease: MemoryRoomLease;
  private readonly log: MemoryRoomLog;
  private readonly journal = new Journal();
  private readonly bus: FaultyBus;
  private readonly ledger: LedgerTwin;
  private readonly nodes: SimNode[] = [];
  private readonly incarnations = new Map<string, number>();
  private readonly spread: boolean;
  private readonly limits: DirectoryLimits;
  readonly users: string[];
  private readonly faultRng: Rng;
  private readonly clientRng: Rng;
  readonly faults: string[] = [];
  readonly trace: string[] = [];
  violation: string | null = null;
  private readonly acked = new Map<string, Acked>();
  private clientsLeft: number;
  private readonly actionsPerClient: number;
  // What the checker has verified so far: the log up to `checkedOffset`, the journal up to `checkedAppends`.
  private epoch: string | null = null;
  private checkedOffset = 0;
  private checkedAppends = 0;
  private lastFence = 0;
  private readonly logged = new Map<string, number>();
  private readonly loggedWagers: Wager[] = [];
  private counts = { spins: 0, notes: 0, staked: 0n, paid: 0n, draws: 0 };
  private ledgerDownUntil = 0;
  private storeDownUntil = 0;
  private readonly store: Store = { down: () => this.world.now < this.storeDownUntil, coin: () => uniformInt(this.faultRng, 2) === 0 };
  private drawPending = false;
  private readonly initialMoney: bigint;

  constructor(
    readonly seed: number,
    broken: SimOptions["broken"],
  ) {
    const rng = new SeededRng(`room-sim:${seed}`);
    this.faultRng = new SeededRng(`room-sim:${seed}:faults`);
    this.clientRng = new SeededRng(`room-sim:${seed}:clients`);
    const clock: Clock = { nowMs: () => this.world.now, after: (ms, run) => this.world.arm(ms, null, run), every: (ms, run) => this.world.arm(ms, ms, run) };
    this.lease = new MemoryRoomLease(clock);
    this.log = broken === "fence" ? new UnfencedLog(this.lease, logLimits) : new MemoryRoomLog(this.lease, logLimits, "sim");
    this.bus = new FaultyBus(
      this.world,
      new SeededRng(`room-sim:${seed}:bus`),
      [0, 20, 100][uniformInt(rng, 3)] as number,
      [0, 100, 300][uniformInt(rng, 3)] as number,
    );
    this.users = Array.from({ length: uniformIntBetween(rng, 2, 5) }, (_, i) => `u${i + 1}`);
    this.clientsLeft = this.users.length;
    this.actionsPerClient = uniformIntBetween(rng, 3, 8);
    this.ledger = new LedgerTwin(this.users, broken === "keys");
    this.initialMoney = this.ledger.total();
    // Sometimes the room is a configured shared table (placed on its preferred node, offered there by
    // the others), and sometimes a gateway that hosts no rooms serves clients too (it offers rooms on the claims channel).
    this.spread = uniformInt(rng, 2) === 0;
    this.limits = { ...directoryLimits, roomWriteBatchWaitMs: batchWaitsMs[uniformInt(rng, batchWaitsMs.length)] as number };
    const gateways = uniformInt(rng, 3) === 0 ? 1 : 0;
    for (let i = 1, n = uniformIntBetween(rng, 2, 3); i <= n; i++) this.nodes.push(this.spawn(`n${i}`));
    for (let i = 1; i <= gateways; i++) this.nodes.push(this.spawn(`g${i}`));
    this.faults.push(
      `nodes=${this.nodes.length - gateways}+${gateways} gateway${this.spread ? " spread" : ""} clients=${this.users.length}x${this.actionsPerClient} drop=${this.bus.dropPerMille}‰ delay=${this.bus.delayPerMille}‰`,
    );
    this.scheduleFaults(uniformIntBetween(rng, 1, 6));
  }

  /** Starts a new incarnation of `nodeId`: a fresh directory with empty memory, watching the room. */
  private spawn(machine: string): SimNode {
    const incarnation = (this.incarnations.get(machine) ?? 0) + 1;
    this.incarnations.set(machine, incarnation);
    // A process's node id is its own (src/main.ts adds the pid and random bytes to the host name):
    // replies still on their way to a dead incarnation must not reach the next one.
    const nodeId = `${machine}#${incarnation}`;
    const node = new SimNode(machine, nodeId, this.world);
    const faults: RoomFaults = {
      unavailable: (_room, where, error) =>
        error === lostConnection ||
        (error as { simulated?: boolean }).simulated === true ||
        this.fail(`${node.name}: a service was unavailable at ${where}: ${String(error)}`),
      internal: (_room, where, error) =>
        this.fail(`${node.name}: INTERNAL at ${where}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
      lost: () => undefined,
    };
    const effects = (_room: string, effect: unknown) =>
      node.call(async () => {
        const { step, wager } = effect as { step: WagerStep; wager: Wager };
        const outcome = this.ledgerStep(step, wager);
        if (node.crashAt === "after a ledger step") {
          this.crash(node);
          return never();
        }
        return outcome;
      });
    const directory = new RoomDirectory(
      nodeId,
      new Map([["sim", simRoom]]),
      new NodeLog(node, this.log, this.store, this.journal, (n) => this.crash(n)),
      new NodeLease(node, this.lease, this.store, this.journal),
      this.bus.of(node),
      node.clock,
      this.limits,
      effects,
      { hostsRooms: !machine.startsWith("g"), ...(this.spread ? { spreadRooms: [room] } : {}) },
      undefined,
      faults,
    );
    node.directory = directory;
    // A process that cannot reach Redis as it starts exits (and its machine starts another).
    void node
      .gate()
      .then(() => directory.start())
      .then(
        () => directory.watch(room),
        () => this.crash(node),
      );
    return node;
  }

  private crash(node: SimNode): void {
    if (node.state === "crashed") return;
    this.faults.push(`${this.world.elapsed}: ${node.name} crashed ${node.crashAt ?? ""}`);
    node.crash();
    this.bus.forget(node);
    const index = this.nodes.indexOf(node);
    this.world.arm(uniformIntBetween(this.faultRng, 500, 5_000), null, () => {
      if (this.nodes[index] === node) this.nodes[index] = this.spawn(node.machine);
    });
  }

  /** The running incarnation that holds the room's lease, else any node. */
  private target(): SimNode {
    const holder = this.lease.currentFence(room) === 0 ? undefined : this.journal.issued.get(this.lease.currentFence(room));
    return this.nodes.find((n) => n.name === holder && n.state === "running") ?? (this.nodes[uniformInt(this.faultRng, this.nodes.length)] as SimNode);
  }

  private scheduleFaults(count: number): void {
    for (let i = 0; i < count; i++) {
      this.world.arm(uniformInt(this.faultRng, faultWindowMs), null, () => {
        const node = this.target();
        const now = this.world.elapsed;
        switch (uniformInt(this.faultRng, 9)) {
          case 0:
          case 1: {
            if (node.state !== "running") return;
            const pauseMs = leaseTtlMs + uniformIntBetween(this.faultRng, 0, 3_000);
            this.faults.push(`${now}: ${node.name} paused for ${pauseMs} ms`);
            node.pause();
            this.world.arm(pauseMs, null, () => node.resume());
            return;
          }
          case 2:
            if (node.state !== "running") return;
            node.crashAt = crashPoints[uniformInt(this.faultRng, crashPoints.length)] as CrashPoint;
            this.faults.push(`${now}: ${node.name} will crash ${node.crashAt}`);
            return;
          case 3: {
            if (node.state !== "running") return;
            const cutMs = uniformIntBetween(this.faultRng, 500, 2 * leaseTtlMs);
            this.faults.push(`${now}: ${node.name} is cut off from the bus for ${cutMs} ms`);
            node.cutOff = true;
            this.world.arm(cutMs, null, () => {
              node.cutOff = false;
            });
            return;
          }
          case 4: {
            const ms = uniformIntBetween(this.faultRng, 100, 2 * leaseTtlMs);
            this.faults.push(`${now}: the clock jumps ${ms} ms`);
            this.world.jump(ms);
            return;
          }
          case 7: {
            // A rolling restart: the process stops as it is told to (its rooms answer, its leases are released), then exits.
            if (node.state !== "running") return;
            this.faults.push(`${now}: ${node.name} stops`);
            void (node.directory as RoomDirectory).stop().then(
              () => this.crash(node),
              () => this.crash(node),
            );
            return;
          }
          case 6: {
            const outageMs = uniformIntBetween(this.faultRng, 100, leaseTtlMs);
            this.faults.push(`${now}: the room log and lease do not answer for ${outageMs} ms`);
            this.storeDownUntil = Math.max(this.storeDownUntil, this.world.now + outageMs);
            return;
          }
          case 5: {
            const outageMs = uniformIntBetween(this.faultRng, 100, 2 * leaseTtlMs);
            this.faults.push(`${now}: the ledger does not answer for ${outageMs} ms`);
            this.ledgerDownUntil = Math.max(this.ledgerDownUntil, this.world.now + outageMs);
            return;
          }
          default: {
            node.skewMs += uniformIntBetween(this.faultRng, -5_000, 5_000);
            this.faults.push(`${now}: ${node.name}'s clock is now ${node.skewMs} ms off`);
          }
        }
      });
    }
    // The faults stop: the bus delivers, paused nodes resume, crashed ones will restart; then every action must get through.
    this.world.arm(faultWindowMs, null, () => {
      this.bus.faulty = false;
      for (const node of this.nodes) {
        node.crashAt = null;
        node.cutOff = false;
        node.resume();
      }
    });
  }

  /**
   * A ledger step while the ledger is down: it fails as a lost database connection does, either before
   * it ran or after it was written (the caller cannot tell which); a step retried later is replayed.
   */
  private ledgerStep(step: WagerStep, wager: Wager): LedgerOutcome {
    const down = this.world.now < this.ledgerDownUntil;
    const written = down && uniformInt(this.faultRng, 2) === 0;
    if (down && !written) throw ledgerLost();
    const outcome = this.ledger.run(step, wager);
    if (written) throw ledgerLost();
    return outcome;
  }

  fail(message: string): void {
    this.violation ??= message;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.world.arm(ms, null, resolve));
  }

  /** Sends an action through a node the client picks; a node that does not answer in time is given up on. */
  private send(actor: Actor, actionId: string, action: ActionRequest, lastOffset: number): Promise<HostReply | null> {
    const node = this.nodes[uniformInt(this.clientRng, this.nodes.length)] as SimNode;
    return new Promise((resolve) => {
      const timer = this.world.arm(clientTimeoutMs, null, () => resolve(null));
      // What the gateway answers when the directory throws (the lease store is down): src/gateway/ws/ws-gateway.ts.
      const thrown = (error: unknown): HostReply => ({
        ok: false,
        error: isServiceUnavailable(error) ? "SERVICE_UNAVAILABLE" : "INTERNAL",
        details: [String(error)],
      });
      void node
        .gate()
        .then(() => (node.directory as RoomDirectory).submit(room, { type: "action", actor, actionId, lastOffset, action }))
        .then((reply) => reply, thrown)
        .then((reply) => {
          timer.cancel();
          resolve(reply);
        });
    });
  }

  /** Checks what a client was told about one of its actions; true when it was acknowledged. */
  private async told(userId: string, actionId: string, action: ActionRequest, lastOffset: number, reply: HostReply | null): Promise<boolean> {
    const scoped = `${userId}:${actionId}`;
    this.trace.push(`${this.world.elapsed} ${scoped} ${reply === null ? "timeout" : reply.ok ? `${reply.status}@${reply.offset}` : reply.error}`);
    if (reply === null) return false;
    if (!reply.ok) {
      // Stale only when a draw (a barrier) was written after the offset the client named.
      const stale = reply.error === "ACTION_STALE" && (await this.log.read(room, lastOffset, 100_000)).entries.some((e) => e.kind === "drawn");
      if (!retryable.has(reply.error) && !stale)
        this.fail(`${scoped} (based on offset ${lastOffset}) was answered ${reply.error} ${JSON.stringify(reply.details ?? [])}`);
      return false;
    }
    const before = this.acked.get(scoped);
    const result = reply.result === undefined ? undefined : JSON.stringify(reply.result);
    if (result !== undefined && before?.result !== undefined && result !== before.result)
      this.fail(`${scoped} was answered ${result}, and ${before.result} before`);
    if (before !== undefined && reply.status === "applied")
      this.fail(`${scoped} was answered applied again (offset ${reply.offset}; first at ${before.offset})`);
    if (before !== undefined && before.offset !== reply.offset) this.fail(`${scoped} was acknowledged at offset ${before.offset}, then at ${reply.offset}`);
    const entry = (await this.log.read(room, reply.offset - 1, 1)).entries[0];
    if (entry?.offset !== reply.offset || entry.actionId !== scoped)
      this.fail(`${scoped} was acknowledged at offset ${reply.offset}, which holds ${entry === undefined ? "nothing" : (entry.actionId ?? "no action")}`);
    const remembered = before?.result ?? result;
    this.acked.set(scoped, { offset: reply.offset, action, ...(remembered === undefined ? {} : { result: remembered }) });
    return true;
  }

  /** A player: each action is resent (same id) until acknowledged; now and then an acknowledged one is sent again. */
  async client(userId: string): Promise<void> {
    const actor: Actor = { userId, roles: [] };
    // A client that follows the room's live feed names the latest offset it saw; one that does not, its last acknowledgement.
    const follows = uniformInt(this.clientRng, 2) === 0;
    let lastOffset = 0;
    const sent: Array<{ actionId: string; action: ActionRequest }> = [];
    for (let k = 1; k <= this.actionsPerClient; k++) {
      const actionId = `a${k}`;
      const kind = (["note", "spin", "bet"] as const)[uniformInt(this.clientRng, 3)] as string;
      const action: ActionRequest =
        kind === "note"
          ? { kind }
          : {
              kind,
              stake: String(uniformIntBetween(this.clientRng, 1, 100)),
              win: String(uniformInt(this.clientRng, 3) === 0 ? uniformIntBetween(this.clientRng, 1, 300) : 0),
            };
      await this.sleep(uniformInt(this.clientRng, 2_000));
      for (;;) {
        if (follows) lastOffset = (await this.log.head(room)).offset;
        const reply = await this.send(actor, actionId, action, lastOffset);
        if (await this.told(userId, actionId, action, lastOffset, reply)) break;
        // Refused as based on an old round: the client catches up with the room and sends it again.
        if (reply?.ok === false && reply.error === "ACTION_STALE") lastOffset = (await this.log.head(room)).offset;
        await this.sleep(uniformIntBetween(this.clientRng, 100, 1_000));
      }
      lastOffset = Math.max(lastOffset, (this.acked.get(`${userId}:${actionId}`) as Acked).offset);
      sent.push({ actionId, action });
      if (uniformInt(this.clientRng, 4) === 0) {
        const again = sent[uniformInt(this.clientRng, sent.length)] as (typeof sent)[number];
        await this.told(userId, again.actionId, again.action, lastOffset, await this.send(actor, again.actionId, again.action, lastOffset));
      }
    }
    this.clientsLeft--;
  }

  /** Every client is done and the room has no draw left to run. */
  get done(): boolean {
    return this.clientsLeft === 0 && !this.drawPending;
  }

  /** The invariants, over what changed since the last check. */
  async check(): Promise<void> {
    // One owner's writes per fence, and fences that only grow along the log.
    for (; this.checkedAppends < this.journal.appends.length; this.checkedAppends++) {
      const a = this.journal.appends[this.checkedAppends] as Append;
      const owner = this.journal.issued.get(a.fence);
      if (owner !== a.writer)
        this.fail(`offsets ${a.first}..${a.last} were written by ${a.writer} under fence ${a.fence}, which the lease issued to ${owner ?? "nobody"}`);
      if (a.fence < this.lastFence)
        this.fail(`offsets ${a.first}..${a.last} were written by ${a.writer} under fence ${a.fence} after fence ${this.lastFence} had written`);
      this.lastFence = Math.max(this.lastFence, a.fence);
    }
    // Offsets contiguous in one epoch; each action in the log once; each spin in the log paid in the ledger.
    const range = await this.log.read(room, this.checkedOffset, 100_000);
    this.epoch ??= range.epoch;
    if (range.epoch !== this.epoch) this.fail(`the log's epoch changed from ${this.epoch} to ${range.epoch}`);
    for (const entry of range.entries) {
      if (entry.offset !== this.checkedOffset + 1) this.fail(`offset ${entry.offset} follows offset ${this.checkedOffset}`);
      this.checkedOffset = entry.offset;
      if (entry.kind === "drawn") {
        const n = (entry.data as { n: number }).n;
        if (n !== this.counts.draws + 1) this.fail(`draw ${n} is at offset ${entry.offset}, after draw ${this.counts.draws}`);
        const draw = drawOf(n);
        if (!this.ledger.paid(draw, false)) this.fail(`draw ${n} is in the log (offset ${entry.offset}) but its prize is not in the ledger`);
        this.loggedWagers.push(draw);
        this.counts = { ...this.counts, draws: n };
      }
      if (entry.actionId === undefined) continue;
      const earlier = this.logged.get(entry.actionId);
      if (earlier !== undefined) this.fail(`${entry.actionId} was applied twice: offsets ${earlier} and ${entry.offset}`);
      this.logged.set(entry.actionId, entry.offset);
      const data = entry.data as { by: string; stake?: string; win?: string; held?: boolean };
      if (entry.kind === "noted") this.counts.notes++;
      if (entry.kind !== "wagered") continue;
      const wager: Wager = { userId: data.by, key: wagerKey(entry.actionId), stake: BigInt(data.stake as string), win: BigInt(data.win as string) };
      if (!this.ledger.paid(wager, data.held === true))
        this.fail(`${entry.actionId} is in the log (offset ${entry.offset}) but its stake is not in the ledger`);
      this.loggedWagers.push(wager);
      this.counts = { ...this.counts, spins: this.counts.spins + 1, staked: this.counts.staked + wager.stake, paid: this.counts.paid + wager.win };
    }
    // The snapshot at the head is the state the log's entries make.
    const stored = await this.log.snapshot(room);
    if (stored.offset !== this.checkedOffset) this.fail(`the log's head is ${stored.offset} but its entries end at ${this.checkedOffset}`);
    const written = (stored.snapshot?.public as { state?: Record<string, unknown> } | undefined)?.state;
    this.drawPending = written?.nextDrawAt !== null && written?.nextDrawAt !== undefined;
    if (written !== undefined) {
      const state = { spins: written.spins, notes: written.notes, staked: written.staked, paid: written.paid, draws: written.draws };
      const expected = { ...this.counts, staked: this.counts.staked.toString(), paid: this.counts.paid.toString() };
      if (JSON.stringify(state) !== JSON.stringify(expected))
        this.fail(`the snapshot at offset ${stored.offset} is ${JSON.stringify(state)} but the log makes ${JSON.stringify(expected)}`);
    }
    // Money is conserved.
    if (this.ledger.total() !== this.initialMoney) this.fail(`the ledger holds ${this.ledger.total()} instead of ${this.initialMoney}`);
  }

  /** Once every client is done: each action acknowledged is in the log once, and the ledger moved exactly what the log says. */
  finalCheck(): void {
    const intended = this.users.length * this.actionsPerClient;
    if (this.acked.size !== intended) this.fail(`only ${this.acked.size} of ${intended} actions were acknowledged`);
    for (const [scoped, acked] of this.acked)
      if (this.logged.get(scoped) !== acked.offset)
        this.fail(`${scoped} was acknowledged at offset ${acked.offset} but the log has it at ${this.logged.get(scoped) ?? "no offset"}`);
    const keys = new Set(this.ledger.transfers.map((t) => t.opKey.replace(/:settle$/, "")));
    const loggedKeys = new Set(this.loggedWagers.map((w) => w.key));
    for (const key of keys) if (!loggedKeys.has(key)) this.fail(`the ledger paid ${key}, which is not in the log`);
    if (this.ledger.held() !== 0n) this.fail(`${this.ledger.held()} is still held in the ledger after every action was acknowledged`);
    let house = 0n;
    for (const userId of this.users) {
      const net = this.loggedWagers.filter((w) => w.userId === userId).reduce((sum, w) => sum + w.stake - w.win, 0n);
      house += net;
      const balance = this.ledger.balance(this.ledger.accounts.get(userId) as bigint);
      if (balance !== playerFunds - net) this.fail(`${userId} holds ${balance} but the log says ${playerFunds - net}`);
    }
    if (this.ledger.balance(houseAccount) !== house) this.fail(`the house holds ${this.ledger.balance(houseAccount)} but the log says ${house}`);
  }

  get entries(): number {
    return this.checkedOffset;
  }

  get fences(): number {
    return this.journal.issued.size;
  }

  get ackedCount(): number {
    return this.acked.size;
  }
}

export async function runSimulation(options: SimOptions): Promise<SimResult> {
  const sim = new Simulation(options.seed, options.broken);
  // Background work that failed because Redis did not answer is counted, by design; anything else is a bug.
  const stopListening = onBackgroundFailure(
    (task, error) =>
      isServiceUnavailable(error) || sim.fail(`background task ${task} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  );
  const started = sim.world.now;
  let steps = 0;
  try {
    const clients = sim.users.map((userId) => sim.client(userId));
    void Promise.all(clients);
    await settle();
    const endMs = started + faultWindowMs + healingMs;
    while (sim.violation === null && !sim.done && steps < stepsMax) {
      if (!(await sim.world.step(endMs))) break;
      steps++;
      await sim.check();
    }
    if (sim.violation === null && !sim.done)
      sim.fail(`liveness: the clients and draws were not done ${healingMs} ms after the faults stopped (${steps} steps)`);
    if (sim.violation === null) sim.finalCheck();
  } finally {
    stopListening();
  }
  return {
    seed: options.seed,
    violation: sim.violation,
    steps,
    simulatedMs: sim.world.now - started,
    acked: sim.ackedCount,
    entries: sim.entries,
    fences: sim.fences,
    faults: sim.faults,
    trace: sim.trace,
  };
}
