/**
 * Cards are small integers 0..51: card = rank * 4 + suit, rank 0..12 for 2..A and suit 0..3 for
 * clubs, diamonds, hearts, spades. Integers keep hands in typed arrays and make the evaluator's
 * table lookups a shift and a mask away.
 */
export const deckSize = 52;
export const rankChars = "23456789TJQKA";
export const suitChars = "cdhs";

export const cardRank = (card: number): number => card >> 2;
export const cardSuit = (card: number): number => card & 3;
export const makeCard = (rank: number, suit: number): number => rank * 4 + suit;

export function isCard(card: unknown): card is number {
  return Number.isInteger(card) && (card as number) >= 0 && (card as number) < deckSize;
}

/** "As" -> 51, "2c" -> 0; undefined for anything else. */
export function parseCard(text: string): number | undefined {
  if (text.length !== 2) return undefined;
  const rank = rankChars.indexOf(text[0]?.toUpperCase() ?? "");
  const suit = suitChars.indexOf(text[1]?.toLowerCase() ?? "");
  return rank < 0 || suit < 0 ? undefined : makeCard(rank, suit);
}

/** "As Kd 7h" -> [51, 45, 22]; undefined if any card is malformed. */
export function parseCards(text: string): number[] | undefined {
  const cards = text
    .trim()
    .split(/\s+/)
    .filter((part) => part.length > 0)
    .map(parseCard);
  return cards.every((card) => card !== undefined) ? cards : undefined;
}

export function formatCard(card: number): string {
  return `${rankChars[cardRank(card)] ?? "?"}${suitChars[cardSuit(card)] ?? "?"}`;
}

/** A fresh deck in order; shuffle it with the rng module's `shuffle`. */
export function orderedDeck(): number[] {
  return Array.from({ length: deckSize }, (_, card) => card);
}
