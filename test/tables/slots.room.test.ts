// Slot spins over the WebSocket: drawn, recorded, then staked and paid in one ledger operation;
// a retried spin (same action id) is neither redrawn nor paid twice, and answers the original result.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { createShared, startTestServer, type Shared } from "../support/server.js";
import { newPlayer, TestSocket } from "../support/ws-client.js";
import { call } from "../support/http.js";
import { ifAssigned } from "../support/fixtures.js";

describe("slots over the WebSocket (embedded)", () => {
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

  it("spins, pays exactly what the recorded outcomes say, and replays a retried spin", async () => {
    const player = await newPlayer(server.url);
    expect(
      (await server.services.wallet.deposit({ playerId: player.userId, currency: "EUR", amount: 10_000n, key: "dep", reference: "t", provider: "test" }))
        .status,
    ).toBe("ok");
    const socket = await TestSocket.authenticated(server.url, player.token);
    const room = `slots:${player.userId}`;
    expect((await socket.request({ type: "join", room })).type).toBe("joined");
    let expected = 10_000n;
    const spins = 60;
    let firstResult: unknown = null;
    for (let i = 0; i < spins; i++) {
      const ack = await socket.request({ type: "action", room, actionId: `s${i}`, lastOffset: 0, action: { kind: "spin", stake: "1.00" } });
      expect(ack.type).toBe("ack");
      firstResult ??= ack.result;
      const result = ack.result as { totalWinMinor: string; availableMinor: string; grid: string[][] };
      expect(result.grid).toHaveLength(5);
      expected += BigInt(result.totalWinMinor) - 100n;
      expect(BigInt(result.availableMinor)).toBe(expected);
    }
    const again = await socket.request({ type: "action", room, actionId: "s0", lastOffset: 0, action: { kind: "spin", stake: "1.00" } });
    // The original result comes back with the duplicate; the same id with another action is a conflict.
    expect(again).toMatchObject({ type: "ack", status: "duplicate", result: firstResult });
    const conflict = await socket.request({ type: "action", room, actionId: "s1", lastOffset: 0, action: { kind: "spin", stake: "2.00" } });
    expect(conflict).toMatchObject({ type: "error", code: "CROUPIER_ERR_ACTION_ID_CONFLICT" });
    const cash = (await server.services.wallet.balances(player.userId)).find((b) => b.purse === "cash");
    expect(cash?.balance).toBe(expected);

    // Game recall agrees with the ledger: stakes and payouts of every recorded spin.
    const recalled = await call<{ rounds: Array<{ game: string; status: string; bets: Array<{ stakeMinor: string; payoutMinor: string }> }> }>(
      server.url,
      "GET",
      "/v1/rounds?limit=100",
      { token: player.token },
    );
    expect(recalled.status).toBe(200);
    const slotRounds = recalled.body.rounds.filter((r) => r.game === "slots");
    expect(slotRounds).toHaveLength(spins);
    const net = slotRounds.reduce((sum, r) => sum + BigInt(r.bets[0]!.payoutMinor) - BigInt(r.bets[0]!.stakeMinor), 0n);
    expect(10_000n + net).toBe(expected);

    // Refusals change nothing.
    for (const [stake, code] of [
      ["0.05", "CROUPIER_ERR_BET_LIMIT"],
      ["1.234", "CROUPIER_ERR_BET_INVALID"],
      ["-1.00", "CROUPIER_ERR_BET_INVALID"],
      ["999999.00", "CROUPIER_ERR_BET_LIMIT"],
    ] as const) {
      const refused = await socket.request({ type: "action", room, actionId: `bad${stake}`, lastOffset: 0, action: { kind: "spin", stake } });
      expect([stake, refused.code]).toEqual([stake, code]);
    }
    const other = await newPlayer(server.url);
    const intruder = await TestSocket.authenticated(server.url, other.token);
    expect((await intruder.request({ type: "join", room })).code).toBe("CROUPIER_ERR_ROOM_FORBIDDEN");
    expect((await server.services.wallet.balances(player.userId)).find((b) => b.purse === "cash")?.balance).toBe(expected);
    socket.close();
    intruder.close();
  });
});
