import type { HandCategory } from "../poker/hand-eval.js";
import type { HoldemRules } from "./holdem.rules.js";

export type HoldemStreet = "preflop" | "flop" | "turn" | "river";
export type HoldemPhase = "between_hands" | HoldemStreet;

export interface HoldemSeat {
  readonly stackMinor: bigint;
  /** Dealt into the current (or last) hand. */
  readonly inHand: boolean;
  /** Private: sent only to this seat (see `eventRecipient`) until a showdown shows them. */
  readonly holeCards: readonly number[];
  readonly folded: boolean;
  readonly allIn: boolean;
  /** Chips put in on the current street. */
  readonly streetBetMinor: bigint;
  /** Chips put in during the whole hand, blinds included. */
  readonly committedMinor: bigint;
  /**
   * The street's bet level when this seat last acted, or null before it acts on this street. A seat
   * may raise again only when the bet has since grown by at least a full raise (see canRaise).
   */
  readonly actedAtBetMinor: bigint | null;
}

/**
 * A table. Server-side only: it holds the deck order and every hole card, so it is never sent to
 * players; they receive events, filtered by `eventRecipient`.
 */
export interface HoldemState {
  readonly rules: HoldemRules;
  readonly phase: HoldemPhase;
  /** One entry per seat; null when the seat is empty. */
  readonly seats: readonly (HoldemSeat | null)[];
  /** The dealer button's seat; -1 before the first hand. */
  readonly button: number;
  readonly deck: readonly number[];
  readonly deckNext: number;
  readonly board: readonly number[];
  readonly toAct: number | null;
  /** The street's highest bet, which a player must match to stay in. */
  readonly currentBetMinor: bigint;
  /** The size of the last full raise on this street (the big blind when none): a raise must add at least this. */
  readonly lastRaiseMinor: bigint;
  readonly handNumber: number;
}

export interface HoldemPotAward {
  readonly seat: number;
  readonly amountMinor: bigint;
}

/**
 * What happened, in order. Every event is public except `hole_cards`, which carries `recipientSeat`:
 * a gateway sends it to that seat only, and a replay keeps it private the same way.
 */
export type HoldemEvent =
  | {
      readonly type: "hand_started";
      readonly handNumber: number;
      readonly button: number;
      readonly smallBlindSeat: number;
      readonly bigBlindSeat: number;
      readonly seats: readonly number[];
    }
  | { readonly type: "blind_posted"; readonly seat: number; readonly amountMinor: bigint; readonly blind: "small" | "big" }
  | { readonly type: "hole_cards"; readonly recipientSeat: number; readonly cards: readonly number[] }
  | { readonly type: "turn"; readonly seat: number; readonly toCallMinor: bigint; readonly minRaiseToMinor: bigint | null }
  | { readonly type: "folded"; readonly seat: number }
  | { readonly type: "checked"; readonly seat: number }
  | { readonly type: "called"; readonly seat: number; readonly amountMinor: bigint; readonly allIn: boolean }
  | {
      readonly type: "raised";
      readonly seat: number;
      readonly toMinor: bigint;
      readonly amountMinor: bigint;
      readonly allIn: boolean;
      readonly fullRaise: boolean;
    }
  | { readonly type: "board_dealt"; readonly street: "flop" | "turn" | "river"; readonly cards: readonly number[] }
  | { readonly type: "uncalled_bet_returned"; readonly seat: number; readonly amountMinor: bigint }
  | { readonly type: "showdown"; readonly seat: number; readonly cards: readonly number[]; readonly handValue: number; readonly category: HandCategory }
  | {
      readonly type: "pot_awarded";
      readonly pot: number;
      readonly amountMinor: bigint;
      readonly rakeMinor: bigint;
      readonly eligibleSeats: readonly number[];
      readonly awards: readonly HoldemPotAward[];
    }
  | { readonly type: "hand_completed"; readonly handNumber: number; readonly rakeMinor: bigint; readonly stacksMinor: readonly (bigint | null)[] }
  /** The hand was called off: every seat got back what it had put in (`returnedMinor`, null for an empty seat). */
  | {
      readonly type: "hand_voided";
      readonly handNumber: number;
      readonly returnedMinor: readonly (bigint | null)[];
      readonly stacksMinor: readonly (bigint | null)[];
    }
  | { readonly type: "seated"; readonly seat: number; readonly stackMinor: bigint }
  | { readonly type: "left"; readonly seat: number; readonly stackMinor: bigint };

export type HoldemAction =
  | { readonly type: "start_hand"; readonly deck: readonly number[] }
  | { readonly type: "fold" | "check" | "call" | "all_in"; readonly seat: number }
  /** A bet or a raise: `toMinor` is the seat's total bet on this street afterwards (a first bet is a raise from zero). */
  | { readonly type: "raise"; readonly seat: number; readonly toMinor: bigint }
  | { readonly type: "sit"; readonly seat: number; readonly stackMinor: bigint }
  | { readonly type: "leave"; readonly seat: number }
  /** Calls the hand in play off (an operator's void): no pot is awarded, no rake taken, every seat's chips go back. */
  | { readonly type: "void_hand" };

export type HoldemStatus =
  | "ok"
  | "wrong_phase"
  | "not_your_turn"
  | "cannot_check"
  | "nothing_to_call"
  | "amount_not_integer"
  | "raise_below_min"
  | "raise_above_stack"
  | "raise_not_reopened"
  | "not_enough_players"
  | "invalid_deck"
  | "no_such_seat"
  | "seat_taken"
  | "seat_empty"
  | "buy_in_out_of_range";

export interface HoldemStep {
  readonly state: HoldemState;
  readonly events: readonly HoldemEvent[];
  readonly status: HoldemStatus;
}

/** Who may see an event: one seat for hole cards, everyone for the rest. */
export function eventRecipient(event: HoldemEvent): number | "all" {
  return event.type === "hole_cards" ? event.recipientSeat : "all";
}
