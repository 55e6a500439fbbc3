// A shared roulette table end to end: real sockets, the real ledger, timed rounds, and balances that
// match an independent settlement computed from the recorded outcomes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { payoutOdds } from "../../src/engine/roulette/index.js";
import { serviceAvailable } from "../support/services.js";
import { createShared, startTestServer, type Mode, type Shared } from "../support/server.js";
import { newPlayer, TestSocket, type Message } from "../support/ws-client.js";
import { ifAssigned } from "../support/fixtures.js";

const startMinor = 100_000n;

for (const mode of ["embedded", "production"] as Mode[]) {
  const available = mode === "embedded" || (serviceAvailable("postgres") && serviceAvailable("redis"));
  const players = mode === "production" ? 50 : 10;
  const rounds = mode === "production" ? 6 : 3;
  describe.skipIf(!available)(`roulette table (${mode})`, () => {
    let shared: Shared;
    let server: RunningServer;

    beforeAll(async () => {
      shared = await createShared(mode);
      server = await startTestServer(shared, [
        "--roulette-betting-ms",
        "2000",
        "--roulette-results-ms",
        "200",
        "--roulette-tables",
        "t1",
        "--messages-per-second-max",
        "200",
      ]);
    });
    afterAll(async () => {
      await ifAssigned(server)?.close();
      await ifAssigned(shared)?.dispose();
    });

    it(`${players} players, ${rounds} rounds: balances equal deposits minus stakes plus payouts recomputed from the outcomes`, async () => {
      const base = server.url;
      const room = "roulette:t1";
      const people = await Promise.all(Array.from({ length: players }, () => newPlayer(base)));
      for (const p of people) {
        const deposit = await server.services.wallet.deposit({
          playerId: p.userId,
          currency: "EUR",
          amount: startMinor,
          key: `dep-${p.userId}`,
          reference: `test-${p.userId}`,
          provider: "test",
        });
        expect(deposit.status).toBe("ok");
      }
      const sockets = await Promise.all(people.map((p) => TestSocket.authenticated(base, p.token)));
      await Promise.all(sockets.map((s) => s.request({ type: "join", room })));
      const placed = new Map<string, Array<{ roundId: string; holdId: string; type: string; numbers?: number[]; index?: number; stake: bigint }>>();
      const seenRounds: string[] = [];
      let refused = 0;

      for (let r = 0; r < rounds; r++) {
        const opened = await sockets[0]!.waitFor(
          (m) => m.type === "event" && m.kind === "round.opened" && !seenRounds.includes((m.data as { roundId: string }).roundId),
          10_000,
        );
        const roundId = (opened.data as { roundId: string }).roundId;
        seenRounds.push(roundId);
        await Promise.all(
          sockets.map(async (s, i) => {
            const player = people[i]!;
            const kind = (i + r) % 4;
            const bet =
              kind === 0
                ? { type: "straight", numbers: [(i * 7 + r) % 37], amount: "1.00" }
                : kind === 1
                  ? { type: "red", amount: "2.50" }
                  : kind === 2
                    ? { type: "dozen", index: 1 + ((i + r) % 3), amount: "1.25" }
                    : { type: "split", numbers: [1, 2], amount: "3.00" };
            const ack = await s.request({
              type: "action",
              room,
              actionId: `${roundId}-${i}`,
              lastOffset: opened.offset,
              action: { kind: "bet", roundId, bets: [bet] },
            });
            // On a slow machine a bet may reach the server after the close; it is then refused and moves no money.
            if (ack.type !== "ack") {
              expect(ack.code).toBe("CROUPIER_ERR_BET_ROUND_CLOSED");
              refused++;
              return;
            }
            const list = placed.get(player.userId) ?? [];
            list.push({
              roundId,
              holdId: (ack.result as { holdId: string }).holdId,
              type: bet.type,
              ...(bet.numbers ? { numbers: bet.numbers } : {}),
              ...(bet.index ? { index: bet.index } : {}),
              stake: BigInt(Math.round(Number(bet.amount) * 100)),
            });
            placed.set(player.userId, list);
          }),
        );
        await sockets[0]!.waitFor((m) => m.type === "event" && m.kind === "round.settled" && (m.data as { roundId: string }).roundId === roundId, 10_000);
      }

      expect(refused).toBeLessThan((players * rounds) / 2);
      // A bet after the close is refused by the server's clock, and nothing is reserved.
      const last = seenRounds.at(-1)!;
      const late = await sockets[1]!.request({
        type: "action",
        room,
        actionId: "late-bet",
        lastOffset: 0,
        action: { kind: "bet", roundId: last, bets: [{ type: "red", amount: "1.00" }] },
      });
      expect(["CROUPIER_ERR_BET_ROUND_CLOSED", "CROUPIER_ERR_ACTION_STALE"]).toContain(late.code);

      // Independent settlement from the recorded outcomes.
      const outcomes = new Map<string, number>();
      for (const roundId of seenRounds) {
        const recalled = await server.services.rounds.find(roundId);
        expect(recalled?.status).toBe("settled");
        outcomes.set(roundId, (recalled!.outcome as { number: number }).number);
      }
      const red = new Set([1, 3, 5, 7, 9, 12, 14, 16, 18, 19, 21, 23, 25, 27, 30, 32, 34, 36]);
      const covers = (b: { type: string; numbers?: number[]; index?: number }, n: number) =>
        b.type === "red" ? red.has(n) : b.type === "dozen" ? n >= 1 && Math.ceil(n / 12) === b.index : (b.numbers ?? []).includes(n);
      for (const p of people) {
        let expected = startMinor;
        for (const bet of placed.get(p.userId) ?? []) {
          expected -= bet.stake;
          if (covers(bet, outcomes.get(bet.roundId)!)) expected += bet.stake * (payoutOdds[bet.type as keyof typeof payoutOdds] + 1n);
        }
        const balances = await server.services.wallet.balances(p.userId);
        const cash = balances.find((b) => b.purse === "cash" && b.currency === "EUR");
        expect([p.username, cash?.balance, cash?.held]).toEqual([p.username, expected, 0n]);
      }
      const check = await server.services.wallet.check();
      expect(check).toMatchObject({ ok: true });
      // Each player saw the payouts of their own bets inside `round.settled`, and nobody else's.
      const payoutsSeen = (s: TestSocket) =>
        s
          .events(room)
          .filter((m: Message) => m.kind === "round.settled")
          .flatMap((m: Message) => (m.data as { payouts?: { holdId: string }[] }).payouts ?? []);
      for (const [i, s] of sockets.entries()) {
        const seen = payoutsSeen(s);
        expect(seen.length).toBe(new Set((placed.get(people[i]!.userId) ?? []).map((b) => b.holdId)).size);
        for (const payout of seen) expect(payout.holdId).toContain(`:${people[i]!.userId}:`);
      }
      for (const s of sockets) s.close();
    }, 120_000);
  });
}
