// One contract for the RoomLog and RoomLease ports, in memory (embedded) and in Redis (production):
// fencing proven directly. A stale or never-issued fence appends nothing; a lease that lapses while
// its owner is paused (not killed) is taken over and the old owner's renewals and writes are refused;
// the new owner answers an action id retried after the takeover as `duplicate`.
import { afterAll, describe, expect, it } from "vitest";
import type { LogEntry, RoomLog } from "../../src/app/ports/room-log.js";
import type { RoomLease } from "../../src/app/ports/room-lease.js";
import type { Actor, RoomBehavior } from "../../src/app/rooms/room-behavior.js";
import { RoomHost, type HostLimits } from "../../src/app/rooms/room-host.js";
import { MemoryRoomLease } from "../../src/adapters/memory/room-lease.memory.js";
import { MemoryRoomLog } from "../../src/adapters/memory/room-log.memory.js";
import { RedisBus } from "../../src/adapters/redis/bus.redis.js";
import { RedisRoomLease } from "../../src/adapters/redis/room-lease.redis.js";
import { RedisRoomLog } from "../../src/adapters/redis/room-log.redis.js";
import { systemClock } from "../../src/adapters/node/clock.system.js";
import { serviceAvailable } from "../support/services.js";
import { connectRedis, deleteKeys, redisPrefix } from "../support/redis.js";

interface Rooms {
  readonly lease: RoomLease;
  readonly log: RoomLog;
  /** The same store seen by another process (memory: the one process there is). */
  readonly peer: () => RoomLog;
}
const limits = { roomLogEntriesMax: 1_000, roomLogAgeMsMax: 600_000 };

