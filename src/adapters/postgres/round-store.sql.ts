import type { RecalledBet, RecalledRound, RoundRecord, RoundStore } from "../../app/ports/round-store.js";
import { inlineSql, type SqlDb, type SqlExecutor } from "./sql-db.js";
import { Batcher, type BatcherLimits } from "./ledger-batcher.js";
import { busyError } from "../../app/ports/failures.js";
import { roundEndedEvent, type EndedRound } from "../shared/exported-events.js";
import type { ExportedEvent } from "../../app/ports/event-export.js";
import { enqueueOutbox, enqueueOutboxSql, exportEntries } from "./outbox.sql.js";

interface RoundRow {
  revealed_seed?: string | null;
  id: string;
  table_id: string;
  game: string;
  status: RoundRecord["status"];
  outcome: unknown;
  verification: unknown;
  void_reason: string | null;
  opened_at: Date;
  closed_at: Date | null;
  settled_at: Date | null;
}
interface BetRow {
  round_id: string;
  bet_id: string;
  user_id: string;
  currency: string;
  stake: bigint;
  payout: bigint | null;
  detail: unknown;
  placed_at: Date;
}

type RoundBet = NonNullable<RoundRecord["bets"]>[number];

/** One row of `game_rounds` to upsert, merged from every record of that round in one batch. */
interface MergedRound {
  readonly roundId: string;
  readonly tableId: string;
  readonly game: string;
  status: RoundRecord["status"];
  readonly openedAtMs: number;
  closedAtMs: number | null;
  settledAtMs: number | null;
  outcome: unknown;
  verification: unknown;
  voidReason: string | null;
}

/**
 * Folds a batch's records into one row per round, as the records would leave it applied one after
 * another: the last status wins, the last outcome, verification and void reason given win, the
 * first close and the first settlement or void keep their time. Bets keep their first record (a
 * bet is never rewritten); payouts the last.
 */
export function mergeRoundRecords(records: readonly RoundRecord[]): {
  rounds: MergedRound[];
  bets: (RoundBet & { roundId: string })[];
  payouts: { roundId: string; betId: string; payoutMinor: string }[];
} {
  const rounds = new Map<string, MergedRound>();
  const bets = new Map<string, RoundBet & { roundId: string }>();
  const payouts = new Map<string, { roundId: string; betId: string; payoutMinor: string }>();
  for (const r of records) {
    const row = rounds.get(r.roundId) ?? {
      roundId: r.roundId,
      tableId: r.tableId,
      game: r.game,
      status: r.status,
      openedAtMs: r.atMs,
      closedAtMs: null,
      settledAtMs: null,
      outcome: null,
      verification: null,
      voidReason: null,
    };
    row.status = r.status;
    if (r.outcome !== undefined) row.outcome = r.outcome;
    if (r.verification !== undefined) row.verification = r.verification;
    if (r.voidReason !== undefined) row.voidReason = r.voidReason;
    if (r.status === "closed") row.closedAtMs ??= r.atMs;
    if (r.status === "settled" || r.status === "voided") row.settledAtMs ??= r.atMs;
    rounds.set(r.roundId, row);
    for (const b of r.bets ?? []) {
      const key = JSON.stringify([r.roundId, b.betId]);
      if (!bets.has(key)) bets.set(key, { ...b, roundId: r.roundId });
    }
    for (const p of r.payouts ?? []) payouts.set(JSON.stringify([r.roundId, p.betId]), { roundId: r.roundId, betId: p.betId, payoutMinor: p.payoutMinor });
  }
  return { rounds: [...rounds.values()], bets: [...bets.values()], payouts: [...payouts.values()] };
}

export interface SqlRoundStoreOptions extends BatcherLimits {
  /** Queue each settled or voided round's event in the outbox, in the transaction that ends it (docs/EVENTS.md). */
  readonly exportEvents: boolean;
}

export const sqlRoundStoreDefaults: SqlRoundStoreOptions = Object.freeze({
  batchOpsMax: 500,
  batchWaitMs: 2,
  batchesInFlightMax: 2,
  queueOpsMax: 50_000,
  exportEvents: false,
});

/**
 * Rounds are written at open, close (outcome and bets), and settlement or void (payouts). Every write
 * is an upsert keyed by round and bet, so an owner that repeats a step after a failover changes nothing.
 * Concurrent writes are coalesced: the records waiting when a batch starts are folded per round and
 * written set-wise in one transaction of three statements, and each caller is answered after its
 * commit. A slot spin writes its round once; a thousand players spinning share a few commits a
 * second rather than a few thousand. With `exportEvents`, a batch that ends rounds also reads them
 * back with all their bets and queues their events in the outbox, in the same transaction.
 */
export class SqlRoundStore implements RoundStore {
  private readonly batcher: Batcher<readonly RoundRecord[], void>;

