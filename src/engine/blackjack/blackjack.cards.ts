/**
 * Cards are 0..51 as in the poker module (rank × 4 + suit, rank 0..12 for 2..A); a shoe holds several
 * copies of each. Suits never matter in blackjack, only values.
 */
export const aceRank = 12;

/** 2..9 count their pips, tens and faces 10, an ace 1 here (made 11 by `handTotal` when it fits). */
export function cardPoints(card: number): number {
  const rank = card >> 2;
  if (rank === aceRank) return 1;
  return rank >= 8 ? 10 : rank + 2;
}

/** The best total of a hand and whether an ace is counted as 11 in it (a soft total). */
export function handTotal(cards: readonly number[]): { total: number; soft: boolean } {
  let total = 0;
  let hasAce = false;
  for (const card of cards) {
    total += cardPoints(card);
    if (card >> 2 === aceRank) hasAce = true;
  }
  return hasAce && total + 10 <= 21 ? { total: total + 10, soft: true } : { total, soft: false };
}

/** Two cards totalling 21. Whether it counts as a natural (not after a split) is the caller's rule. */
export function isTwoCard21(cards: readonly number[]): boolean {
  return cards.length === 2 && handTotal(cards).total === 21;
}
