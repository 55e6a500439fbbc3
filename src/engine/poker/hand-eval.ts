import { assert } from "../rng/assert.js";
import { cardRank, cardSuit, deckSize, isCard } from "./cards.js";
import { buildHandTables, categoryShift as tablesCategoryShift } from "./hand-eval.tables.js";

/**
 * A fast poker hand evaluator for 5 to 7 cards, in the style of Steve Brecher's bit-mask evaluator.
 *
 * The hand becomes four 13-bit rank masks, one per suit. Their OR gives the distinct ranks, and the
 * number of duplicated cards (cards - distinct ranks) decides which categories are possible: with 5+
 * distinct ranks among 7 cards neither quads nor a full house can exist, so flush and straight are
 * checked first; with fewer, pairs, trips and quads are read from XOR and AND of the suit masks.
 * Everything else is a lookup in the 8,192-entry tables of hand-eval.tables.ts.
 *
 * The result is a hand value: category << 20 | the deciding ranks as nibbles, most significant first.
 * Higher is better and equal values tie, so hands compare with plain `<`.
 */
export const handCategories = [
  "high_card",
  "pair",
  "two_pair",
  "three_of_a_kind",
  "straight",
  "flush",
  "full_house",
  "four_of_a_kind",
  "straight_flush",
] as const;
export type HandCategory = (typeof handCategories)[number];

// Module-local constants on purpose: the hot path reads no other module's bindings (see buildHandTables).
const categoryShift = tablesCategoryShift;
const pairCategory = 1;
const twoPairCategory = 2;
const tripsCategory = 3;
const straightCategory = 4;
const fullHouseCategory = 6;
const quadsCategory = 7;

const { popCount, topRank, topFiveRanks, straightHigh, unpairedValue, flushValue } = buildHandTables();

// Two suits per 32-bit word, 16 bits apart, so adding a card is two typed-array reads and two adds.
const cardBitsLow = new Uint32Array(deckSize);
const cardBitsHigh = new Uint32Array(deckSize);
for (let card = 0; card < deckSize; card++) {
  const bit = (1 << cardRank(card)) << ((cardSuit(card) & 1) * 16);
  if (cardSuit(card) < 2) cardBitsLow[card] = bit;
  else cardBitsHigh[card] = bit;
}

/**
 * Seven distinct cards (0..51) to a hand value. Hot path: the cards are trusted, not checked; a
 * repeated card gives a meaningless value. Use `evaluateHand` for untrusted input.
 */
export function evaluate7(c0: number, c1: number, c2: number, c3: number, c4: number, c5: number, c6: number): number {
  const low =
    (cardBitsLow[c0] as number) +
    (cardBitsLow[c1] as number) +
    (cardBitsLow[c2] as number) +
    (cardBitsLow[c3] as number) +
    (cardBitsLow[c4] as number) +
    (cardBitsLow[c5] as number) +
    (cardBitsLow[c6] as number);
  const high =
    (cardBitsHigh[c0] as number) +
    (cardBitsHigh[c1] as number) +
    (cardBitsHigh[c2] as number) +
    (cardBitsHigh[c3] as number) +
    (cardBitsHigh[c4] as number) +
    (cardBitsHigh[c5] as number) +
    (cardBitsHigh[c6] as number);
  return evaluateMasks(low & 0x1fff, low >>> 16, high & 0x1fff, high >>> 16, 7);
}

/** 5, 6 or 7 distinct cards to a hand value; asserts the input is a valid hand. */
export function evaluateHand(cards: readonly number[]): number {
  assert(cards.length >= 5 && cards.length <= 7, `a hand has 5 to 7 cards, not ${cards.length}`);
  assert(cards.every(isCard) && new Set(cards).size === cards.length, "a hand has distinct cards 0..51");
  let low = 0;
  let high = 0;
  for (const card of cards) {
    low += cardBitsLow[card] as number;
    high += cardBitsHigh[card] as number;
  }
  return evaluateMasks(low & 0x1fff, low >>> 16, high & 0x1fff, high >>> 16, cards.length);
}

