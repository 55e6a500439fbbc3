// The room directory across an owner's death: an action waiting for a dead owner goes to the new
// owner as soon as it announces itself, instead of waiting out actionTimeoutMs. Two directories
// share one in-memory bus, lease and log; the first "dies" by losing its bus and its renewals.
import { afterEach, describe, expect, it } from "vitest";
import { RoomDirectory } from "../../src/app/rooms/room-directory.js";
import { sandboxBehavior } from "../../src/app/rooms/builtin-rooms.js";
import type { RoomBehavior } from "../../src/app/rooms/room-behavior.js";
import type { Bus, BusHandler } from "../../src/app/ports/bus.js";
import type { Lease, RoomLease } from "../../src/app/ports/room-lease.js";
import { MemoryBus } from "../../src/adapters/memory/bus.memory.js";
import { MemoryRoomLease } from "../../src/adapters/memory/room-lease.memory.js";
import { MemoryRoomLog } from "../../src/adapters/memory/room-log.memory.js";
import { systemClock } from "../../src/adapters/node/clock.system.js";

/** A node's view of the shared bus and lease store that can be cut, as a SIGKILL cuts a process off. */
class Severable {
  dead = false;
  constructor(
    private readonly bus: Bus,
    private readonly lease: RoomLease,
  ) {}
  readonly nodeBus: Bus = {
    publish: async (channel, message) => (this.dead ? undefined : this.bus.publish(channel, message)),
    subscribe: (channel, handler: BusHandler) => this.bus.subscribe(channel, (message) => (this.dead ? undefined : handler(message))),
    close: async () => undefined,
  };
  readonly nodeLease: RoomLease = {
    acquire: (room, nodeId, ttlMs) => (this.dead ? Promise.resolve(null) : this.lease.acquire(room, nodeId, ttlMs)),
    renew: (room, lease: Lease, ttlMs) => (this.dead ? Promise.resolve(false) : this.lease.renew(room, lease, ttlMs)),
    release: (room, lease: Lease) => (this.dead ? Promise.resolve() : this.lease.release(room, lease)),
    holder: (room) => this.lease.holder(room),
    // A dead node's announcement is not renewed: it lapses like its leases.
    announce: (nodeId, ttlMs) => (this.dead ? Promise.resolve() : this.lease.announce(nodeId, ttlMs)),
    withdraw: (nodeId) => (this.dead ? Promise.resolve() : this.lease.withdraw(nodeId)),
    hostingNodes: () => this.lease.hostingNodes(),
  };
}

const limits = {
  revealLeadMs: 0,
  chatCharsMax: 100,
  chatMessagesPerMinuteMax: 100,
  roomActionQueueMax: 100,
  actionIdsRememberedMax: 1_000,
  roomLogEntriesMax: 1_000,
  leaseTtlMs: 600,
  actionTimeoutMs: 10_000,
  pendingRequestsMax: 100,
};
const behaviors = new Map<string, RoomBehavior>([["sandbox", sandboxBehavior]]);
const actor = { userId: "ann", roles: ["player" as const] };
const directories: RoomDirectory[] = [];
afterEach(async () => {
  for (const d of directories.splice(0)) await d.stop();
});

