// The LedgerStore contract, run against the embedded engine (PGlite) and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { createSqlLedgerStore } from "../../src/adapters/postgres/ledger-store.sql.js";
import { ledgerCheckSql } from "../../src/adapters/postgres/ledger-sql.js";
import { SqlRoundStore } from "../../src/adapters/postgres/round-store.sql.js";
import type { LedgerOp, LedgerOutcome } from "../../src/engine/ledger/index.js";
import { createWorld, currency, deposit, expectOk, freshKey, instant, rowCounts, type LedgerWorld } from "./ledger-fixtures.js";
import { ifAssigned } from "../support/fixtures.js";

const reserve = (accountId: bigint, amount: bigint, holdId: string, key = freshKey("r")): LedgerOp => ({
  type: "reserve",
  key,
  currency,
  holdId,
  accountId,
  amount,
  reference: `round-${holdId}`,
});
const settle = (world: LedgerWorld, holdId: string, win: bigint, key = freshKey("s")): LedgerOp => ({
  type: "settle",
  key,
  currency,
  holdId,
  houseAccountId: world.houseId,
  payouts: win > 0n ? [{ fromAccountId: world.houseId, amount: win }] : [],
});
const voidHold = (holdId: string, key = freshKey("v")): LedgerOp => ({ type: "void", key, currency, holdId });

