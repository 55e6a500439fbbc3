// A blackjack table's round lifecycle on a synthetic clock: the table, its room host, the room log,
// the ledger and the round store are the real ones (embedded engine), only time is the test's.
// Betting closes on time, a player who lets the turn timer run stands, the round is paid, and seated
// players who sit rounds out are stood up after absentRoundsMax: a minute of table time in milliseconds.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blackjackTableBehavior, defaultBlackjackTable } from "../../src/app/tables/blackjack-table.js";
import { clockedTable, type ClockedTable } from "../support/table-clock.js";
import { ifAssigned } from "../support/fixtures.js";

describe("blackjack table on a synthetic clock", () => {
  let t: ClockedTable;
  beforeAll(async () => {
    const behavior = blackjackTableBehavior(
      new Map([["b1", { ...defaultBlackjackTable, bettingMs: 15_000, turnMs: 20_000, resultsMs: 5_000, absentRoundsMax: 2 }]]),
    );
    t = await clockedTable("blackjack:b1", behavior, "blackjack-clock");
  });
  afterAll(async () => ifAssigned(t)?.close());

  it("closes betting on time, stands a player the turn timer ran out on, pays, and stands up absent players", async () => {
    const { clock, wallet, events, cash, eventually, act } = t;
    const started = performance.now();
    for (const user of ["alice", "bob"])
      expect((await wallet.deposit({ playerId: user, currency: "EUR", amount: 10_000n, key: `d-${user}`, reference: "t", provider: "test" })).status).toBe(
        "ok",
      );
    expect(await act("alice", { kind: "sit", seat: 0 })).toMatchObject({ ok: true });
    expect(await act("bob", { kind: "sit", seat: 1 })).toMatchObject({ ok: true });
    await eventually(() => events("blackjack.betting_opened")).toHaveLength(1);
    const [opened] = await events("blackjack.betting_opened");
    const roundId = opened!.roundId as string;
    expect(opened!.closesAt).toBe(clock.nowMs() + 15_000);
    expect(await act("alice", { kind: "bet", roundId, amount: "10.00" })).toMatchObject({ ok: true });
    expect((await cash("alice"))?.held).toBe(1_000n);
    // A player may not act out of turn, nor an ordinary player use the table controls.
    expect(await act("bob", { kind: "table.close" })).toMatchObject({ ok: false, error: "AUTH_FORBIDDEN" });

    // 14.9 s: no card yet. At 15 s betting closes and the cards come out.
    await clock.advance(14_900);
    expect(await events("blackjack.card_dealt")).toEqual([]);
    await clock.advance(100);
    await eventually(async () => (await events("blackjack.card_dealt")).length).toBeGreaterThanOrEqual(2);
    const turns = await events("blackjack.turn");
    if (turns.length > 0) {
      // Alice's turn: she lets the timer run. 19.9 s later it is still hers; at 20 s she stands.
      await clock.advance(19_900);
      expect(await events("blackjack.round_paid")).toEqual([]);
      await clock.advance(100);
    }
    await eventually(() => events("blackjack.round_paid")).toHaveLength(1);
    const [paid] = await events("blackjack.round_paid");
    const returned = BigInt((paid!.returns as Record<string, string>)["0"] ?? "0");
    await eventually(() => cash("alice")).toMatchObject({ balance: 10_000n - 1_000n + returned, held: 0n });
    expect(await cash("bob")).toMatchObject({ balance: 10_000n, held: 0n });

    // Round two after five seconds of results: nobody bets. Alice left her turn to the timer in round
    // one and sits this one out: absent twice, she is stood up. Bob sat down after round one's betting
    // had opened, so round one does not count for him: he goes after round three.
    await clock.advance(5_000);
    await eventually(() => events("blackjack.betting_opened")).toHaveLength(2);
    await clock.advance(15_000);
    await eventually(async () => (await events("blackjack.seat_left")).map((e) => [e.seat, e.reason])).toEqual([[0, "absent"]]);
    await clock.advance(5_000);
    await eventually(() => events("blackjack.betting_opened")).toHaveLength(3);
    await clock.advance(15_000);
    await eventually(async () => (await events("blackjack.seat_left")).map((e) => [e.seat, e.reason])).toEqual([
      [0, "absent"],
      [1, "absent"],
    ]);
    // The empty table waits: no round opens however long.
    await clock.advance(120_000);
    expect(await events("blackjack.betting_opened")).toHaveLength(3);
    expect(await wallet.check()).toMatchObject({ ok: true });
    // Well over a minute of table time, in less wall-clock time than its first betting window.
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});
