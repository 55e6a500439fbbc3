// A voided roulette round keeps its bets in game recall: each player recalls the round as voided with
// their own refunded bets (payout = stake), the operator sees every bet. Both modes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { call } from "../support/http.js";
import { serviceAvailable } from "../support/services.js";
import { createShared, startTestServer, type Mode, type Shared } from "../support/server.js";
import { newPlayer, newStaff, TestSocket } from "../support/ws-client.js";
import { ifAssigned } from "../support/fixtures.js";

interface Round {
  roundId: string;
  status: string;
  voidReason: string | null;
  bets: { betId: string; userId: string; stakeMinor: string; payoutMinor: string | null }[];
}

for (const mode of ["embedded", "production"] as Mode[]) {
  const available = mode === "embedded" || (serviceAvailable("postgres") && serviceAvailable("redis"));
  describe.skipIf(!available)(`voided roulette rounds in game recall (${mode})`, () => {
    let shared: Shared;
    let server: RunningServer;
    beforeAll(async () => {
      shared = await createShared(mode);
      server = await startTestServer(shared, [
        "--roulette-tables",
        "v1",
        "--roulette-betting-ms",
        "5000",
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

    it("an operator's void: players recall their refunded bets, the operator all of them", async () => {
      const room = "roulette:v1";
      const operator = await newStaff(server, ["operator"]);
      const players = await Promise.all([0, 1].map(() => newPlayer(server.url)));
      for (const p of players)
        await server.services.wallet.deposit({
          playerId: p.userId,
          currency: "EUR",
          amount: 10_000n,
          key: `dep-${p.userId}`,
          reference: "t",
          provider: "test",
        });
      const desk = await TestSocket.authenticated(server.url, operator.token);
      const seats = await Promise.all(players.map((p) => TestSocket.authenticated(server.url, p.token)));
      for (const s of [desk, ...seats]) await s.request({ type: "join", room });
      const opened = await seats[0]!.waitFor((m) => m.kind === "round.opened", 10_000);
      const roundId = (opened.data as { roundId: string }).roundId;
      for (const [i, s] of seats.entries()) {
        const ack = await s.request({
          type: "action",
          room,
          actionId: `b${i}`,
          lastOffset: opened.offset,
          action: { kind: "bet", roundId, bets: [{ type: "red", amount: `${i + 1}.00` }] },
        });
        expect(ack).toMatchObject({ type: "ack", status: "applied" });
      }
      const lastOffset = Math.max(...desk.messages.filter((m) => typeof m.offset === "number").map((m) => m.offset as number));
      expect(await desk.request({ type: "action", room, actionId: "void", lastOffset, action: { kind: "round.void", reason: "wheel fault" } })).toMatchObject({
        type: "ack",
      });
      await seats[0]!.waitFor((m) => m.kind === "round.voided" && (m.data as { roundId: string }).roundId === roundId);

      for (const [i, p] of players.entries()) {
        const one = await call<Round>(server.url, "GET", `/v1/rounds/${encodeURIComponent(roundId)}`, { token: p.token });
        expect(one.status).toBe(200);
        expect(one.body).toMatchObject({ roundId, status: "voided", voidReason: "wheel fault" });
        const stake = String((i + 1) * 100);
        expect(one.body.bets.map((b) => [b.userId, b.stakeMinor, b.payoutMinor])).toEqual([[p.userId, stake, stake]]);
        const list = await call<{ rounds: Round[] }>(server.url, "GET", "/v1/rounds?limit=10", { token: p.token });
        expect(list.body.rounds.find((r) => r.roundId === roundId)).toMatchObject({ status: "voided", bets: [{ userId: p.userId, payoutMinor: stake }] });
        const cash = (await server.services.wallet.balances(p.userId)).find((b) => b.purse === "cash");
        expect([cash?.balance, cash?.held]).toEqual([10_000n, 0n]);
      }
      const all = await call<Round>(server.url, "GET", `/v1/rounds/${encodeURIComponent(roundId)}`, { token: operator.token });
      expect(all.body.bets.map((b) => b.userId).sort()).toEqual(players.map((p) => p.userId).sort());
      for (const s of [desk, ...seats]) s.close();
    }, 30_000);
  });
}
