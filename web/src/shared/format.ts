/** Minor units (a decimal string, as on the wire) to "12.34" for a 2-decimal currency. */
export function minorToAmount(minor: string | bigint, decimals = 2): string {
  const value = BigInt(minor);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const scale = 10n ** BigInt(decimals);
  const whole = (abs / scale).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const fraction = decimals === 0 ? "" : `.${(abs % scale).toString().padStart(decimals, "0")}`;
  return `${negative ? "-" : ""}${whole}${fraction}`;
}

/** "2.50" to 250n (the inputs the pages offer are always whole cents). */
export function amountToMinor(amount: string, decimals = 2): bigint {
  const [whole = "0", fraction = ""] = amount.split(".");
  return BigInt(whole) * 10n ** BigInt(decimals) + BigInt((fraction + "0".repeat(decimals)).slice(0, decimals) || "0");
}

export function timeOf(iso: string | number): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "short", timeStyle: "medium" });
}

/** Roulette pocket colours, as the wheel prints them. */
const reds = new Set([1, 3, 5, 7, 9, 12, 14, 16, 18, 19, 21, 23, 25, 27, 30, 32, 34, 36]);
export function pocketColor(n: number): "red" | "black" | "green" {
  return n === 0 ? "green" : reds.has(n) ? "red" : "black";
}

/** Cards on the wire are 0–51: rank × 4 + suit, rank 0–12 for 2 … ace. */
export function cardText(card: number): string {
  const rank = "23456789TJQKA"[Math.floor(card / 4)] ?? "?";
  const suit = "♣♦♥♠"[card % 4] ?? "?";
  return `${rank === "T" ? "10" : rank}${suit}`;
}
export function cardRed(card: number): boolean {
  return card % 4 === 1 || card % 4 === 2;
}

/** A moment a player plans around (a limit's change, a break's end): "4 Dec 2026, 13:05" in the reader's locale. */
export function whenOf(iso: string | number): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** An event field of unknown type as text: scalars as String() prints them, objects as JSON rather than "[object Object]". */
export function fieldText(value: unknown): string {
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}
