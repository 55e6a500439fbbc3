import { assert } from "../rng/assert.js";
import type { Rng } from "../rng/rng.js";
import { shuffleInPlace } from "../rng/shuffle.js";
import type { BlackjackRules } from "./blackjack.rules.js";

/**
 * The shoe as an immutable value: the shuffled order and the index of the next card. Dealing only
 * moves the index, so a new state shares the card array with the old one.
 */
export interface Shoe {
  readonly cards: readonly number[];
  readonly next: number;
  /** When `next` reaches this index the cut card is out: the shoe is reshuffled before the next round. */
  readonly cutCardIndex: number;
}

export function newShoe(rules: BlackjackRules, rng: Rng): Shoe {
  const cards = Array.from({ length: rules.decks * 52 }, (_, i) => i % 52);
  return stackedShoe(rules, shuffleInPlace(rng, cards));
}

/** A shoe in a given order: for replays of recorded rounds and for tests that need exact cards. */
export function stackedShoe(rules: BlackjackRules, cards: readonly number[]): Shoe {
  assert(cards.length > 0, "a shoe has cards");
  return { cards: cards.slice(), next: 0, cutCardIndex: Math.max(0, cards.length - rules.cutCardCardsFromEnd) };
}

export function cutCardReached(shoe: Shoe): boolean {
  return shoe.next >= shoe.cutCardIndex;
}

/**
 * Takes the next card. If a round ever empties the shoe, the discards (every card not on the table)
 * are shuffled into a new shoe, as a dealer would; that needs the rng, so every action carries it.
 */
export function drawCard(shoe: Shoe, onTable: readonly number[], rules: BlackjackRules, rng: Rng): { card: number; shoe: Shoe; reshuffled: boolean } {
  if (shoe.next < shoe.cards.length) {
    return { card: shoe.cards[shoe.next] as number, shoe: { ...shoe, next: shoe.next + 1 }, reshuffled: false };
  }
  const remaining = new Array<number>(52).fill(rules.decks);
  for (const card of onTable) remaining[card] = (remaining[card] ?? 0) - 1;
  const discards = remaining.flatMap((count, card) => new Array<number>(Math.max(0, count)).fill(card));
  assert(discards.length > 0, "no cards left to reshuffle");
  const fresh = stackedShoe(rules, shuffleInPlace(rng, discards));
  // The fresh shoe is dealt to the end of this round and then replaced at the next deal.
  return { card: fresh.cards[0] as number, shoe: { ...fresh, next: 1, cutCardIndex: 0 }, reshuffled: true };
}
