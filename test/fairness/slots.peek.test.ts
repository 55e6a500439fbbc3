// A slot outcome exists for the player only once it is paid: a spin refused for want of funds leaves
// no round in game recall and no outcome in any reply or event, and re-sending its action id after a
// deposit draws a new spin rather than replaying a peeked one. The ledger and recall agree throughout.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { createShared, startTestServer, type Shared } from "../support/server.js";
import { newPlayer, newStaff, TestSocket } from "../support/ws-client.js";
import { call } from "../support/http.js";
import { ifAssigned } from "../support/fixtures.js";

describe("slots: no peeking at unpaid spins (embedded)", () => {
  let shared: Shared;
  let server: RunningServer;

  beforeAll(async () => {
    shared = await createShared("embedded");
    server = await startTestServer(shared, ["--messages-per-second-max", "500"]);
  });
  afterAll(async () => {
    await ifAssigned(server)?.close();
    await ifAssigned(shared)?.dispose();
  });

  it("refused spins reveal nothing; their retries after a deposit are fresh, paid spins", async () => {
    const player = await newPlayer(server.url);
    const operator = await newStaff(server, ["operator"]);
    const deposit = (amount: bigint, key: string) =>
      server.services.wallet.deposit({ playerId: player.userId, currency: "EUR", amount, key, reference: "t", provider: "test" });
    expect((await deposit(50n, "d0")).status).toBe("ok");
    const socket = await TestSocket.authenticated(server.url, player.token);
    const room = `slots:${player.userId}`;
    expect((await socket.request({ type: "join", room })).type).toBe("joined");
    const ids = Array.from({ length: 12 }, (_, i) => `peek${i}`);
    for (const actionId of ids) {
      const refused = await socket.request({ type: "action", room, actionId, lastOffset: 0, action: { kind: "spin", stake: "1.00" } });
      expect(refused).toMatchObject({ type: "error", code: "CROUPIER_ERR_WALLET_INSUFFICIENT_FUNDS" });
      // The refusal says why, and nothing about the draw.
      expect(JSON.stringify(refused)).not.toMatch(/grid|stops|totalWin|jackpot/);
    }
    for (const actionId of ids) {
      // Not to the player, and not even to an operator: the round was never recorded.
      for (const token of [player.token, operator.token]) {
        const recalled = await call(server.url, "GET", `/v1/rounds/${encodeURIComponent(`${room}:${actionId}`)}`, { token });
        expect(recalled.status).toBe(404);
      }
    }
    expect((await call<{ rounds: unknown[] }>(server.url, "GET", "/v1/rounds", { token: player.token })).body.rounds).toEqual([]);
    expect(socket.messages.filter((m) => m.type === "event" && m.room === room)).toEqual([]);

    expect((await deposit(10_000n, "d1")).status).toBe("ok");
    let expected = 10_050n;
    const wins: string[] = [];
    for (const actionId of ids) {
      const ack = await socket.request({ type: "action", room, actionId, lastOffset: 0, action: { kind: "spin", stake: "1.00" } });
      // Applied, not a replay of anything: the first time this action id moved money.
      expect(ack).toMatchObject({ type: "ack", status: "applied" });
      const result = ack.result as { totalWinMinor: string; jackpotWinMinor?: string; availableMinor: string };
      expected += BigInt(result.totalWinMinor) + BigInt(result.jackpotWinMinor ?? "0") - 100n;
      expect(BigInt(result.availableMinor)).toBe(expected);
      wins.push(result.totalWinMinor);
    }
    // A retry of a paid spin is a duplicate: no new draw, no second payment.
    const again = await socket.request({ type: "action", room, actionId: ids[0], lastOffset: 0, action: { kind: "spin", stake: "1.00" } });
    expect(again).toMatchObject({ type: "ack", status: "duplicate" });
    const cash = (await server.services.wallet.balances(player.userId)).find((b) => b.purse === "cash");
    expect(cash?.balance).toBe(expected);

    // Recall and ledger agree: exactly the paid spins, each with the outcome its ack showed.
    const list = await call<{
      rounds: Array<{ roundId: string; status: string; outcome: { totalWinMinor: string }; bets: Array<{ stakeMinor: string; payoutMinor: string }> }>;
    }>(server.url, "GET", "/v1/rounds?limit=100", { token: player.token });
    expect(list.body.rounds).toHaveLength(ids.length);
    for (const [i, actionId] of ids.entries()) {
      const round = list.body.rounds.find((r) => r.roundId === `${room}:${actionId}`);
      expect(round).toMatchObject({ status: "settled", outcome: { totalWinMinor: wins[i] } });
    }
    const net = list.body.rounds.reduce((sum, r) => sum + BigInt(r.bets[0]!.payoutMinor) - BigInt(r.bets[0]!.stakeMinor), 0n);
    expect(10_050n + net).toBe(expected);
    socket.close();
  });
});
