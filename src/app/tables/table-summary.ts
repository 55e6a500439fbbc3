import type { RoomLog, RoomSnapshot } from "../ports/room-log.js";
import { publicStateOf } from "../rooms/snapshot-envelope.js";

export type TableKind = "roulette" | "live" | "blackjack" | "liveblackjack" | "holdem";

export interface TableRef {
  readonly kind: TableKind;
  readonly tableId: string;
}

export interface TablePlayer {
  readonly seat: number | null;
  readonly userId: string;
  readonly stackMinor?: string;
}

/** What an operator sees of a table: read from its latest snapshot in the room log, so any node can answer. */
export interface TableSummary {
  readonly room: string;
  readonly kind: TableKind;
  readonly tableId: string;
  /** False until the table's room has been hosted once (nobody joined it yet). */
  readonly hosted: boolean;
  /** Closed tables finish the round in play and open no new one. */
  readonly open: boolean;
  /** The room log offset the summary was read at. */
  readonly offset: number;
  readonly roundId: string | null;
  readonly phase: string | null;
  readonly players: readonly TablePlayer[];
  /** Limits in minor units as decimal strings; their fields depend on the game. */
  readonly limits: Readonly<Record<string, unknown>> | null;
  readonly nextLimits: Readonly<Record<string, unknown>> | null;
  /** Live blackjack: the dealer on shift, and whether they stopped heartbeating. */
  readonly dealer?: { readonly userId: string | null; readonly absent: boolean };
}

type Public = Record<string, unknown>;
type Summary = Pick<TableSummary, "open" | "roundId" | "phase" | "players" | "limits" | "nextLimits" | "dealer">;

const record = (value: unknown): Record<string, unknown> | null =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

function limitsIn(pub: Public): Pick<TableSummary, "limits" | "nextLimits"> {
  return { limits: record(pub.limits), nextLimits: record(pub.nextLimits) };
}

function blackjack(pub: Public): Summary {
  const seats = Array.isArray(pub.seats) ? (pub.seats as (string | null)[]) : [];
  const live = record(pub.live);
  return {
    ...(live === null ? {} : { dealer: { userId: typeof live.dealer === "string" ? live.dealer : null, absent: live.dealerAbsent === true } }),
    open: pub.open !== false,
    roundId: typeof pub.roundId === "string" ? pub.roundId : null,
    phase: typeof pub.phase === "string" ? pub.phase : null,
    players: seats.flatMap((userId, seat) => (typeof userId === "string" ? [{ seat, userId }] : [])),
    ...limitsIn(pub),
  };
}

function holdem(pub: Public, tableId: string): Summary {
  const seats = Array.isArray(pub.seats) ? (pub.seats as ({ userId: string | null; stackMinor: string } | null)[]) : [];
  const phase = typeof pub.phase === "string" ? pub.phase : null;
  return {
    open: pub.open !== false,
    phase,
    roundId: phase !== null && phase !== "between_hands" && typeof pub.hand === "number" ? `${tableId}:hand:${pub.hand}` : null,
    players: seats.flatMap((s, seat) => (s !== null && typeof s.userId === "string" ? [{ seat, userId: s.userId, stackMinor: s.stackMinor }] : [])),
    ...limitsIn(pub),
  };
}

/** Roulette (and live) tables have no seats: the players are those with bets in the round in play. */
function roulette(pub: Public, snapshot: RoomSnapshot): Summary {
  const round = record(pub.round);
  return {
    open: pub.open !== false,
    roundId: typeof round?.id === "string" ? round.id : null,
    phase: typeof round?.phase === "string" ? round.phase : null,
    players: Object.keys(snapshot.private ?? {}).map((userId) => ({ seat: null, userId })),
    ...limitsIn(pub),
  };
}

export async function summarizeTable(log: RoomLog, table: TableRef): Promise<TableSummary> {
  const room = `${table.kind}:${table.tableId}`;
  const stored = await log.snapshot(room);
  const base = { room, kind: table.kind, tableId: table.tableId, offset: stored.offset };
  const pub = record(publicStateOf(stored.snapshot));
  if (stored.snapshot === null || pub === null)
    return { ...base, hosted: false, open: true, roundId: null, phase: null, players: [], limits: null, nextLimits: null };
  const summary =
    table.kind === "blackjack" || table.kind === "liveblackjack"
      ? blackjack(pub)
      : table.kind === "holdem"
        ? holdem(pub, table.tableId)
        : roulette(pub, stored.snapshot);
  return { ...base, hosted: true, ...summary };
}
