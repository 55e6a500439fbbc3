import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { amountMinorMax, currencies, findCurrency, formatAmount, parseAmount } from "../../src/engine/money/index.js";

const EUR = currencies.EUR!;
const JPY = currencies.JPY!;

describe("parseAmount", () => {
  it.each([
    ["12.34", EUR, 1234n],
    ["12.3", EUR, 1230n],
    ["12", EUR, 1200n],
    ["0", EUR, 0n],
    ["0.05", EUR, 5n],
    ["10000000000000.00", EUR, amountMinorMax],
    ["1500", JPY, 1500n],
  ] as const)("%s in %s is %s minor units", (text, currency, minor) => {
    expect(parseAmount(text, currency)).toBe(minor);
  });

  it.each([
    ["", "amount_malformed"],
    ["abc", "amount_malformed"],
    ["1e3", "amount_malformed"],
    ["1E3", "amount_malformed"],
    ["0x10", "amount_malformed"],
    [" 1", "amount_malformed"],
    ["1 ", "amount_malformed"],
    ["+1", "amount_malformed"],
    ["1.", "amount_malformed"],
    [".5", "amount_malformed"],
    ["01", "amount_malformed"],
    ["1,00", "amount_malformed"],
    ["--1", "amount_malformed"],
    ["NaN", "amount_malformed"],
    ["Infinity", "amount_malformed"],
    ["1".repeat(41), "amount_malformed"],
    ["1.234", "amount_too_precise"],
    ["1.500", "amount_too_precise"],
    ["-1", "amount_negative"],
    ["-0.01", "amount_negative"],
    ["10000000000000.01", "amount_too_large"],
    ["99999999999999999999", "amount_too_large"],
  ])("%j in EUR is refused as %s", (text, status) => {
    expect(parseAmount(text, EUR)).toBe(status);
  });

  it("refuses decimals in a currency without minor units", () => {
    expect(parseAmount("1.5", JPY)).toBe("amount_too_precise");
  });

  it("accepts a sign only when allowed, and honours a caller's maximum", () => {
    expect(parseAmount("-1.25", EUR, { negativeAllowed: true })).toBe(-125n);
    expect(parseAmount("5.01", EUR, { amountMinorMax: 500n })).toBe("amount_too_large");
    expect(parseAmount("-5.01", EUR, { negativeAllowed: true, amountMinorMax: 500n })).toBe("amount_too_large");
  });

  it("refuses a number smuggled past the types", () => {
    expect(parseAmount(12.34 as unknown as string, EUR)).toBe("amount_malformed");
  });
});

describe("formatAmount", () => {
  it.each([
    [1234n, EUR, "12.34"],
    [5n, EUR, "0.05"],
    [0n, EUR, "0.00"],
    [-5n, EUR, "-0.05"],
    [-123456n, EUR, "-1234.56"],
    [1500n, JPY, "1500"],
  ] as const)("%s minor units of %s is %s", (minor, currency, text) => {
    expect(formatAmount(minor, currency)).toBe(text);
  });

  it("round-trips through parseAmount for every currency", () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.values(currencies)), fc.bigInt({ min: -amountMinorMax, max: amountMinorMax }), (currency, minor) => {
        expect(parseAmount(formatAmount(minor, currency), currency, { negativeAllowed: true })).toBe(minor);
      }),
    );
  });
});

describe("findCurrency", () => {
  it("knows EUR, USD, JPY and the test currency XTS, and nothing inherited", () => {
    expect(findCurrency("XTS")).toEqual({ code: "XTS", exponent: 2 });
    expect(findCurrency("USD")?.exponent).toBe(2);
    expect(findCurrency("GBP")).toBeNull();
    expect(findCurrency("toString")).toBeNull();
  });
});
