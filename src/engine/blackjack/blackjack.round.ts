import type { Rng } from "../rng/rng.js";
import { aceRank, cardPoints, handTotal, isTwoCard21 } from "./blackjack.cards.js";
import { drawCard, type Shoe } from "./blackjack.shoe.js";
import type { BlackjackEvent, BlackjackHand, BlackjackPhase, BlackjackSeat, BlackjackState, HandOutcome } from "./blackjack.state.js";

interface HandDraft {
  cards: number[];
  stakeMinor: bigint;
  doubled: boolean;
  fromSplit: boolean;
  done: boolean;
}

interface SeatDraft {
  hands: HandDraft[];
  insuranceDecided: boolean;
  insuranceMinor: bigint;
  insuranceReturnMinor: bigint;
}

/**
 * A mutable working copy of one state, private to a single action: the action edits it, records
 * events, and `finish` turns it back into a new immutable state. The input state is never touched.
 */
export class RoundDraft {
  readonly events: BlackjackEvent[] = [];
  shoe: Shoe;
  seats: SeatDraft[];
  dealer: number[];
  holeCardRevealed: boolean;
  turn: { seat: number; hand: number } | null;

  constructor(
    readonly state: BlackjackState,
    private readonly rng: Rng,
  ) {
    this.shoe = state.shoe;
    this.seats = state.seats.map((seat) => ({ ...seat, hands: seat.hands.map((hand) => ({ ...hand, cards: hand.cards.slice() })) }));
    this.dealer = state.dealer.slice();
    this.holeCardRevealed = state.holeCardRevealed;
    this.turn = state.turn;
  }

  finish(phase: BlackjackPhase, round = this.state.round): BlackjackState {
    return {
      rules: this.state.rules,
      phase,
      shoe: this.shoe,
      round,
      holeCardRevealed: this.holeCardRevealed,
      turn: this.turn,
      dealer: this.dealer.slice(),
      seats: this.seats.map((seat): BlackjackSeat => ({ ...seat, hands: seat.hands.map((hand): BlackjackHand => ({ ...hand, cards: hand.cards.slice() })) })),
    };
  }

  draw(): number {
    const onTable = [...this.dealer, ...this.seats.flatMap((seat) => seat.hands.flatMap((hand) => hand.cards))];
    const drawn = drawCard(this.shoe, onTable, this.state.rules, this.rng);
    if (drawn.reshuffled) this.events.push({ type: "shuffled" });
    this.shoe = drawn.shoe;
    return drawn.card;
  }

  hand(seat: number, hand: number): HandDraft {
    const found = this.seats[seat]?.hands[hand];
    if (found === undefined) throw new Error(`engine invariant violated: no hand ${seat}/${hand}`);
    return found;
  }

  /** Deals a card to a hand; a hand reaching 21 or more needs no decision and is done. */
  dealTo(seat: number, hand: number): void {
    const target = this.hand(seat, hand);
    const card = this.draw();
    target.cards.push(card);
    this.events.push({ type: "card_dealt", seat, hand, card });
    if (handTotal(target.cards).total >= 21) target.done = true;
  }

  dealerUpcard(): number {
    return this.dealer[0] as number;
  }

  revealHoleCard(): void {
    if (this.holeCardRevealed) return;
    this.holeCardRevealed = true;
    this.events.push({ type: "dealer_hole_card_revealed", card: this.dealer[1] as number });
  }
}

export const isNatural = (hand: { cards: readonly number[]; fromSplit: boolean }): boolean => !hand.fromSplit && isTwoCard21(hand.cards);

/** The dealer may hold a natural only when the upcard is an ace or worth ten; only then is there a peek. */
export function dealerMayHaveBlackjack(upcard: number): boolean {
  return upcard >> 2 === aceRank || cardPoints(upcard) === 10;
}

/**
 * Moves the turn to the next hand needing a decision, dealing the second card to a split hand when play
 * reaches it. When no hand is left the dealer plays and the round settles. Returns the next phase.
 */
export function advanceTurn(draft: RoundDraft): BlackjackPhase {
  const start = draft.turn ?? { seat: 0, hand: 0 };
  for (let seat = start.seat; seat < draft.seats.length; seat++) {
    const hands = draft.seats[seat]?.hands ?? [];
    for (let hand = seat === start.seat ? start.hand : 0; hand < hands.length; hand++) {
      const current = draft.hand(seat, hand);
      if (current.cards.length === 1) draft.dealTo(seat, hand);
      if (current.done) continue;
      draft.turn = { seat, hand };
      draft.events.push({ type: "turn", seat, hand });
      return "player_turn";
    }
  }
  draft.turn = null;
  playDealer(draft);
  settleHands(draft, false);
  return "settled";
}

/** Reveals the hole card and draws to 17; hits a soft 17 under H17. Skipped when nothing is left to beat. */
function playDealer(draft: RoundDraft): void {
  draft.revealHoleCard();
  const live = draft.seats.some((seat) => seat.hands.some((hand) => handTotal(hand.cards).total <= 21 && !isNatural(hand)));
  if (!live) return;
  for (;;) {
    const { total, soft } = handTotal(draft.dealer);
    const hits = total < 17 || (total === 17 && soft && draft.state.rules.dealerHitsSoft17);
    if (!hits) return;
    const card = draft.draw();
    draft.dealer.push(card);
    draft.events.push({ type: "dealer_card_dealt", card });
  }
}

/** Pays every hand. With a dealer natural (found by the peek) only a player natural pushes. */
export function settleHands(draft: RoundDraft, dealerNatural: boolean): void {
  const dealerTotal = handTotal(draft.dealer).total;
  let stakeMinor = 0n;
  let returnMinor = 0n;
  for (const [seat, seatDraft] of draft.seats.entries()) {
    stakeMinor += seatDraft.insuranceMinor;
    returnMinor += seatDraft.insuranceReturnMinor;
    for (const [hand, handDraft] of seatDraft.hands.entries()) {
      const outcome = handOutcome(handDraft, dealerNatural, dealerTotal);
      const paid = handReturn(draft, handDraft.stakeMinor, outcome);
      stakeMinor += handDraft.stakeMinor;
      returnMinor += paid;
      draft.events.push({ type: "hand_settled", seat, hand, outcome, returnMinor: paid });
    }
  }
  draft.events.push({ type: "round_settled", stakeMinor, returnMinor });
}

function handOutcome(hand: HandDraft, dealerNatural: boolean, dealerTotal: number): HandOutcome {
  const natural = isNatural(hand);
  if (dealerNatural) return natural ? "push" : "lose";
  if (natural) return "blackjack";
  const total = handTotal(hand.cards).total;
  if (total > 21) return "lose";
  if (dealerTotal > 21 || total > dealerTotal) return "win";
  return total === dealerTotal ? "push" : "lose";
}

/** Amount paid back, stake included. A natural's winnings are rounded down to the minor unit. */
function handReturn(draft: RoundDraft, stakeMinor: bigint, outcome: HandOutcome): bigint {
  const { numerator, denominator } = draft.state.rules.blackjackPays;
  switch (outcome) {
    case "blackjack":
      return stakeMinor + (stakeMinor * numerator) / denominator;
    case "win":
      return 2n * stakeMinor;
    case "push":
      return stakeMinor;
    case "lose":
      return 0n;
  }
}
