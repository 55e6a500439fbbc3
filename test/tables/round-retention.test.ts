// Game recall keeps ended rounds for the configured retention, then deletes them with their bets;
// rounds still in play and recent rounds stay, whatever their age.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqlRoundStore } from "../../src/adapters/postgres/round-store.sql.js";
import { purgeExpiredRounds } from "../../src/app/tables/round-retention.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { clockAt } from "../support/manual-clock.js";
import { ifAssigned } from "../support/fixtures.js";

const dayMs = 86_400_000;
const now = Date.UTC(2026, 10, 26);
const clock = clockAt(() => now);

for (const kind of databaseKinds) {
  describe.skipIf(!kind.available)(`round retention (${kind.name})`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await kind.create();
    });
    afterAll(async () => {
      await ifAssigned(database)?.dispose();
    });

    it("purges ended rounds older than the retention, with their bets, and keeps the rest", async () => {
      const rounds = new SqlRoundStore(database.db);
      const bet = (atMs: number) => [{ betId: "b1", userId: "u1", currency: "EUR", stakeMinor: "100", detail: { type: "red" }, placedAtMs: atMs }];
      const play = async (roundId: string, ageDays: number, end: "settled" | "voided" | null) => {
        const atMs = now - ageDays * dayMs;
        await rounds.record({ roundId, tableId: "t", game: "roulette", status: "open", atMs });
        await rounds.record({ roundId, tableId: "t", game: "roulette", status: "closed", atMs, outcome: { number: 7 }, bets: bet(atMs) });
        if (end !== null) await rounds.record({ roundId, tableId: "t", game: "roulette", status: end, atMs, payouts: [{ betId: "b1", payoutMinor: "0" }] });
      };
      await play("old-settled", 40, "settled");
      await play("old-voided", 31, "voided");
      await play("old-unfinished", 40, null);
      await play("recent", 29, "settled");

      expect(await purgeExpiredRounds(rounds, clock, 30)).toBe(2);
      expect(await rounds.find("old-settled")).toBeNull();
      expect(await rounds.find("old-voided")).toBeNull();
      expect((await rounds.find("old-unfinished"))?.bets).toHaveLength(1);
      expect((await rounds.find("recent"))?.status).toBe("settled");
      expect((await database.db.query<{ n: bigint }>("select count(*) n from game_bets"))[0]?.n).toBe(2n);
      // A second run finds nothing more to do.
      expect(await purgeExpiredRounds(rounds, clock, 30)).toBe(0);
    });
  });
}
