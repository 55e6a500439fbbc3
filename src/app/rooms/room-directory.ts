import { background } from "../background.js";
import type { Bus } from "../ports/bus.js";
import type { Clock, Timer } from "../ports/clock.js";
import { silentStages, type StageObserver } from "../ports/metrics.js";
import type { RoomLease } from "../ports/room-lease.js";
import type { RoomLog } from "../ports/room-log.js";
import type { RoomBehavior } from "./room-behavior.js";
import { roomKind } from "./room-behavior.js";
import { silentFaults, type RoomFaults } from "./room-faults.js";
import { RoomHost, type EffectRunner, type HostLimits, type HostReply, type HostRequest } from "./room-host.js";

export interface DirectoryLimits extends HostLimits {
  readonly leaseTtlMs: number;
  readonly actionTimeoutMs: number;
  readonly pendingRequestsMax: number;
}

/**
 * hostsRooms false: a node that never takes a room lease (a gateway without the tables role).
 * spreadRooms: the configured shared tables (`roulette:1`, `blackjack:2`, ...), spread over the
 * hosting nodes instead of going to whichever node a first player happens to reach.
 */
export interface DirectoryOptions {
  readonly hostsRooms: boolean;
  readonly spreadRooms?: readonly string[];
}

/**
 * Where a shared table should live: the k-th table of its kind (in id order) goes to the (k mod n)-th
 * of the n hosting nodes (sorted), so the tables of one game share the nodes evenly. Null when the
 * room is not spread or no node is known.
 */
export function preferredNode(room: string, spreadRooms: readonly string[], nodes: readonly string[]): string | null {
  if (nodes.length === 0 || !spreadRooms.includes(room)) return null;
  const kind = roomKind(room);
  const ofKind = spreadRooms.filter((r) => roomKind(r) === kind).sort();
  return nodes[ofKind.indexOf(room) % nodes.length] ?? null;
}

interface Pending {
  resolve: (reply: HostReply, ownerMs: number | undefined) => void;
  timer: Timer;
  readonly room: string;
  readonly remote: RemoteRequest;
}
interface Owned {
  host: RoomHost;
  unsubscribe: () => Promise<void>;
}
interface RemoteRequest {
  replyTo: string;
  correlation: string;
  request: HostRequest;
}

const requestChannel = (room: string) => `room.requests.${room}`;
const replyChannel = (nodeId: string) => `node.replies.${nodeId}`;
/** Rooms nobody owns, offered to the nodes that host rooms; the first to take the lease serves. */
const claimChannel = "rooms.claims";
/** Every node that starts hosting a room says so here: requests waiting for a dead owner go to the new one at once. */
const ownerChannel = "rooms.owners";

/**
 * Which node owns which room, and the way to it. A node hosts a room when it finds the room's lease
 * free (on first use, or after the owner died and the lease expired); requests for a room owned
 * elsewhere travel over the bus to the owner and the reply comes back to this node. A node that
 * hosts no rooms offers a room without an owner on the claims channel instead (with the request, if
 * there is one); a hosting node takes the lease and serves it, as it would on first use.
 */
export class RoomDirectory {
  private readonly owned = new Map<string, Owned>();
  private readonly opening = new Map<string, Promise<RoomHost | null>>();
  private readonly watched = new Map<string, number>();
  private readonly pending = new Map<string, Pending>();
  private correlation = 0;
  /** A renewal round is running: the next interval skips rather than piling up behind it. */
  private ticking = false;
  private timer: Timer | null = null;
  private stopReplies: (() => Promise<void>) | null = null;
  private stopClaims: (() => Promise<void>) | null = null;
  private stopOwners: (() => Promise<void>) | null = null;
  /** Spread rooms this node offered to their preferred node, and when: it takes them itself if nobody did in time. */
  private readonly offered = new Map<string, number>();

  constructor(
    readonly nodeId: string,
    private readonly behaviors: ReadonlyMap<string, RoomBehavior>,
    private readonly log: RoomLog,
    private readonly lease: RoomLease,
    private readonly bus: Bus,
    private readonly clock: Clock,
    private readonly limits: DirectoryLimits,
    private readonly effects: EffectRunner = async (room) => {
      throw new Error(`room ${room} asked for an effect but this node runs none`);
    },
    private readonly options: DirectoryOptions = { hostsRooms: true },
    private readonly stages: StageObserver = silentStages,
    private readonly faults: RoomFaults = silentFaults,
  ) {}

