/**
 * Currencies the ledger accepts: an ISO 4217 code and its exponent (the number of minor units in a
 * major unit, as a power of ten). Amounts everywhere are bigint minor units of one of these.
 *
 * XTS is ISO 4217's code "reserved for testing". ISO gives it no exponent; Croupier fixes it at 2
 * so test amounts read like EUR. JPY (exponent 0) is here so every code path meets a currency
 * without decimals.
 */
export interface Currency {
  readonly code: string;
  readonly exponent: number;
}

export const currencies: Readonly<Record<string, Currency>> = Object.freeze({
  EUR: Object.freeze({ code: "EUR", exponent: 2 }),
  USD: Object.freeze({ code: "USD", exponent: 2 }),
  JPY: Object.freeze({ code: "JPY", exponent: 0 }),
  XTS: Object.freeze({ code: "XTS", exponent: 2 }),
});

/** The currency for `code`, or null when the ledger does not know it. */
export function findCurrency(code: string): Currency | null {
  return Object.hasOwn(currencies, code) ? (currencies[code] ?? null) : null;
}
