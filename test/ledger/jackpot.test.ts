// The progressive jackpot in the ledger: contribution, win and re-seed in the one instant operation of
// a spin, the win taken from the pool's balance at commit, and two winners racing on two "nodes"
// (two ledger stores, two connection pools) against one real PostgreSQL database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  canonicalRequest,
  emptyLedgerView,
  judgeBatch,
  type InstantJackpot,
  type LedgerOp,
  type LedgerOutcome,
  type LedgerView,
} from "../../src/engine/ledger/index.js";
import { createSqlLedgerStore } from "../../src/adapters/postgres/ledger-store.sql.js";
import { createPgDb } from "../../src/adapters/postgres/sql-db.pg.js";
import type { SqlDb } from "../../src/adapters/postgres/sql-db.js";
import { createWallet } from "../../src/app/wallet/index.js";
import type { LedgerStore } from "../../src/app/ports/ledger-store.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { ifAssigned } from "../support/fixtures.js";

const C = "XTS";
const ids = { p: 1n, p2: 2n, house: 3n, pool: 4n, other: 5n } as const;

function world(pool: bigint, players = 1_000n): LedgerView {
  const view = emptyLedgerView();
  const add = (id: bigint, kind: "player_cash" | "house" | "jackpot_pool", balance: bigint) =>
    view.accounts.set(id, { id, owner: `a${id}`, kind, currency: C, balance, held: 0n });
  add(ids.p, "player_cash", players);
  add(ids.p2, "player_cash", players);
  add(ids.house, "house", 0n);
  add(ids.pool, "jackpot_pool", pool);
  add(ids.other, "player_cash", 0n);
  return view;
}

const spin = (key: string, jackpot: Partial<InstantJackpot>, accountId: bigint = ids.p, win = 0n): LedgerOp => ({
  type: "instant",
  key,
  currency: C,
  accountId,
  houseAccountId: ids.house,
  stake: 100n,
  reference: `spin-${key}`,
  payouts: win === 0n ? [] : [{ fromAccountId: ids.house, amount: win }],
  jackpot: { poolAccountId: ids.pool, contribution: 1n, won: false, seed: 0n, ...jackpot },
});
const judge = (view: LedgerView, ...ops: LedgerOp[]) =>
  judgeBatch(
    view,
    ops.map((op) => ({ op, fingerprint: canonicalRequest(op) })),
  );
const balance = (view: LedgerView, id: bigint) => view.accounts.get(id)?.balance;

