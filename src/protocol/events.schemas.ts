import { Type, type Static } from "@sinclair/typebox";

/**
 * Events exported to the analytics stream (docs/EVENTS.md, generated from these definitions). Each is
 * published after the commit that decided it, at least once, with a stable `id` to deduplicate on.
 */
export const paymentEventTypes = ["deposit.credited", "withdrawal.requested", "withdrawal.paid", "withdrawal.failed", "withdrawal.rejected"] as const;

export const PaymentExportEvent = Type.Object(
  {
    id: Type.String({ description: "stable id: `<type>:<deposit or withdrawal id>`; the same effect always has the same id" }),
    type: Type.Union(
      paymentEventTypes.map((t) => Type.Literal(t)),
      { description: "what happened" },
    ),
    subjectId: Type.String({ description: "the deposit's or withdrawal's id" }),
    userId: Type.String({ description: "the player" }),
    currency: Type.String({ pattern: "^[A-Z]{3}$", description: "ISO 4217 code" }),
    amount: Type.String({ pattern: "^\\d+(\\.\\d+)?$", description: 'decimal amount in the currency\'s major unit ("25.00")' }),
    atMs: Type.Integer({ description: "when the decision was committed (Unix ms, server clock)" }),
  },
  { $id: "croupier.events.payment", additionalProperties: false, title: "PaymentExportEvent" },
);
export type PaymentExportEvent = Static<typeof PaymentExportEvent>;

export const roundEventTypes = ["round.settled", "round.voided"] as const;

const minorUnits = (description: string) => Type.String({ pattern: "^\\d+$", description });

export const RoundExportEvent = Type.Object(
  {
    id: Type.String({ description: "stable id: `<type>:<round id>`; a round ends once, so it has one such event however often it is written" }),
    type: Type.Union(
      roundEventTypes.map((t) => Type.Literal(t)),
      { description: "how the round ended: settled (paid) or voided (every stake returned)" },
    ),
    roundId: Type.String({ description: "the round's id, as in game recall (`GET /api/rounds/{roundId}`)" }),
    tableId: Type.String({ description: "the table, or the slot machine's game id" }),
    game: Type.String({ description: "the game, e.g. roulette, blackjack, holdem, slots" }),
    outcome: Type.Unknown({ description: "the game's outcome as game recall shows it (a roulette number, the cards, a slot grid); null if none was recorded" }),
    voidReason: Type.Union([Type.String(), Type.Null()], { description: "why the round was voided; null when settled" }),
    bets: Type.Array(
      Type.Object(
        {
          betId: Type.String({ description: "the bet, unique within its round" }),
          userId: Type.String({ description: "the player" }),
          currency: Type.String({ pattern: "^[A-Z]{3}$", description: "ISO 4217 code" }),
          stakeMinor: minorUnits("the stake, in minor units (cents), as an integer string"),
          payoutMinor: minorUnits('what the bet returned, stake included, in minor units ("0" for a lost bet; the stake for a voided round)'),
        },
        { additionalProperties: false },
      ),
      { description: "every bet of the round, in the order placed" },
    ),
    atMs: Type.Integer({ description: "when the round was settled or voided (Unix ms, server clock)" }),
  },
  { $id: "croupier.events.round", additionalProperties: false, title: "RoundExportEvent" },
);
export type RoundExportEvent = Static<typeof RoundExportEvent>;

export const riskEventTypes = ["risk.action"] as const;
export const riskExportActions = ["alert", "limit", "lock", "reverse"] as const;

export const RiskExportEvent = Type.Object(
  {
    id: Type.String({ description: "stable id: `risk.action:<action id>` for an action, `risk.action:<action id>:reverse` for its reversal" }),
    type: Type.Union(
      riskEventTypes.map((t) => Type.Literal(t)),
      { description: "what happened" },
    ),
    actionId: Type.String({ description: "the risk action's id (the reversed action's for a reversal), as in the console's risk actions" }),
    action: Type.Union(
      riskExportActions.map((a) => Type.Literal(a)),
      { description: "alert, limit or lock taken on the player, or the reversal of one" },
    ),
    userId: Type.String({ description: "the player" }),
    rule: Type.String({ description: "the rule that fired, or `operator` for an operator's action" }),
    evidence: Type.Record(Type.String(), Type.Unknown(), { description: "what the rule saw (or the operator's note), as recorded with the action" }),
    score: Type.Union([Type.Number(), Type.Null()], { description: "the player's risk score, 0..1, when the action was taken; null if none was computed" }),
    by: Type.Union([Type.String(), Type.Null()], { description: "who reversed the action (a reversal); null for an action" }),
    reason: Type.Union([Type.String(), Type.Null()], { description: "why the action was reversed (a reversal); null for an action" }),
    atMs: Type.Integer({ description: "when the action was taken or reversed (Unix ms, server clock)" }),
  },
  { $id: "croupier.events.risk", additionalProperties: false, title: "RiskExportEvent" },
);
export type RiskExportEvent = Static<typeof RiskExportEvent>;
