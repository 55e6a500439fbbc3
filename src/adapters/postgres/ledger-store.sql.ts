import {
  accountKinds, emptyLedgerView, judgeBatch, negativeAllowedKinds, type AccountKind, type AccountState, type BatchWrites,
  type HoldStatus, type LedgerOp, type LedgerOutcome, type LedgerRequest, type LedgerView, type TransferKind,
} from "../../engine/ledger/index.js";
import { findCurrency } from "../../engine/money/index.js";
import type {
  AccountAddress, AccountRecord, HistoryPage, HistoryQuery, LedgerCheck, LedgerStore, RecordsOnApply,
} from "../../app/ports/ledger-store.js";
import { writeRounds } from "./round-store.sql.js";
import { Batcher } from "./ledger-batcher.js";
import { silentMetrics, type Metrics } from "../../app/ports/metrics.js";
import { decodeOutcome, encodeOutcome, fingerprintOf } from "./ledger-codec.js";
import { ledgerCheckSql, ledgerRelativeUpdateLiteralSql, ledgerWriteSql } from "./ledger-sql.js";
import type { SqlDb, SqlExecutor, SqlTransaction } from "./sql-db.js";

export interface SqlLedgerStoreOptions {
  /** Most operations judged and committed in one transaction. */
  readonly batchOpsMax: number;
  /** Longest an operation waits for companions before its batch starts. */
  readonly batchWaitMs: number;
  /** Batches running at once (each on its own connection; PGlite has one, so it runs one). */
  readonly batchesInFlightMax: number;
  /** Operations waiting for a batch; beyond it `submit` answers "busy". */
  readonly queueOpsMax: number;
  /** Times a batch is re-run after a serialization failure, a deadlock or a concurrent batch's key. */
  readonly batchRetriesMax: number;
  /** Largest history page. */
  readonly historyEntriesMax: number;
  /** Accounts whose kind and currency this process remembers (they never change). */
  readonly accountFactsEntriesMax: number;
}

export const sqlLedgerStoreDefaults: SqlLedgerStoreOptions = Object.freeze({
  batchOpsMax: 200,
  batchWaitMs: 2,
  batchesInFlightMax: 4,
  queueOpsMax: 50_000,
  batchRetriesMax: 8,
  historyEntriesMax: 200,
  accountFactsEntriesMax: 100_000,
});

/**
 * The ledger on PostgreSQL (or PGlite), micro-batched: concurrent `submit` calls are coalesced
 * into one transaction that locks the accounts they touch in id order, judges each operation in
 * order with the pure rules, and writes every effect with one statement. Each caller is answered
 * after the commit with its own outcome. docs/LEDGER.md explains the steps and what a crash leaves.
 */
export function createSqlLedgerStore(db: SqlDb, options: Partial<SqlLedgerStoreOptions> = {}, metrics: Pick<Metrics, "ledgerBatch" | "ledgerRepeat" | "actionStage"> = silentMetrics): LedgerStore {
  const config = { ...sqlLedgerStoreDefaults, ...options };
  if (db.driver === "pglite") config.batchesInFlightMax = 1;
  if (!(config.batchRetriesMax >= 0 && config.historyEntriesMax >= 1)) throw new Error("ledger store limits must be positive");
  const facts = new AccountFacts(config.accountFactsEntriesMax);
  const batcher = new Batcher<RecordedRequest, LedgerOutcome>(config, async (requests) => {
    const started = performance.now();
    const outcomes = await commitBatch(db, facts, requests, config.batchRetriesMax);
    const commitMs = performance.now() - started;
    metrics.ledgerBatch(requests.length, commitMs);
    // Once per operation, so the stage histogram weighs each money call alike.
    for (const outcome of outcomes) {
      metrics.actionStage("ledger_commit", commitMs);
      if (outcome.status === "ok" && outcome.replayed) metrics.ledgerRepeat();
    }
    return outcomes;
  }, (waited) => {
    for (const ms of waited) metrics.actionStage("ledger_queue", ms);
  });

  return {
    submit(op, records) {
      // A round's settlement and voids wait behind what players wait on (see Batcher).
      const lane = op.type === "settle" || op.type === "void" ? "background" : "urgent";
      return batcher.submit({ op, fingerprint: fingerprintOf(op), ...(records === undefined ? {} : { records }) }, lane) ?? Promise.resolve({ status: "busy" });
    },
    openAccount: (address) => openAccount(db, address),
    findAccount: async (address) => (await db.query<AccountRow>(
      `${accountColumns} from ledger_accounts where owner = $1 and kind = $2 and currency = $3`, [address.owner, address.kind, address.currency]))
      .map(toAccount)[0] ?? null,
    accountsOf: async (owner) => (await db.query<AccountRow>(`${accountColumns} from ledger_accounts where owner = $1 order by id`, [owner])).map(toAccount),
    history: (accountId, query) => history(db, accountId, query, config.historyEntriesMax),
    pendingHolds: async (reference, limit) => (await db.query<{ id: string }>(
      "select id from ledger_holds where reference = $1 and status = 'pending' order by id limit $2", [reference, limit])).map((row) => row.id),
    check: () => check(db),
    close: () => batcher.close(),
  };
}

