// The jackpot ticker publishes only from the lobby's owner and only changed totals; the lobby keeps the
// totals in its snapshot and takes them only from the server itself.
import { describe, expect, it } from "vitest";
import { JackpotTicker, type TickerRooms } from "../../src/app/jackpot/jackpot-ticker.js";
import { lobbyBehavior } from "../../src/app/rooms/builtin-rooms.js";
import { systemActor, type ActionRequest } from "../../src/app/rooms/room-behavior.js";
import type { HostReply, HostRequest } from "../../src/app/rooms/room-host.js";
import { systemClock } from "../../src/adapters/node/clock.system.js";

const room = "lobby:main";
const pool = { gameId: "crown-jewels", jackpotId: "crown-jewels", currency: "EUR" };

/** Rooms whose lobby applies requests with the real lobby behavior, owned or not by this node. */
function fakeRooms(owner: boolean) {
  let state = lobbyBehavior.initial(room);
  const submitted: HostRequest[] = [];
  const rooms: TickerRooms & { owner: boolean } = {
    owner,
    watch: () => undefined,
    unwatch: () => undefined,
    isOwner: () => rooms.owner,
    async submit(_room, request): Promise<HostReply> {
      submitted.push(request);
      if (request.type !== "action") throw new Error("the ticker only acts");
      const outcome = lobbyBehavior.apply(state, request.action, request.actor, { nowMs: 0, revealLeadMs: 0 });
      if (!outcome.ok) return { ok: false, error: outcome.error, ...(outcome.details ? { details: outcome.details } : {}) };
      if ("effect" in outcome) throw new Error("the lobby runs no effects");
      state = outcome.state;
      return { ok: true, status: "applied", offset: submitted.length };
    },
  };
  return { rooms, submitted, state: () => state };
}

function fakeWallet(totals: bigint[]) {
  let reads = 0;
  return { wallet: { jackpotTotal: async () => totals[Math.min(reads++, totals.length - 1)] as bigint }, reads: () => reads };
}

describe("jackpot ticker", () => {
  it("does nothing on a node that does not own the lobby: no ledger read, no publish", async () => {
    const { rooms, submitted } = fakeRooms(false);
    const { wallet, reads } = fakeWallet([5n]);
    const ticker = new JackpotTicker(
      { rooms, wallet, metrics: { jackpotTotal: () => undefined }, nodeId: "n1", clock: systemClock },
      { room, intervalMs: 250, pools: [pool] },
    );
    await ticker.tick();
    await ticker.tick();
    expect([reads(), submitted.length]).toEqual([0, 0]);
  });

  it("publishes the owner's reads only when they change, and keeps the latest in the lobby snapshot", async () => {
    const { rooms, submitted, state } = fakeRooms(true);
    const { wallet } = fakeWallet([500n, 500n, 501n, 501n, 0n]);
    const seen: bigint[] = [];
    const ticker = new JackpotTicker(
      { rooms, wallet, metrics: { jackpotTotal: (_g, _c, total) => seen.push(total) }, nodeId: "n1", clock: systemClock },
      { room, intervalMs: 250, pools: [pool] },
    );
    for (let i = 0; i < 5; i++) await ticker.tick();
    expect(seen).toEqual([500n, 500n, 501n, 501n, 0n]);
    expect(submitted.map((r) => (r.type === "action" ? r.action.totalMinor : null))).toEqual(["500", "501", "0"]);
    expect(new Set(submitted.map((r) => (r.type === "action" ? r.actionId : null))).size).toBe(3);
    expect(lobbyBehavior.snapshot(state()).public).toEqual({ jackpots: [{ gameId: "crown-jewels", currency: "EUR", totalMinor: "0" }] });
  });

  it("after ownership returns, offers the total again and the lobby skips it as unchanged", async () => {
    const { rooms, submitted } = fakeRooms(true);
    const { wallet } = fakeWallet([7n]);
    const ticker = new JackpotTicker(
      { rooms, wallet, metrics: { jackpotTotal: () => undefined }, nodeId: "n1", clock: systemClock },
      { room, intervalMs: 250, pools: [pool] },
    );
    await ticker.tick();
    rooms.owner = false;
    await ticker.tick();
    rooms.owner = true;
    await ticker.tick();
    await ticker.tick();
    // Offered twice (first ownership, regained ownership), written once; then remembered as published.
    expect(submitted).toHaveLength(2);
  });

  it("survives a ledger that cannot answer", async () => {
    const { rooms, submitted } = fakeRooms(true);
    const ticker = new JackpotTicker(
      {
        rooms,
        wallet: { jackpotTotal: () => Promise.reject(new Error("db down")) },
        metrics: { jackpotTotal: () => undefined },
        nodeId: "n1",
        clock: systemClock,
      },
      { room, intervalMs: 250, pools: [pool] },
    );
    await expect(ticker.tick()).resolves.toBeUndefined();
    expect(submitted).toHaveLength(0);
  });
});

describe("lobby room", () => {
  const total: ActionRequest = { kind: "jackpot.total", gameId: "crown-jewels", currency: "EUR", totalMinor: "123" };
  const ctx = { nowMs: 0, revealLeadMs: 0 };

  it("takes totals only from the server's own actor object, not from a user named like it", () => {
    const state = lobbyBehavior.initial(room);
    expect(lobbyBehavior.apply(state, total, { userId: "system", roles: [] }, ctx)).toMatchObject({ ok: false, error: "ACTION_REJECTED" });
    expect(lobbyBehavior.apply(state, total, { userId: "u1", roles: ["operator"] }, ctx)).toMatchObject({ ok: false, error: "ACTION_REJECTED" });
    expect(lobbyBehavior.apply(state, total, systemActor, ctx)).toMatchObject({ ok: true, events: [{ kind: "jackpot.total", data: { totalMinor: "123" } }] });
  });

  it.each<[string, Record<string, unknown>]>([
    ["a float", { totalMinor: "1.5" }],
    ["a negative", { totalMinor: "-1" }],
    ["a number", { totalMinor: 5 }],
    ["no currency", { currency: undefined }],
  ])("refuses %s", (_name, change) => {
    expect(lobbyBehavior.apply(lobbyBehavior.initial(room), { ...total, ...change }, systemActor, ctx)).toMatchObject({ ok: false });
  });

  it("restores its totals from a snapshot, and an old empty lobby snapshot as none", () => {
    const applied = lobbyBehavior.apply(lobbyBehavior.initial(room), total, systemActor, ctx);
    if (!applied.ok || "effect" in applied) throw new Error("expected a state");
    expect(lobbyBehavior.restore(lobbyBehavior.snapshot(applied.state))).toEqual(applied.state);
    expect(lobbyBehavior.restore({ public: {} })).toEqual({ jackpots: [] });
  });
});
