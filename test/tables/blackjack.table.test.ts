// A blackjack table played to the end of several hands over real sockets and the real ledger, with a
// player disconnecting mid-hand (the turn timer stands for them) and coming back by resume.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { serviceAvailable } from "../support/services.js";
import { createShared, startTestServer, type Mode, type Shared } from "../support/server.js";
import { newPlayer, TestSocket, type Message } from "../support/ws-client.js";
import { ifAssigned } from "../support/fixtures.js";

for (const mode of ["embedded", "production"] as Mode[]) {
  const available = mode === "embedded" || (serviceAvailable("postgres") && serviceAvailable("redis"));
  describe.skipIf(!available)(`blackjack table (${mode})`, () => {
    let shared: Shared;
    let server: RunningServer;
    beforeAll(async () => {
      shared = await createShared(mode);
      server = await startTestServer(shared, [
        "--blackjack-tables",
        "b1",
        "--blackjack-betting-ms",
        "2000",
        "--blackjack-turn-ms",
        "600",
        // The results pause between hands (4 s by default) only delays the next hand here.
        "--blackjack-results-ms",
        "200",
        "--messages-per-second-max",
        "500",
      ]);
    });
    afterAll(async () => {
      await ifAssigned(server)?.close();
      await ifAssigned(shared)?.dispose();
    });

    it("plays hands to the end; stakes, doubles and returns match the ledger to the minor unit", async () => {
      const base = server.url;
      const room = "blackjack:b1";
      const people = [await newPlayer(base), await newPlayer(base)];
      for (const p of people)
        expect(
          (
            await server.services.wallet.deposit({
              playerId: p.userId,
              currency: "EUR",
              amount: 100_000n,
              key: `d${p.userId}`,
              reference: "t",
              provider: "test",
            })
          ).status,
        ).toBe("ok");
      let sockets = await Promise.all(people.map((p) => TestSocket.authenticated(base, p.token)));
      const joined = await Promise.all(sockets.map((s) => s.request({ type: "join", room })));
      const watcher = sockets[0]!;
      // Each action carries the last offset its player saw; an action from before a state change is stale.
      const seen = (s: TestSocket) =>
        Math.max(0, ...s.messages.filter((m) => (m.type === "event" || m.type === "joined") && m.room === room).map((m) => m.offset as number));
      for (const [i, s] of sockets.entries()) {
        await watcher.waitFor((m) => m.type === "joined");
        if (i > 0) await s.waitFor((m) => m.kind === "blackjack.seat_taken" && (m.data as { seat: number }).seat === i - 1);
        expect(await s.request({ type: "action", room, actionId: `sit${i}`, lastOffset: seen(s), action: { kind: "sit", seat: i } })).toMatchObject({
          type: "ack",
        });
      }

      const hands = 4;
      const seenRounds: string[] = [];
      let lastOffsetOfSecond = 0;
      for (let h = 0; h < hands; h++) {
        const opened = await watcher.waitFor(
          (m) => m.kind === "blackjack.betting_opened" && !seenRounds.includes((m.data as { roundId: string }).roundId),
          15_000,
        );
        const roundId = (opened.data as { roundId: string }).roundId;
        seenRounds.push(roundId);
        await Promise.all(
          sockets.map(async (s, i) => {
            await s.waitFor((m) => m.offset === opened.offset && m.room === room);
            const ack = await s.request({
              type: "action",
              room,
              actionId: `${roundId}-bet${i}`,
              lastOffset: seen(s),
              action: { kind: "bet", roundId, amount: "10.00" },
            });
            expect(ack).toMatchObject({ type: "ack" });
          }),
        );
        if (h === 1) {
          // The second player drops mid-hand; the turn timer plays for them.
          lastOffsetOfSecond = Math.max(...sockets[1]!.events(room).map((m) => m.offset as number));
          sockets[1]!.close();
        }
        // Each connected player acts on their turn: double on the first card pair, otherwise hit once then stand.
        const deadline = Date.now() + 20_000;
        while (Date.now() < deadline) {
          const paid = watcher.events(room).find((m) => m.kind === "blackjack.round_paid" && (m.data as { roundId: string }).roundId === roundId);
          if (paid) break;
          const turns = watcher.events(room).filter((m) => m.kind === "blackjack.turn" && (m.data as { roundId: string }).roundId === roundId);
          const turn = turns.at(-1);
          const seat = turn ? (turn.data as { seat: number }).seat : -1;
          const actor = sockets[seat];
          if (actor && actor.closeCode === null && actor.ws.readyState === actor.ws.OPEN) {
            const kind = h % 2 === 0 ? "double" : "stand";
            await actor.request({ type: "action", room, actionId: `${roundId}-${turn!.offset as number}-${kind}`, lastOffset: seen(actor), action: { kind } });
          }
          await new Promise((r) => setTimeout(r, 50));
        }
        if (h === 1) {
          const back = await TestSocket.authenticated(base, people[1]!.token);
          const resumed = await back.request({ type: "join", room, resume: { epoch: joined[1]!.epoch, offset: lastOffsetOfSecond } });
          expect(resumed.mode).toBe("resumed");
          await back.waitFor((m) => m.kind === "blackjack.round_paid" && (m.data as { roundId: string }).roundId === roundId);
          const offsets = back.events(room).map((m) => m.offset as number);
          expect(offsets[0]).toBe(lastOffsetOfSecond + 1);
          expect(offsets).toEqual(Array.from({ length: offsets.length }, (_, k) => lastOffsetOfSecond + 1 + k));
          sockets = [sockets[0]!, back];
        }
      }
      await watcher.waitFor((m) => m.kind === "blackjack.round_paid" && (m.data as { roundId: string }).roundId === seenRounds.at(-1), 20_000);

      // Money from the log alone: stakes (bets and added stakes) out, round returns in.
      const events: Message[] = watcher.events(room).filter((m) => seenRounds.includes((m.data as { roundId?: string } | undefined)?.roundId ?? ""));
      for (const [seat, p] of people.entries()) {
        let expected = 100_000n;
        for (const m of events) {
          const data = m.data as { seat?: number; amountMinor?: string; returns?: Record<string, string> };
          if (m.kind === "blackjack.bet_placed" && data.seat === seat) expected -= BigInt(data.amountMinor!);
          if (m.kind === "blackjack.stake_added" && data.seat === seat) expected -= BigInt(data.amountMinor!);
          if (m.kind === "blackjack.round_paid") expected += BigInt(data.returns?.[String(seat)] ?? "0");
        }
        const cash = (await server.services.wallet.balances(p.userId)).find((b) => b.purse === "cash");
        expect([seat, cash?.balance, cash?.held]).toEqual([seat, expected, 0n]);
      }
      expect(await server.services.wallet.check()).toMatchObject({ ok: true });
      const refused = await sockets[0]!.request({ type: "action", room, actionId: "out-of-turn", lastOffset: seen(sockets[0]!), action: { kind: "hit" } });
      expect(refused.code).toBe("CROUPIER_ERR_ACTION_REJECTED");
      for (const s of sockets) s.close();
    }, 120_000);
  });
}
