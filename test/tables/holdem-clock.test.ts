// A hold'em table on a synthetic clock (real room host, log, ledger and round store; only time is the
// test's): the turn timer checks or folds for a player who does not act, a player the timer played
// for turnTimeoutsMax turns in a row is stood up and cashed out between hands, and chips are conserved.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultHoldemTable, holdemTableBehavior } from "../../src/app/tables/holdem-table.js";
import { clockedTable, type ClockedTable } from "../support/table-clock.js";
import { ifAssigned } from "../support/fixtures.js";

describe("hold'em table on a synthetic clock", () => {
  let t: ClockedTable;
  beforeAll(async () => {
    const behavior = holdemTableBehavior(new Map([["h1", { ...defaultHoldemTable, turnMs: 20_000, betweenHandsMs: 3_000, turnTimeoutsMax: 3 }]]));
    t = await clockedTable("holdem:h1", behavior, "holdem-clock");
  });
  afterAll(async () => ifAssigned(t)?.close());

  it("plays the absent players' turns by the timer, stands up the one it played three times, and keeps the chips", async () => {
    const { clock, wallet, events, cash, eventually, act } = t;
    const started = performance.now();
    for (const user of ["alice", "bob"])
      expect((await wallet.deposit({ playerId: user, currency: "EUR", amount: 20_000n, key: `d-${user}`, reference: "t", provider: "test" })).status).toBe(
        "ok",
      );
    expect(await act("alice", { kind: "sit", seat: 0, buyIn: "100.00" })).toMatchObject({ ok: true });
    expect(await act("bob", { kind: "sit", seat: 1, buyIn: "100.00" })).toMatchObject({ ok: true });
    expect(await cash("alice")).toMatchObject({ balance: 20_000n, held: 10_000n });
    await clock.advance(3_000);
    await eventually(() => events("holdem.hand_started")).toHaveLength(1);
    // Nobody acts. 19.9 s into the first turn nothing has happened; at 20 s the timer acts for the player.
    const [turn] = await events("holdem.turn");
    await clock.advance(19_900);
    expect(await events("holdem.hand_completed")).toEqual([]);
    await clock.advance(100);
    await eventually(async () => (await events("holdem.folded")).length + (await events("holdem.checked")).length).toBeGreaterThan(0);
    const acted = [...(await events("holdem.folded")), ...(await events("holdem.checked"))][0];
    expect(acted?.seat).toBe(turn?.seat);

    // Hands go on, each turn left to the timer, until one player has been played for three turns in a row.
    for (let i = 0; i < 20 && (await events("holdem.stood_up")).length === 0; i++) {
      await clock.advance(3_000);
      await clock.advance(20_000);
      await clock.advance(0);
    }
    await eventually(async () => (await events("holdem.stood_up")).map((e) => e.reason)).toEqual(["absent"]);
    const [stood] = await events("holdem.stood_up");
    const leaver = stood!.userId as string;
    const stayer = leaver === "alice" ? "bob" : "alice";
    // Cashed out: the stack came back, nothing is held for the one who left.
    await eventually(() => cash(leaver)).toMatchObject({ balance: 10_000n + BigInt(stood!.stackMinor as string), held: 0n });
    // One player left: no hand starts however long.
    const hands = (await events("holdem.hand_started")).length;
    await clock.advance(120_000);
    expect(await events("holdem.hand_started")).toHaveLength(hands);
    // Chips are conserved: both players' cash plus the stayer's stack (still held) plus the rake is what they brought.
    const completed = await events("holdem.hand_completed");
    const rake = completed.reduce((sum, e) => sum + BigInt(e.rakeMinor as string), 0n);
    const stacks = completed.at(-1)!.stacksMinor as (string | null)[];
    const stayerSeat = stayer === "alice" ? 0 : 1;
    const [a, b] = [await cash("alice"), await cash("bob")];
    expect(a!.balance - a!.held + b!.balance - b!.held + BigInt(stacks[stayerSeat] ?? "0") + rake).toBe(40_000n);
    expect(await wallet.check()).toMatchObject({ ok: true });
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});
