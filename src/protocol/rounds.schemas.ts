import { Type, type Static } from "@sinclair/typebox";

/** Game recall: a round as its player or an operator may fetch it. Amounts are minor units as decimal strings. */
export const RecalledBet = Type.Object({
  betId: Type.String(),
  userId: Type.String(),
  currency: Type.String(),
  stakeMinor: Type.String(),
  payoutMinor: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Unknown(),
  placedAt: Type.String({ format: "date-time" }),
});

export const RecalledRound = Type.Object({
  roundId: Type.String(),
  tableId: Type.String(),
  game: Type.String(),
  status: Type.Union([Type.Literal("open"), Type.Literal("closed"), Type.Literal("settled"), Type.Literal("voided")]),
  outcome: Type.Unknown(),
  verification: Type.Unknown(),
  voidReason: Type.Union([Type.String(), Type.Null()]),
  openedAt: Type.String({ format: "date-time" }),
  closedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  settledAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  bets: Type.Array(RecalledBet),
});
export type RecalledRound = Static<typeof RecalledRound>;

export const RoundList = Type.Object({ rounds: Type.Array(RecalledRound), next: Type.Union([Type.String({ format: "date-time" }), Type.Null()]) });
export const RoundListQuery = Type.Object(
  {
    limit: Type.Optional(Type.String({ pattern: "^[1-9][0-9]{0,2}$" })),
    before: Type.Optional(Type.String({ format: "date-time" })),
  },
  { additionalProperties: false },
);
export const RoundParams = Type.Object({ roundId: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
