import { Type, type Static } from "@sinclair/typebox";

/**
 * Wire schemas of the wallet and payments API. Every amount is a decimal string in the major unit of
 * its currency ("12.34" EUR is 1234 cents); ids of ledger rows are decimal strings too, as they are
 * 64-bit. Money-moving requests carry an `Idempotency-Key` header (idempotencyKeyPattern).
 */
export const idempotencyKeyPattern = "^[\\x21-\\x7E]{1,128}$";
export const idempotencyKeyHeader = "idempotency-key";
export const currencyPattern = "^[A-Z]{3}$";
export const cardTokenPattern = "^[A-Za-z0-9_.-]{8,512}$";
export const historyEntriesMax = 200;
/** `limit` of a listing: 1 to historyEntriesMax entries per page, 50 when absent. */
const pageLimit = Type.Optional(Type.String({ pattern: "^[1-9][0-9]{0,2}$", description: `1 to ${historyEntriesMax} (default 50)` }));

const currency = Type.String({ pattern: currencyPattern, description: "ISO 4217 code, e.g. EUR" });
const decimal = Type.String({ description: 'decimal string in the currency\'s major unit, e.g. "12.34"' });
const cardToken = Type.String({ pattern: cardTokenPattern, description: "a token from the payment provider, never a card number" });
/**
 * Accepts a number only so that the server can answer it with its own code
 * (CROUPIER_ERR_WALLET_AMOUNT_NOT_STRING) instead of a generic schema error.
 */
const amountInput = Type.Union([Type.String({ maxLength: 64 }), Type.Number()], { description: 'decimal string, e.g. "25.00"; a JSON number is refused' });
const timestamp = Type.String({ format: "date-time" });

export const WalletBalance = Type.Object({
  currency,
  purse: Type.Union([Type.Literal("cash"), Type.Literal("bonus"), Type.Literal("withdrawals_pending")]),
  balance: decimal,
  held: decimal,
  available: decimal,
});
export type WalletBalance = Static<typeof WalletBalance>;

export const WalletBalances = Type.Object({ balances: Type.Array(WalletBalance) });
export type WalletBalances = Static<typeof WalletBalances>;

export const HistoryQuery = Type.Object(
  {
    currency,
    purse: Type.Optional(Type.Union([Type.Literal("cash"), Type.Literal("bonus")])),
    before: Type.Optional(Type.String({ pattern: "^[1-9][0-9]{0,18}$", description: "nextCursor of the previous page" })),
    limit: Type.Optional(Type.String({ pattern: "^[1-9][0-9]{0,2}$", description: `entries per page, 1 to ${historyEntriesMax} (default 50)` })),
  },
  { additionalProperties: false },
);
export type HistoryQuery = Static<typeof HistoryQuery>;

export const HistoryEntry = Type.Object({
  id: Type.String({ description: "transfer id" }),
  kind: Type.String({ description: "bet_stake, bet_win, jackpot_win, deposit, withdrawal_request, ..." }),
  amount: Type.String({ description: "signed: positive credited this account, negative debited it" }),
  currency,
  reference: Type.String({ description: "round id for bets (game recall), deposit or withdrawal id for payments" }),
  holdId: Type.Union([Type.String(), Type.Null()]),
  createdAt: timestamp,
});
export type HistoryEntry = Static<typeof HistoryEntry>;

export const HistoryPage = Type.Object({
  entries: Type.Array(HistoryEntry),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: "pass as `before` for older entries; null on the last page" }),
});
export type HistoryPage = Static<typeof HistoryPage>;

export const DepositRequest = Type.Object(
  {
    amount: amountInput,
    currency,
    cardToken,
  },
  { additionalProperties: false },
);
export type DepositRequest = Static<typeof DepositRequest>;

export const Deposit = Type.Object({
  id: Type.String({ format: "uuid" }),
  status: Type.Union(
    ["pending", "confirmed", "credited", "declined", "failed"].map((s) => Type.Literal(s)),
    {
      description: "pending until the provider's webhook confirms it; credited once the ledger holds it",
    },
  ),
  amount: decimal,
  currency,
  card: Type.String({ description: 'masked label, e.g. "visa •••• 4242"' }),
  provider: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  createdAt: timestamp,
});
export type Deposit = Static<typeof Deposit>;

export const WithdrawalRequest = Type.Object(
  {
    amount: amountInput,
    currency,
    cardToken,
  },
  { additionalProperties: false },
);
export type WithdrawalRequest = Static<typeof WithdrawalRequest>;

export const withdrawalStatuses = ["requested", "pending", "refused", "approved", "paid", "rejected", "failed"] as const;
export type WithdrawalStatus = (typeof withdrawalStatuses)[number];

