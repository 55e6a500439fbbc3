// Roulette table controls and the hold sweep: an operator closes and reopens a table, changes its limits
// from the next round, voids a round with a reason (refunded once); a stake reserved for a round but
// never accepted as a bet (a player who gave up between reservation and judgement) is released when the
// round ends, and a bet arriving after the close moves no money.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { createShared, startTestServer, type Shared } from "../support/server.js";
import { newPlayer, newStaff, TestSocket, type Message } from "../support/ws-client.js";
import { ifAssigned } from "../support/fixtures.js";

describe("roulette table controls and sweep (embedded)", () => {
  let shared: Shared;
  let server: RunningServer;
  beforeAll(async () => {
    shared = await createShared("embedded");
    server = await startTestServer(shared, [
      "--roulette-tables",
      "c1",
      "--roulette-betting-ms",
      "1500",
      "--roulette-results-ms",
      "300",
      "--messages-per-second-max",
      "200",
    ]);
  });
  afterAll(async () => {
    await ifAssigned(server)?.close();
    await ifAssigned(shared)?.dispose();
  });

  const room = "roulette:c1";
  const seen = (s: TestSocket) => Math.max(0, ...s.messages.filter((m) => m.room === room && typeof m.offset === "number").map((m) => m.offset as number));
  /** Sends an action as a client does: one that crossed a round change (ACTION_STALE) is sent again from the newer offset. */
  const act = async (s: TestSocket, id: string, action: Record<string, unknown>): Promise<Message> => {
    for (let attempt = 0; ; attempt++) {
      const reply = await s.request({ type: "action", room, actionId: id, lastOffset: seen(s), action });
      if (reply.code !== "CROUPIER_ERR_ACTION_STALE" || attempt >= 5) return reply;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const nextOpened = (s: TestSocket, after: readonly string[]) =>
    s.waitFor((m) => m.kind === "round.opened" && !after.includes((m.data as { roundId: string }).roundId), 10_000);
  const cashOf = async (userId: string) => (await server.services.wallet.balances(userId)).find((b) => b.purse === "cash");

  it("closes, reopens, re-limits and voids with a reason; sweeps holds that never became bets", async () => {
    const base = server.url;
    const operator = await TestSocket.authenticated(base, (await newStaff(server, ["operator"])).token);
    const player = await newPlayer(base);
    await server.services.wallet.deposit({
      playerId: player.userId,
      currency: "EUR",
      amount: 10_000n,
      key: `dep-${player.userId}`,
      reference: "t",
      provider: "test",
    });
    const seat = await TestSocket.authenticated(base, player.token);
    await seat.request({ type: "join", room });
    await operator.request({ type: "join", room });
    const rounds: string[] = [];

    // A player cannot use the controls.
    expect((await act(seat, "p-close", { kind: "table.close" })).code).toBe("CROUPIER_ERR_AUTH_FORBIDDEN");

    // A stake reserved for the round but never judged (as if the player's node died in between) is swept.
    let opened = await nextOpened(seat, rounds);
    let roundId = (opened.data as { roundId: string }).roundId;
    rounds.push(roundId);
    const orphan = await server.services.wallet.reserveBet({
      playerId: player.userId,
      currency: "EUR",
      amount: 700n,
      holdId: `${roundId}:${player.userId}:gone`,
      key: `reserve:${roundId}:gone`,
      roundId,
    });
    expect(orphan.status).toBe("ok");
    const bet = await act(seat, "b1", { kind: "bet", roundId, bets: [{ type: "red", amount: "2.00" }] });
    expect(bet).toMatchObject({ type: "ack", status: "applied" });
    const settled = await seat.waitFor((m) => m.kind === "round.settled" && (m.data as { roundId: string }).roundId === roundId, 10_000);
    const mine = (settled.data as { payouts: { holdId: string; returnMinor: string }[] }).payouts;
    expect(mine.map((p) => p.holdId)).toEqual([(bet.result as { holdId: string }).holdId]);
    expect(settled.private).toBe(true);
    // The operator saw the same event without the player's part.
    const operatorCopy = await operator.waitFor((m) => m.kind === "round.settled" && (m.data as { roundId: string }).roundId === roundId);
    expect((operatorCopy.data as { payouts?: unknown }).payouts).toBeUndefined();
    expect(await server.services.wallet.pendingHolds(roundId, 10)).toEqual([]);
    let cash = await cashOf(player.userId);
    expect(cash?.held).toBe(0n);
    expect(cash?.balance).toBe(10_000n - 200n + BigInt(mine[0]!.returnMinor));

    // A late bet is refused and moves nothing.
    const late = await act(seat, "late", { kind: "bet", roundId, bets: [{ type: "red", amount: "1.00" }] });
    expect(["CROUPIER_ERR_BET_ROUND_CLOSED", "CROUPIER_ERR_ACTION_STALE"]).toContain(late.code);
    const afterLate = await cashOf(player.userId);
    expect([afterLate?.balance, afterLate?.held]).toEqual([cash?.balance, 0n]);

    // New limits apply from the next round; bad limits are refused.
    expect((await act(operator, "lim-bad", { kind: "table.limits", roundStakeMax: "-1" })).code).toBe("CROUPIER_ERR_BET_INVALID");
    expect(await act(operator, "lim", { kind: "table.limits", roundStakeMax: "3.00" })).toMatchObject({ type: "ack" });
    // A round that opened while the change was on its way (staff actions are audited before the
    // answer) still has the old limits: the new ones are those of the first round opened after it.
    for (const m of seat.messages) if (m.kind === "round.opened") rounds.push((m.data as { roundId: string }).roundId);
    opened = await nextOpened(seat, rounds);
    roundId = (opened.data as { roundId: string }).roundId;
    rounds.push(roundId);
    expect((await act(seat, "big", { kind: "bet", roundId, bets: [{ type: "red", amount: "5.00" }] })).code).toBe("CROUPIER_ERR_BET_LIMIT");
    expect(await act(seat, "small", { kind: "bet", roundId, bets: [{ type: "black", amount: "3.00" }] })).toMatchObject({ type: "ack" });

    // Void with a reason: refunded once, recorded.
    expect(await act(operator, "void", { kind: "round.void", reason: "wheel fault" })).toMatchObject({ type: "ack" });
    const voided = await seat.waitFor((m) => m.kind === "round.voided" && (m.data as { roundId: string }).roundId === roundId);
    expect(voided.data).toMatchObject({ reason: "wheel fault", refunds: [{ stakeMinor: "300" }] });
    expect(await server.services.rounds.find(roundId)).toMatchObject({ status: "voided", voidReason: "wheel fault" });
    cash = await cashOf(player.userId);
    expect([cash?.balance, cash?.held]).toEqual([afterLate?.balance, 0n]);
    // A second void of the same round is refused: nothing is refunded twice.
    expect((await act(operator, "void-again", { kind: "round.void", reason: "again" })).type).toBe("error");

    // Closed: the current round finishes, no new one opens; reopened: rounds resume.
    expect(await act(operator, "close", { kind: "table.close" })).toMatchObject({ type: "ack" });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(seat.messages.filter((m: Message) => m.kind === "round.opened" && !rounds.includes((m.data as { roundId: string }).roundId))).toEqual([]);
    expect(await act(operator, "open", { kind: "table.open" })).toMatchObject({ type: "ack" });
    opened = await nextOpened(seat, rounds);
    expect((await server.services.wallet.check()).ok).toBe(true);
    seat.close();
    operator.close();
  }, 60_000);
});