describe("jackpot ledger rules", () => {
  it("books the stake, the contribution and the seed top-up in one operation, balanced", () => {
    const view = world(0n);
    const { outcomes, writes } = judge(view, spin("a", { contribution: 5n, seed: 1_000n }));
    expect(outcomes[0]).toEqual({
      status: "ok",
      replayed: false,
      balances: [
        { accountId: ids.p, balance: 900n, held: 0n },
        { accountId: ids.pool, balance: 1_000n, held: 0n },
      ],
      jackpot: { pool: 1_000n },
    });
    expect(writes.transfers.map((t) => [t.kind, t.debitAccountId, t.creditAccountId, t.amount])).toEqual([
      ["bet_stake", ids.p, ids.house, 100n],
      ["jackpot_contribution", ids.house, ids.pool, 5n],
      ["jackpot_contribution", ids.house, ids.pool, 995n],
    ]);
    // Once above the seed, a spin only contributes.
    judge(view, spin("b", { contribution: 5n, seed: 1_000n }));
    expect(balance(view, ids.pool)).toBe(1_005n);
  });

  it("pays a winner the whole pool with its own contribution, then re-seeds", () => {
    const view = world(5_000n);
    const { outcomes, writes } = judge(view, spin("w", { contribution: 7n, won: true, seed: 1_000n }, ids.p, 30n));
    expect(outcomes[0]).toMatchObject({ status: "ok", jackpot: { pool: 1_000n, win: 5_007n } });
    expect(balance(view, ids.p)).toBe(1_000n - 100n + 30n + 5_007n);
    expect(balance(view, ids.pool)).toBe(1_000n);
    expect(writes.transfers.map((t) => t.kind)).toEqual(["bet_stake", "bet_win", "jackpot_contribution", "jackpot_win", "jackpot_contribution"]);
    expect(writes.transfers.every((t) => t.reference === "spin-w")).toBe(true);
  });

  it("pays two winners in one batch once: the second finds the re-seeded pool", () => {
    const view = world(9_000n);
    const { outcomes } = judge(view, spin("x", { won: true, seed: 500n }), spin("y", { won: true, seed: 500n }, ids.p2));
    expect(outcomes.map((o) => (o.status === "ok" ? o.jackpot?.win : o.status))).toEqual([9_001n, 501n]);
    expect(balance(view, ids.pool)).toBe(500n);
  });

  it("an empty unseeded pool wins nothing and writes no zero transfer", () => {
    const view = world(0n);
    const { outcomes, writes } = judge(view, spin("z", { contribution: 0n, won: true }));
    expect(outcomes[0]).toMatchObject({ status: "ok", jackpot: { pool: 0n, win: 0n } });
    expect(writes.transfers.map((t) => t.kind)).toEqual(["bet_stake"]);
  });

  it("reports the pool of a spin that moved nothing into it (a contribution rounded to zero, pool above the seed)", () => {
    const view = world(2_000n);
    const { outcomes } = judge(view, spin("quiet", { contribution: 0n, seed: 1_000n }));
    expect(outcomes[0]).toEqual({ status: "ok", replayed: false, balances: [{ accountId: ids.p, balance: 900n, held: 0n }], jackpot: { pool: 2_000n } });
  });

  it.each<[string, LedgerOutcome["status"], Partial<InstantJackpot>]>([
    ["a negative contribution", "amount_invalid", { contribution: -1n }],
    ["a negative seed", "amount_invalid", { seed: -1n }],
    ["a pool that is a player account", "account_kind_invalid", { poolAccountId: ids.other }],
    ["an unknown pool", "account_not_found", { poolAccountId: 99n }],
  ])("refuses %s", (_name, expected, jackpot) => {
    const view = world(100n);
    expect(judge(view, spin("bad", jackpot)).outcomes[0]?.status).toBe(expected);
    expect(balance(view, ids.pool)).toBe(100n);
  });

  it("refuses a pool that is also a fixed payout source", () => {
    const op = spin("dup", {});
    const bad = { ...op, payouts: [{ fromAccountId: ids.pool, amount: 1n }] } as LedgerOp;
    expect(judge(world(100n), bad).outcomes[0]?.status).toBe("request_invalid");
  });

  it("keys the jackpot terms into the fingerprint, and leaves spins without a jackpot as before", () => {
    const a = spin("k", { won: false });
    const b = spin("k", { won: true });
    expect(canonicalRequest(a)).not.toBe(canonicalRequest(b));
    const { jackpot: _, ...plain } = a as Extract<LedgerOp, { type: "instant" }>;
    expect(JSON.parse(canonicalRequest(plain))).toHaveLength(8);
  });
});

