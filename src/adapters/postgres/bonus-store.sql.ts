import type { BonusEnd, BonusRecord, BonusStore, BonusWager, CreateResult, NewBonus } from "../../app/ports/bonus-store.js";
import type { GameWeights } from "../../engine/bonus/index.js";
import type { SqlDb, SqlExecutor } from "./sql-db.js";

interface BonusRow {
  id: string;
  user_id: string;
  currency: string;
  kind: "welcome" | "manual";
  status: BonusRecord["status"];
  amount_minor: bigint;
  wagering_required_minor: bigint;
  wagered_minor: bigint;
  max_bet_minor: bigint;
  game_weights: GameWeights | string;
  expires_ms: bigint;
  granted_by: string;
  created_ms: bigint;
  activated_ms: bigint | null;
  ended_ms: bigint | null;
  end_reason: string | null;
  closing_minor: bigint | null;
  closed_minor: bigint | null;
  closed_ms: bigint | null;
}

const columns = `id, user_id, currency, kind, status, amount_minor, wagering_required_minor, wagered_minor, max_bet_minor, game_weights,
  expires_ms, granted_by, created_ms, activated_ms, ended_ms, end_reason, closing_minor, closed_minor, closed_ms`;
const num = (v: bigint | null): number | null => (v === null ? null : Number(v));

function toRecord(r: BonusRow): BonusRecord {
  return {
    id: r.id,
    userId: r.user_id,
    currency: r.currency,
    kind: r.kind,
    status: r.status,
    amountMinor: r.amount_minor,
    wageringRequiredMinor: r.wagering_required_minor,
    wageredMinor: r.wagered_minor,
    maxBetMinor: r.max_bet_minor,
    weights: Object.freeze(typeof r.game_weights === "string" ? (JSON.parse(r.game_weights) as GameWeights) : { ...r.game_weights }),
    expiresMs: Number(r.expires_ms),
    grantedBy: r.granted_by,
    createdMs: Number(r.created_ms),
    activatedMs: num(r.activated_ms),
    endedMs: num(r.ended_ms),
    endReason: r.end_reason,
    closingMinor: r.closing_minor,
    closedMinor: r.closed_minor,
    closedMs: num(r.closed_ms),
  };
}

/**
 * Every welcome claim takes this one transaction-scoped advisory lock (key space 16 is this module's),
 * so the check "no account sharing a device had one" and the insert are one step across nodes. Welcome
 * claims are rare (one per account), so one lock for all of them costs nothing that matters.
 */
async function lockWelcomeClaims(tx: SqlExecutor): Promise<void> {
  await tx.query("select pg_advisory_xact_lock(hashtextextended('bonus:welcome', 16))");
}

/**
 * Another account that already had a welcome bonus and shares with `userId` a real device id (not
 * 'unknown') or a client address a session logged in from (not a loopback address: tests and
 * misconfigured proxies, which would link everyone).
 */
async function welcomeLinkedAccount(tx: SqlExecutor, userId: string): Promise<string | null> {
  const [row] = await tx.query<{ user_id: string }>(
    `select b.user_id from bonuses b
       join sessions theirs on theirs.user_id = b.user_id
       join sessions mine on (mine.device_id = theirs.device_id and mine.device_id <> 'unknown')
         or (mine.client_address = theirs.client_address and mine.client_address not in ('127.0.0.1', '::1', '::ffff:127.0.0.1', ''))
      where b.kind = 'welcome' and mine.user_id = $1 and b.user_id <> $1
      limit 1`,
    [userId],
  );
  return row?.user_id ?? null;
}

async function insert(tx: SqlExecutor, b: NewBonus): Promise<CreateResult> {
  const [existing] = await tx.query<BonusRow>(`select ${columns} from bonuses where request_key = $1`, [b.requestKey]);
  if (existing !== undefined) return { status: "existing", bonus: toRecord(existing) };
  if ((await tx.query("select 1 from users where id = $1", [b.userId])).length === 0) return { status: "player_not_found" };
  if (b.kind === "welcome") {
    await lockWelcomeClaims(tx);
    if ((await tx.query("select 1 from bonuses where user_id = $1 and kind = 'welcome'", [b.userId])).length > 0) return { status: "welcome_taken" };
    const linked = await welcomeLinkedAccount(tx, b.userId);
    if (linked !== null) return { status: "device_linked", linkedUserId: linked };
  }
  const [row] = await tx.query<BonusRow>(
    `insert into bonuses (user_id, currency, kind, status, amount_minor, wagering_required_minor, max_bet_minor, game_weights, expires_ms, granted_by, request_key, created_ms)
     values ($1, $2, $3, 'pending', $4, $5, $6, $7::jsonb, $8, $9, $10, $11)
     on conflict do nothing returning ${columns}`,
    [
      b.userId,
      b.currency,
      b.kind,
      b.amountMinor,
      b.wageringRequiredMinor,
      b.maxBetMinor,
      JSON.stringify(b.weights),
      b.expiresMs,
      b.grantedBy,
      b.requestKey,
      b.createdMs,
    ],
  );
  // Nothing inserted: a unique index refused it (an open bonus in this currency; a racing identical request).
  if (row === undefined) {
    const [raced] = await tx.query<BonusRow>(`select ${columns} from bonuses where request_key = $1`, [b.requestKey]);
    return raced === undefined ? { status: "open_exists" } : { status: "existing", bonus: toRecord(raced) };
  }
  return { status: "created", bonus: toRecord(row) };
}

