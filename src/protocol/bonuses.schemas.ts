import { Type, type Static } from "@sinclair/typebox";

/**
 * Wire schemas of bonuses (docs/BONUSES.md). Amounts are decimal strings in the currency's major
 * unit, like the wallet's; game weights are percent of a stake that counts towards wagering.
 */
const currency = Type.String({ pattern: "^[A-Z]{3}$", description: "ISO 4217 code, e.g. EUR" });
const decimal = Type.String({ description: 'decimal string in the currency\'s major unit, e.g. "12.34"' });
const timestamp = Type.String({ format: "date-time" });
const nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const bonusStatusValues = ["pending", "active", "converted", "expired", "cancelled"] as const;
const status = Type.Union(
  bonusStatusValues.map((s) => Type.Literal(s)),
  { description: "pending: being granted; active: bettable and wagering; converted, expired, cancelled: ended" },
);

export const Bonus = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  kind: Type.Union([Type.Literal("welcome"), Type.Literal("manual")]),
  status,
  currency,
  amount: decimal,
  balance: Type.Union([decimal, Type.Null()], { description: "the bonus purse while the bonus is open (its stakes held included); null once closed" }),
  held: Type.Union([decimal, Type.Null()], { description: "stakes held on the bonus purse, not yet settled" }),
  wageringRequired: decimal,
  wagered: decimal,
  progressPercent: Type.Integer({ minimum: 0, maximum: 100 }),
  maxBet: decimal,
  gameWeights: Type.Record(Type.String(), Type.Integer(), { description: "percent of a stake that counts towards wagering, per game" }),
  expiresAt: timestamp,
  grantedBy: Type.String(),
  createdAt: timestamp,
  endedAt: nullable(timestamp),
  endReason: nullable(Type.String()),
  closedAmount: Type.Union([decimal, Type.Null()], {
    description: "what the bonus's last step moved: to cash when converted, to the house when expired or cancelled; null until done",
  }),
});
export type Bonus = Static<typeof Bonus>;

export const BonusList = Type.Object({ bonuses: Type.Array(Bonus) });
export type BonusList = Static<typeof BonusList>;

export const BonusGrantRequest = Type.Object(
  {
    amount: Type.String({ maxLength: 64, description: 'decimal string, e.g. "20.00"' }),
    currency,
    wageringMultiplier: Type.Integer({ minimum: 0, maximum: 200, description: "wagering required = amount × this" }),
    maxBet: Type.String({ maxLength: 64, description: "largest stake while wagering, decimal string" }),
    days: Type.Integer({ minimum: 1, maximum: 365, description: "days until it expires" }),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type BonusGrantRequest = Static<typeof BonusGrantRequest>;

export const BonusCancelRequest = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });
export type BonusCancelRequest = Static<typeof BonusCancelRequest>;

export const BonusIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export type BonusIdParams = Static<typeof BonusIdParams>;

export const BonusListQuery = Type.Object(
  {
    status: Type.Optional(status),
    limit: Type.Optional(Type.String({ pattern: "^[1-9][0-9]{0,2}$", description: "1 to 200 (default 50)" })),
  },
  { additionalProperties: false },
);
export type BonusListQuery = Static<typeof BonusListQuery>;
