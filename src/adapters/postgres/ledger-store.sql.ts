import {
  accountKinds,
  emptyLedgerView,
  judgeBatch,
  negativeAllowedKinds,
  type AccountKind,
  type AccountState,
  type BatchWrites,
  type HoldStatus,
  type LedgerOp,
  type LedgerOutcome,
  type LedgerRequest,
  type LedgerView,
  type TransferKind,
} from "../../engine/ledger/index.js";
import { findCurrency } from "../../engine/money/index.js";
import type { AccountAddress, AccountRecord, HistoryPage, HistoryQuery, LedgerCheck, LedgerStore, RecordsOnApply } from "../../app/ports/ledger-store.js";
import { roundExportsSql, roundsSql } from "./round-store.sql.js";
import { Batcher } from "./ledger-batcher.js";
import { silentMetrics, type Metrics } from "../../app/ports/metrics.js";
import { decodeOutcome, encodeOutcome, fingerprintOf } from "./ledger-codec.js";
import { ledgerCheckSql, ledgerRelativeUpdateLiteralSql, ledgerWriteSql } from "./ledger-sql.js";
import { inlineSql, type SqlDb, type SqlExecutor, type SqlTransaction } from "./sql-db.js";

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
  /** Queue the events of the rounds operations end (slot spins) in the outbox, in the batch's commit (docs/EVENTS.md). */
  readonly exportRounds: boolean;
}

export const sqlLedgerStoreDefaults: SqlLedgerStoreOptions = Object.freeze({
  batchOpsMax: 200,
  batchWaitMs: 2,
  batchesInFlightMax: 4,
  queueOpsMax: 50_000,
  batchRetriesMax: 8,
  historyEntriesMax: 200,
  accountFactsEntriesMax: 100_000,
  exportRounds: false,
});

/**
 * The ledger on PostgreSQL (or PGlite), micro-batched: concurrent `submit` calls are coalesced
 * into one transaction that locks the accounts they touch in id order, judges each operation in
 * order with the pure rules, and writes every effect with one statement. Each caller is answered
 * after the commit with its own outcome. docs/LEDGER.md explains the steps and what a crash leaves.
 */
