import type { Rng } from "../rng/rng.js";
import { handTotal } from "./blackjack.cards.js";
import { apply } from "./blackjack.engine.js";
import type { BlackjackRules } from "./blackjack.rules.js";
import type { Shoe } from "./blackjack.shoe.js";
import type { BlackjackAction, BlackjackEvent, BlackjackState, BlackjackStatus } from "./blackjack.state.js";

/**
 * Live blackjack: the same engine, with the cards entered one by one by a dealer (or a card scanner)
 * instead of drawn from a shuffled shoe. Two pure pieces:
 *
 * - the declared shoe: a number of decks, every card seen since the dealer declared the shuffle
 *   (dealt or burned), and the cut card; a card the shoe can no longer hold is impossible;
 * - `liveStep`: runs an engine action on the cards entered for it so far. The engine is deterministic
 *   and reads cards in order, so an action either completes on exactly those cards or needs more; in
 *   that case the events it produced before it needed the next card (the cards already on the table,
 *   a stake added by a double) are returned, and the action is run again when the next card comes.
 */

export interface DeclaredShoe {
  /** Shoes of a table are numbered 1, 2, ... (each declared shuffle starts the next). */
  readonly id: number;
  readonly decks: number;
  /** How many of each card 0..51 the shoe has given (dealt or burned) since its shuffle. */
  readonly seen: readonly number[];
  readonly dealt: number;
  readonly burned: number;
  /** Cards the shoe gives before the cut card comes out (decks × 52 − cutCardCardsFromEnd). */
  readonly cutAt: number;
}

export function declareShoe(rules: BlackjackRules, id: number): DeclaredShoe {
  return { id, decks: rules.decks, seen: new Array<number>(52).fill(0), dealt: 0, burned: 0, cutAt: rules.decks * 52 - rules.cutCardCardsFromEnd };
}

export type ShoeRefusal = "card_malformed" | "card_exhausted" | "shoe_empty";

/** Whether the shoe can give `card` now: each card exists `decks` times, and the shoe has decks × 52 cards. */
export function shoeRefusal(shoe: DeclaredShoe, card: number): ShoeRefusal | null {
  if (!Number.isInteger(card) || card < 0 || card >= 52) return "card_malformed";
  if (shoe.dealt + shoe.burned >= shoe.decks * 52) return "shoe_empty";
  return (shoe.seen[card] ?? 0) >= shoe.decks ? "card_exhausted" : null;
}

/** The shoe after giving `card` (checked with `shoeRefusal` first). */
export function takeFromShoe(shoe: DeclaredShoe, card: number, burn: boolean): DeclaredShoe {
  return { ...shoe, seen: shoe.seen.map((n, c) => (c === card ? n + 1 : n)), dealt: shoe.dealt + (burn ? 0 : 1), burned: shoe.burned + (burn ? 1 : 0) };
}

/** The cut card is out: the round in play finishes, and the next one needs a new shuffle. */
export function cutCardOut(shoe: DeclaredShoe): boolean {
  return shoe.dealt + shoe.burned >= shoe.cutAt;
}

/** The engine's own shoe at a live table: empty, never at its cut card (the declared shoe is kept apart). */
export const liveEngineShoe: Shoe = { cards: [], next: 0, cutCardIndex: 1 };

/** Cards that stand in for those not entered yet; what they are never matters (only the events before the first is kept). */
const fillerCards = new Array<number>(64).fill(0);

/** Never called: the fillers outlast any one action. A shoe run dry would be an engine invariant broken. */
const noRng: Rng = {
  nextUint32: () => {
    throw new Error("live blackjack: the engine asked for a shuffle");
  },
};

/** Events that take a card from the shoe, in the order the engine draws them. */
const takesCard = (event: BlackjackEvent): boolean =>
  event.type === "card_dealt" || event.type === "dealer_card_dealt" || event.type === "dealer_hole_card_dealt";

export type LiveStep =
  | { readonly status: Exclude<BlackjackStatus, "ok"> }
  /** The action is done on exactly the cards given. */
  | { readonly status: "ok"; readonly complete: true; readonly state: BlackjackState; readonly events: readonly BlackjackEvent[] }
  /** The action needs another card; `events` are those it produced before needing it. */
  | { readonly status: "ok"; readonly complete: false; readonly events: readonly BlackjackEvent[]; readonly nextCardTo: "player" | "dealer" };

/** Runs `action` on `engine` with the cards entered for it (in order). The engine state must carry `liveEngineShoe`. */
export function liveStep(engine: BlackjackState, action: BlackjackAction, cards: readonly number[]): LiveStep {
  const shoe: Shoe = { cards: [...cards, ...fillerCards], next: 0, cutCardIndex: cards.length + fillerCards.length + 1 };
  const step = apply({ ...engine, shoe }, action, noRng);
  if (step.status !== "ok") return { status: step.status };
  const used = step.state.shoe.next;
  if (used <= cards.length) return { status: "ok", complete: true, state: { ...step.state, shoe: liveEngineShoe }, events: step.events };
  // Keep what happened before the first filler card was taken.
  let taken = 0;
  const cut = step.events.findIndex((event) => takesCard(event) && taken++ === cards.length);
  const next = step.events[cut];
  return { status: "ok", complete: false, events: step.events.slice(0, cut), nextCardTo: next?.type === "card_dealt" ? "player" : "dealer" };
}

/** Whether the dealer's hand, as dealt so far, must stand under the table's rule (S17 or H17). */
export function dealerStands(dealer: readonly number[], rules: BlackjackRules): boolean {
  const { total, soft } = handTotal(dealer);
  return total > 17 || (total === 17 && !(soft && rules.dealerHitsSoft17));
}
