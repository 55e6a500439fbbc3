// `roulette:t1` and `live:t1` both record as roulette table t1 in game recall. A table that starts from
// nothing (its state lost with Redis) ends the rounds an earlier epoch left unfinished there: each kind
// must end its own and only its own. The runner, the ledger and the round store are the real ones
// (embedded engine); the live table's round ids carry the `live~` mark that tells them apart.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultRouletteTable, rouletteTableBehavior } from "../../src/app/tables/roulette-table.js";
import { createTableEffectRunner } from "../../src/app/tables/table-effect-runner.js";
import type { RecoverResult, TableEffect } from "../../src/app/tables/table-effects.js";
import { clockedTable, type ClockedTable } from "../support/table-clock.js";
import { SeededRng } from "../../src/engine/rng/index.js";
import { ifAssigned } from "../support/fixtures.js";

describe("rounds lost with Redis, at a table id both roulette kinds use", () => {
  let live: ClockedTable;
  beforeAll(async () => {
    const behavior = rouletteTableBehavior(new Map([["t1", { ...defaultRouletteTable, live: { dealerAbsentMsMax: 60_000, streamUrl: "x" } }]]), "live");
    live = await clockedTable("live:t1", behavior, "recover-kinds");
  });
  afterAll(async () => ifAssigned(live)?.close());

  it("each kind voids its own unfinished rounds and leaves the other kind's stakes held", async () => {
    const { wallet, rounds, clock, events, eventually, cash } = live;
    expect(await live.act("dealer", { kind: "open" }, { roles: ["dealer"] })).toMatchObject({ ok: true });
    await eventually(() => events("round.opened")).toHaveLength(1);
    const liveRound = (await events("round.opened"))[0]!.roundId as string;
    expect(liveRound.startsWith("live~t1:")).toBe(true);

    const run = createTableEffectRunner({ wallet, rng: new SeededRng("recover-kinds-runner"), rounds, clock });
    const ask = (effect: TableEffect) => run("roulette:t1", effect);
    for (const user of ["ana", "ben"])
      expect((await wallet.deposit({ playerId: user, currency: "EUR", amount: 10_000n, key: `d-${user}`, reference: "t", provider: "test" })).status).toBe(
        "ok",
      );
    // An unfinished round of roulette:t1 (recorded open, one stake held) and a stake in the live round.
    const plainRound = "t1:7:abc";
    await ask({ type: "round.record", record: { roundId: plainRound, tableId: "t1", game: "roulette", status: "open", atMs: clock.nowMs() } });
    const held = (round: string, user: string) =>
      ask({ type: "wallet.reserve", game: "roulette", playerId: user, currency: "EUR", amountMinor: "500", holdId: `${round}:${user}:h`, roundId: round });
    expect(await held(plainRound, "ana")).toMatchObject({ status: "ok" });
    expect(await held(liveRound, "ben")).toMatchObject({ status: "ok" });

    const recover = (rounds: { prefix: string } | { without: string }) =>
      ask({ type: "rounds.recover", game: "roulette", tableId: "t1", rounds, currency: "EUR", reason: "lost", atMs: clock.nowMs() }) as Promise<RecoverResult>;
    // roulette:t1 starting over: its own round is voided, the live round is not touched.
    expect((await recover({ without: "~" })).rounds).toEqual([{ roundId: plainRound, refunded: 1 }]);
    expect(await cash("ana")).toMatchObject({ balance: 10_000n, held: 0n });
    expect(await cash("ben")).toMatchObject({ held: 500n });
    expect((await rounds.find(liveRound))?.status).toBe("open");
    // live:t1 starting over: only its own.
    expect((await recover({ prefix: "live~" })).rounds).toEqual([{ roundId: liveRound, refunded: 1 }]);
    expect(await cash("ben")).toMatchObject({ balance: 10_000n, held: 0n });
    expect((await rounds.find(plainRound))?.status).toBe("voided");
  });
});