/** A request and the round records it writes when applied. */
interface RecordedRequest extends LedgerRequest {
  readonly records?: RecordsOnApply;
}

interface AccountRow {
  id: bigint;
  owner: string;
  kind: AccountKind;
  currency: string;
  balance: bigint;
  held: bigint;
}

const accountColumns = "select id, owner, kind, currency, balance, held";
const toAccount = (row: AccountRow): AccountRecord => ({ ...row });

async function openAccount(db: SqlDb, address: AccountAddress): Promise<AccountRecord> {
  if (!accountKinds.includes(address.kind)) throw new Error(`unknown account kind ${address.kind}`);
  if (findCurrency(address.currency) === null) throw new Error(`unknown currency ${address.currency}`);
  const params = [address.owner, address.kind, address.currency];
  // Insert-or-nothing then read: two nodes opening the same account both get the one row.
  const inserted = await db.query<AccountRow>(
    `insert into ledger_accounts (owner, kind, currency) values ($1, $2, $3) on conflict (owner, kind, currency) do nothing
     returning id, owner, kind, currency, balance, held`, params);
  const row = inserted[0] ?? (await db.query<AccountRow>(`${accountColumns} from ledger_accounts where owner = $1 and kind = $2 and currency = $3`, params))[0];
  if (row === undefined) throw new Error("account vanished after insert");
  return toAccount(row);
}

/** Errors after which the whole batch is re-run from scratch in a new transaction. */
const retryableCodes = new Set([
  "23505", // unique_violation: a concurrent batch recorded the same idempotency key or hold id first
  "40P01", // deadlock_detected
  "40001", // serialization_failure
]);

async function commitBatch(db: SqlDb, facts: AccountFacts, requests: readonly RecordedRequest[], retriesMax: number): Promise<LedgerOutcome[]> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await db.transaction((tx) => judgeAndWrite(tx, facts, requests));
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= retriesMax || typeof code !== "string" || !retryableCodes.has(code)) throw error;
    }
  }
}

function accountIdsOf(op: LedgerOp): bigint[] {
  switch (op.type) {
    case "reserve": return [op.accountId];
    case "settle": return [op.houseAccountId, ...op.payouts.map((p) => p.fromAccountId)];
    case "void": return [];
    // A jackpot pool is not listed: `poolsOf` decides, per batch, whether it is locked or only added to.
    case "instant": return [op.accountId, op.houseAccountId, ...op.payouts.map((p) => p.fromAccountId)];
    case "transfer": return [op.debitAccountId, op.creditAccountId];
  }
}

/**
 * The jackpot pools a batch names, and which of them it must lock. A pool is locked (and its balance
 * judged as current) only by a batch that holds a win or that may have to seed it; every other batch
 * only adds its contributions to the pool at the end, as it does to the house account, so spins on
 * one pool no longer queue behind each other's whole transactions across the cluster. Contributions
 * only ever add, and a pool is only emptied by a win under its lock, which re-seeds it in the same
 * operation: the committed balance a contribution-only batch reads is a lower bound of the pool, so
 * it never needs to seed it.
 */
function poolsOf(ops: readonly LedgerOp[]): Map<bigint, { readonly mustLock: boolean; readonly seed: bigint }> {
  const pools = new Map<bigint, { mustLock: boolean; seed: bigint }>();
  for (const op of ops) {
    if (op.type !== "instant" || op.jackpot === undefined || typeof op.jackpot.poolAccountId !== "bigint") continue;
    const known = pools.get(op.jackpot.poolAccountId) ?? { mustLock: false, seed: 0n };
    known.mustLock ||= op.jackpot.won === true;
    if (typeof op.jackpot.seed === "bigint" && op.jackpot.seed > known.seed) known.seed = op.jackpot.seed;
    pools.set(op.jackpot.poolAccountId, known);
  }
  return pools;
}

