// The room host keeps a room's timer alive through a failing effect: the step is retried, not lost.
import { describe, expect, it } from "vitest";
import { RoomHost } from "../../src/app/rooms/room-host.js";
import type { RoomBehavior } from "../../src/app/rooms/room-behavior.js";
import { MemoryRoomLease } from "../../src/adapters/memory/room-lease.memory.js";
import { MemoryRoomLog } from "../../src/adapters/memory/room-log.memory.js";
import { systemClock } from "../../src/adapters/node/clock.system.js";

interface State {
  readonly due: number;
  readonly done: boolean;
}

/** A room with one timed step that needs one effect (say, settling a round in the ledger). */
const oneStep: RoomBehavior<State> = {
  kind: "step",
  canJoin: () => true,
  initial: () => ({ due: Date.now() + 20, done: false }),
  apply: (state, action) =>
    action.kind === "tick" && !state.done
      ? { ok: true, effect: { type: "settle" }, resume: () => ({ ok: true, state: { ...state, done: true }, events: [{ kind: "settled" }] }) }
      : { ok: true, state, events: [] },
  deadline: (state) => (state.done ? null : state.due),
  snapshot: (state) => ({ public: state }),
  restore: (snapshot) => snapshot.public as State,
};

describe("RoomHost timers", () => {
  it("retries a timed step whose effect failed, and completes it once", async () => {
    const lease = new MemoryRoomLease(systemClock);
    const log = new MemoryRoomLog(lease, { roomLogEntriesMax: 100, roomLogAgeMsMax: 60_000 }, "t");
    const fence = (await lease.acquire("step:a", "n1", 60_000)) as number;
    let attempts = 0;
    const host = await RoomHost.open(
      "step:a",
      fence,
      oneStep,
      log,
      systemClock,
      {
        revealLeadMs: 0,
        chatCharsMax: 10,
        chatMessagesPerMinuteMax: 10,
        roomActionQueueMax: 10,
        actionIdsRememberedMax: 10,
        roomLogEntriesMax: 100,
      },
      () => undefined,
      async () => {
        attempts++;
        if (attempts === 1) throw Object.assign(new Error("database unavailable"), { code: "57P01" });
        return null;
      },
    );
    const deadline = Date.now() + 5_000;
    while ((await log.head("step:a")).offset === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const range = await log.read("step:a", 0, 10);
    expect(range.entries.map((e) => e.kind)).toEqual(["settled"]);
    expect(attempts).toBe(2);
    host.stop();
  });
});

interface Tally {
  readonly count: number;
  readonly total: number;
}

/** A room whose actions need a slow outside step first (as a bet needs its stake reserved). */
const tally: RoomBehavior<Tally> = {
  kind: "tally",
  canJoin: () => true,
  initial: () => ({ count: 0, total: 0 }),
  prepare: (_state, action) =>
    typeof action.n === "number" && action.n > 0
      ? { ok: true, effect: { n: action.n } }
      : { ok: false, error: "ACTION_REJECTED", details: ["n must be positive"] },
  apply: (state, action, actor, ctx) => {
    const n = ctx.prepared as number;
    return {
      ok: true,
      state: { count: state.count + 1, total: state.total + n },
      events: [{ kind: "added", data: { n, by: actor.userId } }],
      result: { total: state.total + n },
    };
  },
  snapshot: (state) => ({ public: state }),
  restore: (snapshot) => snapshot.public as Tally,
};

describe("RoomHost prepared actions", () => {
  it("prepares concurrently, judges in order, writes many actions in one append, and answers each with its own offset", async () => {
    const lease = new MemoryRoomLease(systemClock);
    const log = new MemoryRoomLog(lease, { roomLogEntriesMax: 1_000, roomLogAgeMsMax: 60_000 }, "t");
    let appends = 0;
    const append = log.append.bind(log);
    log.append = async (...args) => {
      appends++;
      return append(...args);
    };
    const fence = (await lease.acquire("tally:a", "n1", 60_000)) as number;
    let inFlight = 0;
    let inFlightMax = 0;
    const host = await RoomHost.open(
      "tally:a",
      fence,
      tally,
      log,
      systemClock,
      {
        revealLeadMs: 0,
        chatCharsMax: 10,
        chatMessagesPerMinuteMax: 10,
        roomActionQueueMax: 1_000,
        actionIdsRememberedMax: 1_000,
        roomLogEntriesMax: 1_000,
        roomWriteBatchWaitMs: 3,
      },
      () => undefined,
      async (_room, effect) => {
        inFlight++;
        inFlightMax = Math.max(inFlightMax, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return (effect as { n: number }).n;
      },
    );
    const actor = (i: number) => ({ userId: `u${i % 7}`, roles: [] as const });
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        host.submit({ type: "action", actor: actor(i), actionId: `a${i}`, lastOffset: 0, action: { kind: "add", n: i + 1 } }),
      ),
    );
    expect(replies.every((r) => r.ok && r.status === "applied")).toBe(true);
    const offsets = replies.map((r) => (r.ok ? r.offset : -1));
    expect(new Set(offsets).size).toBe(200);
    expect([...offsets].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    // Preparation ran side by side; the writes were grouped.
    expect(inFlightMax).toBeGreaterThan(10);
    expect(appends).toBeLessThan(50);
    const range = await log.read("tally:a", 0, 1_000);
    expect(range.entries.reduce((sum, e) => sum + (e.data as { n: number }).n, 0)).toBe((200 * 201) / 2);
    // Each reply's offset is the entry its action wrote.
    for (const [i, reply] of replies.entries()) expect(reply.ok && (range.entries[reply.offset - 1]?.data as { n: number }).n).toBe(i + 1);
    expect(((await log.snapshot("tally:a")).snapshot?.public as { state: Tally }).state).toEqual({ count: 200, total: (200 * 201) / 2 });

    // The same action again, and twice at once: applied once.
    const again = await Promise.all(
      [0, 1].map(() => host.submit({ type: "action", actor: actor(3), actionId: "a3", lastOffset: 0, action: { kind: "add", n: 4 } })),
    );
    expect(again.map((r) => r.ok && r.status)).toEqual(["duplicate", "duplicate"]);
    // A duplicate answers the original result, not a new one.
    const original = replies[3]?.ok === true ? replies[3].result : "missing";
    expect(again.map((r) => r.ok && r.result)).toEqual([original, original]);
    const twice = await Promise.all(
      [0, 1].map(() => host.submit({ type: "action", actor: actor(1), actionId: "fresh", lastOffset: 0, action: { kind: "add", n: 1 } })),
    );
    expect(twice.map((r) => r.ok && r.status).sort()).toEqual(["applied", "duplicate"]);
    expect(twice.map((r) => r.ok && JSON.stringify(r.result))).toEqual([0, 1].map(() => JSON.stringify({ total: (200 * 201) / 2 + 1 })));
    // The same id with another action is a conflict, and applies nothing; key order does not make another action.
    expect(await host.submit({ type: "action", actor: actor(1), actionId: "fresh", lastOffset: 0, action: { kind: "add", n: 2 } })).toMatchObject({
      ok: false,
      error: "ACTION_ID_CONFLICT",
    });
    expect(await host.submit({ type: "action", actor: actor(1), actionId: "fresh", lastOffset: 0, action: { n: 1, kind: "add" } })).toMatchObject({
      ok: true,
      status: "duplicate",
    });
    // A refusal at preparation changes nothing.
    expect(await host.submit({ type: "action", actor: actor(1), actionId: "bad", lastOffset: 0, action: { kind: "add", n: -1 } })).toMatchObject({
      ok: false,
      error: "ACTION_REJECTED",
    });
    expect((await log.head("tally:a")).offset).toBe(201);

    // Results are kept for the room's latest 256 actions: an older duplicate is still a duplicate
    // (applied once, conflict still detected), only without its result.
    for (let i = 0; i < 300; i++) await host.submit({ type: "action", actor: actor(0), actionId: `late${i}`, lastOffset: 0, action: { kind: "add", n: 1 } });
    const old = await host.submit({ type: "action", actor: actor(3), actionId: "a3", lastOffset: 0, action: { kind: "add", n: 4 } });
    expect(old).toMatchObject({ ok: true, status: "duplicate" });
    expect(old.ok && old.result).toBeUndefined();
    expect(await host.submit({ type: "action", actor: actor(3), actionId: "a3", lastOffset: 0, action: { kind: "add", n: 5 } })).toMatchObject({
      ok: false,
      error: "ACTION_ID_CONFLICT",
    });
    const recent = await host.submit({ type: "action", actor: actor(0), actionId: "late299", lastOffset: 0, action: { kind: "add", n: 1 } });
    expect(recent.ok && recent.result).toEqual({ total: (200 * 201) / 2 + 1 + 300 });
    expect((await log.head("tally:a")).offset).toBe(501);
    host.stop();
  });
});

describe("RoomHost replaced by another owner", () => {
  // Found by the room simulation (test/sim, seed 43 before the fix): an owner paused past its lease
  // had not yet noticed the takeover when a client, which had seen the new owner's entries, sent it an
  // action; it answered ACTION_OFFSET_INVALID ("never sent", do not retry) instead of stepping down.
  it("steps down on an action based on an offset another owner wrote, and still refuses one never written", async () => {
    const lease = new MemoryRoomLease(systemClock);
    const log = new MemoryRoomLog(lease, { roomLogEntriesMax: 100, roomLogAgeMsMax: 60_000 }, "t");
    const limits = {
      revealLeadMs: 0,
      chatCharsMax: 10,
      chatMessagesPerMinuteMax: 10,
      roomActionQueueMax: 10,
      actionIdsRememberedMax: 10,
      roomLogEntriesMax: 100,
    };
    const effects = async () => null;
    const add = (actionId: string, lastOffset: number) => ({
      type: "action" as const,
      actor: { userId: "u1", roles: [] },
      actionId,
      lastOffset,
      action: { kind: "add", n: 1 },
    });
    const first = (await lease.acquire("tally:b", "n1", 60_000)) as number;
    let fenced = 0;
    const old = await RoomHost.open("tally:b", first, tally, log, systemClock, limits, () => fenced++, effects);
    expect(await old.submit(add("a1", 0))).toMatchObject({ ok: true, status: "applied", offset: 1 });
    // The old owner's lease lapses unnoticed (it is paused); another node takes the room and writes.
    await lease.release("tally:b", { nodeId: "n1", fence: first });
    const second = (await lease.acquire("tally:b", "n2", 60_000)) as number;
    const current = await RoomHost.open("tally:b", second, tally, log, systemClock, limits, () => undefined, effects);
    expect(await current.submit(add("a2", 1))).toMatchObject({ ok: true, status: "applied", offset: 2 });

    expect(await old.submit(add("a3", 2))).toMatchObject({ ok: false, error: "ROOM_UNAVAILABLE" });
    expect(old.isStopped).toBe(true);
    expect(fenced).toBe(1);
    expect(await current.submit(add("a3", 2))).toMatchObject({ ok: true, status: "applied", offset: 3 });
    expect(await current.submit(add("a4", 9))).toMatchObject({ ok: false, error: "ACTION_OFFSET_INVALID" });
    expect(current.isStopped).toBe(false);
    current.stop();
  });
});

describe("RoomHost after an append that failed unseen", () => {
  // Found by the room simulation (test/sim, seed 75 with Redis outages): an append that threw after the
  // script ran (the connection dropped before the answer) left the host with the state before it. Its
  // next append stored a snapshot without those entries, and a retry of the action applied it again.
  it("rereads the room before serving again: the retry is a duplicate and the snapshot holds every entry", async () => {
    const lease = new MemoryRoomLease(systemClock);
    const log = new MemoryRoomLog(lease, { roomLogEntriesMax: 100, roomLogAgeMsMax: 60_000 }, "t");
    const append = log.append.bind(log);
    let lose = false;
    log.append = async (...args) => {
      const outcome = await append(...args);
      if (lose) {
        lose = false;
        throw Object.assign(new Error("Connection is closed."), { code: "ECONNRESET" });
      }
      return outcome;
    };
    const fence = (await lease.acquire("tally:c", "n1", 60_000)) as number;
    const host = await RoomHost.open(
      "tally:c",
      fence,
      tally,
      log,
      systemClock,
      {
        revealLeadMs: 0,
        chatCharsMax: 10,
        chatMessagesPerMinuteMax: 10,
        roomActionQueueMax: 10,
        actionIdsRememberedMax: 10,
        roomLogEntriesMax: 100,
      },
      () => undefined,
      async (_room, effect) => (effect as { n: number }).n,
    );
    const add = (actionId: string, n: number) =>
      host.submit({ type: "action", actor: { userId: "u1", roles: [] }, actionId, lastOffset: 0, action: { kind: "add", n } });
    expect(await add("a1", 1)).toMatchObject({ ok: true, status: "applied", offset: 1 });
    lose = true;
    expect(await add("a2", 2)).toMatchObject({ ok: false, error: "SERVICE_UNAVAILABLE" });
    expect(await add("a2", 2)).toMatchObject({ ok: true, status: "duplicate", offset: 2 });
    expect(await add("a3", 3)).toMatchObject({ ok: true, status: "applied", offset: 3 });
    expect((await log.read("tally:c", 0, 10)).entries.map((e) => e.actionId)).toEqual(["u1:a1", "u1:a2", "u1:a3"]);
    expect(((await log.snapshot("tally:c")).snapshot?.public as { state: Tally }).state).toEqual({ count: 3, total: 6 });
    host.stop();
  });
});
