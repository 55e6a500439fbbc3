// A roulette table's whole round lifecycle on a synthetic clock: the table, its room host, the room
// log, the ledger and the round store are the real ones (embedded engine), only time is the test's.
// Fifteen seconds of betting and five of results pass in a few milliseconds, deterministically.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultRouletteTable, rouletteTableBehavior } from "../../src/app/tables/roulette-table.js";
import { clockedTable, type ClockedTable } from "../support/table-clock.js";
import { ifAssigned } from "../support/fixtures.js";

const reds = new Set([1, 3, 5, 7, 9, 12, 14, 16, 18, 19, 21, 23, 25, 27, 30, 32, 34, 36]);

describe("roulette table on a synthetic clock", () => {
  let t: ClockedTable;
  beforeAll(async () => {
    const behavior = rouletteTableBehavior(new Map([["t1", { ...defaultRouletteTable, bettingMs: 15_000, resultsMs: 5_000 }]]));
    t = await clockedTable("roulette:t1", behavior, "roulette-clock");
  });
  afterAll(async () => ifAssigned(t)?.close());

  const bet = (userId: string, actionId: string, roundId: string, bets: unknown[]) => t.act(userId, { kind: "bet", roundId, bets }, { actionId });

  it("opens, takes bets, closes on time, draws, settles once and opens the next round — in milliseconds", async () => {
    const { clock, wallet, rounds, events, cash, eventually } = t;
    const started = performance.now();
    await eventually(() => events("round.opened")).toHaveLength(1);
    const [opened] = await events("round.opened");
    expect(opened).toMatchObject({ closesAt: clock.nowMs() + 15_000 });
    const roundId = opened!.roundId as string;
    for (const user of ["alice", "bob"])
      expect((await wallet.deposit({ playerId: user, currency: "EUR", amount: 10_000n, key: `d-${user}`, reference: "t", provider: "test" })).status).toBe(
        "ok",
      );

    const first = await bet("alice", "a1", roundId, [{ type: "red", amount: "10.00" }]);
    expect(first, JSON.stringify(first)).toMatchObject({ ok: true, status: "applied" });
    expect(
      await bet("bob", "b1", roundId, [
        { type: "dozen", index: 2, amount: "5.00" },
        { type: "straight", numbers: [17], amount: "1.00" },
      ]),
    ).toMatchObject({ ok: true, status: "applied" });
    // A resent bet is answered again, not placed twice.
    expect(await bet("alice", "a1", roundId, [{ type: "red", amount: "10.00" }])).toMatchObject({ ok: true, status: "duplicate" });
    expect((await cash("alice"))?.held).toBe(1_000n);

    // 14.9 s in: still open. At 15 s it closes; a bet then is refused and changes nothing.
    await clock.advance(14_900);
    expect(await events("round.closed")).toEqual([]);
    await clock.advance(100);
    await eventually(() => events("round.closed")).toEqual([expect.objectContaining({ roundId, bets: 2 })]);
    const late = await bet("alice", "a2", roundId, [{ type: "black", amount: "1.00" }]);
    expect(late).toMatchObject({ ok: false, error: "BET_ROUND_CLOSED" });

    // The result and the settlement follow without more time passing.
    await eventually(() => events("round.settled")).toHaveLength(1);
    const [result] = await events("round.result");
    const number = result!.number as number;
    const [settled] = await events("round.settled");
    expect(settled).toMatchObject({ roundId, number, bets: 2 });
    const aliceWin = reds.has(number) ? 2_000n : 0n;
    const bobWin = (number >= 13 && number <= 24 ? 1_500n : 0n) + (number === 17 ? 3_600n : 0n);
    await eventually(() => cash("alice")).toMatchObject({ balance: 10_000n - 1_000n + aliceWin, held: 0n });
    await eventually(() => cash("bob")).toMatchObject({ balance: 10_000n - 600n + bobWin, held: 0n });
    await eventually(async () => (await rounds.find(roundId))?.status).toBe("settled");

    // Five seconds of results, then the next round.
    await clock.advance(4_999);
    expect(await events("round.opened")).toHaveLength(1);
    await clock.advance(1);
    await eventually(() => events("round.opened")).toHaveLength(2);
    expect(await wallet.check()).toMatchObject({ ok: true });
    // Twenty seconds of table time in less wall-clock time than that (a few hundred ms when idle):
    // no real timer was waited on.
    expect(performance.now() - started).toBeLessThan(19_000);
  });
});