for (const kind of databaseKinds) {
  describe.skipIf(!kind.available)(`LedgerStore contract on ${kind.name}`, () => {
    let database: TestDatabase;
    let world: LedgerWorld;
    let next = 0;
    /** A player of its own for each test, funded with 1,000.00. */
    const newPlayer = async (): Promise<bigint> => {
      const account = await world.store.openAccount({ owner: `contract-${++next}`, kind: "player_cash", currency });
      expectOk(await world.store.submit(deposit(world.clearingId, account.id, 100_000n, freshKey("fund"))));
      return account.id;
    };
    const submitAll = (ops: LedgerOp[]): Promise<LedgerOutcome[]> => Promise.all(ops.map((op) => world.store.submit(op)));

    beforeAll(async () => {
      database = await kind.create();
      world = await createWorld(database.db, 0, 0n);
    });
    afterAll(async () => {
      await ifAssigned(world)?.store.close();
      await ifAssigned(database)?.dispose();
    });

    it("opens an account once per owner, kind and currency", async () => {
      const a = await world.store.openAccount({ owner: "same", kind: "player_cash", currency });
      const [b, c] = await Promise.all([0, 1].map(() => world.store.openAccount({ owner: "same", kind: "player_cash", currency })));
      expect(b?.id).toBe(a.id);
      expect(c?.id).toBe(a.id);
      expect(await world.store.findAccount({ owner: "same", kind: "player_bonus", currency })).toBeNull();
      expect((await world.store.accountsOf("same")).map((x) => x.id)).toEqual([a.id]);
    });

    it("settles an instant spin and replays a repeat without a second effect", async () => {
      const p = await newPlayer();
      const op = instant(world, p, 1_000n, 2_500n, freshKey("spin"));
      const first = await world.store.submit(op);
      expect(first).toEqual({ status: "ok", replayed: false, balances: [{ accountId: p, balance: 101_500n, held: 0n }] });
      const counts = await rowCounts(database.db);
      const again = await world.store.submit({ ...op });
      expect(again).toEqual({ ...first, replayed: true });
      expect(await rowCounts(database.db)).toBe(counts);
    });

    it("writes an operation's round records in its transaction only when it is applied: not when refused, not again on a replay", async () => {
      const p = await newPlayer();
      const rounds = new SqlRoundStore(database.db);
      const recordsFor = (roundId: string) => {
        const calls: bigint[] = [];
        const records = (applied: { readonly balances: readonly { readonly balance: bigint }[] }) => {
          calls.push(applied.balances[0]?.balance ?? -1n);
          return [
            {
              roundId,
              tableId: "t",
              game: "slots",
              status: "settled" as const,
              atMs: 1_000,
              outcome: { win: "25.00" },
              bets: [{ betId: "spin", userId: "u", currency, stakeMinor: "1000", detail: null, placedAtMs: 1_000 }],
              payouts: [{ betId: "spin", payoutMinor: "2500" }],
            },
          ];
        };
        return { calls, records };
      };
      const refused = recordsFor(freshKey("round"));
      expect(await world.store.submit(instant(world, p, 10_000_000n, 0n, freshKey("spin")), refused.records)).toEqual({ status: "insufficient_funds" });
      expect(refused.calls).toEqual([]);
      const paid = recordsFor(freshKey("round"));
      const op = instant(world, p, 1_000n, 2_500n, freshKey("spin"));
      expectOk(await world.store.submit(op, paid.records));
      expect(await world.store.submit({ ...op }, paid.records)).toMatchObject({ status: "ok", replayed: true });
      expect(paid.calls).toEqual([101_500n]);
      const [roundId] = [paid.records({ balances: [] })[0]!.roundId];
      expect(await rounds.find(roundId)).toMatchObject({
        status: "settled",
        outcome: { win: "25.00" },
        bets: [{ betId: "spin", stakeMinor: 1000n, payoutMinor: 2500n }],
      });
      await rounds.close();
    });

    it("answers repeats inside one batch with the first answer", async () => {
      const p = await newPlayer();
      const op = instant(world, p, 500n, 0n, freshKey("spin"));
      const outcomes = await submitAll([op, op, op]);
      expect(outcomes.map((o) => o.status === "ok" && o.replayed)).toEqual([false, true, true]);
      expect((await world.store.accountsOf(`contract-${next}`))[0]?.balance).toBe(99_500n);
    });

    it("refuses the same key with another request, writing nothing", async () => {
      const p = await newPlayer();
      const key = freshKey("spin");
      expectOk(await world.store.submit(instant(world, p, 100n, 0n, key)));
      const counts = await rowCounts(database.db);
      expect(await world.store.submit(instant(world, p, 200n, 0n, key))).toEqual({ status: "idempotency_key_conflict" });
      expect(await world.store.submit(reserve(p, 100n, freshKey("hold"), key))).toEqual({ status: "idempotency_key_conflict" });
      expect(await rowCounts(database.db)).toBe(counts);
    });

    it("resolves a hold exactly once, even when settle and void race in one batch", async () => {
      const p = await newPlayer();
      const holdId = freshKey("hold");
      expect(await world.store.submit(reserve(p, 3_000n, holdId))).toMatchObject({ status: "ok", balances: [{ balance: 100_000n, held: 3_000n }] });
      const outcomes = await submitAll([settle(world, holdId, 7_000n), voidHold(holdId), settle(world, holdId, 0n)]);
      expect(outcomes.map((o) => o.status)).toEqual(["ok", "hold_already_resolved", "hold_already_resolved"]);
      expect(outcomes[0]).toMatchObject({ balances: [{ accountId: p, balance: 104_000n, held: 0n }] });
      expect(await world.store.submit(voidHold(holdId))).toEqual({ status: "hold_already_resolved" });
      const rows = await database.db.query<{ status: string; n: bigint }>(
        "select h.status, (select count(*) from ledger_transfers t where t.hold_id = h.id and t.kind = 'bet_stake') n from ledger_holds h where h.id = $1",
        [holdId],
      );
      expect(rows).toEqual([{ status: "posted", n: 1n }]);
      expect(await world.store.submit(settle(world, "no-such-hold", 0n))).toEqual({ status: "hold_not_found" });
    });

    it("voids a hold and gives the stake back to the available balance", async () => {
      const p = await newPlayer();
      const holdId = freshKey("hold");
      expectOk(await world.store.submit(reserve(p, 100_000n, holdId)));
      expect(await world.store.submit(instant(world, p, 1n, 0n, freshKey("spin")))).toEqual({ status: "insufficient_funds" });
      expect(await world.store.submit(voidHold(holdId))).toMatchObject({ status: "ok", balances: [{ balance: 100_000n, held: 0n }] });
      expectOk(await world.store.submit(instant(world, p, 1n, 0n, freshKey("spin"))));
    });

    it("fails only the operation without funds, not its neighbours in the batch", async () => {
      const p = await newPlayer();
      const outcomes = await submitAll([
        instant(world, p, 60_000n, 0n, freshKey()),
        instant(world, p, 60_000n, 0n, freshKey()),
        instant(world, p, 40_000n, 0n, freshKey()),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(["ok", "insufficient_funds", "ok"]);
      expect(outcomes[2]).toMatchObject({ balances: [{ balance: 0n, held: 0n }] });
    });

    it("refuses bad input with its own status and writes nothing", async () => {
      const p = await newPlayer();
      const eur = await world.store.openAccount({ owner: `contract-${next}`, kind: "player_cash", currency: "EUR" });
      const counts = await rowCounts(database.db);
      const cases: [LedgerOp, string][] = [
        [instant(world, p, 0n, 0n, freshKey()), "amount_invalid"],
        [instant(world, p, -100n, 0n, freshKey()), "amount_invalid"],
        [instant(world, p, 10n ** 16n, 0n, freshKey()), "amount_invalid"],
        [instant(world, eur.id, 100n, 0n, freshKey()), "currency_mismatch"],
        [{ ...instant(world, p, 100n, 0n, freshKey()), currency: "ZZZ" }, "currency_unknown"],
        [instant(world, 999_999n, 100n, 0n, freshKey()), "account_not_found"],
        [deposit(world.clearingId, world.jackpotId, 100n, freshKey()), "account_kind_invalid"],
        [reserve(p, 100n, "h".repeat(200)), "request_invalid"],
      ];
      const outcomes = await submitAll(cases.map(([op]) => op));
      expect(outcomes.map((o) => o.status)).toEqual(cases.map(([, status]) => status));
      expect(await rowCounts(database.db)).toBe(counts);
    });

    it("keeps the books under many concurrent callers with repeated keys", async () => {
      const ps = await Promise.all(Array.from({ length: 10 }, () => newPlayer()));
      const ops: LedgerOp[] = [];
      for (let i = 0; i < 300; i += 1) {
        const p = ps[i % ps.length]!;
        const holdId = `cc-${next}-${i}`;
        // Deposits in the same batches as bets: a batch then moves two shared accounts (house, clearing).
        if (i % 25 === 0) ops.push(deposit(world.clearingId, p, 5_000n, `cc-${next}-dep-${i}`));
        if (i % 3 === 0) ops.push(instant(world, p, BigInt(1 + (i % 7) * 1000), BigInt((i % 5) * 700), `cc-${next}-spin-${i}`));
        else if (i % 3 === 1) ops.push(reserve(p, 2_000n, holdId, `cc-${next}-r-${i}`), settle(world, holdId, BigInt(i % 4) * 1_000n, `cc-${next}-s-${i}`));
        else ops.push(reserve(p, 50_000n, holdId, `cc-${next}-r-${i}`), voidHold(holdId, `cc-${next}-v-${i}`));
      }
      // A tenth of the operations are sent again 1 to 3 times, interleaved with the rest.
      const sends = [...ops];
      ops.forEach((op, i) => {
        if (i % 10 === 0) for (let r = 0; r <= i % 3; r += 1) sends.push(op);
      });
      const outcomes = await submitAll(sends);
      // Per key, exactly one answer applied the operation (which send it was depends on which
      // batch took the locks first) and every other answer repeats it, or none applied and all failed.
      const byKey = new Map<string, LedgerOutcome[]>();
      sends.forEach((op, i) => byKey.set(op.key, [...(byKey.get(op.key) ?? []), outcomes[i]!]));
      let applied = 0;
      for (const list of byKey.values()) {
        const originals = list.filter((o) => o.status === "ok" && !o.replayed);
        expect(originals.length).toBeLessThanOrEqual(1);
        if (originals.length === 0) continue;
        applied += 1;
        for (const o of list) if (o.status === "ok") expect(o).toEqual({ ...originals[0], replayed: o.replayed });
        expect(list.filter((o) => o.status === "ok" && o.replayed).length + 1).toBe(list.filter((o) => o.status === "ok").length);
      }
      const keys = await database.db.query<{ n: bigint }>("select count(*) n from ledger_idempotency where key like $1", [`cc-${next}-%`]);
      expect(keys[0]?.n).toBe(BigInt(applied));
      const check = await world.store.check();
      expect(check).toMatchObject({ ok: true, accountsMismatched: 0, heldMismatched: 0, accountsNegative: 0 });
      expect(check.currencies.find((c) => c.currency === currency)?.debitsMinor).toBe(check.currencies.find((c) => c.currency === currency)?.creditsMinor);
    });

    it("pages the history newest first without gaps or repeats", async () => {
      const p = await newPlayer();
      for (let i = 0; i < 3; i += 1)
        await submitAll(Array.from({ length: 4 }, (_, j) => instant(world, p, BigInt(10 + i * 4 + j), j % 2 === 0 ? 5n : 0n, freshKey("h"))));
      const seen: bigint[] = [];
      let cursor: bigint | undefined;
      let pages = 0;
      do {
        const page = await world.store.history(p, { limit: 5, ...(cursor === undefined ? {} : { beforeTransferId: cursor }) });
        seen.push(...page.entries.map((e) => e.transferId));
        for (const e of page.entries) expect(e.counterpartyAccountId === world.houseId || e.kind === "deposit").toBe(true);
        cursor = page.nextCursor ?? undefined;
        pages += 1;
      } while (cursor !== undefined && pages < 10);
      // 12 stakes, 6 wins and the funding deposit.
      expect(seen.length).toBe(19);
      expect([...seen].sort((a, b) => (a > b ? -1 : 1))).toEqual(seen);
      expect(new Set(seen).size).toBe(seen.length);
      const all = await world.store.history(p, { limit: 100 });
      const net = all.entries.reduce((sum, e) => sum + e.amount, 0n);
      expect(net).toBe((await world.store.accountsOf(`contract-${next}`))[0]?.balance);
      expect(all.entries.at(-1)).toMatchObject({ kind: "deposit", amount: 100_000n });
    });

    it("has a database that refuses what the rules refuse", async () => {
      const p = await newPlayer();
      await expect(database.db.query("update ledger_accounts set balance = -1 where id = $1", [p.toString()])).rejects.toThrow(/check/i);
      await expect(database.db.query("update ledger_transfers set amount = amount + 1")).rejects.toThrow(/immutable/);
      await expect(database.db.query("delete from ledger_idempotency")).rejects.toThrow(/immutable/);
      const holdId = freshKey("hold");
      expectOk(await world.store.submit(reserve(p, 10n, holdId)));
      expectOk(await world.store.submit(voidHold(holdId)));
      await expect(database.db.query("update ledger_holds set status = 'posted' where id = $1", [holdId])).rejects.toThrow(/immutable/);
      // Transfers carry no foreign keys (they cost a third of a batch's write); the check query
      // catches a transfer whose accounts are of another currency. Shown inside a rolled-back transaction.
      const caught = await database.db
        .transaction(async (tx) => {
          await tx.query(
            "insert into ledger_transfers (op_key, leg, debit_account_id, credit_account_id, amount, currency, kind, reference) values ('x', 0, $1, $2, 1, 'EUR', 'adjustment', '')",
            [p.toString(), world.houseId.toString()],
          );
          const [row] = await tx.query<{ transfers_mismatched: bigint }>(ledgerCheckSql.perAccount);
          throw Object.assign(new Error("roll back"), { caught: row?.transfers_mismatched });
        })
        .catch((error: unknown) => (error as { caught?: bigint }).caught);
      expect(caught).toBe(1n);
      expect((await world.store.check()).transfersMismatched).toBe(0);
    });

    it("answers busy when its queue is full, and answers what it queued when closed", async () => {
      const store = createSqlLedgerStore(database.db, { batchOpsMax: 1, queueOpsMax: 2, batchWaitMs: 1 });
      const p = await newPlayer();
      const outcomes = await Promise.all(Array.from({ length: 8 }, () => store.submit(instant(world, p, 1n, 0n, freshKey()))));
      const busy = outcomes.filter((o) => o.status === "busy").length;
      expect(busy).toBeGreaterThan(0);
      expect(outcomes.filter((o) => o.status === "ok").length).toBe(8 - busy);
      const pending = store.submit(instant(world, p, 1n, 0n, freshKey()));
      await store.close();
      expect((await pending).status).toBe("ok");
      expect(() => store.submit(instant(world, p, 1n, 0n, freshKey()))).toThrow(/closed/);
    });
  });
}
