import { Type, type Static } from "@sinclair/typebox";
import { cardTokenPattern, currencyPattern } from "./wallet.schemas.js";

/**
 * Wire schemas of responsible gaming (docs/RESPONSIBLE-GAMING.md, docs/PROTOCOL.md): a player's own
 * limits, time-outs and self-exclusions, and an operator's view, lock and unlock of an account.
 * Amounts are decimal strings of the currency's major unit, as in the wallet API.
 */
const currency = Type.String({ pattern: currencyPattern, description: "ISO 4217 code, e.g. EUR" });
const decimal = Type.String({ description: 'decimal string in the currency\'s major unit, e.g. "100.00"' });
const timestamp = Type.String({ format: "date-time" });

export const limitKindNames = ["deposit", "wager", "loss"] as const;
export const limitPeriodNames = ["day", "week", "month"] as const;
export const exclusionKindNames = ["time_out", "self_exclusion"] as const;

const limitKind = Type.Union(
  limitKindNames.map((k) => Type.Literal(k)),
  { description: "what the limit caps: deposit (money deposited), wager (stakes placed), loss (stakes placed less wins paid)" },
);
const limitPeriod = Type.Union(
  limitPeriodNames.map((p) => Type.Literal(p)),
  { description: "rolling window ending now: 24 hours, 7 days or 30 days" },
);

export const LimitRequest = Type.Object(
  {
    kind: limitKind,
    period: limitPeriod,
    currency,
    amount: Type.Union([Type.String({ maxLength: 64 }), Type.Number(), Type.Null()], {
      description: 'decimal string, e.g. "100.00"; null removes the limit (after the cooling-off); a JSON number is refused',
    }),
  },
  { additionalProperties: false },
);
export type LimitRequest = Static<typeof LimitRequest>;

export const Limit = Type.Object({
  kind: limitKind,
  period: limitPeriod,
  currency,
  amount: Type.Union([decimal, Type.Null()], { description: "the limit in force; null: none" }),
  pending: Type.Union([
    Type.Object({
      amount: Type.Union([decimal, Type.Null()], { description: "the limit once the cooling-off ends; null: removed" }),
      appliesAt: timestamp,
    }),
    Type.Null(),
  ]),
});
export type Limit = Static<typeof Limit>;

export const LimitChange = Type.Object({
  status: Type.Union([Type.Literal("applied"), Type.Literal("pending")], {
    description: "applied: in force now; pending: a loosening waiting for its cooling-off",
  }),
  limit: Limit,
});
export type LimitChange = Static<typeof LimitChange>;

export const ExclusionRequest = Type.Object(
  {
    kind: Type.Union(exclusionKindNames.map((k) => Type.Literal(k))),
    days: Type.Integer({ minimum: 1, maximum: 1_826, description: "time_out: 1 to 42; self_exclusion: 183 to 1826" }),
  },
  { additionalProperties: false },
);
export type ExclusionRequest = Static<typeof ExclusionRequest>;

export const Exclusion = Type.Object({
  kind: Type.Union(exclusionKindNames.map((k) => Type.Literal(k))),
  startedAt: timestamp,
  until: timestamp,
});
export type Exclusion = Static<typeof Exclusion>;

export const SessionLimit = Type.Object({
  minutes: Type.Union([Type.Integer(), Type.Null()], { description: "the longest a session may last now; null: no limit" }),
  pending: Type.Union([
    Type.Object({
      minutes: Type.Union([Type.Integer(), Type.Null()], { description: "the limit once the cooling-off ends; null: removed" }),
      appliesAt: timestamp,
    }),
    Type.Null(),
  ]),
});
export type SessionLimit = Static<typeof SessionLimit>;

export const SessionLimitRequest = Type.Object(
  {
    minutes: Type.Union([Type.Integer({ minimum: 5, maximum: 1_440 }), Type.Null()], {
      description: "5 to 1440 minutes; null removes the limit (after the cooling-off)",
    }),
  },
  { additionalProperties: false },
);
export type SessionLimitRequest = Static<typeof SessionLimitRequest>;

export const SessionLimitChange = Type.Object({
  status: Type.Union([Type.Literal("applied"), Type.Literal("pending")]),
  sessionLimit: SessionLimit,
});
export type SessionLimitChange = Static<typeof SessionLimitChange>;

export const Protection = Type.Object({
  userId: Type.String(),
  access: Type.Union([Type.Literal("open"), Type.Literal("excluded"), Type.Literal("locked")], {
    description:
      "open; excluded (time-out or self-exclusion running: no login, play or deposit; withdrawals go on); locked (by an operator: withdrawals held too)",
  }),
  exclusion: Type.Union([Exclusion, Type.Null()], { description: "the time-out or self-exclusion running now, if any" }),
  lock: Type.Union([Type.Object({ lockedAt: timestamp, lockedBy: Type.String(), reason: Type.String() }), Type.Null()]),
  limits: Type.Array(Limit),
  sessionLimit: SessionLimit,
});
export type Protection = Static<typeof Protection>;

export const LockRequest = Type.Object(
  {
    reason: Type.String({ minLength: 1, maxLength: 500, description: "why: kept in the audit log" }),
  },
  { additionalProperties: false },
);
export type LockRequest = Static<typeof LockRequest>;

export const ExcludedWithdrawalRequest = Type.Object(
  {
    login: Type.String({ minLength: 1, maxLength: 254, description: "username or email" }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
    amount: Type.Union([Type.String({ maxLength: 64 }), Type.Number()], { description: 'decimal string, e.g. "25.00"; a JSON number is refused' }),
    currency,
    cardToken: Type.Optional(Type.String({ pattern: cardTokenPattern, description: "default: the card of the player's latest credited deposit" })),
  },
  { additionalProperties: false },
);
export type ExcludedWithdrawalRequest = Static<typeof ExcludedWithdrawalRequest>;
