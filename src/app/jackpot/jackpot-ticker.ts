import { jackpotTotalKind } from "../../protocol/ws.messages.js";
import type { Clock, Timer } from "../ports/clock.js";
import type { Metrics } from "../ports/metrics.js";
import type { HostReply, HostRequest } from "../rooms/room-host.js";
import { systemActor } from "../rooms/room-behavior.js";
import type { Wallet } from "../wallet/index.js";

/** A progressive pool the lobby shows: the game it belongs to, its ledger id and its currency. */
export interface JackpotPool {
  readonly gameId: string;
  readonly jackpotId: string;
  readonly currency: string;
}

export interface JackpotTickerOptions {
  /** The lobby room the totals go to, e.g. `lobby:main`. */
  readonly room: string;
  readonly intervalMs: number;
  readonly pools: readonly JackpotPool[];
}

/** What the ticker needs of the room directory. */
export interface TickerRooms {
  watch(room: string): void;
  unwatch(room: string): void;
  isOwner(room: string): boolean;
  submit(room: string, request: HostRequest): Promise<HostReply>;
}

/**
 * Publishes every pool's total into the lobby, several times a second, when it changed. Every node
 * running the jobs role runs one, but only one of them reads and publishes: the node that `leads`
 * (by default the lobby room's owner; with node roles, the holder of the ticker's job lease, which
 * publishes through the room's owner wherever it is). N nodes cost one indexed read per pool per
 * tick, not N. Every ticker watches the room, so when its owner dies another node takes it over and
 * the ticker carries on. An overlap of two leaders publishes nothing twice: the lobby refuses an
 * unchanged total. The total is read from the ledger, which is the truth: a spin on any
 * node shows at the next tick after its commit.
 */
export class JackpotTicker {
  private timer: Timer | null = null;
  private running = false;
  private sequence = 0;
  /** Totals this node published while it owned the room; forgotten when it stops owning it. */
  private readonly published = new Map<string, bigint>();
  // Action ids are remembered by the room: a restarted node must not reuse its predecessor's.
  private readonly instance = Date.now().toString(36);

  constructor(
    private readonly deps: {
      rooms: TickerRooms;
      wallet: Pick<Wallet, "jackpotTotal">;
      metrics: Pick<Metrics, "jackpotTotal">;
      nodeId: string;
      clock: Clock;
      /** Whether this node publishes now; default: it owns the room. */
      leads?: () => Promise<boolean>;
    },
    private readonly options: JackpotTickerOptions,
  ) {}

  start(): void {
    if (this.timer !== null || this.options.pools.length === 0) return;
    this.deps.rooms.watch(this.options.room);
    this.timer = this.deps.clock.every(this.options.intervalMs, () => void this.tick());
  }

  stop(): void {
    if (this.timer === null) return;
    this.timer.cancel();
    this.timer = null;
    this.deps.rooms.unwatch(this.options.room);
  }

  /** One round of reads and publishes; exposed for tests. Never overlaps itself; failures wait for the next tick. */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      if (!(await (this.deps.leads?.() ?? this.deps.rooms.isOwner(this.options.room)))) {
        this.published.clear();
        return;
      }
      for (const pool of this.options.pools) await this.publish(pool);
    } catch {
      // The database or the room log is unavailable: the next tick tries again.
    } finally {
      this.running = false;
    }
  }

  private async publish(pool: JackpotPool): Promise<void> {
    const key = `${pool.gameId}|${pool.currency}`;
    const total = await this.deps.wallet.jackpotTotal(pool.jackpotId, pool.currency);
    this.deps.metrics.jackpotTotal(pool.gameId, pool.currency, total);
    if (this.published.get(key) === total) return;
    const reply = await this.deps.rooms.submit(this.options.room, {
      type: "action",
      actor: systemActor,
      actionId: `jackpot:${this.deps.nodeId}:${this.instance}:${++this.sequence}`,
      lastOffset: 0,
      action: { kind: jackpotTotalKind, gameId: pool.gameId, currency: pool.currency, totalMinor: total.toString() },
    });
    if (reply.ok || reply.details?.includes("unchanged")) this.published.set(key, total);
  }
}
