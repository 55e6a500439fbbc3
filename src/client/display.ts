/**
 * Showing what the wire carries: money as decimal strings of minor units, cards as integers 0..51
 * (card = rank × 4 + suit, ranks 2..A, suits clubs, diamonds, hearts, spades; docs/PROTOCOL.md).
 */

/** "4950" → "49.50" (with `decimals` 2), without going through a float. */
export function formatMinor(minor: string | bigint, decimals = 2): string {
  const n = BigInt(minor);
  const abs = n < 0n ? -n : n;
  const unit = 10n ** BigInt(decimals);
  const fraction = decimals === 0 ? "" : `.${(abs % unit).toString().padStart(decimals, "0")}`;
  return `${n < 0n ? "-" : ""}${abs / unit}${fraction}`;
}

const ranks = "23456789TJQKA";
const suits = "cdhs";

/** 51 → "As", 0 → "2c", 22 → "7h"; "??" for anything that is not a card. */
export function cardName(card: number): string {
  if (!Number.isInteger(card) || card < 0 || card > 51) return "??";
  return `${ranks[card >> 2]}${suits[card & 3]}`;
}
