import type { Rng } from "../rng/rng.js";
import { aceRank } from "./blackjack.cards.js";
import { assertBlackjackRules, type BlackjackRules } from "./blackjack.rules.js";
import { advanceTurn, dealerMayHaveBlackjack, isNatural, RoundDraft, settleHands } from "./blackjack.round.js";
import { cutCardReached, newShoe, type Shoe } from "./blackjack.shoe.js";
import type { BlackjackAction, BlackjackPhase, BlackjackState, BlackjackStatus, BlackjackStep } from "./blackjack.state.js";

/** A table between rounds with a freshly shuffled shoe. */
export function newTable(rules: BlackjackRules, rng: Rng): BlackjackState {
  return tableWithShoe(rules, newShoe(rules, rng));
}

/**
 * A table with no shoe yet: its first deal shuffles one (with the rng of that deal), as it does at the
 * cut card. A provably-fair table starts so, so that each shoe is one shuffle on its committed stream.
 */
export function newTableAwaitingShoe(rules: BlackjackRules): BlackjackState {
  return tableWithShoe(rules, { cards: [], next: 0, cutCardIndex: 0 });
}

/** A table with a given shoe: replays of recorded shoes, and tests that need exact cards. */
export function tableWithShoe(rules: BlackjackRules, shoe: Shoe): BlackjackState {
  assertBlackjackRules(rules);
  return { rules, phase: "betting", shoe, seats: [], dealer: [], holeCardRevealed: false, turn: null, round: 0 };
}

/**
 * The blackjack state machine: (state, action, rng) -> { state, events, status }. An illegal action
 * returns its status with the state unchanged and no events. The rng is only used to shuffle (at the
 * cut card, or if a round runs the shoe dry).
 */
export function apply(state: BlackjackState, action: BlackjackAction, rng: Rng): BlackjackStep {
  switch (action.type) {
    case "deal":
      return deal(state, action.betsMinor, rng);
    case "insurance":
      return insure(state, action.seat, action.take, rng);
    default:
      return playerAction(state, action.type, action.seat, rng);
  }
}

const refuse = (state: BlackjackState, status: Exclude<BlackjackStatus, "ok">): BlackjackStep => ({ state, events: [], status });

function checkBets(rules: BlackjackRules, betsMinor: readonly bigint[]): BlackjackStatus {
  if (betsMinor.length > rules.seatsMax) return "too_many_seats";
  if (!betsMinor.every((bet) => typeof bet === "bigint")) return "bet_not_integer";
  // A zero bet means the seat sits the round out.
  const placed = betsMinor.filter((bet) => bet !== 0n);
  if (placed.length === 0) return "no_bets";
  if (placed.some((bet) => bet < rules.betMinMinor)) return "bet_below_min";
  if (placed.some((bet) => bet > rules.betMaxMinor)) return "bet_above_max";
  return "ok";
}

/** Shuffles if the cut card came out, then deals in casino order: one card each, dealer up, one each, hole. */
function deal(state: BlackjackState, betsMinor: readonly bigint[], rng: Rng): BlackjackStep {
  if (state.phase !== "betting" && state.phase !== "settled") return refuse(state, "wrong_phase");
  const status = checkBets(state.rules, betsMinor);
  if (status !== "ok") return refuse(state, status);
  const shuffled = cutCardReached(state.shoe);
  const fresh: BlackjackState = {
    ...state,
    shoe: shuffled ? newShoe(state.rules, rng) : state.shoe,
    dealer: [],
    holeCardRevealed: false,
    turn: null,
    seats: betsMinor.map((bet) => ({
      hands: bet === 0n ? [] : [{ cards: [], stakeMinor: bet, doubled: false, fromSplit: false, done: false }],
      insuranceDecided: false,
      insuranceMinor: 0n,
      insuranceReturnMinor: 0n,
    })),
  };
  const draft = new RoundDraft(fresh, rng);
  if (shuffled) draft.events.push({ type: "shuffled" });
  const active = draft.seats.flatMap((seat, index) => (seat.hands.length > 0 ? [index] : []));
  for (const seat of active) draft.dealTo(seat, 0);
  draft.dealer.push(draft.draw());
  draft.events.push({ type: "dealer_card_dealt", card: draft.dealerUpcard() });
  for (const seat of active) draft.dealTo(seat, 0);
  draft.dealer.push(draft.draw());
  draft.events.push({ type: "dealer_hole_card_dealt" });
  const offerInsurance = state.rules.insurance && draft.dealerUpcard() >> 2 === aceRank;
  const phase = offerInsurance ? "insurance" : peekAndStart(draft);
  return { state: draft.finish(phase, state.round + 1), events: draft.events, status: "ok" };
}

/**
 * Insurance: a side bet of half the stake that the dealer holds a natural, paying 2:1. Every playing
 * seat decides once; after the last decision the dealer peeks.
 */
