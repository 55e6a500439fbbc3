import type { BlackjackRules } from "./blackjack.rules.js";
import type { Shoe } from "./blackjack.shoe.js";

export type BlackjackPhase = "betting" | "insurance" | "player_turn" | "settled";

export interface BlackjackHand {
  readonly cards: readonly number[];
  readonly stakeMinor: bigint;
  readonly doubled: boolean;
  /** A two-card 21 on a split hand is 21, not a natural. */
  readonly fromSplit: boolean;
  /** Stood, doubled, busted, reached 21, or split aces: no more actions. */
  readonly done: boolean;
}

export interface BlackjackSeat {
  /** Empty when the seat sits the round out. */
  readonly hands: readonly BlackjackHand[];
  readonly insuranceDecided: boolean;
  readonly insuranceMinor: bigint;
  readonly insuranceReturnMinor: bigint;
}

export interface BlackjackState {
  readonly rules: BlackjackRules;
  readonly phase: BlackjackPhase;
  readonly shoe: Shoe;
  readonly seats: readonly BlackjackSeat[];
  /** The dealer's cards; the second is the hole card, hidden from players until revealed. */
  readonly dealer: readonly number[];
  readonly holeCardRevealed: boolean;
  readonly turn: { readonly seat: number; readonly hand: number } | null;
  readonly round: number;
}

export type HandOutcome = "blackjack" | "win" | "push" | "lose";

/**
 * What happened, in order, for the room's event log. The hole card is announced without its value and
 * revealed later, so the log can be broadcast as is.
 */
export type BlackjackEvent =
  | { readonly type: "shuffled" }
  | { readonly type: "card_dealt"; readonly seat: number; readonly hand: number; readonly card: number }
  | { readonly type: "dealer_card_dealt"; readonly card: number }
  | { readonly type: "dealer_hole_card_dealt" }
  | { readonly type: "dealer_hole_card_revealed"; readonly card: number }
  | {
      readonly type: "stake_added";
      readonly seat: number;
      readonly hand: number;
      readonly amountMinor: bigint;
      readonly reason: "double" | "split" | "insurance";
    }
  | { readonly type: "hand_split"; readonly seat: number; readonly hand: number }
  | { readonly type: "turn"; readonly seat: number; readonly hand: number }
  | { readonly type: "insurance_settled"; readonly seat: number; readonly returnMinor: bigint }
  | { readonly type: "hand_settled"; readonly seat: number; readonly hand: number; readonly outcome: HandOutcome; readonly returnMinor: bigint }
  | { readonly type: "round_settled"; readonly stakeMinor: bigint; readonly returnMinor: bigint };

export type BlackjackAction =
  | { readonly type: "deal"; readonly betsMinor: readonly bigint[] }
  | { readonly type: "insurance"; readonly seat: number; readonly take: boolean }
  | { readonly type: "hit" | "stand" | "double" | "split"; readonly seat: number };

export type BlackjackStatus =
  | "ok"
  | "wrong_phase"
  | "not_your_turn"
  | "no_bets"
  | "too_many_seats"
  | "bet_not_integer"
  | "bet_below_min"
  | "bet_above_max"
  | "cannot_double"
  | "cannot_split"
  | "insurance_already_decided";

export interface BlackjackStep {
  readonly state: BlackjackState;
  readonly events: readonly BlackjackEvent[];
  readonly status: BlackjackStatus;
}