describe("RoomDirectory failover", () => {
  it("sends an action waiting for a dead owner to the new owner when it takes over, well before actionTimeoutMs", async () => {
    const bus = new MemoryBus();
    const lease = new MemoryRoomLease(systemClock);
    const log = new MemoryRoomLog(lease, { roomLogEntriesMax: 1_000, roomLogAgeMsMax: 60_000 }, "t");
    const a = new Severable(bus, lease);
    const nodeA = new RoomDirectory("node-a", behaviors, log, a.nodeLease, a.nodeBus, systemClock, limits);
    const nodeB = new RoomDirectory("node-b", behaviors, log, lease, bus, systemClock, limits);
    directories.push(nodeA, nodeB);
    await nodeA.start();
    await nodeB.start();
    const room = "sandbox:failover";
    expect(await nodeA.ensureHosted(room)).not.toBeNull();
    nodeB.watch(room);
    // Served by the owner, across the bus.
    expect(await nodeB.submit(room, { type: "action", actor, actionId: "a1", lastOffset: 0, action: { kind: "note", text: "one" } })).toMatchObject({
      ok: true,
      status: "applied",
      offset: 1,
    });

    a.dead = true;
    const started = Date.now();
    const reply = await nodeB.submit(room, { type: "action", actor, actionId: "a2", lastOffset: 1, action: { kind: "note", text: "two" } });
    const waitedMs = Date.now() - started;
    expect(reply).toMatchObject({ ok: true, status: "applied", offset: 2 });
    expect(nodeB.isOwner(room)).toBe(true);
    // The lease lapses after 600 ms and the watcher takes over within a renewal interval more; the
    // action goes through then, not after the 10 s it would otherwise wait.
    expect(waitedMs).toBeLessThan(5_000);
    // Applied once: the log holds both notes, in order, and a resend is a duplicate.
    expect((await log.read(room, 0, 10)).entries.map((e) => e.data)).toEqual([
      { from: "ann", text: "one" },
      { from: "ann", text: "two" },
    ]);
    expect(await nodeB.submit(room, { type: "action", actor, actionId: "a2", lastOffset: 1, action: { kind: "note", text: "two" } })).toMatchObject({
      ok: true,
      status: "duplicate",
      offset: 2,
    });
  });
});

describe("RoomDirectory placement of shared tables", () => {
  const spreadRooms = ["sandbox:t1", "sandbox:t2", "sandbox:t3", "sandbox:t4"];
  const note = (id: string) => ({ type: "action" as const, actor, actionId: id, lastOffset: 0, action: { kind: "note", text: id } });

  it("spreads the configured tables over the hosting nodes, whichever node their first player reaches", async () => {
    const bus = new MemoryBus();
    const lease = new MemoryRoomLease(systemClock);
    const log = new MemoryRoomLog(lease, { roomLogEntriesMax: 1_000, roomLogAgeMsMax: 60_000 }, "p");
    const nodeA = new RoomDirectory("node-a", behaviors, log, lease, bus, systemClock, limits, undefined, { hostsRooms: true, spreadRooms });
    const nodeB = new RoomDirectory("node-b", behaviors, log, lease, bus, systemClock, limits, undefined, { hostsRooms: true, spreadRooms });
    directories.push(nodeA, nodeB);
    await nodeA.start();
    await nodeB.start();
    expect(await lease.hostingNodes()).toEqual(["node-a", "node-b"]);
    // Every first action arrives at node A; half the tables end up on node B, which applies their actions.
    for (const room of spreadRooms) expect(await nodeA.submit(room, note(`first-${room}`))).toMatchObject({ ok: true, status: "applied", offset: 1 });
    expect(spreadRooms.map((room) => nodeA.isOwner(room))).toEqual([true, false, true, false]);
    expect(spreadRooms.map((room) => nodeB.isOwner(room))).toEqual([false, true, false, true]);
    // A room that is not a configured table stays with the node that first used it.
    expect(await nodeA.submit("sandbox:private", note("p1"))).toMatchObject({ ok: true, status: "applied" });
    expect(nodeA.isOwner("sandbox:private")).toBe(true);
    await nodeB.stop();
    expect(await lease.hostingNodes()).toEqual(["node-a"]);
  });

  it("takes a table itself when its preferred node died before its announcement lapsed", async () => {
    const bus = new MemoryBus();
    const lease = new MemoryRoomLease(systemClock);
    const log = new MemoryRoomLog(lease, { roomLogEntriesMax: 1_000, roomLogAgeMsMax: 60_000 }, "q");
    const b = new Severable(bus, lease);
    const nodeA = new RoomDirectory("node-a", behaviors, log, lease, bus, systemClock, limits, undefined, { hostsRooms: true, spreadRooms });
    const nodeB = new RoomDirectory("node-b", behaviors, log, b.nodeLease, b.nodeBus, systemClock, limits, undefined, { hostsRooms: true, spreadRooms });
    directories.push(nodeA, nodeB);
    await nodeA.start();
    await nodeB.start();
    b.dead = true;
    const room = "sandbox:t2";
    nodeA.watch(room);
    const started = Date.now();
    expect(await nodeA.submit(room, note("late"))).toMatchObject({ ok: true, status: "applied", offset: 1 });
    expect(nodeA.isOwner(room)).toBe(true);
    // Offered to node B, unanswered; node A took it within about a lease (600 ms) and a renewal interval.
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
