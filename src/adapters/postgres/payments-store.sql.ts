import type {
  CreateWithdrawalResult,
  DepositRecord,
  DepositStatus,
  NewOutboxEntry,
  NewWithdrawal,
  OutboxEntry,
  OutboxKind,
  PaymentsStore,
  RecentWithdrawals,
  WithdrawalRecord,
  WithdrawalStatus,
} from "../../app/ports/payments-store.js";
import { lockPlayer, readDepositGate } from "./rg-store.sql.js";
import { enqueueOutbox } from "./outbox.sql.js";
import type { SqlDb, SqlExecutor } from "./sql-db.js";

interface DepositRow {
  id: string;
  user_id: string;
  request_key: string;
  provider: string;
  currency: string;
  amount: bigint;
  card_token: string;
  card_label: string;
  provider_payment_id: string | null;
  status: DepositStatus;
  reason: string | null;
  created_ms: bigint;
  updated_ms: bigint;
}

interface WithdrawalRow {
  id: string;
  seq: bigint;
  user_id: string;
  request_key: string;
  provider: string;
  currency: string;
  amount: bigint;
  card_token: string;
  card_label: string;
  status: WithdrawalStatus;
  reason: string | null;
  decided_by: string | null;
  provider_payout_id: string | null;
  created_ms: bigint;
  updated_ms: bigint;
}

const depositColumns =
  "id::text as id, user_id, request_key, provider, currency, amount, card_token, card_label, provider_payment_id, status, reason, created_ms, updated_ms";
const withdrawalColumns =
  "id::text as id, seq, user_id, request_key, provider, currency, amount, card_token, card_label, status, reason, decided_by, provider_payout_id, created_ms, updated_ms";

const toDeposit = (r: DepositRow): DepositRecord => ({
  id: r.id,
  userId: r.user_id,
  requestKey: r.request_key,
  provider: r.provider,
  currency: r.currency,
  amount: r.amount,
  cardToken: r.card_token,
  cardLabel: r.card_label,
  providerPaymentId: r.provider_payment_id,
  status: r.status,
  reason: r.reason,
  createdMs: Number(r.created_ms),
  updatedMs: Number(r.updated_ms),
});

const toWithdrawal = (r: WithdrawalRow): WithdrawalRecord => ({
  id: r.id,
  seq: r.seq,
  userId: r.user_id,
  requestKey: r.request_key,
  provider: r.provider,
  currency: r.currency,
  amount: r.amount,
  cardToken: r.card_token,
  cardLabel: r.card_label,
  status: r.status,
  reason: r.reason,
  decidedBy: r.decided_by,
  providerPayoutId: r.provider_payout_id,
  createdMs: Number(r.created_ms),
  updatedMs: Number(r.updated_ms),
});

