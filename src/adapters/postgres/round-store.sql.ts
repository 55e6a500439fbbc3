import type { RecalledBet, RecalledRound, RoundStore } from "../../app/ports/round-store.js";
import type { RoundRecord } from "../../app/tables/table-effects.js";
import type { SqlDb } from "./sql-db.js";

interface RoundRow { revealed_seed?: string | null; id: string; table_id: string; game: string; status: RoundRecord["status"]; outcome: unknown; verification: unknown; void_reason: string | null; opened_at: Date; closed_at: Date | null; settled_at: Date | null }
interface BetRow { round_id: string; bet_id: string; user_id: string; currency: string; stake: bigint; payout: bigint | null; detail: unknown; placed_at: Date }

/**
 * Rounds are written at open, close (outcome and bets), and settlement or void (payouts). Every write
 * is an upsert keyed by round and bet, so an owner that repeats a step after a failover changes nothing.
 */
export class SqlRoundStore implements RoundStore {
  constructor(private readonly db: SqlDb) {}

  async record(r: RoundRecord): Promise<void> {
    const at = new Date(r.atMs);
    await this.db.transaction(async (tx) => {
      await tx.query(
        `insert into game_rounds (id, table_id, game, status, outcome, verification, void_reason, opened_at, closed_at, settled_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         on conflict (id) do update set
           status = excluded.status,
           outcome = coalesce(excluded.outcome, game_rounds.outcome),
           verification = coalesce(excluded.verification, game_rounds.verification),
           void_reason = coalesce(excluded.void_reason, game_rounds.void_reason),
           closed_at = coalesce(game_rounds.closed_at, excluded.closed_at),
           settled_at = coalesce(game_rounds.settled_at, excluded.settled_at)`,
        [r.roundId, r.tableId, r.game, r.status, r.outcome === undefined ? null : JSON.stringify(r.outcome), r.verification === undefined ? null : JSON.stringify(r.verification),
          r.voidReason ?? null, at, r.status === "closed" ? at : null, r.status === "settled" || r.status === "voided" ? at : null],
      );
      if (r.bets !== undefined && r.bets.length > 0) {
        await tx.query(
          `insert into game_bets (round_id, bet_id, user_id, currency, stake, detail, placed_at)
           select $1, b.bet_id, b.user_id, b.currency, b.stake, b.detail, b.placed_at
           from unnest($2::text[], $3::text[], $4::text[], $5::int8[], $6::jsonb[], $7::timestamptz[]) as b(bet_id, user_id, currency, stake, detail, placed_at)
           on conflict (round_id, bet_id) do nothing`,
          [r.roundId, r.bets.map((b) => b.betId), r.bets.map((b) => b.userId), r.bets.map((b) => b.currency), r.bets.map((b) => b.stakeMinor),
            r.bets.map((b) => JSON.stringify(b.detail)), r.bets.map((b) => new Date(b.placedAtMs))],
        );
      }
      if (r.payouts !== undefined && r.payouts.length > 0) {
        await tx.query(
          `update game_bets g set payout = p.payout from unnest($2::text[], $3::int8[]) as p(bet_id, payout)
           where g.round_id = $1 and g.bet_id = p.bet_id`,
          [r.roundId, r.payouts.map((p) => p.betId), r.payouts.map((p) => p.payoutMinor)],
        );
      }
    });
  }

  async revealSeed(serverSeedHash: string, serverSeed: string, at: Date): Promise<void> {
    await this.db.query("insert into fair_seed_reveals (server_seed_hash, server_seed, revealed_at) values ($1, $2, $3) on conflict (server_seed_hash) do nothing", [serverSeedHash, serverSeed, at]);
  }

  async purgeEndedBefore(cutoff: Date, limit: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      const ids = (await tx.query<{ id: string }>(
        "select id from game_rounds where opened_at < $1 and status in ('settled', 'voided') order by opened_at limit $2", [cutoff, limit])).map((row) => row.id);
      if (ids.length === 0) return 0;
      await tx.query("delete from game_bets where round_id = any($1::text[])", [ids]);
      await tx.query("delete from game_rounds where id = any($1::text[])", [ids]);
      return ids.length;
    });
  }

  async find(roundId: string): Promise<RecalledRound | null> {
    const rounds = await this.db.query<RoundRow>(`${selectRounds} where r.id = $1`, [roundId]);
    const row = rounds[0];
    if (row === undefined) return null;
    const bets = await this.db.query<BetRow>("select * from game_bets where round_id = $1 order by placed_at, bet_id", [roundId]);
    return toRound(row, bets);
  }

  async listForUser(userId: string, limit: number, before?: Date): Promise<readonly RecalledRound[]> {
    const rounds = await this.db.query<RoundRow>(
      `${selectRounds} where r.id in (select distinct round_id from game_bets where user_id = $1)
       and ($3::timestamptz is null or r.opened_at < $3) order by r.opened_at desc limit $2`,
      [userId, limit, before ?? null],
    );
    if (rounds.length === 0) return [];
    const bets = await this.db.query<BetRow>("select * from game_bets where round_id = any($1::text[]) order by placed_at, bet_id", [rounds.map((r) => r.id)]);
    return rounds.map((row) => toRound(row, bets.filter((b) => b.round_id === row.id)));
  }
}

/** A round with the server seed revealed since it was recorded, if any (see `revealSeed`). */
const selectRounds = `select r.*, s.server_seed as revealed_seed from game_rounds r
  left join fair_seed_reveals s on s.server_seed_hash = r.verification->>'serverSeedHash'`;

function withRevealedSeed(verification: unknown, seed: string | null | undefined): unknown {
  if (typeof seed !== "string" || typeof verification !== "object" || verification === null) return verification;
  const v = verification as { serverSeed?: unknown };
  return typeof v.serverSeed === "string" ? verification : { ...verification, serverSeed: seed };
}

function toRound(row: RoundRow, bets: readonly BetRow[]): RecalledRound {
  return {
    roundId: row.id, tableId: row.table_id, game: row.game, status: row.status, outcome: row.outcome, verification: withRevealedSeed(row.verification, row.revealed_seed), voidReason: row.void_reason,
    openedAt: new Date(row.opened_at), closedAt: row.closed_at && new Date(row.closed_at), settledAt: row.settled_at && new Date(row.settled_at),
    bets: bets.map((b): RecalledBet => ({ betId: b.bet_id, userId: b.user_id, currency: b.currency, stakeMinor: b.stake, payoutMinor: b.payout, detail: b.detail, placedAt: new Date(b.placed_at) })),
  };
}
