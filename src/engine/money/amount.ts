import type { Currency } from "./currency.js";

/**
 * The largest amount one operation may move, in minor units: 10^15 (ten trillion EUR). Far below
 * int8's 9.2 * 10^18, so a balance that sums many of them still fits the database column.
 */
export const amountMinorMax = 10n ** 15n;

/** Why a decimal string is not an amount. Each is its own outcome so a client can be told which. */
export type AmountError =
  | "amount_malformed" // not a plain decimal: empty, letters, exponent, sign in the middle, "1.", ".5"
  | "amount_too_precise" // more decimals than the currency's exponent
  | "amount_negative" // a minus sign where the caller did not allow one
  | "amount_too_large"; // beyond the caller's maximum (amountMinorMax by default)

export interface ParseAmountOptions {
  /** Allow a leading "-" (adjustments, balances). Defaults to false. */
  readonly negativeAllowed?: boolean;
  /** Largest absolute value in minor units. Defaults to amountMinorMax. */
  readonly amountMinorMax?: bigint;
}

/** Digits, then optionally a point and at least one digit. No exponent, no "+", no spaces. */
const decimalPattern = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;
/** Longer strings cannot be valid amounts; refusing them early bounds the work BigInt does. */
const amountCharsMax = 40;

/**
 * Parses a decimal string from the wire ("12.34") into minor units of `currency` (1234n).
 * Floats never carry money, so a number is refused by the type; a string that only a float
 * parser would accept ("1e3", "0x10", " 1", "1.") is refused by the grammar.
 */
export function parseAmount(text: string, currency: Currency, options: ParseAmountOptions = {}): bigint | AmountError {
  if (typeof text !== "string" || text.length === 0 || text.length > amountCharsMax) return "amount_malformed";
  const match = decimalPattern.exec(text);
  if (match === null) return "amount_malformed";
  const [, sign = "", whole = "", fraction = ""] = match;
  if (fraction.length > currency.exponent) {
    // "1.50" in EUR is fine; "1.505" is not, and "1.500" is refused too: trailing zeros beyond the
    // exponent usually mean the sender computed with floats.
    return "amount_too_precise";
  }
  const minor = BigInt(whole + fraction.padEnd(currency.exponent, "0"));
  if (sign === "-" && minor !== 0n && options.negativeAllowed !== true) return "amount_negative";
  if (minor > (options.amountMinorMax ?? amountMinorMax)) return "amount_too_large";
  return sign === "-" ? -minor : minor;
}

/** Formats minor units as the decimal string of the wire: 1234n EUR -> "12.34", -5n -> "-0.05". */
export function formatAmount(minor: bigint, currency: Currency): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(currency.exponent + 1, "0");
  const cut = digits.length - currency.exponent;
  const text = currency.exponent === 0 ? digits : `${digits.slice(0, cut)}.${digits.slice(cut)}`;
  return negative ? `-${text}` : text;
}