function insure(state: BlackjackState, seat: number, take: boolean, rng: Rng): BlackjackStep {
  if (state.phase !== "insurance") return refuse(state, "wrong_phase");
  const target = state.seats[seat];
  if (target === undefined || target.hands.length === 0) return refuse(state, "not_your_turn");
  if (target.insuranceDecided) return refuse(state, "insurance_already_decided");
  const draft = new RoundDraft(state, rng);
  const seatDraft = draft.seats[seat] as RoundDraft["seats"][number];
  seatDraft.insuranceDecided = true;
  if (take) {
    seatDraft.insuranceMinor = (seatDraft.hands[0]?.stakeMinor ?? 0n) / 2n;
    draft.events.push({ type: "stake_added", seat, hand: 0, amountMinor: seatDraft.insuranceMinor, reason: "insurance" });
  }
  const waiting = draft.seats.some((s) => s.hands.length > 0 && !s.insuranceDecided);
  const phase = waiting ? "insurance" : peekAndStart(draft);
  return { state: draft.finish(phase), events: draft.events, status: "ok" };
}

/** The peek: a dealer natural ends the round at once (only naturals push); otherwise insurance loses and play starts. */
function peekAndStart(draft: RoundDraft): BlackjackPhase {
  const upcard = draft.dealerUpcard();
  const dealerNatural = dealerMayHaveBlackjack(upcard) && isNatural({ cards: draft.dealer, fromSplit: false });
  for (const [seat, seatDraft] of draft.seats.entries()) {
    if (seatDraft.insuranceMinor === 0n) continue;
    seatDraft.insuranceReturnMinor = dealerNatural ? 3n * seatDraft.insuranceMinor : 0n;
    draft.events.push({ type: "insurance_settled", seat, returnMinor: seatDraft.insuranceReturnMinor });
  }
  if (dealerNatural) {
    draft.revealHoleCard();
    settleHands(draft, true);
    return "settled";
  }
  draft.turn = null;
  return advanceTurn(draft);
}

function playerAction(state: BlackjackState, type: "hit" | "stand" | "double" | "split", seat: number, rng: Rng): BlackjackStep {
  if (state.phase !== "player_turn" || state.turn === null) return refuse(state, "wrong_phase");
  if (state.turn.seat !== seat) return refuse(state, "not_your_turn");
  const draft = new RoundDraft(state, rng);
  const { hand } = state.turn;
  const current = draft.hand(seat, hand);
  if (type === "double") {
    if (!canDouble(state, current)) return refuse(state, "cannot_double");
    draft.events.push({ type: "stake_added", seat, hand, amountMinor: current.stakeMinor, reason: "double" });
    current.stakeMinor *= 2n;
    current.doubled = true;
    draft.dealTo(seat, hand);
    current.done = true;
  } else if (type === "split") {
    if (!canSplit(state, seat, current)) return refuse(state, "cannot_split");
    split(draft, seat, hand);
  } else if (type === "hit") {
    draft.dealTo(seat, hand);
  } else {
    current.done = true;
  }
  const phase = current.done ? advanceTurn(draft) : "player_turn";
  return { state: draft.finish(phase), events: draft.events, status: "ok" };
}

function canDouble(state: BlackjackState, hand: { cards: readonly number[]; fromSplit: boolean }): boolean {
  return hand.cards.length === 2 && (!hand.fromSplit || state.rules.doubleAfterSplit);
}

/** A pair of the same rank (a king and a queen are not a pair here). Split aces stand, so they never resplit. */
function canSplit(state: BlackjackState, seat: number, hand: { cards: readonly number[] }): boolean {
  const [first, second] = hand.cards;
  if (hand.cards.length !== 2 || first === undefined || second === undefined || first >> 2 !== second >> 2) return false;
  return (state.seats[seat]?.hands.length ?? 0) < state.rules.splitHandsMax;
}

/**
 * Splits a pair into two hands of the same stake. The first hand takes its second card now; the new
 * hand takes its own when play reaches it. Split aces take one card each and stand.
 */
function split(draft: RoundDraft, seat: number, hand: number): void {
  const hands = draft.seats[seat]?.hands ?? [];
  const current = draft.hand(seat, hand);
  const moved = current.cards.pop() as number;
  current.fromSplit = true;
  hands.splice(hand + 1, 0, { cards: [moved], stakeMinor: current.stakeMinor, doubled: false, fromSplit: true, done: false });
  draft.events.push({ type: "hand_split", seat, hand });
  draft.events.push({ type: "stake_added", seat, hand: hand + 1, amountMinor: current.stakeMinor, reason: "split" });
  draft.dealTo(seat, hand);
  if (moved >> 2 === aceRank) {
    draft.dealTo(seat, hand + 1);
    current.done = true;
    draft.hand(seat, hand + 1).done = true;
  }
}
