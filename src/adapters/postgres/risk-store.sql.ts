import type { RiskAction, RiskActionQuery, RiskLimit, RiskProfile, RiskStore } from "../../app/ports/risk-store.js";
import type { RiskActionKind, RuleHistory } from "../../engine/risk/index.js";
import { riskActionEvent } from "../shared/exported-events.js";
import { enqueueOutbox, exportEntries } from "./outbox.sql.js";
import type { SqlDb, SqlExecutor } from "./sql-db.js";

interface ActionRow {
  id: bigint;
  user_id: string;
  rule: string;
  action: RiskActionKind;
  evidence: Record<string, unknown>;
  score: number | null;
  created_ms: bigint;
  reversed_ms: bigint | null;
  reversed_by: string | null;
  reversed_reason: string | null;
}
interface LimitRow {
  user_id: string;
  bets_per_minute_max: number | null;
  stake_minor_max: bigint | null;
  games_blocked: string[];
  set_by: string;
  reason: string;
  action_id: bigint | null;
  updated_ms: bigint;
}

const actionColumns = "id, user_id, rule, action, evidence, score, created_ms, reversed_ms, reversed_by, reversed_reason";
const limitColumns = "user_id, bets_per_minute_max, stake_minor_max, games_blocked, set_by, reason, action_id, updated_ms";
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const idPattern = /^[1-9][0-9]{0,17}$/;

const toAction = (r: ActionRow): RiskAction => ({
  id: r.id.toString(),
  userId: r.user_id,
  rule: r.rule,
  action: r.action,
  evidence: r.evidence,
  score: r.score,
  atMs: Number(r.created_ms),
  reversed: r.reversed_ms === null || r.reversed_by === null ? null : { atMs: Number(r.reversed_ms), by: r.reversed_by, reason: r.reversed_reason ?? "" },
});

const toLimit = (r: LimitRow): RiskLimit => ({
  userId: r.user_id,
  betsPerMinuteMax: r.bets_per_minute_max,
  stakeMinorMax: r.stake_minor_max,
  gamesBlocked: r.games_blocked,
  setBy: r.set_by,
  reason: r.reason,
  actionId: r.action_id === null ? null : r.action_id.toString(),
  atMs: Number(r.updated_ms),
});

/**
 * The risk engine's actions and limits, and an operator's view of a player, on PostgreSQL or PGlite.
 * With `exportEvents`, each action and each reversal queues its `risk.action` event in the outbox in
 * the same transaction (docs/EVENTS.md).
 */
export class SqlRiskStore implements RiskStore {
  constructor(
    private readonly db: SqlDb,
    private readonly options: { readonly exportEvents: boolean } = { exportEvents: false },
  ) {}

  async recordAction(input: Omit<RiskAction, "id" | "reversed">): Promise<RiskAction> {
    return this.writing(async (tx) => {
      const [row] = await tx.query<ActionRow>(
        `insert into risk_actions (user_id, rule, action, evidence, score, created_ms) values ($1, $2, $3, $4::jsonb, $5, $6) returning ${actionColumns}`,
        [input.userId, input.rule, input.action, JSON.stringify(input.evidence), input.score, input.atMs],
      );
      const action = toAction(row as ActionRow);
      if (this.options.exportEvents) await enqueueOutbox(tx, exportEntries([riskActionEvent(action)]), action.atMs);
      return action;
    });
  }