/** Deposits, withdrawals and the outbox on PostgreSQL or PGlite (migration 0004). */
export function createSqlPaymentsStore(db: SqlDb): PaymentsStore {
  return {
    createDeposit: (d, nowMs, judge) =>
      db.transaction(async (tx) => {
        await lockPlayer(tx, d.userId);
        const [existing] = await tx.query<DepositRow>(`select ${depositColumns} from payments_deposits where user_id = $1 and request_key = $2`, [
          d.userId,
          d.requestKey,
        ]);
        if (existing !== undefined) return { status: "existing", deposit: toDeposit(existing) };
        const refusal = judge(await readDepositGate(tx, d.userId, d.currency, nowMs));
        if (refusal !== null) return { status: "refused", refusal };
        const [row] = await tx.query<DepositRow>(
          `insert into payments_deposits (user_id, request_key, provider, currency, amount, card_token, card_label, status, created_ms, updated_ms)
         values ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $8) returning ${depositColumns}`,
          [d.userId, d.requestKey, d.provider, d.currency, d.amount.toString(), d.cardToken, d.cardLabel, nowMs],
        );
        if (row === undefined) throw new Error("deposit insert returned nothing");
        return { status: "created", deposit: toDeposit(row) };
      }),

    async findDeposit(id) {
      if (!isUuid(id)) return null;
      const [row] = await db.query<DepositRow>(`select ${depositColumns} from payments_deposits where id = $1`, [id]);
      return row === undefined ? null : toDeposit(row);
    },

    async depositCardTokens(userId, provider, limit) {
      const rows = await db.query<{ card_token: string }>(
        "select distinct card_token from payments_deposits where user_id = $1 and provider = $2 and status = 'credited' limit $3",
        [userId, provider, limit],
      );
      return rows.map((r) => r.card_token);
    },

    transitionDeposit: (id, from, to, change, nowMs, outbox = []) =>
      db.transaction(async (tx) => {
        const rows = await tx.query<DepositRow>(
          `update payments_deposits set status = coalesce($3, status), provider_payment_id = coalesce(provider_payment_id, $4),
           reason = case when $5::boolean then $6 else reason end, updated_ms = $7
         where id = $1 and status = any($2::text[]) returning ${depositColumns}`,
          [id, [...from], to, change.providerPaymentId ?? null, change.reason !== undefined, change.reason ?? null, nowMs],
        );
        if (rows[0] === undefined) return null;
        return { deposit: toDeposit(rows[0]), outboxIds: await enqueueOutbox(tx, outbox, nowMs) };
      }),

    createWithdrawal: (w, nowMs, periodMs, judge, outbox) => db.transaction((tx) => createWithdrawal(tx, w, nowMs, periodMs, judge, outbox)),

    async findWithdrawal(id) {
      if (!isUuid(id)) return null;
      const [row] = await db.query<WithdrawalRow>(`select ${withdrawalColumns} from payments_withdrawals where id = $1`, [id]);
      return row === undefined ? null : toWithdrawal(row);
    },

    async listWithdrawals(query) {
      const rows = await db.query<WithdrawalRow>(
        `select ${withdrawalColumns} from payments_withdrawals where ($1::text is null or status = $1) and seq < $2 order by seq desc limit $3`,
        [query.status ?? null, (query.beforeSeq ?? 2n ** 63n - 1n).toString(), query.limit],
      );
      return rows.map(toWithdrawal);
    },

    transitionWithdrawal: (id, from, to, change, nowMs, outbox = []) =>
      db.transaction(async (tx) => {
        const rows = await tx.query<WithdrawalRow>(
          `update payments_withdrawals set status = $3, reason = case when $4::boolean then $5 else reason end,
           decided_by = coalesce($6, decided_by), provider_payout_id = coalesce($7, provider_payout_id), updated_ms = $8
         where id = $1 and status = any($2::text[]) returning ${withdrawalColumns}`,
          [id, [...from], to, change.reason !== undefined, change.reason ?? null, change.decidedBy ?? null, change.providerPayoutId ?? null, nowMs],
        );
        if (rows[0] === undefined) return null;
        return { withdrawal: toWithdrawal(rows[0]), outboxIds: await enqueueOutbox(tx, outbox, nowMs) };
      }),

    async claimOutbox(query) {
      // skip locked: two nodes polling at once take different entries instead of waiting for each other.
      const rows = await db.query<OutboxRow>(
        `update payments_outbox set locked_until_ms = $1::int8 + $2::int8, attempts = attempts + 1
         where id in (select id from payments_outbox
           where done_ms is null and parked_ms is null and locked_until_ms <= $1 and ($3::int8 is not null and id = $3::int8 or $3::int8 is null and next_attempt_ms <= $1)
           order by id limit $4 for update skip locked)
         returning id, kind, subject_id, payload, attempts`,
        [query.nowMs, query.leaseMs, query.id === undefined ? null : query.id.toString(), query.limit],
      );
      return rows.sort((a, b) => (a.id < b.id ? -1 : 1)).map(toOutboxEntry);
    },

    async claimOutboxOf(kind, subjectId, nowMs, leaseMs) {
      const [row] = await db.query<OutboxRow>(
        `update payments_outbox set locked_until_ms = $3::int8 + $4::int8, attempts = attempts + 1
         where id = (select id from payments_outbox where kind = $1 and subject_id = $2 and done_ms is null and parked_ms is null and locked_until_ms <= $3
           order by id limit 1 for update skip locked)
         returning id, kind, subject_id, payload, attempts`,
        [kind, subjectId, nowMs, leaseMs],
      );
      return row === undefined ? null : toOutboxEntry(row);
    },

    async completeOutbox(id, nowMs) {
      // An exported event is only a message: once the stream has it, its row goes (a slot spin makes one).
      await db.query(
        `with exported as (delete from payments_outbox where id = $1 and kind = 'export')
         update payments_outbox set done_ms = $2, locked_until_ms = 0 where id = $1 and kind <> 'export' and done_ms is null`,
        [id.toString(), nowMs],
      );
    },

    async retryOutbox(id, nextAttemptMs, error) {
      await db.query("update payments_outbox set next_attempt_ms = $2, locked_until_ms = 0, last_error = $3 where id = $1 and done_ms is null", [
        id.toString(),
        nextAttemptMs,
        error.slice(0, 1_000),
      ]);
    },

    async parkOutbox(id, nowMs, error) {
      await db.query("update payments_outbox set parked_ms = $2, locked_until_ms = 0, last_error = $3 where id = $1 and done_ms is null", [
        id.toString(),
        nowMs,
        error.slice(0, 1_000),
      ]);
    },

    async outboxBacklog() {
      const [row] = await db.query<{ waiting: bigint; parked: bigint; oldest: bigint | null }>(
        `select count(*) filter (where parked_ms is null) as waiting, count(*) filter (where parked_ms is not null) as parked,
           min(created_ms) filter (where parked_ms is null) as oldest from payments_outbox where done_ms is null`,
      );
      return {
        waiting: Number(row?.waiting ?? 0n),
        parked: Number(row?.parked ?? 0n),
        oldestWaitingMs: row?.oldest === null || row?.oldest === undefined ? null : Number(row.oldest),
      };
    },

    async listOutbox(query) {
      const rows = await db.query<OutboxReviewRow>(
        `select id, kind, subject_id, attempts, last_error, created_ms, next_attempt_ms, parked_ms from payments_outbox
         where done_ms is null and (parked_ms is not null) = $1 order by id limit $2`,
        [query.state === "parked", query.limit],
      );
      return rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        subjectId: r.subject_id,
        attempts: r.attempts,
        lastError: r.last_error,
        createdMs: Number(r.created_ms),
        nextAttemptMs: Number(r.next_attempt_ms),
        parkedMs: r.parked_ms === null ? null : Number(r.parked_ms),
      }));
    },

    async requeueOutbox(id, nowMs) {
      const rows = await db.query<{ id: bigint }>(
        "update payments_outbox set parked_ms = null, attempts = 0, next_attempt_ms = $2, locked_until_ms = 0 where id = $1 and done_ms is null and parked_ms is not null returning id",
        [id.toString(), nowMs],
      );
      return rows.length === 1;
    },

    async listDeposits(query) {
      const rows = await db.query<DepositRow>(
        `select ${depositColumns} from payments_deposits where ($1::text is null or status = $1) and ($2::text is null or user_id = $2)
           and ($3::int8 is null or (created_ms, id) < ($3::int8, $4::uuid)) order by created_ms desc, id desc limit $5`,
        [query.status ?? null, query.userId ?? null, query.before?.createdMs ?? null, query.before?.id ?? null, query.limit],
      );
      return rows.map(toDeposit);
    },
  };
}

