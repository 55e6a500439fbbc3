import type { BetLimitStore, BetLimitVerdict } from "../../app/ports/bet-limit-store.js";
import type { DepositGate, PlayResult, ResponsibleGamingStore, StoredLimit } from "../../app/ports/rg-store.js";
import {
  judgeLimits,
  limitAt,
  limitPeriodMs,
  noLimit,
  unrestricted,
  type AccountRestrictions,
  type ExclusionKind,
  type LimitKind,
  type LimitPeriod,
  type LimitState,
  type PeriodLimit,
} from "../../engine/responsible-gaming/index.js";
import type { SqlDb, SqlExecutor } from "./sql-db.js";

interface LimitRow {
  kind: LimitKind;
  period: LimitPeriod;
  currency: string;
  amount_minor: bigint | null;
  pending_amount_minor: bigint | null;
  pending_at_ms: bigint | null;
}
interface RestrictionRow {
  exclusion_kind: ExclusionKind | null;
  exclusion_started_ms: bigint | null;
  exclusion_until_ms: bigint | null;
  locked_ms: bigint | null;
  locked_by: string | null;
  locked_reason: string | null;
}

const limitColumns = "kind, period, currency, amount_minor, pending_amount_minor, pending_at_ms";
const restrictionColumns = "exclusion_kind, exclusion_started_ms, exclusion_until_ms, locked_ms, locked_by, locked_reason";

const toLimitState = (r: LimitRow): LimitState => ({
  amountMinor: r.amount_minor,
  pendingAmountMinor: r.pending_amount_minor,
  pendingAtMs: r.pending_at_ms === null ? null : Number(r.pending_at_ms),
});

function toRestrictions(r: RestrictionRow | undefined): AccountRestrictions {
  if (r === undefined) return unrestricted;
  return {
    exclusion:
      r.exclusion_kind === null || r.exclusion_until_ms === null
        ? null
        : { kind: r.exclusion_kind, startedMs: Number(r.exclusion_started_ms ?? r.exclusion_until_ms), untilMs: Number(r.exclusion_until_ms) },
    lock: r.locked_ms === null || r.locked_by === null ? null : { lockedMs: Number(r.locked_ms), lockedBy: r.locked_by, reason: r.locked_reason ?? "" },
  };
}

/**
 * Serializes everything that reads or changes one player's limits and restrictions: a deposit's
 * judgement and insert, a limit change, an exclusion, a lock. A transaction-scoped advisory lock,
 * so it is released by the commit or rollback and works the same on PGlite. (Key space 10 is this
 * module's; withdrawals use 7.)
 */
export async function lockPlayer(tx: SqlExecutor, userId: string): Promise<void> {
  await tx.query("select pg_advisory_xact_lock(hashtextextended($1, 10))", [`rg:${userId}`]);
}

async function readRestrictions(tx: SqlExecutor, userId: string): Promise<AccountRestrictions> {
  const [row] = await tx.query<RestrictionRow>(`select ${restrictionColumns} from rg_restrictions where user_id = $1`, [userId]);
  return toRestrictions(row);
}

/**
 * What a deposit of `currency` is judged on, read under the player's lock (take `lockPlayer` first):
 * deposits pending or credited count, declined or failed ones do not. One query sums all three
 * windows (the index on user, currency and time bounds it to the player's last 30 days).
 */