const holdIdOf = (op: LedgerOp): string | null => (op.type === "reserve" || op.type === "settle" || op.type === "void" ? op.holdId : null);

interface HoldRow {
  id: string;
  account_id: bigint;
  currency: string;
  amount: bigint;
  reference: string;
  status: HoldStatus;
}

/**
 * Account kind, owner and currency never change, so each process remembers them. They decide which
 * accounts a batch locks up front (those whose available balance the rules check) and which it
 * only adds to at the end (house and clearing accounts, which may go negative).
 */
class AccountFacts {
  private readonly facts = new Map<bigint, Omit<AccountRow, "balance" | "held">>();

  constructor(private readonly entriesMax: number) {}

  async load(tx: SqlExecutor, ids: Iterable<bigint>): Promise<void> {
    const missing = [...ids].filter((id) => !this.facts.has(id));
    if (missing.length === 0) return;
    const rows = await tx.query<AccountRow>("select id, owner, kind, currency from ledger_accounts where id = any($1::int8[])", [missing.map(String)]);
    if (this.facts.size + rows.length > this.entriesMax) this.facts.clear();
    for (const row of rows) this.facts.set(row.id, { id: row.id, owner: row.owner, kind: row.kind, currency: row.currency });
  }

  get(id: bigint): Omit<AccountRow, "balance" | "held"> | undefined {
    return this.facts.get(id);
  }
}

/**
 * One batch, in one transaction:
 *  1. find the accounts of held bets (a hold's account never changes, so no lock is needed);
 *  2. lock every account whose available balance the rules check, in id order, in one statement;
 *  3. read the idempotency keys and holds, now that a batch that committed before the locks shows;
 *  4. judge every operation in order with the pure rules;
 *  5. write every effect in one statement (transfers, player balances, holds, keys), then the round
 *     records of the operations applied (not refused, not replayed), set-wise;
 *  6. add the net change to the house and clearing accounts it moved, in id order, last: these rows
 *     are shared by every batch, so their lock is held only for this statement and the commit, and
 *     concurrent batches queue behind each other only for that short tail.
 * Step-2 locks are taken in id order before any step-6 lock, and step-6 locks in id order by a
 * batch that then only commits, so no two batches can wait for each other in a cycle.
 */
async function judgeAndWrite(tx: SqlTransaction, facts: AccountFacts, requests: readonly RecordedRequest[]): Promise<LedgerOutcome[]> {
  const ops = requests.map((r) => r.op);
  const holdIds = [...new Set(ops.map(holdIdOf).filter((id): id is string => id !== null))];
  const accountIds = new Set<bigint>();
  for (const op of ops) for (const id of accountIdsOf(op)) if (typeof id === "bigint") accountIds.add(id);
  if (holdIds.length > 0) {
    const owners = await tx.query<{ account_id: bigint }>("select account_id from ledger_holds where id = any($1::text[])", [holdIds]);
    for (const row of owners) accountIds.add(row.account_id);
  }
  const pools = poolsOf(ops);
  // A pool some operation also names otherwise (a payout source) is locked like any other account.
  for (const id of accountIds) pools.delete(id);
  for (const id of pools.keys()) accountIds.add(id);
  await facts.load(tx, accountIds);
  const view = emptyLedgerView();
  /** Accounts written as a change from the balance they were judged with (a base), not as a value. */
  const bases = new Map<bigint, bigint>();
  const lockIds: string[] = [];
  for (const id of accountIds) {
    const fact = facts.get(id);
    if (fact === undefined) continue; // unknown: the rules answer account_not_found
    // Balance 0 stands for "unknown": the store writes these accounts as a change, not a value.
    if (negativeAllowedKinds.has(fact.kind)) {
      view.accounts.set(id, { ...fact, balance: 0n, held: 0n });
      bases.set(id, 0n);
    } else if (!(pools.has(id) && fact.kind === "jackpot_pool")) lockIds.push(id.toString());
  }
  await readPools(tx, view, pools, bases, lockIds);
  await lockAndReadKeys(tx, view, requests, lockIds);
  if (holdIds.length > 0) await readHolds(tx, view, holdIds);
  const judgement = judgeBatch(view, requests);
  await write(tx, judgement.writes, bases);
  const records = requests.flatMap((request, i) => {
    const outcome = judgement.outcomes[i];
    return request.records === undefined || outcome?.status !== "ok" || outcome.replayed ? [] : request.records(outcome);
  });
  if (records.length > 0) await writeRounds(tx, records);
  await writeShared(tx, judgement.writes, bases);
  return judgement.outcomes;
}

