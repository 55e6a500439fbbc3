import { assert } from "../rng/assert.js";

/** Table rules as data; the engine reads nothing else. */
export interface BlackjackRules {
  readonly decks: number;
  /** The cut card sits this many cards before the end of the shoe; reaching it ends the shoe after the round. */
  readonly cutCardCardsFromEnd: number;
  /** H17 when true: the dealer hits a soft 17. S17 when false. */
  readonly dealerHitsSoft17: boolean;
  /** A natural pays numerator:denominator (3:2), rounded down to the minor unit. */
  readonly blackjackPays: { readonly numerator: bigint; readonly denominator: bigint };
  readonly doubleAfterSplit: boolean;
  /** Hands a seat may hold after splitting (4 means up to three splits). Split aces take one card each and stand. */
  readonly splitHandsMax: number;
  readonly insurance: boolean;
  readonly seatsMax: number;
  readonly betMinMinor: bigint;
  readonly betMaxMinor: bigint;
}

/** A common six-deck game: S17, 3:2, double after split, split to four hands, split aces one card each. */
export const defaultBlackjackRules: BlackjackRules = {
  decks: 6,
  cutCardCardsFromEnd: 78,
  dealerHitsSoft17: false,
  blackjackPays: { numerator: 3n, denominator: 2n },
  doubleAfterSplit: true,
  splitHandsMax: 4,
  insurance: true,
  seatsMax: 7,
  betMinMinor: 100n,
  betMaxMinor: 50_000n,
};

/**
 * One round uses at most seatsMax × splitHandsMax hands of at most 11 cards (A,A,A,A,2,2,2,2,3,3,3 is
 * 21) plus the dealer's; the shoe reshuffles its discards if a round ever runs it dry, but rules that
 * leave less than one deck past the cut card are rejected as a configuration mistake.
 */
export function assertBlackjackRules(rules: BlackjackRules): void {
  assert(Number.isInteger(rules.decks) && rules.decks >= 1 && rules.decks <= 8, "1 to 8 decks");
  assert(
    Number.isInteger(rules.cutCardCardsFromEnd) && rules.cutCardCardsFromEnd >= 52 && rules.cutCardCardsFromEnd <= rules.decks * 52,
    "cut card at least one deck from the end, within the shoe",
  );
  assert(rules.blackjackPays.numerator > 0n && rules.blackjackPays.denominator > 0n, "blackjack payout is positive");
  assert(Number.isInteger(rules.splitHandsMax) && rules.splitHandsMax >= 1 && rules.splitHandsMax <= 4, "1 to 4 hands per seat");
  assert(Number.isInteger(rules.seatsMax) && rules.seatsMax >= 1 && rules.seatsMax <= 7, "1 to 7 seats");
  assert(rules.betMinMinor > 0n && rules.betMinMinor <= rules.betMaxMinor, "0 < bet min <= bet max");
}

assertBlackjackRules(defaultBlackjackRules);