/** The bonus store on PostgreSQL and PGlite (migration 13). */
export function createSqlBonusStore(db: SqlDb): BonusStore {
  const one = async (sql: string, params: readonly unknown[]): Promise<BonusRecord | null> => {
    const [row] = await db.query<BonusRow>(sql, params);
    return row === undefined ? null : toRecord(row);
  };
  return {
    create: (bonus) => db.transaction((tx) => insert(tx, bonus)),
    find: (id) => one(`select ${columns} from bonuses where id = $1`, [id]),
    active: (userId, currency) => one(`select ${columns} from bonuses where user_id = $1 and currency = $2 and status = 'active'`, [userId, currency]),
    async listForUser(userId, limit) {
      return (await db.query<BonusRow>(`select ${columns} from bonuses where user_id = $1 order by created_ms desc, id limit $2`, [userId, limit])).map(
        toRecord,
      );
    },
    async list(query) {
      const rows =
        query.status === undefined
          ? await db.query<BonusRow>(`select ${columns} from bonuses order by created_ms desc, id limit $1`, [query.limit])
          : await db.query<BonusRow>(`select ${columns} from bonuses where status = $1 order by created_ms desc, id limit $2`, [query.status, query.limit]);
      return rows.map(toRecord);
    },
    async activeUsers() {
      return (await db.query<{ user_id: string }>("select distinct user_id from bonuses where status = 'active'")).map((r) => r.user_id);
    },
    async activate(id, nowMs) {
      await db.query("update bonuses set status = 'active', activated_ms = $2 where id = $1 and status = 'pending'", [id, nowMs]);
    },
    end: (id: string, status: BonusEnd, reason: string, nowMs: number) =>
      one(`update bonuses set status = $2, end_reason = $3, ended_ms = $4 where id = $1 and status = 'active' returning ${columns}`, [
        id,
        status,
        reason,
        nowMs,
      ]),
    async setClosing(id, amountMinor) {
      await db.query("update bonuses set closing_minor = $2 where id = $1 and closed_minor is null", [id, amountMinor]);
    },
    async close(id, amountMinor, nowMs) {
      await db.query("update bonuses set closed_minor = $2, closing_minor = null, closed_ms = $3 where id = $1 and closed_minor is null", [
        id,
        amountMinor,
        nowMs,
      ]);
    },
    async addWager(w: BonusWager) {
      // One statement: the wager is recorded once per (bonus, ref), and only a new record adds to the progress.
      const [row] = await db.query<{ wagered_minor: bigint; wagering_required_minor: bigint }>(
        `with counted as (
           insert into bonus_wagers (bonus_id, ref, game, stake_minor, counted_minor, reason, created_ms)
           select $1, $2, $3, $4, $5, $6, $7 where exists (select 1 from bonuses where id = $1 and status = 'active')
           on conflict do nothing returning counted_minor)
         update bonuses set wagered_minor = wagered_minor + coalesce((select sum(counted_minor) from counted), 0)
          where id = $1 and status = 'active' returning wagered_minor, wagering_required_minor`,
        [w.bonusId, w.ref, w.game, w.stakeMinor, w.countedMinor, w.reason, w.atMs],
      );
      return row === undefined ? null : { wageredMinor: row.wagered_minor, requiredMinor: row.wagering_required_minor };
    },
    async due(nowMs, limit) {
      return (
        await db.query<BonusRow>(
          `select ${columns} from bonuses
          where closed_minor is null and (status not in ('pending', 'active') or status = 'pending' or expires_ms <= $1 or wagered_minor >= wagering_required_minor)
          order by created_ms limit $2`,
          [nowMs, limit],
        )
      ).map(toRecord);
    },
  };
}
