// The SQL round store coalesces concurrent writes: records waiting together are folded per round and
// written set-wise in one transaction. Folded or not, a round reads back as if its records had been
// applied one after another.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mergeRoundRecords, SqlRoundStore } from "../../src/adapters/postgres/round-store.sql.js";
import type { RoundRecord } from "../../src/app/ports/round-store.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { ifAssigned } from "../support/fixtures.js";

const at = Date.UTC(2026, 11, 2, 10);
const round = (roundId: string, status: RoundRecord["status"], extra: Partial<RoundRecord> = {}): RoundRecord => ({
  roundId,
  tableId: "t1",
  game: "roulette",
  status,
  atMs: at,
  ...extra,
});
const bet = (betId: string, userId: string, stakeMinor: string) => ({ betId, userId, currency: "EUR", stakeMinor, detail: { type: "red" }, placedAtMs: at });

describe("mergeRoundRecords", () => {
  it("folds a round's records in order: last status, first close and end times, first bet record, last payout", () => {
    const merged = mergeRoundRecords([
      round("r", "open"),
      round("r", "closed", { atMs: at + 10, outcome: { number: 7 }, verification: { v: 1 }, bets: [bet("b1", "ann", "100")] }),
      round("other", "open"),
      round("r", "closed", { atMs: at + 20, bets: [bet("b1", "ann", "999"), bet("b2", "ben", "200")] }),
      round("r", "settled", { atMs: at + 30, payouts: [{ betId: "b1", payoutMinor: "0" }] }),
      round("r", "settled", { atMs: at + 40, payouts: [{ betId: "b1", payoutMinor: "3600" }] }),
    ]);
    expect(merged.rounds).toEqual([
      {
        roundId: "r",
        tableId: "t1",
        game: "roulette",
        status: "settled",
        openedAtMs: at,
        closedAtMs: at + 10,
        settledAtMs: at + 30,
        outcome: { number: 7 },
        verification: { v: 1 },
        voidReason: null,
      },
      {
        roundId: "other",
        tableId: "t1",
        game: "roulette",
        status: "open",
        openedAtMs: at,
        closedAtMs: null,
        settledAtMs: null,
        outcome: null,
        verification: null,
        voidReason: null,
      },
    ]);
    expect(merged.bets.map((b) => [b.roundId, b.betId, b.stakeMinor])).toEqual([
      ["r", "b1", "100"],
      ["r", "b2", "200"],
    ]);
    expect(merged.payouts).toEqual([{ roundId: "r", betId: "b1", payoutMinor: "3600" }]);
  });
});

for (const kind of databaseKinds) {
  describe.skipIf(!kind.available)(`SqlRoundStore (${kind.name})`, () => {
    let database: TestDatabase;
    let rounds: SqlRoundStore;
    beforeAll(async () => {
      database = await kind.create();
      rounds = new SqlRoundStore(database.db, { batchWaitMs: 5 });
    });
    afterAll(async () => {
      await ifAssigned(rounds)?.close();
      await ifAssigned(database)?.dispose();
    });

    it("reads a round written by concurrent records exactly as one written step by step", async () => {
      const steps = (id: string) => [
        round(id, "open"),
        round(id, "closed", { outcome: { number: 7 }, verification: { rng: "x" }, bets: [bet("b1", "ann", "100"), bet("b2", "ben", "250")] }),
        round(id, "settled", {
          payouts: [
            { betId: "b1", payoutMinor: "0" },
            { betId: "b2", payoutMinor: "500" },
          ],
        }),
      ];
      // Step by step: each record waits for its commit.
      for (const record of steps("one-by-one")) await rounds.record(record);
      // All at once: one batch folds them (the batcher keeps their order).
      await Promise.all(steps("together").map((record) => rounds.record(record)));
      // Many rounds at once, as a thousand slot players produce them.
      await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          rounds.record({
            ...round(`spin-${i}`, "settled", {
              game: "slots",
              outcome: { win: i },
              bets: [bet("spin", `p${i}`, "100")],
              payouts: [{ betId: "spin", payoutMinor: String(i) }],
            }),
          }),
        ),
      );

      const a = await rounds.find("one-by-one");
      const b = await rounds.find("together");
      expect(a).not.toBeNull();
      expect({ ...b, roundId: "one-by-one" }).toEqual(a);
      expect(a).toMatchObject({ status: "settled", outcome: { number: 7 }, verification: { rng: "x" } });
      expect(a?.closedAt).not.toBeNull();
      expect(a?.bets.map((x) => [x.betId, x.stakeMinor, x.payoutMinor])).toEqual([
        ["b1", 100n, 0n],
        ["b2", 250n, 500n],
      ]);
      const spin = await rounds.find("spin-299");
      expect(spin?.bets[0]?.payoutMinor).toBe(299n);
      expect((await rounds.listForUser("p7", 10)).map((r) => r.roundId)).toEqual(["spin-7"]);

      // The highest nonce recorded under a seed, per player: a restored slot machine draws past it.
      const spun = (id: string, user: string, hash: string, nonce: number) =>
        rounds.record(round(id, "settled", { game: "slots", verification: { serverSeedHash: hash, nonce }, bets: [bet("spin", user, "100")] }));
      await Promise.all([spun("n-1", "nina", "h1", 0), spun("n-2", "nina", "h1", 11), spun("n-3", "nina", "h1", 2), spun("n-4", "nina", "h2", 40)]);
      await spun("n-5", "otto", "h1", 90);
      expect(await rounds.highestNonce("nina", "h1")).toBe(11);
      expect(await rounds.highestNonce("nina", "h2")).toBe(40);
      expect(await rounds.highestNonce("nina", "h3")).toBeNull();
      expect(await rounds.highestNonce("nobody", "h1")).toBeNull();
      // Bets placed before `since` are not read.
      expect(await rounds.highestNonce("nina", "h1", new Date(at))).toBe(11);
      expect(await rounds.highestNonce("nina", "h1", new Date(at + 1))).toBeNull();

      // Re-recording a step (an owner repeating it after a failover) writes no bet twice.
      await rounds.record(steps("one-by-one")[1] as RoundRecord);
      expect((await rounds.find("one-by-one"))?.bets.map((x) => x.stakeMinor)).toEqual([100n, 250n]);
    });
  });
}
