// Live blackjack when the dealer goes away mid-hand, over real WebSockets and the real ledger: a
// dealer who disconnects is announced absent; a second dealer takes the table over and the hand goes
// on from the same card; a dealer who disconnects with nobody to replace them has the hand voided
// and every stake refunded once; a returning dealer takes the table and play resumes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { createShared, startTestServer, type Shared } from "../support/server.js";
import { newPlayer, newStaff, TestSocket, type Message } from "../support/ws-client.js";

const room = "liveblackjack:lbf";

describe("live blackjack dealer faults (embedded)", () => {
  let shared: Shared;
  let server: RunningServer;
  beforeAll(async () => {
    shared = await createShared("embedded");
    server = await startTestServer(shared, ["--live-blackjack-tables", "lbf", "--live-blackjack-betting-ms", "800", "--blackjack-turn-ms", "8000", "--blackjack-decks", "4",
      "--live-stream-latency-ms", "0", "--live-dealer-absent-ms-max", "1000", "--live-dealer-replace-ms-max", "1500", "--messages-per-second-max", "500"]);
  });
  afterAll(async () => {
    await server?.close();
    await shared?.dispose();
  });

  it("a replacement dealer finishes the hand; without one the hand is voided and refunded once", async () => {
    const base = server.url;
    const [first, second] = [await newStaff(server, ["dealer"]), await newStaff(server, ["dealer"])];
    const player = await newPlayer(base);
    expect((await server.services.wallet.deposit({ playerId: player.userId, currency: "EUR", amount: 10_000n, key: `d${player.userId}`, reference: "t", provider: "test" })).status).toBe("ok");
    const cash = async () => (await server.services.wallet.balances(player.userId)).find((b) => b.purse === "cash");
    const seat = await TestSocket.authenticated(base, player.token);
    await seat.request({ type: "join", room });
    const seen = (s: TestSocket) => Math.max(0, ...s.messages.filter((m) => (m.type === "event" || m.type === "joined") && m.room === room).map((m) => m.offset as number));
    let n = 0;
    const act = (s: TestSocket, action: Record<string, unknown>) => s.request({ type: "action", room, actionId: `f${n++}`, lastOffset: seen(s), action });
    // A dealer on shift heartbeats between cards; one who vanishes stops heartbeating and disconnects.
    const dealerSocket = async (token: string) => {
      const s = await TestSocket.authenticated(base, token);
      await s.request({ type: "join", room });
      const beat = setInterval(() => void act(s, { kind: "heartbeat" }).catch(() => undefined), 300);
      return { s, vanish: () => { clearInterval(beat); s.close(); } };
    };
    const event = (kind: string, roundId: string, timeoutMs = 8_000) => seat.waitFor((m: Message) => m.type === "event" && m.kind === kind && (m.data as { roundId?: string }).roundId === roundId, timeoutMs);
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
});
