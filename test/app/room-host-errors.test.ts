// The room layer's error policy: expected failures are statuses; a backing service that does not
// answer is SERVICE_UNAVAILABLE (logged at warn); anything else thrown is a bug, answered INTERNAL,
// logged with its stack and counted (croupier_internal_errors_total), never disguised as an outage.
import { describe, expect, it } from "vitest";
import { Registry } from "prom-client";
import { RoomHost, type EffectRunner } from "../../src/app/rooms/room-host.js";
import type { Actor, RoomBehavior } from "../../src/app/rooms/room-behavior.js";
import { reportingFaults, type RoomFaults } from "../../src/app/rooms/room-faults.js";
import { MemoryRoomLease } from "../../src/adapters/memory/room-lease.memory.js";
import { MemoryRoomLog } from "../../src/adapters/memory/room-log.memory.js";
import { systemClock } from "../../src/adapters/node/clock.system.js";
import { createPromMetrics } from "../../src/adapters/prometheus/metrics.prom.js";

interface Bets {
  readonly count: number;
}
/** A table whose bets reserve money first (an effect), and whose `settle` runs an effect in order. */
const table: RoomBehavior<Bets> = {
  kind: "t",
  canJoin: () => true,
  initial: () => ({ count: 0 }),
  prepare: (_state, action, actor, ctx) =>
    action.kind === "bet" ? { ok: true, effect: { type: "reserve", holdId: `${actor.userId}:${ctx.actionId}` } } : null,
  apply: (state, action) => {
    if (action.kind === "bet") return { ok: true, state: { count: state.count + 1 }, events: [{ kind: "bet" }] };
    if (action.kind === "settle") return { ok: true, effect: { type: "settle" }, resume: () => ({ ok: true, state, events: [{ kind: "settled" }] }) };
    return { ok: false, error: "ACTION_REJECTED" };
  },
  snapshot: (state) => ({ public: state }),
  restore: (snapshot) => snapshot.public as Bets,
};
const limits = { revealLeadMs: 0, chatCharsMax: 10, chatMessagesPerMinuteMax: 10, roomActionQueueMax: 10, actionIdsRememberedMax: 10, roomLogEntriesMax: 100 };
const player: Actor = { userId: "u1", roles: [] };

/** A ledger that, like PostgreSQL, cannot store a NUL character in a text key. */
const ledger: EffectRunner = async (_room, effect) => {
  const { holdId } = effect as { holdId?: string };
  if (holdId?.includes("\u0000")) throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: "22021" });
  return null;
};

async function open(effects: EffectRunner, tweak?: (log: MemoryRoomLog) => void) {
  const lease = new MemoryRoomLease(systemClock);
  const log = new MemoryRoomLog(lease, { roomLogEntriesMax: 100, roomLogAgeMsMax: 60_000 }, "t");
  tweak?.(log);
  const fence = (await lease.acquire("t:1", "n1", 60_000)) as number;
  const seen = { unavailable: [] as unknown[], internal: [] as unknown[] };
  const faults: RoomFaults = { unavailable: (_r, _w, e) => seen.unavailable.push(e), internal: (_r, _w, e) => seen.internal.push(e), lost: () => undefined };
  const host = await RoomHost.open("t:1", fence, table, log, systemClock, limits, () => undefined, effects, undefined, faults);
  return { host, log, seen };
}

describe("RoomHost error policy", () => {
  it("refuses an actionId containing a NUL character as REQUEST_INVALID, before any effect, and keeps serving", async () => {
    let effects = 0;
    const { host, log, seen } = await open(async (room, effect) => {
      effects++;
      return ledger(room, effect);
    });
    for (let i = 0; i < 3; i++) {
      expect(await host.submit({ type: "action", actor: player, actionId: "a\u0000b", lastOffset: 0, action: { kind: "bet" } })).toEqual({
        ok: false,
        error: "REQUEST_INVALID",
        details: ["/actionId must not contain a NUL character"],
      });
    }
    expect(effects).toBe(0);
    expect(seen).toEqual({ unavailable: [], internal: [] });
    expect(await host.submit({ type: "action", actor: player, actionId: "ab", lastOffset: 0, action: { kind: "bet" } })).toMatchObject({
      ok: true,
      status: "applied",
      offset: 1,
    });
    expect((await log.head("t:1")).offset).toBe(1);
    host.stop();
  });

  it("answers an unexpected exception INTERNAL and reports it, not SERVICE_UNAVAILABLE", async () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'amount')");
    const { host, seen } = await open(async () => {
      throw bug;
    });
    expect(await host.submit({ type: "action", actor: player, actionId: "p", lastOffset: 0, action: { kind: "bet" } })).toEqual({
      ok: false,
      error: "INTERNAL",
    });
    expect(await host.submit({ type: "action", actor: player, actionId: "s", lastOffset: 0, action: { kind: "settle" } })).toEqual({
      ok: false,
      error: "INTERNAL",
    });
    expect(seen.internal).toEqual([bug, bug]);
    expect(seen.unavailable).toEqual([]);
    host.stop();
  });

  it("answers a backing service that did not answer SERVICE_UNAVAILABLE (retryable), reported as such", async () => {
    const down = Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" });
    const { host, seen } = await open(async () => {
      throw down;
    });
    expect(await host.submit({ type: "action", actor: player, actionId: "p", lastOffset: 0, action: { kind: "bet" } })).toEqual({
      ok: false,
      error: "SERVICE_UNAVAILABLE",
    });
    const redisDown = new Error("Connection is closed.");
    expect(seen.unavailable).toEqual([down]);
    host.stop();
    const second = await open(
      async () => null,
      (log) => {
        log.append = async () => {
          throw redisDown;
        };
      },
    );
    expect(await second.host.submit({ type: "action", actor: player, actionId: "q", lastOffset: 0, action: { kind: "bet" } })).toEqual({
      ok: false,
      error: "SERVICE_UNAVAILABLE",
    });
    expect(second.seen).toEqual({ unavailable: [redisDown], internal: [] });
    second.host.stop();
  });

  it("answers a bug in the log write INTERNAL", async () => {
    const bug = new RangeError("Invalid string length");
    const { host, seen } = await open(
      async () => null,
      (log) => {
        log.append = async () => {
          throw bug;
        };
      },
    );
    expect(await host.submit({ type: "action", actor: player, actionId: "q", lastOffset: 0, action: { kind: "bet" } })).toEqual({
      ok: false,
      error: "INTERNAL",
    });
    expect(seen.internal).toEqual([bug]);
    host.stop();
  });

  it("logs an unexpected exception with its stack and counts it in croupier_internal_errors_total", async () => {
    const logged: Array<{ level: string; fields: Record<string, unknown>; message: string }> = [];
    const logger = {
      warn: (fields: Record<string, unknown>, message: string) => logged.push({ level: "warn", fields, message }),
      error: (fields: Record<string, unknown>, message: string) => logged.push({ level: "error", fields, message }),
    };
    const registry = new Registry();
    const faults = reportingFaults(logger, createPromMetrics(registry));
    const bug = new TypeError("boom");
    faults.internal("roulette:1", "prepare", bug);
    faults.unavailable("roulette:1", "append", new Error("Connection is closed."));
    expect(logged.map((l) => [l.level, l.fields.room, l.fields.where])).toEqual([
      ["error", "roulette:1", "prepare"],
      ["warn", "roulette:1", "append"],
    ]);
    expect((logged[0]?.fields.err as Error).stack).toContain("TypeError: boom");
    expect(await registry.metrics()).toContain('croupier_internal_errors_total{area="rooms"} 1');
  });
});