export async function readDepositGate(tx: SqlExecutor, userId: string, currency: string, nowMs: number): Promise<DepositGate> {
  const restrictions = await readRestrictions(tx, userId);
  const rows = await tx.query<LimitRow>(`select ${limitColumns} from rg_limits where user_id = $1 and kind = 'deposit' and currency = $2`, [userId, currency]);
  const limits: PeriodLimit[] = [];
  for (const row of rows) {
    const amountMinor = limitAt(toLimitState(row), nowMs).amountMinor;
    if (amountMinor !== null) limits.push({ period: row.period, amountMinor });
  }
  const [sums] = await tx.query<{ day: bigint; week: bigint; month: bigint }>(
    `select coalesce(sum(amount) filter (where created_ms > $3::int8 - $4::int8), 0)::int8 as day,
            coalesce(sum(amount) filter (where created_ms > $3::int8 - $5::int8), 0)::int8 as week,
            coalesce(sum(amount), 0)::int8 as month
     from payments_deposits where user_id = $1 and currency = $2 and status in ('pending', 'credited') and created_ms > $3::int8 - $6::int8`,
    [userId, currency, nowMs, limitPeriodMs.day, limitPeriodMs.week, limitPeriodMs.month],
  );
  return { restrictions, limits, depositedMinor: { day: sums?.day ?? 0n, week: sums?.week ?? 0n, month: sums?.month ?? 0n } };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface SessionLimitRow {
  minutes: number | null;
  pending_minutes: number | null;
  pending_at_ms: bigint | null;
}
const sessionLimitColumns = "minutes, pending_minutes, pending_at_ms";
/** A session limit as a LimitState whose amounts are minutes, so the money limits' rules (cooling-off) apply unchanged. */
const toSessionLimit = (r: SessionLimitRow): LimitState => ({
  amountMinor: r.minutes === null ? null : BigInt(r.minutes),
  pendingAmountMinor: r.pending_minutes === null ? null : BigInt(r.pending_minutes),
  pendingAtMs: r.pending_at_ms === null ? null : Number(r.pending_at_ms),
});

/** Limits and restrictions on PostgreSQL or PGlite (migration 0009). */
export function createSqlResponsibleGamingStore(db: SqlDb): ResponsibleGamingStore {
  return {
    async userExists(userId) {
      if (!uuidPattern.test(userId)) return false;
      return (await db.query("select 1 from users where id = $1", [userId])).length > 0;
    },

    restrictions: (userId) => readRestrictions(db, userId),

    async limits(userId) {
      const rows = await db.query<LimitRow>(`select ${limitColumns} from rg_limits where user_id = $1 order by kind, currency, period`, [userId]);
      return rows.map((r): StoredLimit => ({ kind: r.kind, period: r.period, currency: r.currency, ...toLimitState(r) }));
    },

    changeLimit: (userId, key, nowMs, decide) =>
      db.transaction(async (tx) => {
        await lockPlayer(tx, userId);
        const [row] = await tx.query<LimitRow>(`select ${limitColumns} from rg_limits where user_id = $1 and kind = $2 and period = $3 and currency = $4`, [
          userId,
          key.kind,
          key.period,
          key.currency,
        ]);
        const next = decide(row === undefined ? noLimit : toLimitState(row));
        if (next.amountMinor === null && next.pendingAtMs === null) {
          await tx.query("delete from rg_limits where user_id = $1 and kind = $2 and period = $3 and currency = $4", [
            userId,
            key.kind,
            key.period,
            key.currency,
          ]);
          return next;
        }
        await tx.query(
          `insert into rg_limits (user_id, kind, period, currency, amount_minor, pending_amount_minor, pending_at_ms, updated_ms) values ($1, $2, $3, $4, $5, $6, $7, $8)
         on conflict (user_id, kind, period, currency) do update set amount_minor = excluded.amount_minor, pending_amount_minor = excluded.pending_amount_minor,
           pending_at_ms = excluded.pending_at_ms, updated_ms = excluded.updated_ms`,
          [
            userId,
            key.kind,
            key.period,
            key.currency,
            next.amountMinor?.toString() ?? null,
            next.pendingAmountMinor?.toString() ?? null,
            next.pendingAtMs,
            nowMs,
          ],
        );
        return next;
      }),

    async sessionLimit(userId) {
      if (!uuidPattern.test(userId)) return noLimit;
      const [row] = await db.query<SessionLimitRow>(`select ${sessionLimitColumns} from rg_session_limits where user_id = $1`, [userId]);
      return row === undefined ? noLimit : toSessionLimit(row);
    },

    async sessionLimits(userIds) {
      const ids = userIds.filter((id) => uuidPattern.test(id));
      if (ids.length === 0) return new Map();
      const rows = await db.query<SessionLimitRow & { user_id: string }>(
        `select user_id, ${sessionLimitColumns} from rg_session_limits where user_id = any($1::uuid[])`,
        [ids],
      );
      return new Map(rows.map((r) => [r.user_id, toSessionLimit(r)]));
    },

    changeSessionLimit: (userId, nowMs, decide) =>
      db.transaction(async (tx) => {
        await lockPlayer(tx, userId);
        const [row] = await tx.query<SessionLimitRow>(`select ${sessionLimitColumns} from rg_session_limits where user_id = $1`, [userId]);
        const next = decide(row === undefined ? noLimit : toSessionLimit(row));
        if (next.amountMinor === null && next.pendingAtMs === null) {
          await tx.query("delete from rg_session_limits where user_id = $1", [userId]);
          return next;
        }
        await tx.query(
          `insert into rg_session_limits (user_id, minutes, pending_minutes, pending_at_ms, updated_ms) values ($1, $2, $3, $4, $5)
         on conflict (user_id) do update set minutes = excluded.minutes, pending_minutes = excluded.pending_minutes, pending_at_ms = excluded.pending_at_ms, updated_ms = excluded.updated_ms`,
          [
            userId,
            next.amountMinor === null ? null : Number(next.amountMinor),
            next.pendingAmountMinor === null ? null : Number(next.pendingAmountMinor),
            next.pendingAtMs,
            nowMs,
          ],
        );
        return next;
      }),

    changeRestrictions: (userId, nowMs, decide) =>
      db.transaction(async (tx) => {
        await lockPlayer(tx, userId);
        const next = decide(await readRestrictions(tx, userId));
        const { exclusion, lock } = next;
        await tx.query(
          `insert into rg_restrictions (user_id, exclusion_kind, exclusion_started_ms, exclusion_until_ms, locked_ms, locked_by, locked_reason, updated_ms)
         values ($1, $2, $3, $4, $5, $6, $7, $8)
         on conflict (user_id) do update set exclusion_kind = excluded.exclusion_kind, exclusion_started_ms = excluded.exclusion_started_ms,
           exclusion_until_ms = excluded.exclusion_until_ms, locked_ms = excluded.locked_ms, locked_by = excluded.locked_by,
           locked_reason = excluded.locked_reason, updated_ms = excluded.updated_ms`,
          [
            userId,
            exclusion?.kind ?? null,
            exclusion?.startedMs ?? null,
            exclusion?.untilMs ?? null,
            lock?.lockedMs ?? null,
            lock?.lockedBy ?? null,
            lock?.reason ?? null,
            nowMs,
          ],
        );
        return next;
      }),
  };
}

/** When a session began (its login), in ms; null for an unknown id. */
export async function sessionStartedMs(db: SqlExecutor, sessionId: string): Promise<number | null> {
  if (!uuidPattern.test(sessionId)) return null;
  const [row] = await db.query<{ ms: bigint }>("select (extract(epoch from created_at) * 1000)::int8 as ms from sessions where id = $1", [sessionId]);
  return row === undefined ? null : Number(row.ms);
}

/**
 * A player's stakes and wins (cash and bonus purses) since `sinceMs`, per currency: what a reality
 * check reports. Off the bet path, once per session and interval. It finds the player's transfers
 * through the ledger's account indexes and filters them by time, so its cost grows with the player's
 * whole history, not the session's: a player with millions of transfers makes it slow (a running
 * total per session would fix that; not done yet).
 */
export async function playResults(db: SqlExecutor, userId: string, sinceMs: number): Promise<readonly PlayResult[]> {
  const rows = await db.query<{ currency: string; staked: bigint; won: bigint }>(
    `select a.currency,
            coalesce((select sum(t.amount) from ledger_transfers t where t.debit_account_id = a.id and t.kind = 'bet_stake' and t.created_at >= to_timestamp($2::int8 / 1000.0)), 0)::int8 as staked,
            coalesce((select sum(t.amount) from ledger_transfers t where t.credit_account_id = a.id and t.kind in ('bet_win', 'jackpot_win') and t.created_at >= to_timestamp($2::int8 / 1000.0)), 0)::int8 as won
     from ledger_accounts a where a.owner = $1 and a.kind in ('player_cash', 'player_bonus')`,
    [userId, sinceMs],
  );
  const byCurrency = new Map<string, PlayResult>();
  for (const r of rows) {
    const before = byCurrency.get(r.currency);
    byCurrency.set(r.currency, { currency: r.currency, stakedMinor: (before?.stakedMinor ?? 0n) + r.staked, wonMinor: (before?.wonMinor ?? 0n) + r.won });
  }
  return [...byCurrency.values()].filter((r) => r.stakedMinor > 0n || r.wonMinor > 0n).sort((x, y) => (x.currency < y.currency ? -1 : 1));
}

/** Wager and loss limits at the bet, on PostgreSQL or PGlite (migration 0011). */
export function createSqlBetLimitStore(db: SqlDb): BetLimitStore {
  return {
    async betLimitedUsers() {
      return (await db.query<{ user_id: string }>("select distinct user_id from rg_limits where kind in ('wager', 'loss')")).map((r) => r.user_id);
    },

    judgeBet: (bet, nowMs) =>
      db.transaction(async (tx): Promise<BetLimitVerdict> => {
        await lockPlayer(tx, bet.userId);
        if ((await tx.query("select 1 from rg_bets where ref = $1", [bet.ref])).length > 0) return { status: "ok" };
        const rows = await tx.query<LimitRow>(`select ${limitColumns} from rg_limits where user_id = $1 and kind in ('wager', 'loss') and currency = $2`, [
          bet.userId,
          bet.currency,
        ]);
        const byKind = { wager: [] as PeriodLimit[], loss: [] as PeriodLimit[] };
        for (const row of rows) {
          const amountMinor = limitAt(toLimitState(row), nowMs).amountMinor;
          if (amountMinor !== null && (row.kind === "wager" || row.kind === "loss")) byKind[row.kind].push({ period: row.period, amountMinor });
        }
        if (byKind.wager.length + byKind.loss.length === 0) return { status: "ok" };
        const [used] = await tx.query<Record<"wd" | "ww" | "wm" | "ld" | "lw" | "lm", bigint>>(
          `select coalesce(sum(stake_minor) filter (where created_ms > $3::int8 - $4::int8), 0)::int8 as wd,
                coalesce(sum(stake_minor) filter (where created_ms > $3::int8 - $5::int8), 0)::int8 as ww,
                coalesce(sum(stake_minor), 0)::int8 as wm,
                coalesce(sum(stake_minor - win_minor) filter (where created_ms > $3::int8 - $4::int8), 0)::int8 as ld,
                coalesce(sum(stake_minor - win_minor) filter (where created_ms > $3::int8 - $5::int8), 0)::int8 as lw,
                coalesce(sum(stake_minor - win_minor), 0)::int8 as lm
         from rg_bets where user_id = $1 and currency = $2 and created_ms > $3::int8 - $6::int8`,
          [bet.userId, bet.currency, nowMs, limitPeriodMs.day, limitPeriodMs.week, limitPeriodMs.month],
        );
        const wager = judgeLimits(bet.stakeMinor, byKind.wager, { day: used?.wd ?? 0n, week: used?.ww ?? 0n, month: used?.wm ?? 0n });
        if (wager.status !== "ok") return { ...wager, kind: "wager" };
        // A loss limit must hold however the bet ends: its whole stake counts as lost until it is paid.
        const loss = judgeLimits(bet.stakeMinor, byKind.loss, { day: used?.ld ?? 0n, week: used?.lw ?? 0n, month: used?.lm ?? 0n });
        if (loss.status !== "ok") return { ...loss, kind: "loss" };
        await tx.query("insert into rg_bets (ref, user_id, currency, stake_minor, win_minor, created_ms) values ($1, $2, $3, $4, $5, $6)", [
          bet.ref,
          bet.userId,
          bet.currency,
          bet.stakeMinor,
          bet.winMinor,
          nowMs,
        ]);
        return { status: "ok" };
      }),

    async forget(refs) {
      if (refs.length > 0) await db.query("delete from rg_bets where ref = any($1::text[])", [refs]);
    },

    async paid(wins) {
      if (wins.length === 0) return;
      await db.query("update rg_bets b set win_minor = w.win from unnest($1::text[], $2::int8[]) as w(ref, win) where b.ref = w.ref", [
        wins.map((w) => w.ref),
        wins.map((w) => w.winMinor.toString()),
      ]);
    },
  };
}