/**
 * Reads the committed balance of each jackpot pool without a lock. A pool that the batch may win or
 * may have to seed joins the locked accounts; the others are judged from that balance and written
 * as a change from it.
 */
async function readPools(tx: SqlExecutor, view: LedgerView, pools: ReturnType<typeof poolsOf>, bases: Map<bigint, bigint>, lockIds: string[]): Promise<void> {
  if (pools.size === 0) return;
  const rows = await tx.query<AccountRow>(`${accountColumns} from ledger_accounts where id = any($1::int8[])`, [[...pools.keys()].map(String)]);
  for (const row of rows) {
    const pool = pools.get(row.id);
    // Another kind was sorted with the other accounts by its kind; the rules refuse it as a pool.
    if (pool === undefined || row.kind !== "jackpot_pool") continue;
    if (pool.mustLock || row.balance - row.held < pool.seed) {
      lockIds.push(row.id.toString());
      continue;
    }
    view.accounts.set(row.id, { ...row } satisfies AccountState);
    bases.set(row.id, row.balance);
  }
}

/**
 * Locks the accounts in id order, then reads the idempotency keys: after the locks, so a batch on
 * the same accounts that committed while this one waited is seen and its keys replay.
 */
async function lockAndReadKeys(tx: SqlExecutor, view: LedgerView, requests: readonly LedgerRequest[], lockIds: readonly string[]): Promise<void> {
  if (lockIds.length > 0) {
    const locked = await tx.query<AccountRow>(`${accountColumns} from ledger_accounts where id = any($1::int8[]) order by id for update`, [lockIds]);
    for (const row of locked) view.accounts.set(row.id, { ...row } satisfies AccountState);
  }
  const keys = [...new Set(requests.map((r) => r.op.key))];
  const recorded = await tx.query<{ key: string; fingerprint: string; outcome: string }>(
    "select key, fingerprint, outcome::text as outcome from ledger_idempotency where key = any($1::text[])", [keys]);
  for (const row of recorded) view.idempotency.set(row.key, { fingerprint: row.fingerprint, outcome: decodeOutcome(row.outcome) });
}

/** Reads the holds under their accounts' locks, so their status is current. */
async function readHolds(tx: SqlExecutor, view: LedgerView, holdIds: readonly string[]): Promise<void> {
  const holds = await tx.query<HoldRow>(
    "select id, account_id, currency, amount, reference, status from ledger_holds where id = any($1::text[])", [holdIds]);
  for (const row of holds) {
    // A hold committed by a concurrent batch after our first read, on an account we did not lock:
    // this batch is ordered before that one, so the hold does not exist yet for it. A reserve that
    // would create it anyway hits the primary key and the batch is re-run.
    if (!view.accounts.has(row.account_id)) continue;
    view.holds.set(row.id, { id: row.id, accountId: row.account_id, currency: row.currency, amount: row.amount, reference: row.reference, status: row.status });
  }
}

async function write(tx: SqlExecutor, writes: BatchWrites, bases: ReadonlyMap<bigint, bigint>): Promise<void> {
  if (writes.idempotency.length === 0) return;
  const t = writes.transfers;
  const absolute = writes.accounts.filter((a) => !bases.has(a.accountId));
  // Unique rows are inserted in key order, so two batches racing on the same keys wait in one
  // direction only.
  const keys = [...writes.idempotency].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const created = [...writes.holdsCreated].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rows = await tx.query<{ resolved: number }>(ledgerWriteSql, [
    t.map((x) => x.opKey), t.map((x) => x.leg), t.map((x) => x.debitAccountId.toString()), t.map((x) => x.creditAccountId.toString()),
    t.map((x) => x.amount.toString()), t.map((x) => x.currency), t.map((x) => x.kind), t.map((x) => x.reference), t.map((x) => x.holdId),
    absolute.map((a) => a.accountId.toString()), absolute.map((a) => a.balance.toString()), absolute.map((a) => a.held.toString()),
    created.map((h) => h.id), created.map((h) => h.accountId.toString()), created.map((h) => h.currency), created.map((h) => h.amount.toString()),
    created.map((h) => h.reference), created.map((h) => h.status),
    writes.holdsResolved.map((h) => h.id), writes.holdsResolved.map((h) => h.status),
    keys.map((k) => k.key), keys.map((k) => k.record.fingerprint), keys.map((k) => encodeOutcome(k.record.outcome)),
  ]);
  const resolved = rows[0]?.resolved ?? -1;
  // Every resolved hold was pending under our lock; anything else means another writer bypassed the rules.
  if (resolved !== writes.holdsResolved.length) throw new Error(`ledger invariant violated: resolved ${resolved} of ${writes.holdsResolved.length} holds`);
}