export const Withdrawal = Type.Object({
  id: Type.String({ format: "uuid" }),
  userId: Type.String(),
  status: Type.Union(withdrawalStatuses.map((s) => Type.Literal(s))),
  amount: decimal,
  currency,
  card: Type.String(),
  provider: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  decidedBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type Withdrawal = Static<typeof Withdrawal>;

export const WithdrawalList = Type.Object({
  withdrawals: Type.Array(Withdrawal),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type WithdrawalList = Static<typeof WithdrawalList>;

export const WithdrawalListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union(withdrawalStatuses.map((s) => Type.Literal(s)))),
    before: Type.Optional(Type.String({ pattern: "^[0-9]{1,19}$", description: "nextCursor of the previous page" })),
    limit: pageLimit,
  },
  { additionalProperties: false },
);
export type WithdrawalListQuery = Static<typeof WithdrawalListQuery>;

/** A deposit as operators list it: the player's as they see it, with whose it is. */
export const OperatorDeposit = Type.Object({ ...Deposit.properties, userId: Type.String() });
export type OperatorDeposit = Static<typeof OperatorDeposit>;

export const DepositList = Type.Object({
  deposits: Type.Array(OperatorDeposit),
  nextCursor: Type.Union([Type.String(), Type.Null()], { description: "pass as `before` for the next page; null on the last" }),
});
export type DepositList = Static<typeof DepositList>;

export const DepositListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal("pending"), Type.Literal("credited"), Type.Literal("declined"), Type.Literal("failed")])),
    userId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    before: Type.Optional(
      Type.String({ pattern: "^[0-9]{1,16}_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", description: "nextCursor of the previous page" }),
    ),
    limit: pageLimit,
  },
  { additionalProperties: false },
);
export type DepositListQuery = Static<typeof DepositListQuery>;

/** An outbox entry not yet delivered: an effect (hold, payout, release) or an event to publish. */
export const OutboxEntryView = Type.Object({
  id: Type.String({ pattern: "^[0-9]+$" }),
  kind: Type.String({ description: "withdrawal.hold, withdrawal.payout, withdrawal.release, event (payment events) or export (game and risk events)" }),
  subjectId: Type.String(),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: timestamp,
  nextAttemptAt: timestamp,
  parkedAt: Type.Union([timestamp, Type.Null()], { description: "when delivery gave up and left it to an operator" }),
});
export type OutboxEntryView = Static<typeof OutboxEntryView>;

export const OutboxList = Type.Object({ entries: Type.Array(OutboxEntryView) });
export type OutboxList = Static<typeof OutboxList>;

export const OutboxListQuery = Type.Object(
  {
    state: Type.Optional(Type.Union([Type.Literal("parked"), Type.Literal("waiting")], { description: "parked (default) or waiting" })),
    limit: pageLimit,
  },
  { additionalProperties: false },
);
export type OutboxListQuery = Static<typeof OutboxListQuery>;

export const OutboxIdParams = Type.Object({ id: Type.String({ pattern: "^[1-9][0-9]{0,17}$" }) }, { additionalProperties: false });
export type OutboxIdParams = Static<typeof OutboxIdParams>;

export const WithdrawalIdParams = Type.Object({ id: Type.String({ format: "uuid" }) });
export type WithdrawalIdParams = Static<typeof WithdrawalIdParams>;

/** `GET /v1/wallet/deposits/:id?waitMs=`: while the deposit is pending, wait up to this long for its outcome. */
export const DepositWaitQuery = Type.Object(
  {
    waitMs: Type.Optional(
      Type.String({
        pattern: "^(0|[1-9][0-9]{0,4})$",
        description: "0 to 30000: while the deposit is pending, answer as soon as it is credited or fails, or after this many ms (a long poll)",
      }),
    ),
  },
  { additionalProperties: false },
);
export type DepositWaitQuery = Static<typeof DepositWaitQuery>;

export const PlayerSearchQuery = Type.Object(
  {
    query: Type.String({ minLength: 1, maxLength: 128, description: "an exact user id, or the start of a username or email (any case)" }),
    limit: Type.Optional(Type.String({ pattern: "^([1-9][0-9]?|100)$", description: "1 to 100 (default 20)" })),
  },
  { additionalProperties: false },
);
export type PlayerSearchQuery = Static<typeof PlayerSearchQuery>;

export const PlayerIdParams = Type.Object({ userId: Type.String({ minLength: 1, maxLength: 128 }) });
export type PlayerIdParams = Static<typeof PlayerIdParams>;

export const LedgerCheckReport = Type.Object({
  ok: Type.Boolean(),
  currencies: Type.Array(Type.Object({ currency, debits: decimal, credits: decimal, balances: decimal })),
  accountsMismatched: Type.Integer(),
  heldMismatched: Type.Integer(),
  accountsNegative: Type.Integer(),
  transfersMismatched: Type.Integer(),
});
export type LedgerCheckReport = Static<typeof LedgerCheckReport>;

export const CardTokenRequest = Type.Object(
  {
    number: Type.String({ pattern: "^[0-9 ]{12,23}$", description: "test card number; only the sandbox provider ever sees it" }),
    expMonth: Type.Integer({ minimum: 1, maximum: 12 }),
    expYear: Type.Integer({ minimum: 2000, maximum: 2100 }),
    cvc: Type.Optional(Type.String({ pattern: "^[0-9]{3,4}$" })),
  },
  { additionalProperties: false },
);
export type CardTokenRequest = Static<typeof CardTokenRequest>;

export const CardToken = Type.Object({
  token: Type.String(),
  card: Type.String({ description: 'masked label, e.g. "visa •••• 4242"' }),
});
export type CardToken = Static<typeof CardToken>;

export const WebhookAck = Type.Object({ received: Type.Boolean(), outcome: Type.String() });
export type WebhookAck = Static<typeof WebhookAck>;
