/**
 * The registry of every error a client can see. Codes are stable: never renumbered, never reused.
 * docs/ERRORS.md lists exactly these (test/protocol/errors-doc.test.ts fails when they disagree).
 * Every error response carries { code, message, requestId }.
 */
export interface ErrorSpec {
  readonly code: string;
  readonly httpStatus: number;
  readonly message: string;
}

function define<const T extends Record<string, Omit<ErrorSpec, "code">>>(
  specs: T,
): { readonly [K in keyof T]: ErrorSpec & { code: `CROUPIER_ERR_${K & string}` } } {
  const out: Record<string, ErrorSpec> = {};
  for (const [name, spec] of Object.entries(specs)) out[name] = Object.freeze({ code: `CROUPIER_ERR_${name}`, ...spec });
  return Object.freeze(out) as never;
}

export const errors = define({
  REQUEST_MALFORMED_JSON: { httpStatus: 400, message: "The request body is not valid JSON." },
  REQUEST_INVALID: { httpStatus: 400, message: "The request does not match the schema of this endpoint." },
  REQUEST_TOO_LARGE: { httpStatus: 413, message: "The request body exceeds httpBodyBytesMax." },
  REQUEST_UNSUPPORTED_MEDIA_TYPE: { httpStatus: 415, message: "The request body must be application/json." },
  ROUTE_NOT_FOUND: { httpStatus: 404, message: "No such endpoint." },
  AUTH_PASSWORD_POLICY: { httpStatus: 400, message: "The password does not meet the password policy." },
  AUTH_PASSWORD_COMMON: { httpStatus: 400, message: "The password is on a list of common or breached passwords; choose another." },
  AUTH_REGISTRATION_THROTTLED: {
    httpStatus: 429,
    message: "Too many accounts registered from this address (registrationsPerAddressMax); retry after Retry-After.",
  },
  AUTH_ACCOUNT_EXISTS: { httpStatus: 409, message: "An account with this username or email already exists." },
  AUTH_INVALID_CREDENTIALS: { httpStatus: 401, message: "The login or the password is wrong." },
  AUTH_THROTTLED: { httpStatus: 429, message: "Too many failed logins; retry after the time in Retry-After." },
  AUTH_TOKEN_MISSING: { httpStatus: 401, message: "This endpoint needs a bearer access token." },
  AUTH_TOKEN_MALFORMED: { httpStatus: 401, message: "The access token is not a well-formed JWT." },
  AUTH_TOKEN_EXPIRED: { httpStatus: 401, message: "The access token has expired; refresh it." },
  AUTH_TOKEN_SIGNATURE_INVALID: { httpStatus: 401, message: "The access token signature does not verify." },
  AUTH_TOKEN_ALG_UNSUPPORTED: { httpStatus: 401, message: "The access token uses an algorithm other than EdDSA." },
  AUTH_TOKEN_KEY_UNKNOWN: { httpStatus: 401, message: "The access token names a key id this server does not know." },
  AUTH_TOKEN_CLAIMS_INVALID: { httpStatus: 401, message: "The access token claims are missing or wrong." },
  AUTH_SESSION_REVOKED: { httpStatus: 401, message: "The session was revoked; log in again." },
  AUTH_REFRESH_INVALID: { httpStatus: 401, message: "The refresh token is unknown." },
  AUTH_REFRESH_EXPIRED: { httpStatus: 401, message: "The refresh token has expired; log in again." },
  AUTH_REFRESH_REUSED: { httpStatus: 401, message: "The refresh token was already used; the session has been revoked." },
  AUTH_FORBIDDEN: { httpStatus: 403, message: "Your roles do not allow this." },
  WS_FRAME_MALFORMED: { httpStatus: 400, message: "The WebSocket frame is not a JSON object." },
  WS_FRAME_UNKNOWN_TYPE: { httpStatus: 400, message: "The frame type is not part of this protocol version." },
  WS_FRAME_INVALID: { httpStatus: 400, message: "The frame does not match the schema of its type." },
  WS_NOT_AUTHENTICATED: { httpStatus: 401, message: "Send a hello frame with an access token first." },
  WS_ALREADY_AUTHENTICATED: { httpStatus: 400, message: "This connection is already authenticated." },
  WS_PROTOCOL_UNSUPPORTED: { httpStatus: 400, message: "The protocol version in hello is not supported." },
  WS_RATE_LIMITED: { httpStatus: 429, message: "Too many frames; slow down (messagesPerSecondMax)." },
  ROOM_NOT_FOUND: { httpStatus: 404, message: "No such room kind; see docs/PROTOCOL.md for room names." },
  ROOM_FORBIDDEN: { httpStatus: 403, message: "You may not join this room." },
  ROOM_NOT_JOINED: { httpStatus: 409, message: "Join the room before acting or chatting in it." },
  ROOM_LIMIT: { httpStatus: 429, message: "This connection is in roomsPerConnectionMax rooms already." },
  ROOM_FULL: { httpStatus: 429, message: "The room has roomMembersMax members." },
  ROOM_UNAVAILABLE: { httpStatus: 503, message: "The room's owner did not answer in time; retry." },
  ACTION_DUPLICATE: { httpStatus: 409, message: "This actionId was already applied; the original result is returned." },
  ACTION_ID_CONFLICT: { httpStatus: 422, message: "This actionId was already used for a different action." },
  ACTION_STALE: { httpStatus: 409, message: "The action was based on an offset older than the room's last state change." },
  ACTION_OFFSET_INVALID: { httpStatus: 400, message: "lastOffset is ahead of the room: it was never sent." },
  ACTION_REJECTED: { httpStatus: 422, message: "The room's rules refused this action." },
  CHAT_TOO_LONG: { httpStatus: 400, message: "The chat message exceeds chatCharsMax." },
  CHAT_RATE_LIMITED: { httpStatus: 429, message: "Too many chat messages (chatMessagesPerMinuteMax)." },
  CHAT_MUTED: { httpStatus: 403, message: "An operator muted you in this room." },
  BET_ROUND_CLOSED: { httpStatus: 409, message: "The round is not taking bets (closed by the server's clock, or another round is open)." },
  BET_INVALID: { httpStatus: 400, message: "The bet is not valid on this table (type, numbers or amount)." },
  BET_LIMIT: { httpStatus: 422, message: "The bet is outside the table limits." },
  LIVE_CARD_IMPOSSIBLE: { httpStatus: 422, message: "The declared shoe cannot hold this card (every copy of it is already out, or the shoe is empty)." },
  LIVE_CARD_NOT_EXPECTED: { httpStatus: 409, message: "No card is due now (a player must decide, or the dealer stands by the house rule)." },
  LIVE_SHOE_NOT_DECLARED: { httpStatus: 409, message: "Declare a shuffled shoe before dealing (the cut card came out, or the table has no shoe yet)." },
  LIVE_DEALER_NOT_ON_SHIFT: { httpStatus: 403, message: "Another dealer runs this table; take it over only once that dealer has gone silent." },
  CERTIFICATION_REPORT_NOT_FOUND: {
    httpStatus: 404,
    message: "No such certification report: see GET /v1/operator/certification for the ones in the reports folder.",
  },
  ROUND_NOT_FOUND: { httpStatus: 404, message: "No such round among the rounds you may recall." },
  TABLE_NOT_FOUND: { httpStatus: 404, message: "No such table: see GET /v1/operator/tables for the configured ones." },
  WALLET_AMOUNT_NOT_STRING: { httpStatus: 400, message: 'Amounts are decimal strings such as "12.34", never JSON numbers.' },
  WALLET_AMOUNT_MALFORMED: { httpStatus: 400, message: "The amount is not a plain decimal string (digits, an optional point and decimals)." },
  WALLET_AMOUNT_TOO_PRECISE: { httpStatus: 400, message: "The amount has more decimals than its currency allows." },
  WALLET_AMOUNT_NEGATIVE: { httpStatus: 400, message: "The amount must not be negative." },
  WALLET_AMOUNT_ZERO: { httpStatus: 400, message: "The amount must be greater than zero." },
  WALLET_AMOUNT_TOO_LARGE: { httpStatus: 400, message: "The amount exceeds the largest amount one operation may move." },
  WALLET_AMOUNT_INVALID: { httpStatus: 400, message: "The ledger refused the amount (zero, negative or too large)." },
  WALLET_CURRENCY_UNKNOWN: { httpStatus: 400, message: "The currency is not one the wallet keeps." },
  WALLET_CURRENCY_MISMATCH: { httpStatus: 400, message: "An account or hold is in another currency than the operation." },
  WALLET_ACCOUNT_NOT_FOUND: { httpStatus: 404, message: "No such wallet account." },
  WALLET_ACCOUNT_KIND_INVALID: { httpStatus: 422, message: "The operation is not allowed between these kinds of account." },
  WALLET_INSUFFICIENT_FUNDS: { httpStatus: 422, message: "The available balance does not cover the amount." },
  WALLET_HOLD_NOT_FOUND: { httpStatus: 404, message: "No such hold." },
  WALLET_HOLD_ALREADY_EXISTS: { httpStatus: 409, message: "A hold with this id already exists." },
  WALLET_HOLD_ALREADY_RESOLVED: { httpStatus: 409, message: "The hold was already settled or voided." },
  WALLET_REQUEST_INVALID: { httpStatus: 400, message: "The ledger refused the request (an empty or too long key or reference)." },
  WALLET_BUSY: { httpStatus: 503, message: "The ledger queue is full; nothing was written; retry with the same Idempotency-Key." },
  WALLET_IDEMPOTENCY_KEY_MISSING: { httpStatus: 400, message: "Money-moving requests need an Idempotency-Key header." },
  WALLET_IDEMPOTENCY_KEY_INVALID: { httpStatus: 400, message: "The Idempotency-Key must be 1 to 128 printable ASCII characters without spaces." },
  WALLET_IDEMPOTENCY_KEY_CONFLICT: { httpStatus: 422, message: "This Idempotency-Key was used for a different request." },
  WALLET_IDEMPOTENCY_KEY_IN_PROGRESS: { httpStatus: 409, message: "A request with this Idempotency-Key is still being processed; retry shortly." },
  WALLET_WITHDRAWAL_BELOW_MINIMUM: { httpStatus: 422, message: "The withdrawal is below withdrawalAmountMinorMin." },
  WALLET_WITHDRAWAL_TOO_FREQUENT: { httpStatus: 429, message: "Too many withdrawals in withdrawalPeriodMs (withdrawalsPerPeriodMax); see Retry-After." },
  WALLET_WITHDRAWAL_NOT_FOUND: { httpStatus: 404, message: "No such withdrawal." },
  WALLET_WITHDRAWAL_OUTSIDE_CLOSED_LOOP: {
    httpStatus: 409,
    message: "The withdrawal goes to a card the player never deposited with; approve it with outsideClosedLoop: true to pay it anyway.",
  },
  WALLET_WITHDRAWAL_NOT_PENDING: { httpStatus: 409, message: "The withdrawal was already approved, rejected or refused." },
  PAYMENT_CARD_INVALID: { httpStatus: 400, message: "The card number, expiry or security code is not valid." },
  PAYMENT_TOKEN_INVALID: { httpStatus: 400, message: "The card token is unknown to the payment provider." },
  PAYMENT_OUTBOX_NOT_PARKED: {
    httpStatus: 409,
    message: "This outbox entry is not parked (delivered, still being tried, or no such entry): only a parked entry can be put back.",
  },
  PAYMENT_DEPOSIT_NOT_FOUND: { httpStatus: 404, message: "No such deposit." },
  PAYMENT_DECLINED: { httpStatus: 402, message: "The payment provider declined the payment." },
  PAYMENT_PROVIDER_UNAVAILABLE: { httpStatus: 503, message: "The payment provider did not answer; retry with the same Idempotency-Key." },
  PAYMENT_WEBHOOK_SIGNATURE_MISSING: { httpStatus: 401, message: "The webhook carries no signature header." },
  PAYMENT_WEBHOOK_SIGNATURE_INVALID: { httpStatus: 401, message: "The webhook signature does not verify." },
  PAYMENT_WEBHOOK_STALE: { httpStatus: 401, message: "The webhook timestamp is outside paymentsWebhookToleranceMs." },
  PAYMENT_WEBHOOK_PAYLOAD_INVALID: { httpStatus: 400, message: "The webhook body is not an event this endpoint understands." },
  RG_DEPOSIT_LIMIT_EXCEEDED: { httpStatus: 422, message: "The deposit would exceed one of your deposit limits; details say which and how much is left." },
  RG_WAGER_LIMIT_EXCEEDED: { httpStatus: 422, message: "The bet would exceed one of your wager limits; details say which and how much is left." },
  RG_LOSS_LIMIT_EXCEEDED: {
    httpStatus: 422,
    message: "The bet could exceed one of your loss limits (its whole stake counts until it is paid); details say which and how much is left.",
  },
  RG_EXCLUDED: { httpStatus: 403, message: "The account is in a time-out or self-exclusion until the time in details; only withdrawals are possible." },
  RG_ACCOUNT_LOCKED: { httpStatus: 403, message: "The account is locked by an operator; its money is kept and its withdrawals wait for review." },
  RG_EXCLUSION_DURATION_INVALID: { httpStatus: 400, message: "A time-out lasts 1 to 42 days and a self-exclusion 183 to 1826 days." },
  RG_PLAYER_NOT_FOUND: { httpStatus: 404, message: "No such player." },
  RG_NOT_EXCLUDED: { httpStatus: 409, message: "This account is not in a time-out or self-exclusion; log in and use /v1/wallet/withdrawals." },
  RISK_LIMITED: { httpStatus: 429, message: "Your play is limited after a risk review (bet rate, stake or game); details say which limit." },
  RISK_ACTION_NOT_FOUND: { httpStatus: 404, message: "No such risk action." },
  BONUS_MAX_BET_EXCEEDED: { httpStatus: 422, message: "The stake is above your bonus's max bet while it is being wagered; details say the max bet." },
  BONUS_TERMS_INVALID: { httpStatus: 400, message: "The bonus terms are out of range (amount, wagering multiplier, max bet or days); details say which." },
  BONUS_ALREADY_OPEN: { httpStatus: 409, message: "The player already has a bonus in this currency that is not converted, expired or cancelled and closed." },
  BONUS_WELCOME_CLAIMED: { httpStatus: 409, message: "This account has already had its welcome bonus." },
  BONUS_WELCOME_OFF: { httpStatus: 404, message: "This casino offers no welcome bonus (bonusWelcomeAmountMinor is 0)." },
  BONUS_WELCOME_DEVICE_LINKED: {
    httpStatus: 409,
    message: "A welcome bonus was already given to another account on one of this account's devices or addresses.",
  },
  BONUS_PLAYER_NOT_FOUND: { httpStatus: 404, message: "No such player." },
  BONUS_NOT_FOUND: { httpStatus: 404, message: "No such bonus." },
  BONUS_NOT_ACTIVE: { httpStatus: 409, message: "The bonus is not active (it is being granted, or has already ended)." },
  METRICS_TOKEN_INVALID: { httpStatus: 401, message: "The metrics endpoint needs its bearer token (metricsToken)." },
  SERVICE_UNAVAILABLE: { httpStatus: 503, message: "A backing service is unavailable; retry later." },
  INTERNAL: { httpStatus: 500, message: "Internal error; the request id identifies it in the logs." },
});

export type ErrorName = keyof typeof errors;
export type ErrorCode = (typeof errors)[ErrorName]["code"];

/** The body of every error response. */
export interface ErrorBody {
  readonly code: ErrorCode;
  readonly message: string;
  readonly requestId: string;
  readonly details?: readonly string[];
}