/**
 * The shared accounts last, as the change from the balance they were judged with (0 for house and
 * clearing accounts, the committed balance read for a pool), in the same round trip as the commit:
 * every batch needs these rows, so each holds their lock only while the server runs this message.
 */
async function writeShared(tx: SqlTransaction, writes: BatchWrites, bases: ReadonlyMap<bigint, bigint>): Promise<void> {
  const shared = writes.accounts
    .map((a) => ({ accountId: a.accountId, delta: a.balance - (bases.get(a.accountId) ?? a.balance) }))
    .filter((a) => bases.has(a.accountId) && a.delta !== 0n)
    .sort((a, b) => (a.accountId < b.accountId ? -1 : 1));
  if (shared.length === 0) return;
  await tx.commitWith(ledgerRelativeUpdateLiteralSql(shared));
}

interface HistoryRow {
  id: bigint;
  op_key: string;
  kind: TransferKind;
  amount: bigint;
  currency: string;
  debit_account_id: bigint;
  credit_account_id: bigint;
  reference: string;
  hold_id: string | null;
  created_at_ms: bigint;
}

async function history(db: SqlDb, accountId: bigint, query: HistoryQuery, entriesMax: number): Promise<HistoryPage> {
  const limit = Math.max(1, Math.min(Math.trunc(query.limit), entriesMax));
  const before = (query.beforeTransferId ?? 2n ** 63n - 1n).toString();
  // Each side uses its own (account, id) index; one more row than asked tells whether a page follows.
  const rows = await db.query<HistoryRow>(
    `select id, op_key, kind, amount, currency, debit_account_id, credit_account_id, reference, hold_id,
       (extract(epoch from created_at) * 1000)::int8 as created_at_ms
     from ledger_transfers where id in (
       (select id from ledger_transfers where debit_account_id = $1 and id < $2 order by id desc limit $3)
       union all
       (select id from ledger_transfers where credit_account_id = $1 and id < $2 order by id desc limit $3))
     order by id desc limit $3`, [accountId.toString(), before, limit + 1]);
  const page = rows.slice(0, limit);
  const entries = page.map((r) => {
    const credited = r.credit_account_id === accountId;
    return {
      transferId: r.id, opKey: r.op_key, kind: r.kind, amount: credited ? r.amount : -r.amount, currency: r.currency,
      counterpartyAccountId: credited ? r.debit_account_id : r.credit_account_id, reference: r.reference, holdId: r.hold_id,
      createdAtMs: Number(r.created_at_ms),
    };
  });
  return { entries, nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}

async function check(db: SqlDb): Promise<LedgerCheck> {
  const [currencies, counts] = await db.transaction(async (tx) => {
    // One snapshot for every figure.
    await tx.query("set transaction isolation level repeatable read");
    const perCurrency = await tx.query<{ currency: string; debits: bigint; credits: bigint; balances: bigint }>(ledgerCheckSql.perCurrency);
    const totals = await tx.query<{ mismatched: bigint; held_mismatched: bigint; negative: bigint; transfers_mismatched: bigint }>(ledgerCheckSql.perAccount);
    return [perCurrency, totals[0]] as const;
  });
  const result = {
    currencies: currencies.map((c) => ({ currency: c.currency, debitsMinor: c.debits, creditsMinor: c.credits, balancesMinor: c.balances })),
    accountsMismatched: Number(counts?.mismatched ?? 0n),
    heldMismatched: Number(counts?.held_mismatched ?? 0n),
    accountsNegative: Number(counts?.negative ?? 0n),
    transfersMismatched: Number(counts?.transfers_mismatched ?? 0n),
  };
  const ok = result.currencies.every((c) => c.debitsMinor === c.creditsMinor && c.balancesMinor === 0n)
    && result.accountsMismatched === 0 && result.heldMismatched === 0 && result.accountsNegative === 0 && result.transfersMismatched === 0;
  return { ...result, ok };
}