function evaluateMasks(clubs: number, diamonds: number, hearts: number, spades: number, cardCount: number): number {
  const ranks = clubs | diamonds | hearts | spades;
  const distinct = popCount[ranks] as number;
  if (distinct >= 5) {
    // A flush needs 5 cards of a suit; with at most 7 cards only one suit can have them.
    if ((popCount[clubs] as number) >= 5) return flushValue[clubs] as number;
    if ((popCount[diamonds] as number) >= 5) return flushValue[diamonds] as number;
    if ((popCount[hearts] as number) >= 5) return flushValue[hearts] as number;
    if ((popCount[spades] as number) >= 5) return flushValue[spades] as number;
    const straight = straightHigh[ranks] as number;
    if (straight !== 0) return (straightCategory << categoryShift) | (straight << 16);
  }
  const duplicates = cardCount - distinct;
  // Ranks held an odd number of times: XOR of the suits. Even (2 or 4) times: ranks without them.
  const oddRanks = clubs ^ diamonds ^ hearts ^ spades;
  if (duplicates === 0) return unpairedValue[ranks] as number;
  if (duplicates === 1) {
    const pair = ranks ^ oddRanks;
    return (pairCategory << categoryShift) | ((topRank[pair] as number) << 16) | (((topFiveRanks[ranks ^ pair] as number) >>> 8) << 4);
  }
  // Ranks held exactly three times (why this works: see twoDuplicates).
  const threeRanks = ((clubs & diamonds) | (hearts & spades)) & ((clubs ^ diamonds) | (hearts ^ spades));
  if (duplicates === 2) return twoDuplicates(ranks, ranks ^ oddRanks, threeRanks);
  return manyDuplicates(ranks, clubs & diamonds & hearts & spades, ranks ^ oddRanks, threeRanks);
}

/**
 * Two duplicates with 5+ distinct ranks (or 3+ in a 5-card hand): two pair or trips, never more.
 * The trips mask: a rank is in exactly three suits iff one suit pair has it twice (AND) and the other
 * once (XOR); in four suits both XORs are empty, and in two suits no pair has it once and once.
 */
function twoDuplicates(ranks: number, pairs: number, threeRanks: number): number {
  if (pairs !== 0) {
    return (twoPairCategory << categoryShift) | ((topFiveRanks[pairs] as number) & 0xff000) | ((topRank[ranks ^ pairs] as number) << 8);
  }
  return (tripsCategory << categoryShift) | ((topRank[threeRanks] as number) << 16) | (((topFiveRanks[ranks ^ threeRanks] as number) & 0xff000) >>> 4);
}

/** Three or more duplicates: quads, a full house, or three pairs (played as the best two pair). */
function manyDuplicates(ranks: number, fourRanks: number, evenRanks: number, threeRanks: number): number {
  if (fourRanks !== 0) {
    return (quadsCategory << categoryShift) | ((topRank[fourRanks] as number) << 16) | ((topRank[ranks ^ fourRanks] as number) << 12);
  }
  if (threeRanks !== 0) {
    const trips = topRank[threeRanks] as number;
    // The pair is the best other rank held 2+ times: a pair, or the lower of two trips.
    const pair = topRank[(evenRanks | threeRanks) ^ (1 << trips)] as number;
    return (fullHouseCategory << categoryShift) | (trips << 16) | (pair << 12);
  }
  const bestTwo = evenRanks ^ lowestBit(evenRanks ^ (1 << (topRank[evenRanks] as number)));
  return (twoPairCategory << categoryShift) | ((topFiveRanks[bestTwo] as number) & 0xff000) | ((topRank[ranks ^ bestTwo] as number) << 8);
}

function lowestBit(mask: number): number {
  return mask & -mask;
}

export function handCategory(value: number): HandCategory {
  const category = handCategories[value >>> categoryShift];
  assert(category !== undefined, `not a hand value: ${value}`);
  return category;
}

/** Negative when a loses to b, zero on a split, positive when a wins. */
export function compareHands(a: number, b: number): number {
  return a - b;
}