for (const kind of databaseKinds) {
  describe.skipIf(!kind.available)(`jackpot on ${kind.name}`, () => {
    let database: TestDatabase;
    let second: SqlDb | null = null;
    const stores: LedgerStore[] = [];

    beforeAll(async () => {
      database = await kind.create();
      // A second connection pool on the same database stands for a second node.
      if (database.url !== null)
        second = createPgDb({ connectionString: database.url, poolConnectionsMax: 4, statementTimeoutMs: 30_000, applicationName: "croupier-test-2" });
    });
    afterAll(async () => {
      for (const store of stores) await store.close();
      await second?.close();
      await ifAssigned(database)?.dispose();
    });

    it("pays the pool once when two winning spins race on two nodes, and the books balance", async () => {
      const nodeA = createSqlLedgerStore(database.db, { batchWaitMs: 1 });
      const nodeB = createSqlLedgerStore(second ?? database.db, { batchWaitMs: 1 });
      stores.push(nodeA, nodeB);
      const [walletA, walletB] = [createWallet(nodeA), createWallet(nodeB)];
      const jackpot = (won: boolean) => ({ jackpotId: "race", contribution: 10n, won, seed: 1_000n });
      for (const player of ["ann", "ben"]) {
        expect(
          (await walletA.deposit({ playerId: player, currency: "EUR", amount: 100_000n, key: `dep-${player}`, reference: player, provider: "sandbox" })).status,
        ).toBe("ok");
      }
      // Grow the pool: the first spin seeds it to 1000, then 20 spins add 10 each.
      for (let i = 0; i < 21; i += 1) {
        const result = await walletA.instantBet({
          playerId: "ann",
          currency: "EUR",
          gameId: "slot",
          stake: 1_000n,
          win: 0n,
          key: `grow-${i}`,
          roundId: `grow-${i}`,
          jackpot: jackpot(false),
        });
        expect(result.status).toBe("ok");
      }
      expect(await walletB.jackpotTotal("race", "EUR")).toBe(1_200n);

      const race = (wallet: typeof walletA, player: string) =>
        wallet.instantBet({
          playerId: player,
          currency: "EUR",
          gameId: "slot",
          stake: 1_000n,
          win: 0n,
          key: `win-${player}`,
          roundId: `win-${player}`,
          jackpot: jackpot(true),
        });
      const results = await Promise.all([race(walletA, "ann"), race(walletB, "ben")]);
      const wins = results.map((r) => (r.status === "ok" ? r.jackpot?.winMinor : r.status)).sort((a, b) => Number(a) - Number(b));
      // One winner takes the grown pool plus its contribution; the other finds the re-seeded pool plus its own.
      expect(wins).toEqual([1_010n, 1_210n]);
      expect(await walletA.jackpotTotal("race", "EUR")).toBe(1_000n);

      // A retry of a winning spin replays its answer and pays nothing more.
      const again = await race(walletB, "ben");
      expect(again).toMatchObject({ status: "ok", replayed: true });
      expect(again.status === "ok" && again.jackpot?.winMinor).toBe(results[1].status === "ok" ? results[1].jackpot?.winMinor : null);
      const paid = await database.db.query<{ total: bigint; n: bigint }>(
        "select coalesce(sum(amount), 0)::int8 as total, count(*)::int8 as n from ledger_transfers where kind = 'jackpot_win'",
      );
      expect(paid[0]).toEqual({ total: 2_220n, n: 2n });
      const check = await nodeA.check();
      expect(check.ok).toBe(true);
      expect(check.currencies.find((c) => c.currency === "EUR")?.balancesMinor).toBe(0n);
    });

    it("adds contributions from concurrent batches on two nodes without losing one, while a win takes the pool once", async () => {
      const nodeA = createSqlLedgerStore(database.db, { batchWaitMs: 1, batchOpsMax: 20 });
      const nodeB = createSqlLedgerStore(second ?? database.db, { batchWaitMs: 1, batchOpsMax: 20 });
      stores.push(nodeA, nodeB);
      const [walletA, walletB] = [createWallet(nodeA), createWallet(nodeB)];
      const jackpot = (won: boolean) => ({ jackpotId: "busy", contribution: 7n, won, seed: 500n });
      const players = Array.from({ length: 8 }, (_, i) => `busy-${i}`);
      for (const player of players) {
        expect(
          (await walletA.deposit({ playerId: player, currency: "EUR", amount: 1_000_000n, key: `dep-${player}`, reference: player, provider: "sandbox" }))
            .status,
        ).toBe("ok");
      }
      // Seed the pool first (a batch that must seed it locks it).
      expect(
        (
          await walletA.instantBet({
            playerId: "busy-0",
            currency: "EUR",
            gameId: "slot",
            stake: 100n,
            win: 0n,
            key: "busy-seed",
            roundId: "busy-seed",
            jackpot: jackpot(false),
          })
        ).status,
      ).toBe("ok");
      expect(await walletA.jackpotTotal("busy", "EUR")).toBe(500n);
      const spins = Array.from({ length: 300 }, (_, i) => {
        const wallet = i % 2 === 0 ? walletA : walletB;
        const won = i === 150;
        return wallet.instantBet({
          playerId: players[i % players.length] as string,
          currency: "EUR",
          gameId: "slot",
          stake: 100n,
          win: 0n,
          key: `busy-${i}`,
          roundId: `busy-${i}`,
          jackpot: jackpot(won),
        });
      });
      const results = await Promise.all(spins);
      expect(results.every((r) => r.status === "ok")).toBe(true);
      const won = results[150];
      const winMinor = won?.status === "ok" ? (won.jackpot?.winMinor ?? 0n) : 0n;
      // The winner took at least the seed plus its own contribution and everything added before it.
      expect(winMinor).toBeGreaterThanOrEqual(507n); // the seed plus its own contribution at least
      const flows = await database.db.query<{ kind: string; total: bigint }>(
        `select t.kind, sum(t.amount)::int8 as total from ledger_transfers t join ledger_accounts a on a.id = t.credit_account_id or a.id = t.debit_account_id
         where a.kind = 'jackpot_pool' and a.owner = 'jackpot:busy' group by t.kind order by t.kind`,
      );
      const byKind = Object.fromEntries(flows.map((f) => [f.kind, f.total]));
      // Every contribution arrived (301 spins × 7, plus the seed and the re-seed after the win) and one win left.
      expect(byKind.jackpot_win).toBe(winMinor);
      const pool = await walletA.jackpotTotal("busy", "EUR");
      expect(pool).toBe((byKind.jackpot_contribution ?? 0n) - winMinor);
      expect(pool).toBeGreaterThanOrEqual(500n);
      const check = await nodeA.check();
      expect(check.ok).toBe(true);
    });
  });
}