  constructor(
    private readonly db: SqlDb,
    options: Partial<SqlRoundStoreOptions> = {},
  ) {
    const limits = { ...sqlRoundStoreDefaults, ...options };
    if (db.driver === "pglite") limits.batchesInFlightMax = 1;
    this.batcher = new Batcher<readonly RoundRecord[], void>(limits, async (groups) => {
      const records = groups.flat();
      await this.db.transaction(async (tx) => {
        await writeRounds(tx, records);
        if (limits.exportEvents) await enqueueOutbox(tx, exportEntries(await endedRounds(tx, records)), Math.max(...records.map((r) => r.atMs)));
      });
      return groups.map(() => undefined);
    });
  }

  async record(...records: RoundRecord[]): Promise<void> {
    const written = this.batcher.submit(records);
    // A full queue means the database is far behind: the caller's effect fails and is retried.
    if (written === null) throw busyError("round store queue is full");
    await written;
  }

  /** Writes what is queued, then refuses new records. */
  close(): Promise<void> {
    return this.batcher.close();
  }

  async revealSeed(serverSeedHash: string, serverSeed: string, at: Date): Promise<void> {
    await this.db.query(
      "insert into fair_seed_reveals (server_seed_hash, server_seed, revealed_at) values ($1, $2, $3) on conflict (server_seed_hash) do nothing",
      [serverSeedHash, serverSeed, at],
    );
  }

  async highestNonce(userId: string, serverSeedHash: string, since?: Date): Promise<number | null> {
    const [row] = await this.db.query<{ nonce: number | null }>(
      `select max((r.verification->>'nonce')::integer) as nonce from game_rounds r
       where r.id in (select round_id from game_bets where user_id = $1 and ($3::timestamptz is null or placed_at >= $3))
       and r.verification->>'serverSeedHash' = $2`,
      [userId, serverSeedHash, since ?? null],
    );
    return row?.nonce ?? null;
  }

  async unfinished(game: string, tableId: string, limit: number): Promise<readonly string[]> {
    return (
      await this.db.query<{ id: string }>(
        "select id from game_rounds where table_id = $1 and game = $2 and status in ('open', 'closed') order by opened_at limit $3",
        [tableId, game, limit],
      )
    ).map((row) => row.id);
  }

  async purgeEndedBefore(cutoff: Date, limit: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      const ids = (
        await tx.query<{ id: string }>("select id from game_rounds where opened_at < $1 and status in ('settled', 'voided') order by opened_at limit $2", [
          cutoff,
          limit,
        ])
      ).map((row) => row.id);
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
    return rounds.map((row) =>
      toRound(
        row,
        bets.filter((b) => b.round_id === row.id),
      ),
    );
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
    roundId: row.id,
    tableId: row.table_id,
    game: row.game,
    status: row.status,
    outcome: row.outcome,
    verification: withRevealedSeed(row.verification, row.revealed_seed),
    voidReason: row.void_reason,
    openedAt: new Date(row.opened_at),
    closedAt: row.closed_at && new Date(row.closed_at),
    settledAt: row.settled_at && new Date(row.settled_at),
    bets: bets.map((b): RecalledBet => ({
      betId: b.bet_id,
      userId: b.user_id,
      currency: b.currency,
      stakeMinor: b.stake,
      payoutMinor: b.payout,
      detail: b.detail,
      placedAt: new Date(b.placed_at),
    })),
  };
}

/**
 * Writes records set-wise, folded per round (see mergeRoundRecords), in one statement: rounds
 * upserted, new bets inserted with their payout when the batch holds it, and the payouts of bets
 * written earlier set. The ledger uses it for the rounds its operations carry.
 */
