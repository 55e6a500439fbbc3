// Live blackjack end to end over raw WebSockets and the real ledger: a scripted dealer enters every card,
// three players bet and decide (a split, doubles, insurance), the dealer reshuffles; every balance is
// recomputed from the entered cards by an independent model; impossible cards and a card after the dealer
// stands are refused; a cue is replayed to a player who resumes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { createShared, startTestServer, type Shared } from "../support/server.js";
import { call } from "../support/http.js";
import { newPlayer, newStaff, TestSocket } from "../support/ws-client.js";
import { playModel, type ScriptedHand } from "./live-blackjack.model.js";
import { ifAssigned } from "../support/fixtures.js";

const room = "liveblackjack:lb1";
const latencyMs = 300;

describe("live blackjack (embedded)", () => {
  let shared: Shared;
  let server: RunningServer;
  beforeAll(async () => {
    shared = await createShared("embedded");
    server = await startTestServer(shared, [
      "--live-blackjack-tables",
      "lb1",
      "--live-blackjack-betting-ms",
      "1200",
      "--blackjack-turn-ms",
      "8000",
      // The results pause between hands (4 s by default) only delays the next hand.
      "--blackjack-results-ms",
      "200",
      "--blackjack-decks",
      "4",
      "--blackjack-cut-card-from-end",
      "52",
      "--live-stream-latency-ms",
      String(latencyMs),
      "--live-dealer-absent-ms-max",
      "20000",
      "--messages-per-second-max",
      "500",
    ]);
  });
  afterAll(async () => {
    await ifAssigned(server)?.close();
    await ifAssigned(shared)?.dispose();
  });

  it("a scripted dealer and three players play live hands; balances match the entered cards", async () => {
    const base = server.url;
    const dealerAccount = await newStaff(server, ["dealer", "player"]);
    const people = [await newPlayer(base), await newPlayer(base), await newPlayer(base)];
    for (const p of people)
      expect(
        (await server.services.wallet.deposit({ playerId: p.userId, currency: "EUR", amount: 100_000n, key: `d${p.userId}`, reference: "t", provider: "test" }))
          .status,
      ).toBe("ok");
    const dealer = await TestSocket.authenticated(base, dealerAccount.token);
    const seats = await Promise.all(people.map((p) => TestSocket.authenticated(base, p.token)));
    const joined = await Promise.all([dealer, ...seats].map((s) => s.request({ type: "join", room })));
    const watcher = seats[0]!;
    const seen = (s: TestSocket) =>
      Math.max(0, ...s.messages.filter((m) => (m.type === "event" || m.type === "joined") && m.room === room).map((m) => m.offset as number));
    let n = 0;
    const act = (s: TestSocket, action: Record<string, unknown>) => s.request({ type: "action", room, actionId: `x${n++}`, lastOffset: seen(s), action });

    expect(await act(dealer, { kind: "dealer.take" })).toMatchObject({ type: "ack" });
    // Operators see the table, and who deals it.
    const operator = (await newStaff(server, ["operator"])).token;
    const listed = (
      await call<{ tables: Array<{ room: string; kind: string; dealer?: unknown }> }>(base, "GET", "/v1/operator/tables", { token: operator })
    ).body.tables.find((t) => t.room === room);
    expect(listed).toMatchObject({ kind: "liveblackjack", dealer: { userId: dealerAccount.userId, absent: false } });
    expect(await act(dealer, { kind: "shuffle" })).toMatchObject({ type: "ack" });
    expect(await act(dealer, { kind: "burn", card: "2c" })).toMatchObject({ type: "ack" });
    // Each player sits once the previous seat is taken (the first sit opens betting: older offsets are stale).
    for (const [i, s] of seats.entries()) {
      if (i > 0) await s.waitFor((m) => m.kind === "blackjack.seat_taken" && (m.data as { seat: number }).seat === i - 1);
      const sat = await act(s, { kind: "sit", seat: i });
      expect(sat, JSON.stringify(sat)).toMatchObject({ type: "ack" });
    }
    expect((await act(seats[1]!, { kind: "card", card: "2d" })).code).toBe("CROUPIER_ERR_AUTH_FORBIDDEN");

    const expected = [100_000n, 100_000n, 100_000n];
    const rounds: string[] = [];
    async function playHand(hand: ScriptedHand): Promise<void> {
      const opened = await watcher.waitFor((m) => m.kind === "blackjack.betting_opened" && !rounds.includes((m.data as { roundId: string }).roundId), 15_000);
      const { roundId, closesAt } = opened.data as { roundId: string; closesAt: number };
      rounds.push(roundId);
      expect(await act(dealer, { kind: "cue", name: "betting-open" })).toMatchObject({ type: "ack" });
      for (const [seat, bet] of hand.bets.entries()) {
        if (bet > 0n) expect(await act(seats[seat]!, { kind: "bet", roundId, amount: (Number(bet) / 100).toFixed(2) })).toMatchObject({ type: "ack" });
      }
      await new Promise((r) => setTimeout(r, Math.max(0, closesAt - Date.now()) + 50));
      const decisions = Object.fromEntries(Object.entries(hand.decisions).map(([seat, list]) => [seat, [...list]]));
      const insured = new Set<number>();
      let card = 0;
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        if (watcher.events(room).some((m) => m.kind === "blackjack.round_paid" && (m.data as { roundId: string }).roundId === roundId)) break;
        let why = "";
        if (card < hand.cards.length) {
          const r = await act(dealer, { kind: "card", card: hand.cards[card] });
          if (r.type === "ack") {
            card++;
            continue;
          }
          expect(r.code).toBe("CROUPIER_ERR_LIVE_CARD_NOT_EXPECTED");
          why = (r.details as string[] | undefined)?.[0] ?? "";
        } else {
          // Every card is in: the players decide (insurance first when the upcard is an ace); the dealer keeps the shift.
          await act(dealer, { kind: "heartbeat" });
          await new Promise((r) => setTimeout(r, 50));
          const turn = watcher
            .events(room)
            .filter((m) => m.kind === "blackjack.turn" && (m.data as { roundId: string }).roundId === roundId)
            .at(-1);
          why = turn
            ? `seat ${(turn.data as { seat: number }).seat} decides`
            : hand.cards.at(hand.bets.filter((b) => b > 0n).length)?.startsWith("A") === true
              ? "insurance"
              : "";
        }
        if (why.includes("insurance")) {
          const seat = hand.bets.findIndex((b, i) => b > 0n && !insured.has(i));
          if (seat < 0) {
            await new Promise((r) => setTimeout(r, 50));
            continue;
          }
          if ((await act(seats[seat]!, { kind: "insurance", take: hand.insurance?.[seat] === true })).type === "ack") insured.add(seat);
          continue;
        }
        const decides = /seat (\d+) decides/.exec(why);
        if (decides) {
          const seat = Number(decides[1]);
          const next = decisions[seat]?.[0] ?? "stand";
          if ((await act(seats[seat]!, { kind: next })).type === "ack") decisions[seat]?.shift();
          continue;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(card).toBe(hand.cards.length);
      const model = playModel(hand);
      for (const [seat, p] of people.entries()) {
        expected[seat] = expected[seat]! - model.staked[seat]! + model.returned[seat]!;
        const cash = (await server.services.wallet.balances(p.userId)).find((b) => b.purse === "cash");
        expect([seat, cash?.balance, cash?.held]).toEqual([seat, expected[seat], 0n]);
      }
    }

    const splitAndDoubles: ScriptedHand = {
      bets: [1000n, 1000n, 1000n],
      cards: ["8c", "5h", "Tc", "6s", "8d", "6h", "7c", "Ts", "3c", "9d", "Kd", "9h", "2c"],
      decisions: { 0: ["split", "double", "stand"], 1: ["double"], 2: ["stand"] },
    };
    await playHand(splitAndDoubles);
    // The dealer stood on 18 (S17): a further card is refused.
    expect((await act(dealer, { kind: "card", card: "5c" })).code).toBe("CROUPIER_ERR_LIVE_CARD_NOT_EXPECTED");
    // A card's reveal waits for the video.
    const dealt = watcher.events(room).find((m) => m.kind === "blackjack.card_dealt" && (m.data as { roundId: string }).roundId === rounds[0]);
    expect(typeof dealt?.revealAt).toBe("number");
    await playHand({ bets: [1000n, 1000n, 1000n], cards: ["Qh", "7d", "Ah", "As", "9c", "7h", "Kh", "Kc"], decisions: {}, insurance: { 0: true, 2: true } });
    await playHand({ bets: [2000n, 0n, 500n], cards: ["Th", "5d", "Ad", "6c", "9s", "7s", "Jd"], decisions: { 0: ["hit"], 2: ["stand"] }, insurance: {} });

    // Between hands: three more aces of spades burned make four in a 4-deck shoe; a fifth is impossible.
    for (let i = 0; i < 3; i++) expect(await act(dealer, { kind: "burn", card: "As" })).toMatchObject({ type: "ack" });
    const fifth = await act(dealer, { kind: "burn", card: "As" });
    expect(fifth.code).toBe("CROUPIER_ERR_LIVE_CARD_IMPOSSIBLE");
    // The dealer declares a reshuffle: a new shoe, the ace of spades possible again.
    expect(await act(dealer, { kind: "shuffle" })).toMatchObject({ type: "ack" });
    expect(await act(dealer, { kind: "burn", card: "As" })).toMatchObject({ type: "ack" });
    await playHand(splitAndDoubles);

    expect(await server.services.wallet.check()).toMatchObject({ ok: true });
    const recalled = await server.services.rounds.find(rounds[0]!);
    expect(recalled?.status).toBe("settled");
    expect(recalled?.verification).toMatchObject({ scheme: "dealer-entered", provablyFair: false });

    // A player who resumes from before the first cue gets it replayed, in order, like any event.
    const cue = watcher.events(room).find((m) => m.kind === "dealer.cue")!;
    expect(cue.data).toMatchObject({ name: "betting-open" });
    const back = await TestSocket.authenticated(base, people[2]!.token);
    const resumed = await back.request({ type: "join", room, resume: { epoch: joined[3]!.epoch, offset: (cue.offset as number) - 1 } });
    expect(resumed.mode).toBe("resumed");
    await back.waitFor((m) => m.kind === "dealer.cue" && m.offset === cue.offset);
    for (const s of [dealer, ...seats, back]) s.close();
  }, 120_000);
});
