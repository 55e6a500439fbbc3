// Player limits and exclusions through the use case and the SQL stores, on PGlite and PostgreSQL,
// with a clock the test moves: a loosening waits for its cooling-off without anyone sleeping.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqlAccountStore } from "../../src/adapters/postgres/account-store.sql.js";
import { createSqlPaymentsStore } from "../../src/adapters/postgres/payments-store.sql.js";
import { createSqlResponsibleGamingStore } from "../../src/adapters/postgres/rg-store.sql.js";
import { depositRefusal } from "../../src/app/responsible-gaming/deposit-gate.js";
import { ResponsibleGaming } from "../../src/app/responsible-gaming/responsible-gaming.service.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { clockAt } from "../support/manual-clock.js";
import { ifAssigned } from "../support/fixtures.js";

const hour = 3_600_000;
const day = 24 * hour;

for (const kind of databaseKinds) {
  describe.skipIf(!kind.available)(`responsible gaming limits (${kind.name})`, () => {
    let database: TestDatabase;
    let accounts: SqlAccountStore;
    let nowMs = 1_800_000_000_000;
    const clock = clockAt(() => nowMs);
    const announced: string[] = [];
    let rg: ResponsibleGaming;
    let n = 0;

    beforeAll(async () => {
      database = await kind.create();
      accounts = new SqlAccountStore(database.db);
      rg = new ResponsibleGaming({
        store: createSqlResponsibleGamingStore(database.db),
        accounts,
        clock,
        limits: { rgIncreaseCoolingOffMs: day },
        guard: {
          announceRevoked: async (id: string) => {
            announced.push(id);
          },
        },
      });
    });
    afterAll(async () => {
      await ifAssigned(database)?.dispose();
    });

    async function newUser(): Promise<string> {
      const user = await accounts.createUser({ username: `rg${++n}`, email: null, passwordHash: "x", roles: ["player"] });
      if (user === null) throw new Error("user not created");
      return user.id;
    }

    /** Starts a deposit as the payments service does: judged and inserted in one transaction. */
    async function deposit(userId: string, amount: bigint): Promise<string> {
      const result = await createSqlPaymentsStore(database.db).createDeposit(
        {
          userId,
          requestKey: `k${++n}`,
          provider: "sandbox",
          currency: "EUR",
          amount,
          cardToken: "tok_test_0000",
          cardLabel: "visa •••• 4242",
        },
        nowMs,
        (gate) => depositRefusal(gate, amount, "EUR", nowMs),
      );
      if (result.status === "refused") return (result.refusal as { error: string }).error;
      return result.status;
    }

    it("applies a lower limit at once and a higher one only after the cooling-off", async () => {
      const userId = await newUser();
      const put = (amount: string | null) => rg.setLimit(userId, { kind: "deposit", period: "day", currency: "EUR", amount });
      expect(await put("100.00")).toMatchObject({ ok: true, value: { status: "applied", limit: { amountMinor: 10_000n, pendingAtMs: null } } });
      expect(await deposit(userId, 10_000n)).toBe("created");
      expect(await deposit(userId, 1n)).toBe("RG_DEPOSIT_LIMIT_EXCEEDED");

      expect(await put("300.00")).toMatchObject({
        ok: true,
        value: { status: "pending", limit: { amountMinor: 10_000n, pendingAmountMinor: 30_000n, pendingAtMs: nowMs + day } },
      });
      nowMs += day - 1;
      // Still cooling off; the day's window still holds the first deposit.
      expect(await deposit(userId, 1n)).toBe("RG_DEPOSIT_LIMIT_EXCEEDED");
      const waiting = await rg.protection(userId);
      expect(waiting.ok && waiting.value.limits).toEqual([expect.objectContaining({ amountMinor: 10_000n, pendingAmountMinor: 30_000n })]);
      nowMs += 1;
      const applied = await rg.protection(userId);
      expect(applied.ok && applied.value.limits).toEqual([expect.objectContaining({ amountMinor: 30_000n, pendingAtMs: null })]);
      // The first deposit left the 24-hour window exactly now: the whole 300.00 is free.
      expect(await deposit(userId, 30_000n)).toBe("created");
      expect(await deposit(userId, 1n)).toBe("RG_DEPOSIT_LIMIT_EXCEEDED");

      // Lower again: at once, and the loosening to "none" waits like any other.
      expect(await put("50.00")).toMatchObject({ ok: true, value: { status: "applied" } });
      expect(await put(null)).toMatchObject({ ok: true, value: { status: "pending", limit: { amountMinor: 5_000n, pendingAmountMinor: null } } });
      nowMs += day;
      expect(await deposit(userId, 1_000_000n)).toBe("created");
      expect((await rg.protection(userId)).ok && (await createSqlResponsibleGamingStore(database.db).limits(userId))).toHaveLength(1);
    });

    it("counts week and month windows, pending deposits included and failed ones not", async () => {
      const userId = await newUser();
      await rg.setLimit(userId, { kind: "deposit", period: "week", currency: "EUR", amount: "10.00" });
      expect(await deposit(userId, 600n)).toBe("created");
      await database.db.query("update payments_deposits set status = 'failed' where user_id = $1", [userId]);
      expect(await deposit(userId, 1_000n)).toBe("created");
      nowMs += 6 * day;
      expect(await deposit(userId, 1n)).toBe("RG_DEPOSIT_LIMIT_EXCEEDED");
      nowMs += day;
      expect(await deposit(userId, 1_000n)).toBe("created");
    });

    it("never lets parallel deposits of any amounts exceed any of the limits, and refuses only what would", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({ day: fc.bigInt({ min: 1n, max: 5_000n }), week: fc.bigInt({ min: 1n, max: 8_000n }) }),
          fc.array(fc.bigInt({ min: 1n, max: 1_500n }), { minLength: 1, maxLength: 30 }),
          async (limits, amounts) => {
            const userId = await newUser();
            await rg.setLimit(userId, { kind: "deposit", period: "day", currency: "EUR", amount: (Number(limits.day) / 100).toFixed(2) });
            await rg.setLimit(userId, { kind: "deposit", period: "week", currency: "EUR", amount: (Number(limits.week) / 100).toFixed(2) });
            const outcomes = await Promise.all(amounts.map((amount) => deposit(userId, amount)));
            const accepted = amounts.filter((_, i) => outcomes[i] === "created");
            const total = accepted.reduce((sum, a) => sum + a, 0n);
            const cap = limits.day < limits.week ? limits.day : limits.week;
            expect(total <= cap).toBe(true);
            expect(outcomes.every((o) => o === "created" || o === "RG_DEPOSIT_LIMIT_EXCEEDED")).toBe(true);
            // Judged one after another: a refused amount did not fit what was accepted by the end either.
            for (const [i, amount] of amounts.entries()) if (outcomes[i] !== "created") expect(total + amount > cap).toBe(true);
          },
        ),
        { numRuns: 8 },
      );
    });

    it("refuses a bad amount or currency and changes nothing", async () => {
      const userId = await newUser();
      expect(await rg.setLimit(userId, { kind: "deposit", period: "day", currency: "EUR", amount: 100 })).toMatchObject({
        ok: false,
        error: "WALLET_AMOUNT_NOT_STRING",
      });
      expect(await rg.setLimit(userId, { kind: "deposit", period: "day", currency: "EUR", amount: "0" })).toMatchObject({
        ok: false,
        error: "WALLET_AMOUNT_ZERO",
      });
      expect(await rg.setLimit(userId, { kind: "deposit", period: "day", currency: "XXX", amount: null })).toMatchObject({
        ok: false,
        error: "WALLET_CURRENCY_UNKNOWN",
      });
      expect(await createSqlResponsibleGamingStore(database.db).limits(userId)).toEqual([]);
    });

    it("excludes for the chosen days, revoking every live session, and refuses deposits until the end", async () => {
      const userId = await newUser();
      const expiresAt = new Date(nowMs + day);
      const sessions = await Promise.all(
        [1, 2].map(() => accounts.createSession({ userId, deviceId: "d", expiresAt, refreshTokenHash: Buffer.from(`h${++n}`), refreshExpiresAt: expiresAt })),
      );
      expect(await rg.exclude(userId, "time_out", 43)).toMatchObject({ ok: false, error: "RG_EXCLUSION_DURATION_INVALID" });
      expect(announced.filter((id) => sessions.some((s) => s.id === id))).toEqual([]);
      const excluded = await rg.exclude(userId, "time_out", 2);
      expect(excluded).toMatchObject({ ok: true, value: { kind: "time_out", untilMs: nowMs + 2 * day } });
      expect(announced).toEqual(expect.arrayContaining(sessions.map((s) => s.id)));
      for (const s of sessions) expect((await accounts.findSession(s.id))?.revokedAt).not.toBeNull();
      expect(await deposit(userId, 100n)).toBe("RG_EXCLUDED");
      expect(await rg.loginRefusal(userId)).toMatchObject({ error: "RG_EXCLUDED" });
      // A shorter break later changes nothing: it cannot cut the running one short.
      expect(await rg.exclude(userId, "time_out", 1)).toMatchObject({ ok: true, value: { untilMs: nowMs + 2 * day } });
      nowMs += 2 * day;
      expect(await rg.loginRefusal(userId)).toBeNull();
      expect(await deposit(userId, 100n)).toBe("created");
    });

    it("locks until an operator unlocks, whatever the time", async () => {
      const userId = await newUser();
      expect(await rg.lock(userId, "operator-1", "chargeback review")).toMatchObject({ ok: true, value: { access: { status: "locked" } } });
      nowMs += 365 * day;
      expect(await deposit(userId, 100n)).toBe("RG_ACCOUNT_LOCKED");
      expect(await rg.loginRefusal(userId)).toMatchObject({ error: "RG_ACCOUNT_LOCKED" });
      expect(await rg.unlock(userId)).toMatchObject({ ok: true, value: { access: { status: "open" }, restrictions: { lock: null } } });
      expect(await deposit(userId, 100n)).toBe("created");
      expect(await rg.lock("00000000-0000-4000-8000-000000000000", "operator-1", "x")).toMatchObject({ ok: false, error: "RG_PLAYER_NOT_FOUND" });
      expect(await rg.protection("not-a-uuid")).toMatchObject({ ok: false, error: "RG_PLAYER_NOT_FOUND" });
    });
  });
}
