import { Type, type Static } from "@sinclair/typebox";

/** Operator table controls. Amounts are decimal strings of the table's currency; limits in summaries are minor units. */
export const TablePlayer = Type.Object({
  seat: Type.Union([Type.Integer(), Type.Null()]),
  userId: Type.String(),
  stackMinor: Type.Optional(Type.String()),
});

export const TableSummary = Type.Object({
  room: Type.String(),
  kind: Type.Union([Type.Literal("roulette"), Type.Literal("live"), Type.Literal("blackjack"), Type.Literal("liveblackjack"), Type.Literal("holdem")]),
  tableId: Type.String(),
  hosted: Type.Boolean({ description: "false until someone first joined the table's room" }),
  open: Type.Boolean(),
  offset: Type.Integer({ description: "room log offset the summary was read at" }),
  roundId: Type.Union([Type.String(), Type.Null()]),
  phase: Type.Union([Type.String(), Type.Null()]),
  players: Type.Array(TablePlayer),
  limits: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  nextLimits: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  dealer: Type.Optional(
    Type.Object(
      {
        userId: Type.Union([Type.String(), Type.Null()], { description: "the dealer on shift (who last took the table); null when none is" }),
        absent: Type.Boolean({ description: "the dealer stopped heartbeating; the hand waits for a replacement, then is voided" }),
      },
      { description: "live blackjack tables only" },
    ),
  ),
});
export type TableSummary = Static<typeof TableSummary>;

export const TableList = Type.Object({ tables: Type.Array(TableSummary) });

/** What every logged-in player sees of a table in the lobby: no user ids, only how many play. */
export const PublicTableSummary = Type.Object({
  room: Type.String(),
  kind: TableSummary.properties.kind,
  tableId: Type.String(),
  open: Type.Boolean(),
  roundId: Type.Union([Type.String(), Type.Null()]),
  phase: Type.Union([Type.String(), Type.Null()]),
  playersSeated: Type.Integer({ description: "seated players (roulette: players with bets in the round in play)" }),
  limits: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
});
export type PublicTableSummary = Static<typeof PublicTableSummary>;
export const PublicTableList = Type.Object({ tables: Type.Array(PublicTableSummary) });

export const TableRoomParams = Type.Object(
  { room: Type.String({ minLength: 3, maxLength: 80, pattern: "^[a-z]+:[A-Za-z0-9_.-]{1,64}$" }) },
  { additionalProperties: false },
);

const decimal = Type.String({ pattern: "^[0-9]{1,15}(\\.[0-9]{1,8})?$" });

/**
 * The action contract every table handles for operator and dealer actors. `table.limits` takes the
 * game's own fields: blackjack `betMin`/`betMax`; hold'em `smallBlind`/`bigBlind`/`buyInMin`/`buyInMax`;
 * roulette its own (see docs/GAMES.md). Limits apply from the next round.
 */
export const TableAction = Type.Object(
  {
    kind: Type.Union([
      Type.Literal("table.close"),
      Type.Literal("table.open"),
      Type.Literal("table.limits"),
      Type.Literal("round.void"),
      Type.Literal("dealer.assign"),
    ]),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    dealer: Type.Optional(
      Type.Union([Type.String({ minLength: 1, maxLength: 128 }), Type.Null()], {
        description: "dealer.assign (live blackjack): the dealer's user id, or null to free the table between hands",
      }),
    ),
    betMin: Type.Optional(decimal),
    betMax: Type.Optional(decimal),
    smallBlind: Type.Optional(decimal),
    bigBlind: Type.Optional(decimal),
    buyInMin: Type.Optional(decimal),
    buyInMax: Type.Optional(decimal),
  },
  { additionalProperties: true },
);
export type TableAction = Static<typeof TableAction>;

export const TableActionReply = Type.Object({
  room: Type.String(),
  actionId: Type.String(),
  status: Type.Union([Type.Literal("applied"), Type.Literal("duplicate")]),
  offset: Type.Integer(),
  result: Type.Optional(Type.Unknown()),
});
