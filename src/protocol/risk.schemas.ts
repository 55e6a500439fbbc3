import { Type, type Static } from "@sinclair/typebox";

/**
 * Wire schemas of the risk engine's operator API (docs/RISK.md, docs/PROTOCOL.md#risk): actions
 * with their evidence, a player's file, and limits on a player's play. Stakes are minor units as
 * decimal strings (a limit holds across currencies).
 */
const timestamp = Type.String({ format: "date-time" });
const minor = Type.String({ pattern: "^[1-9][0-9]{0,17}$", description: "minor units, decimal string" });
const reason = Type.String({ minLength: 1, maxLength: 500, description: "why: kept with the action and in the audit log" });
const actionKind = Type.Union([Type.Literal("alert"), Type.Literal("limit"), Type.Literal("lock")]);
const game = Type.String({ pattern: "^[a-z]{1,32}$", description: "a game kind: slots, roulette, live, blackjack, liveblackjack, holdem" });

export const RiskAction = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  rule: Type.String({ description: "the rule that fired, or `operator`" }),
  action: actionKind,
  evidence: Type.Record(Type.String(), Type.Unknown(), {
    description: "the numbers that made the rule fire, the player's features, the score's top features, linked accounts",
  }),
  score: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]),
  at: timestamp,
  reversed: Type.Union([Type.Object({ at: timestamp, by: Type.String(), reason: Type.String() }), Type.Null()]),
});
export type RiskAction = Static<typeof RiskAction>;

export const RiskActionPage = Type.Object({
  actions: Type.Array(RiskAction),
  next: Type.Union([Type.String({ description: "pass as `before` for the next page" }), Type.Null()]),
});
export type RiskActionPage = Static<typeof RiskActionPage>;

export const RiskActionQuery = Type.Object(
  {
    userId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    open: Type.Optional(Type.Union([Type.Literal("true"), Type.Literal("false")], { description: "true: only actions not reversed" })),
    action: Type.Optional(actionKind),
    before: Type.Optional(Type.String({ pattern: "^[1-9][0-9]{0,17}$" })),
    limit: Type.Optional(Type.String({ pattern: "^([1-9][0-9]?|1[0-9][0-9]|200)$", description: "1 to 200 (default 50)" })),
  },
  { additionalProperties: false },
);
export type RiskActionQuery = Static<typeof RiskActionQuery>;

export const RiskActionParams = Type.Object({ actionId: Type.String({ pattern: "^[1-9][0-9]{0,17}$" }) });
export type RiskActionParams = Static<typeof RiskActionParams>;

export const ReasonRequest = Type.Object({ reason }, { additionalProperties: false });
export type ReasonRequest = Static<typeof ReasonRequest>;

export const RiskLimit = Type.Object({
  userId: Type.String(),
  betsPerMinuteMax: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  stakeMinorMax: Type.Union([minor, Type.Null()]),
  gamesBlocked: Type.Array(Type.String()),
  setBy: Type.String(),
  reason: Type.String(),
  actionId: Type.Union([Type.String(), Type.Null()]),
  at: timestamp,
});
export type RiskLimit = Static<typeof RiskLimit>;

export const RiskLimitRequest = Type.Object(
  {
    betsPerMinuteMax: Type.Union([Type.Integer({ minimum: 0, maximum: 100_000 }), Type.Null()], {
      description: "bets a minute across all devices; 0 stops betting; null: no cap",
    }),
    stakeMinorMax: Type.Union([minor, Type.Null()], { description: "largest stake of one bet; null: no cap" }),
    gamesBlocked: Type.Array(game, { maxItems: 16, uniqueItems: true }),
    reason,
  },
  { additionalProperties: false },
);
export type RiskLimitRequest = Static<typeof RiskLimitRequest>;

const features = Type.Object({
  betsPerMinute: Type.Number(),
  microStakeShare: Type.Number(),
  devicesPerHour: Type.Number(),
  depositsPerHour: Type.Number(),
  withdrawalsPerDay: Type.Number(),
  linkedAccounts: Type.Number(),
});

export const PlayerRisk = Type.Object({
  userId: Type.String(),
  score: Type.Number({ minimum: 0, maximum: 1, description: "the model's estimate that this is abusive play; it informs, the rules decide" }),
  features,
  contributions: Type.Array(
    Type.Object({ feature: Type.String(), value: Type.Number(), contribution: Type.Number({ description: "its share of the score's log-odds" }) }),
  ),
  sessions: Type.Array(Type.Object({ id: Type.String(), deviceId: Type.String(), createdAt: timestamp, revokedAt: Type.Union([timestamp, Type.Null()]) })),
  linkedAccounts: Type.Array(Type.Object({ userId: Type.String(), deviceId: Type.String() })),
  recentBets: Type.Array(
    Type.Object({
      roundId: Type.String(),
      game: Type.String(),
      currency: Type.String(),
      stakeMinor: Type.String(),
      payoutMinor: Type.Union([Type.String(), Type.Null()]),
      at: timestamp,
    }),
  ),
  limit: Type.Union([RiskLimit, Type.Null()]),
  actions: Type.Array(RiskAction),
});
export type PlayerRisk = Static<typeof PlayerRisk>;

export const LimitCleared = Type.Object({ cleared: Type.Boolean() });