function roundsStatement(records: readonly RoundRecord[]): { readonly sql: string; readonly params: readonly unknown[] } {
  const { rounds, bets, payouts } = mergeRoundRecords(records);
  const at = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const payoutOf = new Map(payouts.map((p) => [JSON.stringify([p.roundId, p.betId]), p.payoutMinor]));
  // A payout whose bet is inserted by this statement goes in with it: the update below sees only
  // the rows that existed before the statement (one snapshot for every part of it).
  return {
    sql: `with rounds as (
       insert into game_rounds (id, table_id, game, status, outcome, verification, void_reason, opened_at, closed_at, settled_at)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[], $7::text[], $8::timestamptz[], $9::timestamptz[], $10::timestamptz[])
       on conflict (id) do update set
         status = excluded.status,
         outcome = coalesce(excluded.outcome, game_rounds.outcome),
         verification = coalesce(excluded.verification, game_rounds.verification),
         void_reason = coalesce(excluded.void_reason, game_rounds.void_reason),
         closed_at = coalesce(game_rounds.closed_at, excluded.closed_at),
         settled_at = coalesce(game_rounds.settled_at, excluded.settled_at)
     ), bets as (
       insert into game_bets (round_id, bet_id, user_id, currency, stake, detail, placed_at, payout)
       select * from unnest($11::text[], $12::text[], $13::text[], $14::text[], $15::int8[], $16::jsonb[], $17::timestamptz[], $18::int8[])
       on conflict (round_id, bet_id) do nothing
     )
     update game_bets g set payout = p.payout from unnest($19::text[], $20::text[], $21::int8[]) as p(round_id, bet_id, payout)
     where g.round_id = p.round_id and g.bet_id = p.bet_id`,
    params: [
      rounds.map((r) => r.roundId),
      rounds.map((r) => r.tableId),
      rounds.map((r) => r.game),
      rounds.map((r) => r.status),
      rounds.map((r) => (r.outcome === null ? null : JSON.stringify(r.outcome))),
      rounds.map((r) => (r.verification === null ? null : JSON.stringify(r.verification))),
      rounds.map((r) => r.voidReason),
      rounds.map((r) => at(r.openedAtMs)),
      rounds.map((r) => at(r.closedAtMs)),
      rounds.map((r) => at(r.settledAtMs)),
      bets.map((b) => b.roundId),
      bets.map((b) => b.betId),
      bets.map((b) => b.userId),
      bets.map((b) => b.currency),
      bets.map((b) => b.stakeMinor),
      bets.map((b) => JSON.stringify(b.detail)),
      bets.map((b) => new Date(b.placedAtMs).toISOString()),
      bets.map((b) => payoutOf.get(JSON.stringify([b.roundId, b.betId])) ?? null),
      payouts.map((p) => p.roundId),
      payouts.map((p) => p.betId),
      payouts.map((p) => p.payoutMinor),
    ],
  };
}

export async function writeRounds(tx: SqlExecutor, records: readonly RoundRecord[]): Promise<void> {
  const { sql, params } = roundsStatement(records);
  await tx.query(sql, params);
}

/** The same write with its values written in, to share a message with other statements (the ledger's commit). */
export function roundsSql(records: readonly RoundRecord[]): string {
  const { sql, params } = roundsStatement(records);
  return inlineSql(sql, params);
}

interface EndedRow {
  id: string;
  table_id: string;
  game: string;
  status: EndedRound["status"];
  outcome: unknown;
  void_reason: string | null;
  settled_at: Date;
  bets: EndedRound["bets"];
}

/** The events of the rounds `records` end, read back as written (every bet, its payout), in this transaction. */
async function endedRounds(tx: SqlExecutor, records: readonly RoundRecord[]): Promise<ExportedEvent[]> {
  const ids = [...new Set(records.filter((r) => r.status === "settled" || r.status === "voided").map((r) => r.roundId))];
  if (ids.length === 0) return [];
  const rows = await tx.query<EndedRow>(
    `select r.id, r.table_id, r.game, r.status, r.outcome, r.void_reason, r.settled_at,
       coalesce((select json_agg(json_build_object('betId', b.bet_id, 'userId', b.user_id, 'currency', b.currency, 'stakeMinor', b.stake::text, 'payoutMinor', b.payout::text)
         order by b.placed_at, b.bet_id) from game_bets b where b.round_id = r.id), '[]'::json) as bets
     from game_rounds r where r.id = any($1::text[]) and r.status in ('settled', 'voided') order by r.id`,
    [ids],
  );
  return rows.map((r) =>
    roundEndedEvent({
      roundId: r.id,
      tableId: r.table_id,
      game: r.game,
      status: r.status,
      outcome: r.outcome,
      voidReason: r.void_reason,
      atMs: new Date(r.settled_at).getTime(),
      bets: r.bets,
    }),
  );
}

/**
 * The outbox insert of the events of the rounds `records` end, built from the records alone: for a
 * ledger batch, whose rounds (slot spins) are recorded whole, bets and payouts, in the spin's own
 * transaction. Inlined to share the commit's message; null when no round ends.
 */
export function roundExportsSql(records: readonly RoundRecord[]): string | null {
  const { rounds, bets, payouts } = mergeRoundRecords(records);
  const payoutOf = new Map(payouts.map((p) => [JSON.stringify([p.roundId, p.betId]), p.payoutMinor]));
  const betsOf = new Map<string, EndedRound["bets"][number][]>();
  for (const b of bets) {
    const list = betsOf.get(b.roundId) ?? [];
    list.push({ ...b, payoutMinor: payoutOf.get(JSON.stringify([b.roundId, b.betId])) ?? null });
    betsOf.set(b.roundId, list);
  }
  const events = rounds.flatMap((r) =>
    r.status !== "settled" && r.status !== "voided"
      ? []
      : [
          roundEndedEvent({
            roundId: r.roundId,
            tableId: r.tableId,
            game: r.game,
            status: r.status,
            outcome: r.outcome,
            voidReason: r.voidReason,
            atMs: r.settledAtMs ?? r.openedAtMs,
            bets: betsOf.get(r.roundId) ?? [],
          }),
        ],
  );
  return enqueueOutboxSql(exportEntries(events), Math.max(...records.map((r) => r.atMs)));
}
