// Shared set-up for the ledger suites: a store over a fresh database, funded players, a house.
import { createSqlLedgerStore, type SqlLedgerStoreOptions } from "../../src/adapters/postgres/ledger-store.sql.js";
import type { LedgerStore } from "../../src/app/ports/ledger-store.js";
import type { LedgerOp, LedgerOutcome } from "../../src/engine/ledger/index.js";
import type { SqlDb } from "../../src/adapters/postgres/sql-db.js";

export const currency = "XTS";

export interface LedgerWorld {
  readonly store: LedgerStore;
  readonly houseId: bigint;
  readonly jackpotId: bigint;
  readonly clearingId: bigint;
  readonly players: readonly bigint[];
}

let keySeq = 0;
export const freshKey = (prefix = "k"): string => `${prefix}-${process.pid}-${++keySeq}`;

/** Opens a house, a jackpot pool, a clearing account and `players` player accounts funded with `fundMinor`. */
export async function createWorld(db: SqlDb, players: number, fundMinor: bigint, options: Partial<SqlLedgerStoreOptions> = {}): Promise<LedgerWorld> {
  const store = createSqlLedgerStore(db, { batchWaitMs: 1, ...options });
  const house = await store.openAccount({ owner: "game:slots", kind: "house", currency });
  const jackpot = await store.openAccount({ owner: "jackpot:mega", kind: "jackpot_pool", currency });
  const clearing = await store.openAccount({ owner: "payments:sandbox", kind: "payment_clearing", currency });
  const ids: bigint[] = [];
  for (let i = 0; i < players; i += 1) ids.push((await store.openAccount({ owner: `player-${i}`, kind: "player_cash", currency })).id);
  const deposits = ids.map((id, i) => store.submit(deposit(clearing.id, id, fundMinor, `fund-${i}`)));
  for (const outcome of await Promise.all(deposits)) expectOk(outcome);
  return { store, houseId: house.id, jackpotId: jackpot.id, clearingId: clearing.id, players: ids };
}

export function deposit(clearingId: bigint, playerId: bigint, amount: bigint, key: string): LedgerOp {
  return { type: "transfer", kind: "deposit", key, currency, debitAccountId: clearingId, creditAccountId: playerId, amount, reference: key };
}

export function instant(world: LedgerWorld, playerId: bigint, stake: bigint, win: bigint, key: string): LedgerOp {
  return {
    type: "instant",
    key,
    currency,
    accountId: playerId,
    houseAccountId: world.houseId,
    stake,
    payouts: win > 0n ? [{ fromAccountId: world.houseId, amount: win }] : [],
    reference: `round-${key}`,
  };
}

export function expectOk(outcome: LedgerOutcome): asserts outcome is Extract<LedgerOutcome, { status: "ok" }> {
  if (outcome.status !== "ok") throw new Error(`expected ok, got ${outcome.status}`);
}

/** Counts rows the suites compare before and after an operation that must write nothing. */
export async function rowCounts(db: SqlDb): Promise<string> {
  const rows = await db.query<{ t: bigint; h: bigint; k: bigint; s: bigint }>(
    `select (select count(*) from ledger_transfers) t, (select count(*) from ledger_holds) h,
            (select count(*) from ledger_idempotency) k, (select coalesce(sum(balance * 7 + held * 13), 0)::int8 from ledger_accounts) s`,
  );
  const r = rows[0];
  return `${r?.t}/${r?.h}/${r?.k}/${r?.s}`;
}