  async start(): Promise<void> {
    this.stopReplies = await this.bus.subscribe(replyChannel(this.nodeId), (message) => {
      const { correlation, reply, ownerMs } = JSON.parse(message) as { correlation: string; reply: HostReply; ownerMs?: number };
      const pending = this.pending.get(correlation);
      if (pending === undefined) return;
      pending.timer.cancel();
      this.pending.delete(correlation);
      pending.resolve(reply, typeof ownerMs === "number" ? ownerMs : undefined);
    });
    if (this.options.hostsRooms) {
      this.stopClaims = await this.bus.subscribe(claimChannel, (message) => void this.claimed(message));
      await this.lease.announce(this.nodeId, this.limits.leaseTtlMs);
    }
    this.stopOwners = await this.bus.subscribe(ownerChannel, (message) => background(this.ownerAnnounced(message), "rooms.owner-announced"));
    // Renewing at a third of the lease leaves two chances before it lapses.
    this.timer = this.clock.every(Math.max(50, Math.floor(this.limits.leaseTtlMs / 3)), () => background(this.tick(), "rooms.lease-renewal"));
  }

  async stop(): Promise<void> {
    this.timer?.cancel();
    if (this.options.hostsRooms) await this.lease.withdraw(this.nodeId).catch(() => undefined);
    await this.stopReplies?.();
    await this.stopClaims?.();
    await this.stopOwners?.();
    for (const [room, owned] of this.owned) {
      owned.host.stop();
      await owned.unsubscribe();
      await this.lease.release(room, { nodeId: this.nodeId, fence: owned.host.fenceToken });
    }
    this.owned.clear();
    for (const pending of this.pending.values()) {
      pending.timer.cancel();
      pending.resolve({ ok: false, error: "ROOM_UNAVAILABLE" }, undefined);
    }
    this.pending.clear();
  }

  behaviorOf(room: string): RoomBehavior | undefined {
    return this.behaviors.get(roomKind(room));
  }

  /** Rooms this node's clients are in: it takes them over if their owner disappears. */
  watch(room: string): void {
    this.watched.set(room, (this.watched.get(room) ?? 0) + 1);
    background(this.ensureHosted(room), "rooms.takeover");
  }

  unwatch(room: string): void {
    const count = (this.watched.get(room) ?? 1) - 1;
    if (count <= 0) this.watched.delete(room);
    else this.watched.set(room, count);
  }

  isOwner(room: string): boolean {
    return this.owned.has(room);
  }

  async submit(room: string, request: HostRequest): Promise<HostReply> {
    if (!this.options.hostsRooms) return this.sendToOwner(room, request, (await this.lease.holder(room)) === null ? claimChannel : requestChannel(room));
    const host = this.owned.get(room)?.host ?? (await this.ensureHosted(room));
    if (host !== null && !host.isStopped) {
      if (request.type === "action") this.stages("route", 0);
      return host.submit(request);
    }
    return this.sendToOwner(room, request, requestChannel(room));
  }

  /** Hosts the room here if nobody holds its lease; returns the local host or null when another node owns it. */
  async ensureHosted(room: string): Promise<RoomHost | null> {
    if (!this.options.hostsRooms) {
      if (this.behaviorOf(room) !== undefined && (await this.lease.holder(room)) === null) await this.bus.publish(claimChannel, JSON.stringify({ room }));
      return null;
    }
    const current = this.owned.get(room);
    if (current !== undefined && !current.host.isStopped) return current.host;
    const opening = this.opening.get(room);
    if (opening !== undefined) return opening;
    // Registered before any await, so concurrent callers share one opening.
    const promise = this.placedHere(room)
      .then((here) => (here ? this.open(room) : null))
      .finally(() => this.opening.delete(room));
    this.opening.set(room, promise);
    return promise;
  }

  /**
   * Whether this node should open `room` now. A spread room without an owner is offered to its
   * preferred node over the claims channel; this node takes it only if nobody has after a lease's
   * time (the preferred node died before its announcement lapsed). Any other room: yes.
   */
  private async placedHere(room: string): Promise<boolean> {
    const spread = this.options.spreadRooms ?? [];
    if (!spread.includes(room)) return true;
    if ((await this.lease.holder(room)) !== null) {
      this.offered.delete(room);
      return false;
    }
    const preferred = preferredNode(room, spread, await this.lease.hostingNodes());
    if (preferred === null || preferred === this.nodeId) return true;
    const offeredAt = this.offered.get(room);
    if (offeredAt !== undefined && this.clock.nowMs() - offeredAt >= this.limits.leaseTtlMs) {
      this.offered.delete(room);
      return true;
    }
    if (offeredAt === undefined) this.offered.set(room, this.clock.nowMs());
    await this.bus.publish(claimChannel, JSON.stringify({ room, preferred }));
    return false;
  }

  private async open(room: string): Promise<RoomHost | null> {
    const behavior = this.behaviorOf(room);
    if (behavior === undefined) return null;
    const fence = await this.lease.acquire(room, this.nodeId, this.limits.leaseTtlMs);
    if (fence === null) return null;
    const host = await RoomHost.open(
      room,
      fence,
      behavior,
      this.log,
      this.clock,
      this.limits,
      () => background(this.drop(room), "rooms.drop"),
      this.effects,
      this.stages,
      this.faults,
    );
    const unsubscribe = await this.bus.subscribe(requestChannel(room), (message) => background(this.serveRemote(host, message), "rooms.serve-remote"));
    this.owned.set(room, { host, unsubscribe });
    background(this.bus.publish(ownerChannel, JSON.stringify({ room, nodeId: this.nodeId })), "rooms.owner-announce");
    return host;
  }

