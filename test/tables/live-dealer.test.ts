// A live-dealer roulette table: a person with the dealer role opens and closes betting, enters the
// number the wheel showed, sends cues; when the dealer goes silent the round is voided and refunded.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { createShared, startTestServer, type Shared } from "../support/server.js";
import { newPlayer, newStaff, TestSocket, type Message } from "../support/ws-client.js";
import { ifAssigned } from "../support/fixtures.js";

describe("live-dealer table (embedded)", () => {
  let shared: Shared;
  let server: RunningServer;
  beforeAll(async () => {
    shared = await createShared("embedded");
    server = await startTestServer(shared, ["--live-tables", "l1", "--live-dealer-absent-ms-max", "4000", "--messages-per-second-max", "200"]);
  });
  afterAll(async () => {
    await ifAssigned(server)?.close();
    await ifAssigned(shared)?.dispose();
  });

  it("runs a round driven by the dealer, and voids the next one when the dealer leaves", async () => {
    const base = server.url;
    const room = "live:l1";
    const dealerAccount = await newStaff(server, ["dealer", "player"]);
    const player = await newPlayer(base);
    await server.services.wallet.deposit({ playerId: player.userId, currency: "EUR", amount: 10_000n, key: "dep", reference: "t", provider: "test" });
    const dealer = await TestSocket.authenticated(base, dealerAccount.token);
    const seat = await TestSocket.authenticated(base, player.token);
    const joined = await seat.request({ type: "join", room });
    expect((joined.snapshot as { state: { streamUrl: string } }).state.streamUrl).toBe("https://video.example.invalid/live/l1");
    await dealer.request({ type: "join", room });
    const seen = (s: TestSocket) => Math.max(0, ...s.messages.filter((m) => m.room === room && typeof m.offset === "number").map((m) => m.offset as number));
    const act = (s: TestSocket, id: string, action: Record<string, unknown>) => s.request({ type: "action", room, actionId: id, lastOffset: seen(s), action });

    // A player cannot drive the table.
    expect((await act(seat, "p-open", { kind: "open" })).code).toBe("CROUPIER_ERR_AUTH_FORBIDDEN");
    expect(await act(dealer, "open1", { kind: "open" })).toMatchObject({ type: "ack" });
    const opened = await seat.waitFor((m) => m.kind === "round.opened");
    const roundId = (opened.data as { roundId: string }).roundId;
    expect(await act(seat, "bet1", { kind: "bet", roundId, bets: [{ type: "straight", numbers: [17], amount: "1.00" }] })).toMatchObject({ type: "ack" });
    expect(await act(dealer, "cue1", { kind: "cue", name: "no-more-bets" })).toMatchObject({ type: "ack" });
    expect(await act(dealer, "close1", { kind: "close" })).toMatchObject({ type: "ack" });
    expect((await act(seat, "late", { kind: "bet", roundId, bets: [{ type: "red", amount: "1.00" }] })).code).toBe("CROUPIER_ERR_BET_ROUND_CLOSED");
    expect((await act(dealer, "bad", { kind: "result", number: 37 })).code).toBe("CROUPIER_ERR_ACTION_REJECTED");
    expect(await act(dealer, "result1", { kind: "result", number: 17 })).toMatchObject({ type: "ack" });
    const result = await seat.waitFor((m) => m.kind === "round.result");
    expect(result.data).toMatchObject({ number: 17, source: "dealer" });
    expect(typeof result.revealAt).toBe("number");
    await seat.waitFor((m) => m.kind === "round.settled");
    const cue = seat.events(room).find((m: Message) => m.kind === "dealer.cue");
    expect(cue?.data).toMatchObject({ name: "no-more-bets" });
    let cash = (await server.services.wallet.balances(player.userId)).find((b) => b.purse === "cash");
    expect(cash?.balance).toBe(10_000n - 100n + 3_600n);

    // Second round: the dealer opens, the player bets, then the dealer disappears.
    await act(dealer, "open2", { kind: "open" });
    const opened2 = await seat.waitFor((m) => m.kind === "round.opened" && (m.data as { roundId: string }).roundId !== roundId);
    const round2 = (opened2.data as { roundId: string }).roundId;
    expect(await act(seat, "bet2", { kind: "bet", roundId: round2, bets: [{ type: "red", amount: "5.00" }] })).toMatchObject({ type: "ack" });
    dealer.close();
    const voided = await seat.waitFor((m) => m.kind === "round.voided", 10_000);
    expect(voided.data).toMatchObject({
      roundId: round2,
      reason: "the dealer was silent too long (no action or heartbeat within liveDealerAbsentMsMax)",
      refunded: 1,
    });
    cash = (await server.services.wallet.balances(player.userId)).find((b) => b.purse === "cash");
    expect([cash?.balance, cash?.held]).toEqual([10_000n - 100n + 3_600n, 0n]);
    expect((await server.services.rounds.find(round2))?.status).toBe("voided");
    seat.close();
  });
});