const kinds: Array<{ name: string; available: () => boolean; create(): Promise<Rooms & { dispose: () => Promise<void> }> }> = [
  {
    name: "memory",
    available: () => true,
    create: async () => {
      const lease = new MemoryRoomLease(systemClock);
      const log = new MemoryRoomLog(lease, limits, "m");
      return { lease, log, peer: () => log, dispose: async () => undefined };
    },
  },
  {
    name: "redis",
    available: () => serviceAvailable("redis"),
    create: async () => {
      const redis = connectRedis();
      const prefix = redisPrefix();
      const bus = new RedisBus(redis, prefix);
      const peers: Array<{ redis: ReturnType<typeof connectRedis>; bus: RedisBus }> = [];
      return {
        lease: new RedisRoomLease(redis, prefix),
        log: new RedisRoomLog(redis, bus, prefix, { ...limits, roomIdleMsMax: 600_000 }),
        peer: () => {
          const peer = { redis: connectRedis(), bus: undefined as unknown as RedisBus };
          peer.bus = new RedisBus(peer.redis, prefix);
          peers.push(peer);
          return new RedisRoomLog(peer.redis, peer.bus, prefix, { ...limits, roomIdleMsMax: 600_000 });
        },
        dispose: async () => {
          for (const peer of peers) {
            await peer.bus.close();
            peer.redis.disconnect();
          }
          await bus.close();
          await deleteKeys(redis, prefix);
          redis.disconnect();
        },
      };
    },
  },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const snap = (n: number) => ({ public: { n } });

/** Subscribes to a room's live entries: what a gateway would pass on. */
async function live(log: RoomLog, room: string): Promise<{ seen: Array<{ epoch: string; entry: LogEntry }>; stop: () => Promise<void> }> {
  const seen: Array<{ epoch: string; entry: LogEntry }> = [];
  const stop = await log.subscribe(room, (epoch, entry) => seen.push({ epoch, entry }));
  return { seen, stop };
}

interface Tally {
  readonly total: number;
}
/** A room that adds numbers: enough to tell an action applied once from one applied twice. */
const tally: RoomBehavior<Tally> = {
  kind: "tally",
  canJoin: () => true,
  initial: () => ({ total: 0 }),
  apply: (state, action) => {
    if (action.kind !== "add") return { ok: true, state, events: [] };
    const total = state.total + (action.n as number);
    return { ok: true, state: { total }, events: [{ kind: "added", data: { n: action.n } }], result: { total } };
  },
  snapshot: (state) => ({ public: state }),
  restore: (snapshot) => snapshot.public as Tally,
};
const hostLimits: HostLimits = {
  revealLeadMs: 0,
  chatCharsMax: 10,
  chatMessagesPerMinuteMax: 10,
  roomActionQueueMax: 100,
  actionIdsRememberedMax: 100,
  roomLogEntriesMax: 1_000,
};
const player: Actor = { userId: "u1", roles: [] };

for (const kind of kinds) {
  describe.skipIf(!kind.available())(`RoomLease and RoomLog contract (${kind.name})`, () => {
    const disposers: Array<() => Promise<void>> = [];
    afterAll(async () => {
      for (const d of disposers) await d();
    });
    const open = async (): Promise<Rooms> => {
      const { dispose, ...rooms } = await kind.create();
      disposers.push(dispose);
      return rooms;
    };

    it("gives a free lease with a fence that only grows, and refuses a held one to another node", async () => {
      const { lease } = await open();
      const f1 = await lease.acquire("t:a", "n1", 60_000);
      expect(f1).toBeGreaterThanOrEqual(1);
      expect(await lease.acquire("t:a", "n2", 60_000)).toBeNull();
      expect(await lease.holder("t:a")).toEqual({ nodeId: "n1", fence: f1 });
      expect(await lease.renew("t:a", { nodeId: "n1", fence: f1 as number }, 60_000)).toBe(true);
      expect(await lease.renew("t:a", { nodeId: "n2", fence: f1 as number }, 60_000)).toBe(false);
      await lease.release("t:a", { nodeId: "n2", fence: f1 as number }); // not n2's to release
      expect(await lease.holder("t:a")).toEqual({ nodeId: "n1", fence: f1 });
      await lease.release("t:a", { nodeId: "n1", fence: f1 as number });
      expect(await lease.holder("t:a")).toBeNull();
      const f2 = await lease.acquire("t:a", "n2", 60_000);
      expect(f2).toBeGreaterThan(f1 as number);
      expect(await lease.renew("t:a", { nodeId: "n1", fence: f1 as number }, 60_000)).toBe(false);
    });

    it("appends contiguous offsets from 1 under the current fence, reads them back and delivers them live with the epoch", async () => {
      const { lease, log } = await open();
      const fence = (await lease.acquire("t:b", "n1", 60_000)) as number;
      const feed = await live(log, "t:b");
      const empty = await log.head("t:b");
      expect(empty.offset).toBe(0);
      const first = await log.append("t:b", fence, [{ kind: "x" }, { kind: "y", data: { n: 2 } }], snap(1), 1_000);
      expect(first).toMatchObject({ ok: true, epoch: empty.epoch });
      const second = await log.append("t:b", fence, [{ kind: "z", actionId: "u1:a" }], snap(2), 1_001);
      expect(second.ok && second.entries.map((e) => e.offset)).toEqual([3]);
      expect(await log.head("t:b")).toEqual({ epoch: empty.epoch, offset: 3 });
      const range = await log.read("t:b", 1, 10);
      expect(range.entries.map((e) => [e.offset, e.kind])).toEqual([
        [2, "y"],
        [3, "z"],
      ]);
      expect(range.entries[1]?.actionId).toBe("u1:a");
      expect(await log.snapshot("t:b")).toEqual({ epoch: empty.epoch, offset: 3, snapshot: snap(2) });
      for (let i = 0; i < 50 && feed.seen.length < 3; i++) await sleep(10);
      expect(feed.seen.map((s) => [s.epoch, s.entry.offset])).toEqual([
        [empty.epoch, 1],
        [empty.epoch, 2],
        [empty.epoch, 3],
      ]);
      await feed.stop();
    });

    it("delivers each entry once to a subscriber of the writing log (before the append answers) and once to one of another process", async () => {
      const { lease, log, peer } = await open();
      const other = peer();
      const fence = (await lease.acquire("t:once", "n1", 60_000)) as number;
      const own = await live(log, "t:once");
      const far = await live(other, "t:once");
      for (let i = 1; i <= 5; i++) {
        const appended = await log.append("t:once", fence, [{ kind: "x", data: { i } }], snap(i), 1_000 + i);
        expect(appended.ok).toBe(true);
        // The writer's own subscribers have it by the time the append answers.
        expect(own.seen.map((s) => s.entry.offset)).toEqual(Array.from({ length: i }, (_, k) => k + 1));
      }
      for (let i = 0; i < 100 && far.seen.length < 5; i++) await sleep(10);
      await sleep(50); // time for a second copy to arrive, if one were sent
      const epoch = (await log.head("t:once")).epoch;
      for (const feed of [own, far]) {
        expect(feed.seen.map((s) => [s.epoch, s.entry.offset, s.entry.data])).toEqual([1, 2, 3, 4, 5].map((i) => [epoch, i, { i }]));
        await feed.stop();
      }
    });

    it("refuses an append with a stale fence, a fence never issued, or no lease at all, and writes nothing", async () => {
      const { lease, log } = await open();
      const feed = await live(log, "t:c");
      expect(await log.append("t:c", 0, [{ kind: "no-lease" }], snap(0), 1_000)).toEqual({ ok: false, reason: "fenced" });
      const f1 = (await lease.acquire("t:c", "n1", 60_000)) as number;
      await lease.release("t:c", { nodeId: "n1", fence: f1 });
      const f2 = (await lease.acquire("t:c", "n2", 60_000)) as number;
      expect(await log.append("t:c", f1, [{ kind: "stale" }], snap(1), 1_000)).toEqual({ ok: false, reason: "fenced" });
      expect(await log.append("t:c", f2 + 1, [{ kind: "future" }], snap(1), 1_000)).toEqual({ ok: false, reason: "fenced" });
      expect((await log.head("t:c")).offset).toBe(0);
      expect((await log.snapshot("t:c")).snapshot).toBeNull();
      expect(await log.append("t:c", f2, [{ kind: "owner" }], snap(2), 1_000)).toMatchObject({ ok: true, entries: [{ offset: 1, kind: "owner" }] });
      await sleep(50);
      expect(feed.seen.map((s) => s.entry.kind)).toEqual(["owner"]);
      await feed.stop();
    });

    it("renews a lease that lapsed while nobody took the room (its fence is still the latest), and not one taken over", async () => {
      const { lease, log } = await open();
      const f1 = (await lease.acquire("t:lapse", "n1", 100)) as number;
      await sleep(250); // the renewal arrives after the lease lapsed, and nobody acquired the room meanwhile
      expect(await lease.renew("t:lapse", { nodeId: "n1", fence: f1 }, 60_000)).toBe(true);
      expect(await lease.holder("t:lapse")).toEqual({ nodeId: "n1", fence: f1 });
      expect(await lease.acquire("t:lapse", "n2", 60_000)).toBeNull();
      expect((await log.append("t:lapse", f1, [{ kind: "x" }], snap(1), 1_000)).ok).toBe(true);
      // Lapsed again, and this time another node took the room: the old holder stays out.
      const f2 = (await lease.acquire("t:lapse2", "n1", 100)) as number;
      await sleep(250);
      const f3 = (await lease.acquire("t:lapse2", "n2", 60_000)) as number;
      expect(f3).toBeGreaterThan(f2);
      await lease.release("t:lapse2", { nodeId: "n2", fence: f3 }); // even with the room free again, n1's fence is not the latest
      expect(await lease.renew("t:lapse2", { nodeId: "n1", fence: f2 }, 60_000)).toBe(false);
      expect(await lease.holder("t:lapse2")).toBeNull();
    });

    it("lets another node take over a lease that lapsed while its owner was paused; the old owner's renewals and writes are fenced", async () => {
      const { lease, log } = await open();
      const f1 = (await lease.acquire("t:d", "n1", 150)) as number;
      expect((await log.append("t:d", f1, [{ kind: "before-pause" }], snap(1), 1_000)).ok).toBe(true);
      // n1 is paused (a GC pause, SIGSTOP): it neither renews nor knows time passed.
      expect(await lease.acquire("t:d", "n2", 150)).toBeNull();
      await sleep(300);
      const f2 = (await lease.acquire("t:d", "n2", 60_000)) as number;
      expect(f2).toBeGreaterThan(f1);
      // n1 wakes up and carries on as if it still owned the room.
      expect(await lease.renew("t:d", { nodeId: "n1", fence: f1 }, 150)).toBe(false);
      expect(await log.append("t:d", f1, [{ kind: "zombie" }], snap(99), 1_001)).toEqual({ ok: false, reason: "fenced" });
      expect(await lease.holder("t:d")).toEqual({ nodeId: "n2", fence: f2 });
      expect((await log.append("t:d", f2, [{ kind: "new-owner" }], snap(2), 1_002)).ok).toBe(true);
      expect((await log.read("t:d", 0, 10)).entries.map((e) => [e.offset, e.kind])).toEqual([
        [1, "before-pause"],
        [2, "new-owner"],
      ]);
      expect((await log.snapshot("t:d")).snapshot).toEqual(snap(2));
    });

    it("after a takeover, the new owner answers an action id retried by its player as duplicate and applies it once; the paused owner is fenced", async () => {
      const { lease, log } = await open();
      const room = "tally:e";
      const f1 = (await lease.acquire(room, "n1", 150)) as number;
      let fencedA = 0;
      const a = await RoomHost.open(
        room,
        f1,
        tally,
        log,
        systemClock,
        hostLimits,
        () => fencedA++,
        async () => null,
      );
      expect(await a.submit({ type: "action", actor: player, actionId: "bet-1", lastOffset: 0, action: { kind: "add", n: 5 } })).toMatchObject({
        ok: true,
        status: "applied",
        offset: 1,
        result: { total: 5 },
      });
      // The owner is paused past its lease (not stopped: its host still believes it owns the room).
      await sleep(300);
      const f2 = (await lease.acquire(room, "n2", 60_000)) as number;
      const b = await RoomHost.open(
        room,
        f2,
        tally,
        log,
        systemClock,
        hostLimits,
        () => undefined,
        async () => null,
      );
      // The player's client never saw the ack and resends to the new owner.
      expect(await b.submit({ type: "action", actor: player, actionId: "bet-1", lastOffset: 0, action: { kind: "add", n: 5 } })).toMatchObject({
        ok: true,
        status: "duplicate",
        offset: 1,
      });
      // The paused owner wakes with a queued action: its write is refused and it stops.
      expect(await a.submit({ type: "action", actor: player, actionId: "bet-2", lastOffset: 1, action: { kind: "add", n: 7 } })).toMatchObject({
        ok: false,
        error: "ROOM_UNAVAILABLE",
      });
      expect(fencedA).toBe(1);
      expect(a.isStopped).toBe(true);
      // The action goes to the new owner, once.
      expect(await b.submit({ type: "action", actor: player, actionId: "bet-2", lastOffset: 1, action: { kind: "add", n: 7 } })).toMatchObject({
        ok: true,
        status: "applied",
        offset: 2,
        result: { total: 12 },
      });
      expect(await b.submit({ type: "action", actor: player, actionId: "bet-2", lastOffset: 1, action: { kind: "add", n: 7 } })).toMatchObject({
        ok: true,
        status: "duplicate",
        offset: 2,
        result: { total: 12 },
      });
      expect((await log.read(room, 0, 10)).entries.map((e) => [e.offset, e.kind, e.actionId])).toEqual([
        [1, "added", "u1:bet-1"],
        [2, "added", "u1:bet-2"],
      ]);
      expect((await log.snapshot(room)).snapshot?.public).toMatchObject({ state: { total: 12 } });
      b.stop();
    });

    it("knows the hosting nodes by their announcements, which lapse unless renewed", async () => {
      const { lease } = await open();
      await lease.announce("node-b", 60_000);
      await lease.announce("node-a", 100);
      expect(await lease.hostingNodes()).toEqual(["node-a", "node-b"]);
      await sleep(250);
      expect(await lease.hostingNodes()).toEqual(["node-b"]);
      await lease.announce("node-a", 60_000);
      await lease.withdraw("node-b");
      expect(await lease.hostingNodes()).toEqual(["node-a"]);
    });
  });
}
