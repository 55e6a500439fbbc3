// The room host keeps a room's timer alive through a failing effect: the step is retried, not lost.
import { describe, expect, it } from "vitest";
import { RoomHost } from "../../src/app/rooms/room-host.js";
import type { RoomBehavior } from "../../src/app/rooms/room-behavior.js";
import { MemoryRoomLease } from "../../src/adapters/memory/room-lease.memory.js";
import { MemoryRoomLog } from "../../src/adapters/memory/room-log.memory.js";
import { systemClock } from "../../src/adapters/node/clock.system.js";

interface State { readonly due: number; readonly done: boolean }

/** A room with one timed step that needs one effect (say, settling a round in the ledger). */
const oneStep: RoomBehavior<State> = {
  kind: "step",
  canJoin: () => true,
  initial: () => ({ due: Date.now() + 20, done: false }),
  apply: (state, action) => (action.kind === "tick" && !state.done
    ? { ok: true, effect: { type: "settle" }, resume: () => ({ ok: true, state: { ...state, done: true }, events: [{ kind: "settled" }] }) }
    : { ok: true, state, events: [] }),
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
    const host = await RoomHost.open("step:a", fence, oneStep, log, systemClock, {
      revealLeadMs: 0, chatCharsMax: 10, chatMessagesPerMinuteMax: 10, roomActionQueueMax: 10, actionIdsRememberedMax: 10, roomLogEntriesMax: 100,
    }, () => undefined, async () => {
      attempts++;
      if (attempts === 1) throw Object.assign(new Error("database unavailable"), { code: "57P01" });
      return null;
    });
    const deadline = Date.now() + 5_000;
    while ((await log.head("step:a")).offset === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const range = await log.read("step:a", 0, 10);
    expect(range.entries.map((e) => e.kind)).toEqual(["settled"]);
    expect(attempts).toBe(2);
    host.stop();
  });
});