  async actions(query: RiskActionQuery): Promise<readonly RiskAction[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.userId !== undefined) {
      if (!uuidPattern.test(query.userId)) return [];
      params.push(query.userId);
      where.push(`user_id = $${params.length}`);
    }
    if (query.open === true) where.push("reversed_ms is null");
    if (query.action !== undefined) {
      params.push(query.action);
      where.push(`action = $${params.length}`);
    }
    if (query.beforeId !== undefined && idPattern.test(query.beforeId)) {
      params.push(query.beforeId);
      where.push(`id < $${params.length}::int8`);
    }
    params.push(query.limit);
    const rows = await this.db.query<ActionRow>(
      `select ${actionColumns} from risk_actions ${where.length === 0 ? "" : `where ${where.join(" and ")}`} order by id desc limit $${params.length}`,
      params,
    );
    return rows.map(toAction);
  }

  async action(id: string): Promise<RiskAction | null> {
    if (!idPattern.test(id)) return null;
    const [row] = await this.db.query<ActionRow>(`select ${actionColumns} from risk_actions where id = $1::int8`, [id]);
    return row === undefined ? null : toAction(row);
  }

  async history(userId: string, rule: string, sinceMs: number): Promise<RuleHistory> {
    const [row] = await this.db.query<{ steps: number; last_ms: bigint | null; reversed_ms: bigint | null }>(
      `select count(*) filter (where reversed_ms is null)::int as steps, max(created_ms) filter (where reversed_ms is null) as last_ms,
          max(reversed_ms) as reversed_ms
        from risk_actions where user_id = $1 and rule = $2 and created_ms > $3::int8`,
      [userId, rule, sinceMs],
    );
    const ms = (value: bigint | null | undefined): number => (value === null || value === undefined ? 0 : Number(value));
    return { stepsTaken: row?.steps ?? 0, lastStepMs: ms(row?.last_ms), lastReversedMs: ms(row?.reversed_ms) };
  }

  async reverse(id: string, by: string, reason: string, atMs: number): Promise<RiskAction | null> {
    if (!idPattern.test(id)) return null;
    await this.writing(async (tx) => {
      const [row] = await tx.query<ActionRow>(
        `update risk_actions set reversed_ms = $2, reversed_by = $3, reversed_reason = $4 where id = $1::int8 and reversed_ms is null returning ${actionColumns}`,
        [id, atMs, by, reason],
      );
      // Only the reversal that took effect: a repeated one changed nothing and exports nothing.
      const reversed = row === undefined ? null : toAction(row);
      if (this.options.exportEvents && reversed?.reversed) await enqueueOutbox(tx, exportEntries([riskActionEvent(reversed, reversed.reversed)]), atMs);
    });
    return this.action(id);
  }

  /** A write and the event it queues in one transaction; without export, the one statement alone. */
  private writing<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.options.exportEvents ? this.db.transaction(work) : work(this.db);
  }

  async setLimit(limit: RiskLimit): Promise<void> {
    await this.db.query(
      `insert into risk_limits (${limitColumns}) values ($1, $2, $3, $4::text[], $5, $6, $7::int8, $8)
       on conflict (user_id) do update set bets_per_minute_max = excluded.bets_per_minute_max, stake_minor_max = excluded.stake_minor_max,
         games_blocked = excluded.games_blocked, set_by = excluded.set_by, reason = excluded.reason, action_id = excluded.action_id, updated_ms = excluded.updated_ms`,
      [limit.userId, limit.betsPerMinuteMax, limit.stakeMinorMax, limit.gamesBlocked, limit.setBy, limit.reason, limit.actionId, limit.atMs],
    );
  }

  async clearLimit(userId: string, onlyActionId?: string): Promise<boolean> {
    if (!uuidPattern.test(userId)) return false;
    const rows =
      onlyActionId === undefined
        ? await this.db.query("delete from risk_limits where user_id = $1 returning user_id", [userId])
        : await this.db.query("delete from risk_limits where user_id = $1 and action_id = $2::int8 returning user_id", [userId, onlyActionId]);
    return rows.length > 0;
  }

  async limit(userId: string): Promise<RiskLimit | null> {
    if (!uuidPattern.test(userId)) return null;
    const [row] = await this.db.query<LimitRow>(`select ${limitColumns} from risk_limits where user_id = $1`, [userId]);
    return row === undefined ? null : toLimit(row);
  }

  async limits(): Promise<readonly RiskLimit[]> {
    return (await this.db.query<LimitRow>(`select ${limitColumns} from risk_limits`)).map(toLimit);
  }

  async userExists(userId: string): Promise<boolean> {
    if (!uuidPattern.test(userId)) return false;
    return (await this.db.query("select 1 from users where id = $1", [userId])).length > 0;
  }

  async profile(userId: string, nowMs: number, microStakeMinorMax: bigint): Promise<RiskProfile> {
    const day = new Date(nowMs - 24 * 3_600_000);
    const sessions = await this.db.query<{ id: string; device_id: string; created_at: Date; revoked_at: Date | null }>(
      "select id, device_id, created_at, revoked_at from sessions where user_id = $1 order by created_at desc limit 20",
      [userId],
    );
    const linked = await this.db.query<{ user_id: string; device_id: string }>(
      `select distinct other.user_id, other.device_id from sessions own join sessions other on other.device_id = own.device_id and other.user_id <> own.user_id
        where own.user_id = $1 and own.created_at > $2 and other.created_at > $2 order by other.user_id limit 50`,
      [userId, day],
    );
    const bets = await this.db.query<{ round_id: string; game: string; currency: string; stake: bigint; payout: bigint | null; placed_at: Date }>(
      `select b.round_id, r.game, b.currency, b.stake, b.payout, b.placed_at from game_bets b join game_rounds r on r.id = b.round_id
        where b.user_id = $1 order by b.placed_at desc limit 20`,
      [userId],
    );
    const [counts] = await this.db.query<{ bets: number; micro: number; devices: number; deposits: number; withdrawals: number }>(
      `select (select count(*)::int from game_bets where user_id = $1::text and placed_at > $2) as bets,
              (select count(*)::int from game_bets where user_id = $1::text and placed_at > $2 and stake <= $3::int8) as micro,
              (select count(distinct device_id)::int from sessions where user_id = $1::uuid and created_at > $4) as devices,
              (select count(*)::int from payments_deposits where user_id = $1::text and created_ms > $5::int8) as deposits,
              (select count(*)::int from payments_withdrawals where user_id = $1::text and created_ms > $6::int8) as withdrawals`,
      [userId, new Date(nowMs - 60_000), microStakeMinorMax, new Date(nowMs - 3_600_000), nowMs - 3_600_000, nowMs - 24 * 3_600_000],
    );
    return {
      sessions: sessions.map((s) => ({
        id: s.id,
        deviceId: s.device_id,
        createdMs: s.created_at.getTime(),
        revokedMs: s.revoked_at === null ? null : s.revoked_at.getTime(),
      })),
      linkedAccounts: linked.map((l) => ({ userId: l.user_id, deviceId: l.device_id })),
      recentBets: bets.map((b) => ({
        roundId: b.round_id,
        game: b.game,
        currency: b.currency,
        stakeMinor: b.stake,
        payoutMinor: b.payout,
        atMs: b.placed_at.getTime(),
      })),
      betsLastMinute: counts?.bets ?? 0,
      microBetsLastMinute: counts?.micro ?? 0,
      devicesLastHour: counts?.devices ?? 0,
      depositsLastHour: counts?.deposits ?? 0,
      withdrawalsLastDay: counts?.withdrawals ?? 0,
    };
  }
}
