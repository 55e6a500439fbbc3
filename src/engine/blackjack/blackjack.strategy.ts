import { aceRank, cardPoints, handTotal } from "./blackjack.cards.js";
import type { BlackjackRules } from "./blackjack.rules.js";
import type { BlackjackState } from "./blackjack.state.js";

export type StrategyAction = "hit" | "stand" | "double" | "split";

/**
 * Basic strategy for a multi-deck shoe (4–8 decks), no surrender, the dealer peeking for a natural:
 * the standard tables (Thorp, Griffin; as printed by the Wizard of Odds), with the H17 and
 * no-double-after-split variations. Insurance is never taken. Used by the RTP simulation; it reads
 * only the player's cards and the dealer's upcard, as a player at the table can.
 *
 * Table cells: H hit, S stand, D double (else hit), Ds double (else stand), P split.
 */
type Cell = "H" | "S" | "D" | "Ds" | "P";

// Columns: dealer upcard 2, 3, 4, 5, 6, 7, 8, 9, 10, A.
const row = (cells: string): Cell[] => cells.split(" ") as Cell[];

function hardRow(total: number, h17: boolean): Cell[] {
  if (total <= 8) return row("H H H H H H H H H H");
  if (total === 9) return row("H D D D D H H H H H");
  if (total === 10) return row("D D D D D D D D H H");
  if (total === 11) return h17 ? row("D D D D D D D D D D") : row("D D D D D D D D D H");
  if (total === 12) return row("H H S S S H H H H H");
  if (total <= 16) return row("S S S S S H H H H H");
  return row("S S S S S S S S S S");
}

function softRow(total: number, h17: boolean): Cell[] {
  if (total <= 14) return row("H H H D D H H H H H");
  if (total <= 16) return row("H H D D D H H H H H");
  if (total === 17) return row("H D D D D H H H H H");
  if (total === 18) return h17 ? row("Ds Ds Ds Ds Ds S S H H H") : row("S Ds Ds Ds Ds S S H H H");
  if (total === 19) return h17 ? row("S S S S Ds S S S S S") : row("S S S S S S S S S S");
  return row("S S S S S S S S S S");
}

/** Pair rows by the pair's point value (1 for aces); null means "play the hard total" (fives, tens). */
function pairRow(points: number, das: boolean): Cell[] | null {
  switch (points) {
    case 1:
      return row("P P P P P P P P P P");
    case 2:
    case 3:
      return das ? row("P P P P P P H H H H") : row("H H P P P P H H H H");
    case 4:
      return das ? row("H H H P P H H H H H") : null;
    case 6:
      return das ? row("P P P P P H H H H H") : row("H P P P P H H H H H");
    case 7:
      return row("P P P P P P H H H H");
    case 8:
      return row("P P P P P P P P P P");
    case 9:
      return row("P P P P P S P P S S");
    default:
      return null;
  }
}

export interface StrategyOptions {
  readonly canDouble: boolean;
  readonly canSplit: boolean;
}

/** The basic-strategy play for a hand against the dealer's upcard. */
export function basicStrategy(cards: readonly number[], upcard: number, rules: BlackjackRules, options: StrategyOptions): StrategyAction {
  const column = upcard >> 2 === aceRank ? 9 : cardPoints(upcard) - 2;
  const [first, second] = cards;
  if (options.canSplit && cards.length === 2 && first !== undefined && second !== undefined && first >> 2 === second >> 2) {
    const pair = pairRow(cardPoints(first), rules.doubleAfterSplit);
    if (pair?.[column] === "P") return "split";
  }
  const { total, soft } = handTotal(cards);
  const cell = (soft ? softRow(total, rules.dealerHitsSoft17) : hardRow(total, rules.dealerHitsSoft17))[column] ?? "S";
  if (cell === "D") return options.canDouble ? "double" : "hit";
  if (cell === "Ds") return options.canDouble ? "double" : "stand";
  return cell === "H" ? "hit" : "stand";
}

/** The basic-strategy action for the hand whose turn it is, with the engine's own double and split rules. */
export function basicStrategyAction(state: BlackjackState): StrategyAction | null {
  if (state.phase !== "player_turn" || state.turn === null) return null;
  const { seat, hand } = state.turn;
  const seatState = state.seats[seat];
  const current = seatState?.hands[hand];
  const upcard = state.dealer[0];
  if (seatState === undefined || current === undefined || upcard === undefined) return null;
  const two = current.cards.length === 2;
  const canDouble = two && (!current.fromSplit || state.rules.doubleAfterSplit);
  const [first, second] = current.cards;
  const canSplit = two && seatState.hands.length < state.rules.splitHandsMax && first !== undefined && second !== undefined && first >> 2 === second >> 2;
  return basicStrategy(current.cards, upcard, state.rules, { canDouble, canSplit });
}
