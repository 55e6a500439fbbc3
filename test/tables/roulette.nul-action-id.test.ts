// A client input error is answered as one: an actionId with a NUL character at a real roulette table
// (which keys the stake's hold by it in the ledger) is REQUEST_INVALID, moves no money, and the table
// keeps serving. It used to answer SERVICE_UNAVAILABLE forever, logged nowhere.
import { describe, expect, it } from "vitest";
import { serverForSuite } from "../support/server.js";
import { newPlayer, TestSocket } from "../support/ws-client.js";

describe("roulette table: an actionId containing NUL (embedded)", () => {
  const serverOf = serverForSuite("embedded", ["--roulette-betting-ms", "3000", "--roulette-results-ms", "200", "--roulette-tables", "t1"]);

  it("is refused with REQUEST_INVALID; the same bet under a clean id is applied", async () => {
    const room = "roulette:t1";
    const player = await newPlayer(serverOf().url);
    expect(
      (
        await serverOf().services.wallet.deposit({
          playerId: player.userId,
          currency: "EUR",
          amount: 10_000n,
          key: `dep-${player.userId}`,
          reference: "test",
          provider: "test",
        })
      ).status,
    ).toBe("ok");
    const socket = await TestSocket.authenticated(serverOf().url, player.token);
    await socket.request({ type: "join", room });
    const opened = await socket.waitFor((m) => m.type === "event" && m.kind === "round.opened", 10_000);
    const roundId = (opened.data as { roundId: string }).roundId;
    const bet = { kind: "bet", roundId, bets: [{ type: "red", amount: "1.00" }] };
    const before = JSON.stringify(await serverOf().services.wallet.balances(player.userId), (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    for (let i = 0; i < 2; i++) {
      const refused = await socket.request({ type: "action", room, actionId: "bet\u00001", lastOffset: opened.offset, action: bet });
      expect(refused).toMatchObject({ type: "error", code: "CROUPIER_ERR_REQUEST_INVALID", details: ["/actionId must not contain a NUL character"] });
    }
    expect(JSON.stringify(await serverOf().services.wallet.balances(player.userId), (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))).toBe(
      before,
    );
    const ack = await socket.request({ type: "action", room, actionId: "bet-1", lastOffset: opened.offset, action: bet });
    expect(ack).toMatchObject({ type: "ack", status: "applied" });
    socket.close();
  }, 30_000);
});
