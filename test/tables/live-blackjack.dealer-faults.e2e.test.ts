// Live blackjack when the dealer goes away mid-hand, over real WebSockets and the real ledger: a
// dealer who disconnects is announced absent; a second dealer takes the table over and the hand goes
// on from the same card; a dealer who disconnects with nobody to replace them has the hand voided
// and every stake refunded once; a returning dealer takes the table and play resumes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { createShared, startTestServer, type Shared } from "../support/server.js";
import { newPlayer, newStaff, TestSocket, type Message } from "../support/ws-client.js";
import { call } from "../support/http.js";
import { ifAssigned } from "../support/fixtures.js";

const room = "liveblackjack:lbf";

describe("live blackjack dealer faults (embedded)", () => {
  let shared: Shared;
  let server: RunningServer;
  beforeAll(async () => {
    shared = await createShared("embedded");
    server = await startTestServer(shared, [
      "--live-blackjack-tables",
      "lbf,lbm",
      "--live-stream-latency-ms-by-table",
      "liveblackjack:lbm=200",
      "--live-blackjack-betting-ms",
      "800",
      "--blackjack-turn-ms",
      "8000",
      "--blackjack-decks",
      "4",
      "--live-stream-latency-ms",
      "0",
      "--live-dealer-absent-ms-max",
      "1000",
      "--live-dealer-replace-ms-max",
      "1500",
      "--messages-per-second-max",
      "500",
    ]);
  });
  afterAll(async () => {
    await ifAssigned(server)?.close();
    await ifAssigned(shared)?.dispose();
  });

  it("a replacement dealer finishes the hand; without one the hand is voided and refunded once", async () => {
    const base = server.url;
    const [first, second] = [await newStaff(server, ["dealer"]), await newStaff(server, ["dealer"])];
    const player = await newPlayer(base);
    expect(
      (
        await server.services.wallet.deposit({
          playerId: player.userId,
          currency: "EUR",
          amount: 10_000n,
          key: `d${player.userId}`,
          reference: "t",
          provider: "test",
        })
      ).status,
    ).toBe("ok");
    const cash = async () => (await server.services.wallet.balances(player.userId)).find((b) => b.purse === "cash");
    const seat = await TestSocket.authenticated(base, player.token);
    await seat.request({ type: "join", room });
    const seen = (s: TestSocket) =>
      Math.max(0, ...s.messages.filter((m) => (m.type === "event" || m.type === "joined") && m.room === room).map((m) => m.offset as number));
    let n = 0;
    const act = (s: TestSocket, action: Record<string, unknown>) => s.request({ type: "action", room, actionId: `f${n++}`, lastOffset: seen(s), action });
    // A dealer on shift heartbeats between cards; one who vanishes stops heartbeating and disconnects.
    const dealerSocket = async (token: string) => {
      const s = await TestSocket.authenticated(base, token);
      await s.request({ type: "join", room });
      const beat = setInterval(() => void act(s, { kind: "heartbeat" }).catch(() => undefined), 300);
      return {
        s,
        vanish: () => {
          clearInterval(beat);
          s.close();
        },
      };
    };
    const event = (kind: string, roundId: string, timeoutMs = 8_000) =>
      seat.waitFor((m: Message) => m.type === "event" && m.kind === kind && (m.data as { roundId?: string }).roundId === roundId, timeoutMs);
    /** Opens betting (or waits for it), bets 10.00 and waits until betting closes; returns the round. */
    async function betRound(known: string[]): Promise<string> {
      const opened = await seat.waitFor((m) => m.kind === "blackjack.betting_opened" && !known.includes((m.data as { roundId: string }).roundId), 8_000);
      const { roundId, closesAt } = opened.data as { roundId: string; closesAt: number };
      known.push(roundId);
      expect(await act(seat, { kind: "bet", roundId, amount: "10.00" })).toMatchObject({ type: "ack" });
      await new Promise((r) => setTimeout(r, Math.max(0, closesAt - Date.now()) + 100));
      return roundId;
    }
    const rounds: string[] = [];

    // Hand 1: the first dealer deals three cards and vanishes with the hole card due.
    let dealer = await dealerSocket(first.token);
    expect(await act(dealer.s, { kind: "dealer.take" })).toMatchObject({ type: "ack" });
    expect(await act(dealer.s, { kind: "shuffle" })).toMatchObject({ type: "ack" });
    expect(await act(seat, { kind: "sit", seat: 0 })).toMatchObject({ type: "ack" });
    const hand1 = await betRound(rounds);
    for (const card of ["Tc", "9d", "Th"]) expect(await act(dealer.s, { kind: "card", card })).toMatchObject({ type: "ack" });
    dealer.vanish();
    // Absent after a second of silence; another dealer may take over only then.
    const replacement = await dealerSocket(second.token);
    expect((await act(replacement.s, { kind: "dealer.take" })).code).toBe("CROUPIER_ERR_LIVE_DEALER_NOT_ON_SHIFT");
    expect((await event("dealer.absent", hand1)).data).toMatchObject({ dealer: first.userId });
    expect(await act(replacement.s, { kind: "dealer.take" })).toMatchObject({ type: "ack" });
    await seat.waitFor((m) => m.kind === "dealer.changed");
    // The hand goes on from the same card: the hole card, the player stands on 20, the dealer stands on 17.
    expect(await act(replacement.s, { kind: "card", card: "8s" })).toMatchObject({ type: "ack" });
    await seat.waitFor((m) => m.kind === "blackjack.turn" && (m.data as { roundId: string }).roundId === hand1);
    expect(await act(seat, { kind: "stand" })).toMatchObject({ type: "ack" });
    await event("blackjack.round_paid", hand1);
    expect(await cash()).toMatchObject({ balance: 11_000n, held: 0n });

    // Hand 2: the replacement vanishes too, and nobody takes over: voided, the stake refunded once.
    const hand2 = await betRound(rounds);
    expect(await cash()).toMatchObject({ balance: 11_000n, held: 1_000n });
    for (const card of ["5c", "7d"]) expect(await act(replacement.s, { kind: "card", card })).toMatchObject({ type: "ack" });
    replacement.vanish();
    await event("dealer.absent", hand2);
    await event("dealer.lost", hand2);
    expect((await event("round.voided", hand2)).data).toMatchObject({ refunded: 1 });
    expect(await cash()).toMatchObject({ balance: 11_000n, held: 0n });
    const recalled = await server.services.rounds.find(hand2);
    expect(recalled?.status).toBe("voided");

    // The first dealer comes back and takes the idle table: betting opens again.
    dealer = await dealerSocket(first.token);
    expect(await act(dealer.s, { kind: "dealer.take" })).toMatchObject({ type: "ack" });
    const hand3 = await betRound(rounds);
    expect(hand3).not.toBe(hand2);
    expect(await cash()).toMatchObject({ balance: 11_000n, held: 1_000n });
    expect(await server.services.wallet.check()).toMatchObject({ ok: true });
    dealer.vanish();
    seat.close();
  }, 60_000);

  it("an operator moves a present dealer mid-hand; the new dealer goes on from the same card", async () => {
    const base = server.url;
    const table = "liveblackjack:lbm";
    const [first, second, operator] = [await newStaff(server, ["dealer"]), await newStaff(server, ["dealer"]), await newStaff(server, ["operator"])];
    const player = await newPlayer(base);
    expect(
      (
        await server.services.wallet.deposit({
          playerId: player.userId,
          currency: "EUR",
          amount: 10_000n,
          key: `d${player.userId}`,
          reference: "t",
          provider: "test",
        })
      ).status,
    ).toBe("ok");
    const sockets = await Promise.all(
      [player, first, second, operator].map(async (who) => {
        const s = await TestSocket.authenticated(base, who.token);
        await s.request({ type: "join", room: table });
        return s;
      }),
    );
    const [seat, d1, d2, op] = sockets as [TestSocket, TestSocket, TestSocket, TestSocket];
    // This table declares its own video delay (the other one keeps the default, 0).
    const joined = seat.messages.find((m) => m.type === "joined" && m.room === table) as
      { snapshot: { state: { live: { streamLatencyMs: number } } } } | undefined;
    expect(joined?.snapshot.state.live.streamLatencyMs).toBe(200);
    const seen = (s: TestSocket) =>
      Math.max(0, ...s.messages.filter((m) => (m.type === "event" || m.type === "joined") && m.room === table).map((m) => m.offset as number));
    let n = 0;
    const act = (s: TestSocket, action: Record<string, unknown>) =>
      s.request({ type: "action", room: table, actionId: `m${n++}`, lastOffset: seen(s), action });
    const beats = [d1, d2].map((s) => setInterval(() => void act(s, { kind: "heartbeat" }).catch(() => undefined), 300));
    try {
      expect(await act(d1, { kind: "dealer.take" })).toMatchObject({ type: "ack" });
      expect(await act(d1, { kind: "shuffle" })).toMatchObject({ type: "ack" });
      expect(await act(seat, { kind: "sit", seat: 0 })).toMatchObject({ type: "ack" });
      const opened = await seat.waitFor((m) => m.kind === "blackjack.betting_opened", 8_000);
      const { roundId, closesAt } = opened.data as { roundId: string; closesAt: number };
      expect(await act(seat, { kind: "bet", roundId, amount: "10.00" })).toMatchObject({ type: "ack" });
      await new Promise((r) => setTimeout(r, Math.max(0, closesAt - Date.now()) + 100));
      for (const card of ["Tc", "9d", "Th"]) expect(await act(d1, { kind: "card", card })).toMatchObject({ type: "ack" });
      // Only an operator moves a dealer, and a hand in play keeps one.
      expect((await act(seat, { kind: "dealer.assign", dealer: player.userId })).code).toBe("CROUPIER_ERR_AUTH_FORBIDDEN");
      expect((await act(d2, { kind: "dealer.assign", dealer: second.userId })).code).toBe("CROUPIER_ERR_AUTH_FORBIDDEN");
      expect((await act(op, { kind: "dealer.assign", dealer: null })).code).toBe("CROUPIER_ERR_ACTION_REJECTED");
      expect(await act(op, { kind: "dealer.assign", dealer: second.userId })).toMatchObject({ type: "ack", result: { dealer: second.userId } });
      const changed = await seat.waitFor((m) => m.kind === "dealer.changed" && (m.data as { to: string }).to === second.userId);
      expect(changed.data).toMatchObject({ from: first.userId, to: second.userId, roundId, by: operator.userId });
      // The dealer moved away, present a moment ago, is refused; the new one deals the hole card.
      expect((await act(d1, { kind: "card", card: "8s" })).code).toBe("CROUPIER_ERR_LIVE_DEALER_NOT_ON_SHIFT");
      expect(await act(d2, { kind: "card", card: "8s" })).toMatchObject({ type: "ack" });
      await seat.waitFor((m) => m.kind === "blackjack.turn" && (m.data as { roundId: string }).roundId === roundId);
      expect(await act(seat, { kind: "stand" })).toMatchObject({ type: "ack" });
      await seat.waitFor((m) => m.kind === "blackjack.round_paid" && (m.data as { roundId: string }).roundId === roundId, 8_000);
      expect((await server.services.wallet.balances(player.userId)).find((b) => b.purse === "cash")).toMatchObject({ balance: 11_000n, held: 0n });
      const tables = await call<{ tables: { room: string; dealer?: { userId: string | null } }[] }>(base, "GET", "/v1/operator/tables", {
        token: operator.token,
      });
      expect(tables.body.tables.find((t) => t.room === table)?.dealer).toMatchObject({ userId: second.userId });
      // The console's way: the operator HTTP endpoint moves the shift back, and the audit log keeps it.
      const moved = await call(base, "POST", `/v1/operator/tables/${encodeURIComponent(table)}/actions`, {
        token: operator.token,
        body: { kind: "dealer.assign", dealer: first.userId },
      });
      expect(moved.status).toBe(200);
      const after = await call<{ tables: { room: string; dealer?: { userId: string | null } }[] }>(base, "GET", "/v1/operator/tables", {
        token: operator.token,
      });
      expect(after.body.tables.find((t) => t.room === table)?.dealer).toMatchObject({ userId: first.userId });
      const audit = await call<{ entries: { action: string }[] }>(base, "GET", `/v1/operator/audit?target=${encodeURIComponent(table)}`, {
        token: operator.token,
      });
      expect(audit.body.entries.map((e) => e.action)).toContain("dealer.assign");
    } finally {
      for (const beat of beats) clearInterval(beat);
      for (const s of sockets) s.close();
    }
  }, 60_000);
});
