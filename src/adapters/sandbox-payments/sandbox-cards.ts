/**
 * The sandbox's test cards and what each does (docs/PAYMENTS.md lists them). Any other number
 * that passes the Luhn check behaves like 4242 4242 4242 4242.
 */
export type CardRule = "approve" | "decline" | "fail_later" | "payout_fail";

export const testCards: Readonly<Record<string, { readonly rule: CardRule; readonly note: string }>> = Object.freeze({
  "4242424242424242": { rule: "approve", note: "charge confirmed by webhook; payouts paid" },
  "5555555555554444": { rule: "approve", note: "Mastercard; charge confirmed by webhook; payouts paid" },
  "4000000000000002": { rule: "decline", note: "charge declined at once (card_declined)" },
  "4000000000009995": { rule: "fail_later", note: "charge accepted, then failed by webhook (insufficient_funds)" },
  "4000000000000069": { rule: "payout_fail", note: "charges confirmed; payouts to it fail (payout_refused)" },
});

export function luhnValid(digits: string): boolean {
  if (!/^[0-9]{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function brandOf(digits: string): string {
  if (digits.startsWith("4")) return "visa";
  if (/^(5[1-5]|2[2-7])/.test(digits)) return "mastercard";
  if (/^3[47]/.test(digits)) return "amex";
  return "card";
}

export function ruleOf(digits: string): CardRule {
  return testCards[digits]?.rule ?? "approve";
}

/** Expired when the card's last valid month is before the current one (UTC). */
export function expired(expMonth: number, expYear: number, nowMs: number): boolean {
  const now = new Date(nowMs);
  return expYear * 12 + expMonth < now.getUTCFullYear() * 12 + now.getUTCMonth() + 1;
}
