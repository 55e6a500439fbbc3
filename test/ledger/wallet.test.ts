// The wallet use cases over the SQL ledger store, on the embedded engine and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { createSqlLedgerStore } from "../../src/adapters/postgres/ledger-store.sql.js";
import { createWallet, type Wallet } from "../../src/app/wallet/index.js";
import type { LedgerStore } from "../../src/app/ports/ledger-store.js";
import { ifAssigned } from "../support/fixtures.js";

for (const kind of databaseKinds) {
  describe.skipIf(!kind.available)(`wallet on ${kind.name}`, () => {
    let database: TestDatabase;
    let store: LedgerStore;
    let wallet: Wallet;
    let n = 0;
    const k = (name: string) => `wallet-${name}-${++n}`;

    beforeAll(async () => {
      database = await kind.create();
      store = createSqlLedgerStore(database.db, { batchWaitMs: 1 });
      wallet = createWallet(store, { accountCacheEntriesMax: 3 });
    });
    afterAll(async () => {
      await ifAssigned(store)?.close();
      await ifAssigned(database)?.dispose();
    });

    it("deposits, spins, and reports balances and history", async () => {
      expect(
        await wallet.deposit({ playerId: "alice", currency: "EUR", amount: 10_000n, key: k("dep"), reference: "psp-1", provider: "sandbox" }),
      ).toMatchObject({ status: "ok", replayed: false, account: { balance: 10_000n, held: 0n } });
      const spin = { playerId: "alice", currency: "EUR", gameId: "fruit", stake: 200n, win: 500n, key: k("spin"), roundId: "r1" };
      expect(await wallet.instantBet(spin)).toMatchObject({ status: "ok", account: { balance: 10_300n } });
      expect(await wallet.instantBet(spin)).toMatchObject({ status: "ok", replayed: true, account: { balance: 10_300n } });
      expect(await wallet.instantBet({ ...spin, key: k("spin"), stake: 20_000n })).toEqual({ status: "insufficient_funds" });
      const balances = await wallet.balances("alice");
      expect(balances).toEqual([expect.objectContaining({ purse: "cash", currency: "EUR", balance: 10_300n, held: 0n, available: 10_300n })]);
      const page = await wallet.history("alice", "EUR", { limit: 10 });
      if ("status" in page) throw new Error("no account");
      expect(page.entries.map((e) => [e.kind, e.amount])).toEqual([
        ["bet_win", 500n],
        ["bet_stake", -200n],
        ["deposit", 10_000n],
      ]);
      expect(await wallet.history("nobody", "EUR", { limit: 10 })).toEqual({ status: "account_not_found" });
    });

    it("reserves, settles with a jackpot win, and voids", async () => {
      await wallet.deposit({ playerId: "bob", currency: "EUR", amount: 5_000n, key: k("dep"), reference: "psp-2", provider: "sandbox" });
      // Seed the jackpot pool from the house.
      const pool = await store.openAccount({ owner: "jackpot:mega", kind: "jackpot_pool", currency: "EUR" });
      const house = await store.openAccount({ owner: "game:fruit", kind: "house", currency: "EUR" });
      expect(
        (
          await store.submit({
            type: "transfer",
            kind: "jackpot_contribution",
            key: k("seed"),
            currency: "EUR",
            debitAccountId: house.id,
            creditAccountId: pool.id,
            amount: 1_000n,
            reference: "seed",
          })
        ).status,
      ).toBe("ok");
      expect(
        await wallet.reserveBet({ playerId: "bob", currency: "EUR", amount: 1_000n, holdId: "round-7:bob", key: k("res"), roundId: "round-7" }),
      ).toMatchObject({ status: "ok", account: { balance: 5_000n, held: 1_000n } });
      expect(
        await wallet.settleBet({
          holdId: "round-7:bob",
          key: k("set"),
          currency: "EUR",
          gameId: "fruit",
          win: 2_000n,
          jackpotWin: { jackpotId: "mega", amount: 1_000n },
        }),
      ).toMatchObject({ status: "ok", account: { balance: 7_000n, held: 0n }, balances: [expect.anything(), { accountId: pool.id, balance: 0n, held: 0n }] });
      expect(await wallet.voidBet({ holdId: "round-7:bob", key: k("void"), currency: "EUR" })).toEqual({ status: "hold_already_resolved" });
      expect(
        await wallet.reserveBet({ playerId: "bob", currency: "EUR", amount: 7_000n, holdId: "round-8:bob", key: k("res"), roundId: "round-8" }),
      ).toMatchObject({ status: "ok" });
      expect(await wallet.voidBet({ holdId: "round-8:bob", key: k("void"), currency: "EUR" })).toMatchObject({
        status: "ok",
        account: { balance: 7_000n, held: 0n },
      });
    });

    it("moves a withdrawal through request, reject and payout", async () => {
      await wallet.deposit({ playerId: "carol", currency: "USD", amount: 3_000n, key: k("dep"), reference: "psp-3", provider: "sandbox" });
      expect(await wallet.requestWithdrawal({ playerId: "carol", currency: "USD", amount: 2_000n, key: k("wr"), reference: "w-1" })).toMatchObject({
        status: "ok",
        account: { balance: 1_000n },
      });
      expect(await wallet.requestWithdrawal({ playerId: "carol", currency: "USD", amount: 2_000n, key: k("wr"), reference: "w-2" })).toEqual({
        status: "insufficient_funds",
      });
      expect(await wallet.rejectWithdrawal({ playerId: "carol", currency: "USD", amount: 500n, key: k("wj"), reference: "w-1" })).toMatchObject({
        status: "ok",
      });
      expect(
        await wallet.payWithdrawal({ playerId: "carol", currency: "USD", amount: 1_500n, key: k("wp"), reference: "w-1", provider: "sandbox" }),
      ).toMatchObject({ status: "ok", account: { balance: 0n } });
      const purses = Object.fromEntries((await wallet.balances("carol")).map((b) => [b.purse, b.balance]));
      expect(purses).toEqual({ cash: 1_500n, withdrawals_pending: 0n });
      expect((await wallet.check()).ok).toBe(true);
    });

    it("refuses an unknown currency and bad amounts without opening accounts", async () => {
      expect(await wallet.instantBet({ playerId: "dave", currency: "GBP", gameId: "fruit", stake: 1n, win: 0n, key: k("x"), roundId: "r" })).toEqual({
        status: "currency_unknown",
      });
      expect(await wallet.balances("dave")).toEqual([]);
      expect(await wallet.deposit({ playerId: "dave", currency: "EUR", amount: 0n, key: k("x"), reference: "p", provider: "sandbox" })).toEqual({
        status: "amount_invalid",
      });
      expect(await wallet.instantBet({ playerId: "dave", currency: "EUR", gameId: "fruit", stake: 1n, win: -5n, key: k("x"), roundId: "r" })).toEqual({
        status: "amount_invalid",
      });
    });
  });
}