interface OutboxReviewRow {
  id: bigint;
  kind: OutboxKind;
  subject_id: string;
  attempts: number;
  last_error: string | null;
  created_ms: bigint;
  next_attempt_ms: bigint;
  parked_ms: bigint | null;
}

interface OutboxRow {
  id: bigint;
  kind: OutboxKind;
  subject_id: string;
  payload: string;
  attempts: number;
}

function toOutboxEntry(r: OutboxRow): OutboxEntry {
  return { id: r.id, kind: r.kind, subjectId: r.subject_id, payload: r.payload, attempts: r.attempts };
}

async function createWithdrawal(
  tx: SqlExecutor,
  w: NewWithdrawal,
  nowMs: number,
  periodMs: number,
  judge: (recent: RecentWithdrawals) => unknown,
  outbox: (id: string) => readonly NewOutboxEntry[],
): Promise<CreateWithdrawalResult> {
  // One request per player at a time: the count and the insert must not interleave with another
  // request of the same player, or two could both fit under withdrawalsPerPeriodMax.
  await tx.query("select pg_advisory_xact_lock(hashtextextended($1, 7))", [`withdrawal:${w.userId}`]);
  const [existing] = await tx.query<WithdrawalRow>(`select ${withdrawalColumns} from payments_withdrawals where user_id = $1 and request_key = $2`, [
    w.userId,
    w.requestKey,
  ]);
  // A refused request wrote nothing to the ledger and does not count, so the same request with the
  // same key is a new attempt (after a deposit, say), judged like any other.
  const retry =
    existing !== undefined &&
    existing.status === "refused" &&
    existing.amount === w.amount &&
    existing.currency === w.currency &&
    existing.card_token === w.cardToken;
  if (existing !== undefined && !retry) return { status: "existing", withdrawal: toWithdrawal(existing) };
  const recent = await tx.query<{ created_ms: bigint; status: string }>(
    "select created_ms, status from payments_withdrawals where user_id = $1 and created_ms > $2 and status <> 'refused' order by created_ms",
    [w.userId, nowMs - periodMs],
  );
  const refusal = judge({
    count: recent.length,
    holding: recent.filter((r) => r.status === "requested").length,
    createdMs: recent.map((r) => Number(r.created_ms)),
  });
  if (refusal !== null) return { status: "refused", refusal };
  const [row] = retry
    ? await tx.query<WithdrawalRow>(
        `update payments_withdrawals set status = 'requested', reason = null, created_ms = $2, updated_ms = $2 where id = $1 and status = 'refused'
       returning ${withdrawalColumns}`,
        [existing.id, nowMs],
      )
    : await tx.query<WithdrawalRow>(
        `insert into payments_withdrawals (user_id, request_key, provider, currency, amount, card_token, card_label, status, created_ms, updated_ms)
       values ($1, $2, $3, $4, $5, $6, $7, 'requested', $8, $8) returning ${withdrawalColumns}`,
        [w.userId, w.requestKey, w.provider, w.currency, w.amount.toString(), w.cardToken, w.cardLabel, nowMs],
      );
  if (row === undefined) throw new Error("withdrawal insert returned nothing");
  return { status: "created", withdrawal: toWithdrawal(row), outboxIds: await enqueueOutbox(tx, outbox(row.id), nowMs) };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id that is not a uuid names nothing; asking the database would only raise a cast error. */
function isUuid(id: string): boolean {
  return uuidPattern.test(id);
}