export function createSqlLedgerStore(
  db: SqlDb,
  options: Partial<SqlLedgerStoreOptions> = {},
  metrics: Pick<Metrics, "ledgerBatch" | "ledgerRepeat" | "actionStage"> = silentMetrics,
): LedgerStore {
  const config = { ...sqlLedgerStoreDefaults, ...options };
  if (db.driver === "pglite") config.batchesInFlightMax = 1;
  if (!(config.batchRetriesMax >= 0 && config.historyEntriesMax >= 1)) throw new Error("ledger store limits must be positive");
  const facts = new AccountFacts(config.accountFactsEntriesMax);
  const batcher = new Batcher<RecordedRequest, LedgerOutcome>(
    config,
    async (requests) => {
      const started = performance.now();
      const outcomes = await commitBatch(db, facts, requests, config);
      const commitMs = performance.now() - started;
      metrics.ledgerBatch(requests.length, commitMs);
      // Once per operation, so the stage histogram weighs each money call alike.
      for (const outcome of outcomes) {
        metrics.actionStage("ledger_commit", commitMs);
        if (outcome.status === "ok" && outcome.replayed) metrics.ledgerRepeat();
      }
      return outcomes;
    },
    (waited) => {
      for (const ms of waited) metrics.actionStage("ledger_queue", ms);
    },
  );

  return {
    submit(op, records) {
      // A round's settlement and voids wait behind what players wait on (see Batcher).
      const lane = op.type === "settle" || op.type === "void" ? "background" : "urgent";
      return batcher.submit({ op, fingerprint: fingerprintOf(op), ...(records === undefined ? {} : { records }) }, lane) ?? Promise.resolve({ status: "busy" });
    },
    openAccount: (address) => openAccount(db, address),
    findAccount: async (address) =>
      (
        await db.query<AccountRow>(`${accountColumns} from ledger_accounts where owner = $1 and kind = $2 and currency = $3`, [
          address.owner,
          address.kind,
          address.currency,
        ])
      ).map(toAccount)[0] ?? null,
    accountsOf: async (owner) => (await db.query<AccountRow>(`${accountColumns} from ledger_accounts where owner = $1 order by id`, [owner])).map(toAccount),
    history: (accountId, query) => history(db, accountId, query, config.historyEntriesMax),
    pendingHolds: async (reference, limit) =>
      (await db.query<{ id: string }>("select id from ledger_holds where reference = $1 and status = 'pending' order by id limit $2", [reference, limit])).map(
        (row) => row.id,
      ),
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
     returning id, owner, kind, currency, balance, held`,
    params,
  );
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

/** A pool a contribution-only batch found nearly empty: the batch is run again with that pool locked. */
class PoolNeedsLock extends Error {
  constructor(readonly poolId: bigint) {
    super(`jackpot pool ${poolId} must be locked`);
  }
}

async function commitBatch(
  db: SqlDb,
  facts: AccountFacts,
  requests: readonly RecordedRequest[],
  config: Pick<SqlLedgerStoreOptions, "batchRetriesMax" | "exportRounds">,
): Promise<LedgerOutcome[]> {
  const locking = new Set<bigint>();
  for (let attempt = 0; ; attempt += 1) {
    try {
      const plan = await planBatch(db, facts, requests, locking);
      return await db.transaction((tx, opened) => judgeAndWrite(tx, facts, plan, opened, requests, config.exportRounds), plan.opening);
    } catch (error) {
      if (error instanceof PoolNeedsLock && attempt < config.batchRetriesMax) {
        locking.add(error.poolId);
        continue;
      }
      const code = (error as { code?: unknown }).code;
      if (attempt >= config.batchRetriesMax || typeof code !== "string" || !retryableCodes.has(code)) throw error;
    }
  }
}

function accountIdsOf(op: LedgerOp): bigint[] {
  switch (op.type) {
    case "reserve":
      return [op.accountId];
    case "settle":
      return [op.houseAccountId, ...op.payouts.map((p) => p.fromAccountId)];
    case "void":
      return [];
    // A jackpot pool is not listed: `poolsOf` decides, per batch, whether it is locked or only added to.
    case "instant":
      return [op.accountId, op.houseAccountId, ...op.payouts.map((p) => p.fromAccountId)];
    case "transfer":
      return [op.debitAccountId, op.creditAccountId];
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
    known.mustLock ||= op.jackpot.won;
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

  /** An account read with its facts (a hold's account, found by the lock statement). */
  remember(row: Omit<AccountRow, "balance" | "held">): void {
    if (this.facts.has(row.id)) return;
    if (this.facts.size >= this.entriesMax) this.facts.clear();
    this.facts.set(row.id, { id: row.id, owner: row.owner, kind: row.kind, currency: row.currency });
  }
}

interface BatchPlan {
  /** BEGIN's companion: locks, pools and idempotency keys in one statement (see `openingSql`). */
  readonly opening: string;
  readonly holdIds: readonly string[];
  /** Accounts written as a change from the balance they were judged with (house, clearing: 0). */
  readonly bases: Map<bigint, bigint>;
  readonly pools: ReturnType<typeof poolsOf>;
}

/**
 * What a batch reads and locks, decided before its transaction from the operations alone (account
 * kinds are remembered: they never change). Jackpot pools a batch only adds to are read, not locked;
 * `locking` names pools an earlier attempt found too low to pay its seed, which this one locks.
 */
async function planBatch(db: SqlDb, facts: AccountFacts, requests: readonly RecordedRequest[], locking: ReadonlySet<bigint>): Promise<BatchPlan> {
  const ops = requests.map((r) => r.op);
  const holdIds = [...new Set(ops.map(holdIdOf).filter((id): id is string => id !== null))];
  const accountIds = new Set<bigint>();
  for (const op of ops) for (const id of accountIdsOf(op)) if (typeof id === "bigint") accountIds.add(id);
  const pools = poolsOf(ops);
  // A pool some operation also names otherwise (a payout source) is locked like any other account.
  for (const id of accountIds) pools.delete(id);
  for (const [id, pool] of pools) if (locking.has(id)) pools.set(id, { ...pool, mustLock: true });
  for (const id of pools.keys()) accountIds.add(id);
  await facts.load(db, accountIds);
  const bases = new Map<bigint, bigint>();
  const lockIds: string[] = [];
  const readPools: string[] = [];
  for (const id of accountIds) {
    const fact = facts.get(id);
    if (fact === undefined) continue; // unknown: the rules answer account_not_found
    if (negativeAllowedKinds.has(fact.kind)) bases.set(id, 0n);
    else if (fact.kind === "jackpot_pool" && pools.has(id) && pools.get(id)?.mustLock !== true) readPools.push(id.toString());
    else lockIds.push(id.toString());
  }
  const keys = [...new Set(requests.map((r) => r.op.key))];
  return { opening: inlineSql(openingSql, [lockIds, holdIds, readPools, keys]), holdIds, bases, pools };
}

/**
 * One batch, in one transaction, in at most three messages to the database:
 *  1. with the BEGIN: lock every account whose available balance the rules check (those the
 *     operations name, and the accounts of the holds they name, which never change) in id order, and
 *     read the jackpot pools it only adds to and the idempotency keys;
 *  2. read the holds, now that their accounts are locked, so their status is current;
 *  3. judge every operation in order with the pure rules, then send every effect (transfers, player
 *     balances, holds, keys), the round records of the operations applied (with `exportRounds`, and
 *     the outbox entries of the rounds they end), the change to the house and clearing accounts (in
 *     id order, last: those rows are shared by every batch, so their lock is held only for that one
 *     message) and the COMMIT, in one message.
 * The keys are read in the lock statement's snapshot: a batch that committed the same key while this
 * one waited for a lock is not seen, and inserting the key again fails the batch with a unique
 * violation, which re-runs it (it then replays). Step-1 locks are taken in id order before any
 * step-3 lock, and step-3 locks in id order by a batch that then only commits, so no two batches
 * can wait for each other in a cycle.
 */
async function judgeAndWrite(
  tx: SqlTransaction,
  facts: AccountFacts,
  plan: BatchPlan,
  opened: readonly Record<string, unknown>[],
  requests: readonly RecordedRequest[],
  exportRounds: boolean,
): Promise<LedgerOutcome[]> {
  const view = emptyLedgerView();
  const bases = new Map(plan.bases);
  for (const row of opened as unknown as OpeningRow[]) {
    if (row.t === "k") {
      view.idempotency.set(row.key as string, { fingerprint: row.fingerprint as string, outcome: decodeOutcome(row.outcome as string) });
      continue;
    }
    const account: AccountRow = {
      id: row.id as bigint,
      owner: row.owner as string,
      kind: row.kind as AccountKind,
      currency: row.currency as string,
      balance: row.balance as bigint,
      held: row.held as bigint,
    };
    facts.remember(account);
    if (row.t === "a") {
      view.accounts.set(account.id, { ...account } satisfies AccountState);
      continue;
    }
    // A pool this batch only adds to: judged from its committed balance, written as a change from it.
    const pool = plan.pools.get(account.id);
    if (pool === undefined || account.kind !== "jackpot_pool") continue;
    if (account.balance - account.held < pool.seed) throw new PoolNeedsLock(account.id);
    view.accounts.set(account.id, { ...account } satisfies AccountState);
    bases.set(account.id, account.balance);
  }
  // House and clearing accounts: balance 0 stands for "unknown"; they are written as a change.
  for (const id of bases.keys()) {
    const fact = facts.get(id);
    if (fact !== undefined && !view.accounts.has(id)) view.accounts.set(id, { ...fact, balance: 0n, held: 0n });
  }
  if (plan.holdIds.length > 0) await readHolds(tx, view, plan.holdIds);
  const judgement = judgeBatch(view, requests);
  const records = requests.flatMap((request, i) => {
    const outcome = judgement.outcomes[i];
    return request.records === undefined || outcome?.status !== "ok" || outcome.replayed ? [] : request.records(outcome);
  });
  const statements = [
    writeSql(judgement.writes, bases),
    records.length > 0 ? roundsSql(records) : null,
    exportRounds && records.length > 0 ? roundExportsSql(records) : null,
    sharedSql(judgement.writes, bases),
  ];
  const sql = statements.filter((x): x is string => x !== null).join(";\n");
  if (sql.length > 0) await tx.commitWith(sql);
  return judgement.outcomes;
}

/** Step 1's statement: the locked accounts (`a`), the pools only read (`p`), the recorded keys (`k`). */
const openingSql = `
with locked as materialized (
  select id, owner, kind, currency, balance, held from ledger_accounts
  where id = any($1::int8[]) or id in (select account_id from ledger_holds where id = any($2::text[]))
  order by id for update
)
select 'a' as t, id, owner, kind, currency, balance, held, null::text as key, null::text as fingerprint, null::text as outcome from locked
union all
select 'p', id, owner, kind, currency, balance, held, null, null, null from ledger_accounts where id = any($3::int8[])
union all
select 'k', null, null, null, null, null, null, key, fingerprint, outcome::text from ledger_idempotency where key = any($4::text[])`;

interface OpeningRow {
  t: "a" | "p" | "k";
  id: bigint | null;
  owner: string | null;
  kind: string | null;
  currency: string | null;
  balance: bigint | null;
  held: bigint | null;
  key: string | null;
  fingerprint: string | null;
  outcome: string | null;
}

/** Reads the holds under their accounts' locks, so their status is current. */
async function readHolds(tx: SqlExecutor, view: LedgerView, holdIds: readonly string[]): Promise<void> {
  const holds = await tx.query<HoldRow>("select id, account_id, currency, amount, reference, status from ledger_holds where id = any($1::text[])", [holdIds]);
  for (const row of holds) {
    // A hold committed by a concurrent batch after our first read, on an account we did not lock:
    // this batch is ordered before that one, so the hold does not exist yet for it. A reserve that
    // would create it anyway hits the primary key and the batch is re-run.
    if (!view.accounts.has(row.account_id)) continue;
    view.holds.set(row.id, { id: row.id, accountId: row.account_id, currency: row.currency, amount: row.amount, reference: row.reference, status: row.status });
  }
}

/**
 * Every effect of the batch as one statement with its values written in (it shares the commit's
 * message). Every resolved hold was pending under our lock; the statement fails (division by zero)
 * if another writer bypassed the rules and one was not.
 */
function writeSql(writes: BatchWrites, bases: ReadonlyMap<bigint, bigint>): string | null {
  if (writes.idempotency.length === 0) return null;
  const t = writes.transfers;
  const absolute = writes.accounts.filter((a) => !bases.has(a.accountId));
  // Unique rows are inserted in key order, so two batches racing on the same keys wait in one
  // direction only.
  const keys = [...writes.idempotency].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const created = [...writes.holdsCreated].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return inlineSql(ledgerWriteSql, [
    t.map((x) => x.opKey),
    t.map((x) => x.leg),
    t.map((x) => x.debitAccountId),
    t.map((x) => x.creditAccountId),
    t.map((x) => x.amount),
    t.map((x) => x.currency),
    t.map((x) => x.kind),
    t.map((x) => x.reference),
    t.map((x) => x.holdId),
    absolute.map((a) => a.accountId),
    absolute.map((a) => a.balance),
    absolute.map((a) => a.held),
    created.map((h) => h.id),
    created.map((h) => h.accountId),
    created.map((h) => h.currency),
    created.map((h) => h.amount),
    created.map((h) => h.reference),
    created.map((h) => h.status),
    writes.holdsResolved.map((h) => h.id),
    writes.holdsResolved.map((h) => h.status),
    keys.map((k) => k.key),
    keys.map((k) => k.record.fingerprint),
    keys.map((k) => encodeOutcome(k.record.outcome)),
    writes.holdsResolved.length,
  ]);
}

/**
 * The shared accounts last, as the change from the balance they were judged with (0 for house and
 * clearing accounts, the committed balance read for a pool), in the same message as the commit:
 * every batch needs these rows, so each holds their lock only while the server runs this message.
 */
function sharedSql(writes: BatchWrites, bases: ReadonlyMap<bigint, bigint>): string | null {
  const shared = writes.accounts
    .map((a) => ({ accountId: a.accountId, delta: a.balance - (bases.get(a.accountId) ?? a.balance) }))
    .filter((a) => bases.has(a.accountId) && a.delta !== 0n)
    .sort((a, b) => (a.accountId < b.accountId ? -1 : 1));
  return shared.length === 0 ? null : ledgerRelativeUpdateLiteralSql(shared);
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
     order by id desc limit $3`,
    [accountId.toString(), before, limit + 1],
  );
  const page = rows.slice(0, limit);
  const entries = page.map((r) => {
    const credited = r.credit_account_id === accountId;
    return {
      transferId: r.id,
      opKey: r.op_key,
      kind: r.kind,
      amount: credited ? r.amount : -r.amount,
      currency: r.currency,
      counterpartyAccountId: credited ? r.debit_account_id : r.credit_account_id,
      reference: r.reference,
      holdId: r.hold_id,
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
  const ok =
    result.currencies.every((c) => c.debitsMinor === c.creditsMinor && c.balancesMinor === 0n) &&
    result.accountsMismatched === 0 &&
    result.heldMismatched === 0 &&
    result.accountsNegative === 0 &&
    result.transfersMismatched === 0;
  return { ...result, ok };
}
