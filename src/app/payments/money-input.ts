import type { LedgerFailureStatus } from "../../engine/ledger/index.js";
import { findCurrency, parseAmount, type AmountError, type Currency } from "../../engine/money/index.js";
import type { ErrorName } from "../../protocol/errors.js";
import { failure, success, type Outcome } from "../outcome.js";

const amountErrors: Readonly<Record<AmountError, ErrorName>> = {
  amount_malformed: "WALLET_AMOUNT_MALFORMED",
  amount_too_precise: "WALLET_AMOUNT_TOO_PRECISE",
  amount_negative: "WALLET_AMOUNT_NEGATIVE",
  amount_too_large: "WALLET_AMOUNT_TOO_LARGE",
};

export interface MoneyInput {
  readonly amount: bigint;
  readonly currency: Currency;
}

/**
 * Pure: a positive amount of a known currency from the wire. A JSON number is refused even when
 * it looks whole: it went through a float on its way here, and money never does.
 */
export function parseMoneyInput(amount: unknown, currencyCode: string): Outcome<MoneyInput> {
  const currency = findCurrency(currencyCode);
  if (currency === null) return failure("WALLET_CURRENCY_UNKNOWN", { details: [`currency ${currencyCode} is not kept by this wallet`] });
  if (typeof amount !== "string") return failure("WALLET_AMOUNT_NOT_STRING");
  const minor = parseAmount(amount, currency);
  if (typeof minor === "string") return failure(amountErrors[minor], { details: [minor] });
  if (minor === 0n) return failure("WALLET_AMOUNT_ZERO");
  return success({ amount: minor, currency });
}

const ledgerErrors: Readonly<Record<LedgerFailureStatus, ErrorName>> = {
  request_invalid: "WALLET_REQUEST_INVALID",
  amount_invalid: "WALLET_AMOUNT_INVALID",
  currency_unknown: "WALLET_CURRENCY_UNKNOWN",
  currency_mismatch: "WALLET_CURRENCY_MISMATCH",
  account_not_found: "WALLET_ACCOUNT_NOT_FOUND",
  account_kind_invalid: "WALLET_ACCOUNT_KIND_INVALID",
  insufficient_funds: "WALLET_INSUFFICIENT_FUNDS",
  hold_not_found: "WALLET_HOLD_NOT_FOUND",
  hold_already_exists: "WALLET_HOLD_ALREADY_EXISTS",
  hold_already_resolved: "WALLET_HOLD_ALREADY_RESOLVED",
  idempotency_key_conflict: "WALLET_IDEMPOTENCY_KEY_CONFLICT",
  busy: "WALLET_BUSY",
};

/** The registry error for each ledger status, so every refusal reaches a client with its own code. */
export function ledgerError(status: LedgerFailureStatus): ErrorName {
  return ledgerErrors[status];
}

/** Inverse of ledgerError for statuses stored as a withdrawal's reason. */
export function isLedgerFailureStatus(text: string | null): text is LedgerFailureStatus {
  return text !== null && Object.hasOwn(ledgerErrors, text);
}