  /**
   * A node started hosting `room` (a first use, or a takeover after its owner died). Actions this
   * node sent to the room and still waits for are sent again to the new owner straight away, rather
   * than waiting out `actionTimeoutMs` for a dead one: an action is idempotent by its actionId (the
   * new owner rebuilds the ids from the log), so one the old owner did apply is answered `duplicate`.
   * Chat and moderation are not idempotent: they keep waiting, and time out.
   */
  private async ownerAnnounced(message: string): Promise<void> {
    const { room, nodeId } = JSON.parse(message) as { room: string; nodeId: string };
    for (const [correlation, pending] of this.pending) {
      if (pending.room !== room || pending.remote.request.type !== "action") continue;
      if (nodeId !== this.nodeId) {
        background(this.bus.publish(requestChannel(room), JSON.stringify(pending.remote)), "rooms.request-publish");
        continue;
      }
      const host = this.owned.get(room)?.host;
      if (host === undefined || host.isStopped) continue;
      pending.timer.cancel();
      this.pending.delete(correlation);
      pending.resolve(await host.submit(pending.remote.request), undefined);
    }
  }

  /** A room offered by a node that hosts none: take it if free, and serve the request it carries if this node owns it now. */
  private async claimed(message: string): Promise<void> {
    const { room, request, preferred } = JSON.parse(message) as { room: string; request?: RemoteRequest; preferred?: string };
    // An offer to another node is that node's to take (this one takes it later if nobody does).
    if (preferred !== undefined && preferred !== this.nodeId) return;
    const host = await this.ensureHosted(room).catch(() => null);
    if (host !== null && request !== undefined) await this.serveRemote(host, request);
  }

  private async serveRemote(host: RoomHost, message: string | RemoteRequest): Promise<void> {
    const { replyTo, correlation, request } = typeof message === "string" ? (JSON.parse(message) as RemoteRequest) : message;
    const started = performance.now();
    const reply = await host.submit(request);
    // The owner's own time travels back, so the requester can tell the route from the work.
    await this.bus.publish(replyChannel(replyTo), JSON.stringify({ correlation, reply, ownerMs: performance.now() - started }));
  }

  private sendToOwner(room: string, request: HostRequest, channel: string): Promise<HostReply> {
    if (this.pending.size >= this.limits.pendingRequestsMax)
      return Promise.resolve({ ok: false, error: "ROOM_UNAVAILABLE", details: ["too many requests in flight"] });
    const correlation = `${this.nodeId}:${++this.correlation}`;
    const sent = performance.now();
    return new Promise<HostReply>((resolve) => {
      const timer = this.clock.after(this.limits.actionTimeoutMs, () => {
        this.pending.delete(correlation);
        resolve({ ok: false, error: "ROOM_UNAVAILABLE", details: ["the room's owner did not answer"] });
      });
      const answer = (reply: HostReply, ownerMs: number | undefined) => {
        if (request.type === "action" && ownerMs !== undefined) this.stages("route", Math.max(0, performance.now() - sent - ownerMs));
        resolve(reply);
      };
      const remote: RemoteRequest = { replyTo: this.nodeId, correlation, request };
      this.pending.set(correlation, { resolve: answer, timer, room, remote });
      background(this.bus.publish(channel, JSON.stringify(channel === claimChannel ? { room, request: remote } : remote)), "rooms.request-publish");
    });
  }

  private async drop(room: string): Promise<void> {
    const owned = this.owned.get(room);
    if (owned === undefined) return;
    this.owned.delete(room);
    owned.host.stop();
    await owned.unsubscribe();
  }

  /**
   * Renews every lease this node holds and takes over watched rooms without an owner. The renewals
   * go out together (one Redis round trip's worth of latency for all of them, not one each): a node
   * owning a thousand slot machines renewed one after another would, on a busy machine, take longer
   * than the lease lasts and lose rooms it still serves.
   */
  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      if (this.options.hostsRooms) await this.lease.announce(this.nodeId, this.limits.leaseTtlMs).catch(() => undefined);
      await Promise.all(
        [...this.owned].map(async ([room, owned]) => {
          const kept = await this.lease.renew(room, { nodeId: this.nodeId, fence: owned.host.fenceToken }, this.limits.leaseTtlMs).catch(() => false);
          if (!kept && this.owned.get(room) === owned) {
            this.faults.lost(room, "lease");
            await this.drop(room);
          }
        }),
      );
      await Promise.all([...this.watched.keys()].filter((room) => !this.owned.has(room)).map((room) => this.ensureHosted(room).catch(() => null)));
    } finally {
      this.ticking = false;
    }
  }
}
