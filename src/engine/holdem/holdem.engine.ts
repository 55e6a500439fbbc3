import { orderedDeck, deckSize, isCard } from "../poker/cards.js";
import type { Rng } from "../rng/rng.js";
import { shuffleInPlace } from "../rng/shuffle.js";
import { canAct, HandDraft, inPlay, type SeatDraft } from "./holdem.draft.js";
import { assertHoldemRules, type HoldemRules } from "./holdem.rules.js";
import { finishHand } from "./holdem.showdown.js";
import type { HoldemAction, HoldemSeat, HoldemState, HoldemStatus, HoldemStep } from "./holdem.state.js";

/** A table with players already seated (null for an empty seat), before its first hand. */
export function newTable(rules: HoldemRules, stacksMinor: readonly (bigint | null)[]): HoldemState {
  assertHoldemRules(rules);
  const seats = Array.from({ length: rules.seatCount }, (_, index): HoldemSeat | null => {
    const stackMinor = stacksMinor[index] ?? null;
    return stackMinor === null ? null : emptySeat(stackMinor);
  });
  return {
    rules,
    phase: "between_hands",
    seats,
    button: -1,
    deck: [],
    deckNext: 0,
    board: [],
    toAct: null,
    currentBetMinor: 0n,
    lastRaiseMinor: rules.bigBlindMinor,
    handNumber: 0,
  };
}

const emptySeat = (stackMinor: bigint): HoldemSeat => ({
  stackMinor,
  inHand: false,
  holeCards: [],
  folded: false,
  allIn: false,
  streetBetMinor: 0n,
  committedMinor: 0n,
  actedAtBetMinor: null,
});

const newDeck: readonly number[] = orderedDeck();

/** Shuffles a fresh deck (2c 2d 2h 2s 3c … As; 51 uniform picks, Fisher–Yates) and starts a hand with it. */
export function startHand(state: HoldemState, rng: Rng): HoldemStep {
  return apply(state, { type: "start_hand", deck: shuffleInPlace(rng, newDeck.slice()) });
}

/**
 * The hold'em state machine: (state, action) -> { state, events, status }. It uses no randomness: a
 * hand starts from a deck the caller shuffled (`startHand`), so a recorded hand replays exactly from its
 * deck and actions. An illegal action returns its status with the state unchanged and no events.
 */
export function apply(state: HoldemState, action: HoldemAction): HoldemStep {
  switch (action.type) {
    case "start_hand":
      return beginHand(state, action.deck);
    case "sit":
      return sit(state, action.seat, action.stackMinor);
    case "leave":
      return leave(state, action.seat);
    case "void_hand":
      return voidHand(state);
    default:
      return bettingAction(state, action);
  }
}

const refuse = (state: HoldemState, status: Exclude<HoldemStatus, "ok">): HoldemStep => ({ state, events: [], status });
const done = (draft: HandDraft): HoldemStep => ({ state: draft.finish(), events: draft.events, status: "ok" });

function sit(state: HoldemState, seat: number, stackMinor: bigint): HoldemStep {
  if (state.phase !== "between_hands") return refuse(state, "wrong_phase");
  if (!Number.isInteger(seat) || seat < 0 || seat >= state.seats.length) return refuse(state, "no_such_seat");
  if (state.seats[seat] !== null) return refuse(state, "seat_taken");
  if (typeof stackMinor !== "bigint") return refuse(state, "amount_not_integer");
  if (stackMinor < state.rules.buyInMinMinor || stackMinor > state.rules.buyInMaxMinor) return refuse(state, "buy_in_out_of_range");
  const draft = new HandDraft(state);
  draft.seats[seat] = { ...emptySeat(stackMinor) };
  draft.events.push({ type: "seated", seat, stackMinor });
  return done(draft);
}

function leave(state: HoldemState, seat: number): HoldemStep {
  if (state.phase !== "between_hands") return refuse(state, "wrong_phase");
  const occupant = state.seats[seat];
  if (occupant === undefined) return refuse(state, "no_such_seat");
  if (occupant === null) return refuse(state, "seat_empty");
  const draft = new HandDraft(state);
  draft.seats[seat] = null;
  draft.events.push({ type: "left", seat, stackMinor: occupant.stackMinor });
  return done(draft);
}

/**
 * Calls the hand off: each seat takes back every chip it committed in this hand (blinds included), so
 * the stacks are exactly what they were before the deal and chips are conserved with no rake. The
 * button stays where the hand put it; the next hand moves it on as usual.
 */
function voidHand(state: HoldemState): HoldemStep {
  if (state.phase === "between_hands") return refuse(state, "wrong_phase");
  const draft = new HandDraft(state);
  const returnedMinor = draft.seats.map((seat) => seat?.committedMinor ?? null);
  for (const [index, seat] of draft.seats.entries()) {
    if (seat !== null) draft.seats[index] = { ...emptySeat(seat.stackMinor + seat.committedMinor) };
  }
  draft.phase = "between_hands";
  draft.toAct = null;
  draft.board = [];
  draft.currentBetMinor = 0n;
  draft.lastRaiseMinor = state.rules.bigBlindMinor;
  draft.events.push({ type: "hand_voided", handNumber: draft.handNumber, returnedMinor, stacksMinor: draft.seats.map((seat) => seat?.stackMinor ?? null) });
  return done(draft);
}

/** 52 distinct cards: two bit masks of 26 cards each record which were seen. */
function validDeck(deck: readonly number[]): boolean {
  if (!Array.isArray(deck) || deck.length !== deckSize) return false;
  let low = 0;
  let high = 0;
  for (const card of deck) {
    if (!isCard(card)) return false;
    if (card < 26) low |= 1 << card;
    else high |= 1 << (card - 26);
  }
  return low === 0x3ff_ffff && high === 0x3ff_ffff;
}

/**
 * Moves the button to the next seat with chips, posts the blinds and deals two cards to each player,
 * one at a time from the button's left. Heads-up, the button posts the small blind and acts first
 * before the flop (and last after it). A player short of a blind posts what they have, all-in; the
 * bet to call is still the full big blind.
 */
function beginHand(state: HoldemState, deck: readonly number[]): HoldemStep {
  if (state.phase !== "between_hands") return refuse(state, "wrong_phase");
  if (!validDeck(deck)) return refuse(state, "invalid_deck");
  if (state.seats.filter((seat) => seat !== null && seat.stackMinor > 0n).length < 2) return refuse(state, "not_enough_players");
  const draft = new HandDraft(state);
  for (const [index, seat] of draft.seats.entries()) {
    if (seat !== null) draft.seats[index] = { ...emptySeat(seat.stackMinor), inHand: seat.stackMinor > 0n };
  }
  const dealt = (seat: SeatDraft) => seat.inHand;
  const button = draft.nextSeat(state.button < 0 ? draft.seatCount - 1 : state.button, dealt) as number;
  const players = draft.seats.flatMap((seat, index) => (seat !== null && seat.inHand ? [index] : []));
  const smallBlindSeat = players.length === 2 ? button : (draft.nextSeat(button, dealt) as number);
  const bigBlindSeat = draft.nextSeat(smallBlindSeat, dealt) as number;
  draft.button = button;
  draft.deck = deck.slice();
  draft.deckNext = 0;
  draft.board = [];
  draft.handNumber = state.handNumber + 1;
  draft.phase = "preflop";
  draft.events.push({ type: "hand_started", handNumber: draft.handNumber, button, smallBlindSeat, bigBlindSeat, seats: players });
  postBlind(draft, smallBlindSeat, state.rules.smallBlindMinor, "small");
  postBlind(draft, bigBlindSeat, state.rules.bigBlindMinor, "big");
  const order = players.slice().sort((a, b) => ((a - button - 1 + draft.seatCount) % draft.seatCount) - ((b - button - 1 + draft.seatCount) % draft.seatCount));
  const hands = order.map((): number[] => []);
  for (let round = 0; round < 2; round++) for (const hand of hands) hand.push(draft.draw());
  for (const [i, seat] of order.entries()) {
    const cards = hands[i] as number[];
    draft.seat(seat).holeCards = cards;
    draft.events.push({ type: "hole_cards", recipientSeat: seat, cards: cards.slice() });
  }
  draft.currentBetMinor = state.rules.bigBlindMinor;
  draft.lastRaiseMinor = state.rules.bigBlindMinor;
  advance(draft, bigBlindSeat);
  return done(draft);
}

function postBlind(draft: HandDraft, seat: number, blindMinor: bigint, blind: "small" | "big"): void {
  const stack = draft.seat(seat).stackMinor;
  const amountMinor = stack < blindMinor ? stack : blindMinor;
  draft.put(seat, amountMinor);
  draft.events.push({ type: "blind_posted", seat, amountMinor, blind });
}

/**
 * Whether a seat may raise: before it has acted on this street, or when the bet it faces has grown by
 * at least a full raise since it last acted. So an all-in short of a full raise does not reopen the
 * betting to players who already acted, but several short all-ins adding up to a full raise do.
 */
function canRaise(draft: HandDraft, seat: SeatDraft): boolean {
  return seat.actedAtBetMinor === null || draft.currentBetMinor - seat.actedAtBetMinor >= draft.lastRaiseMinor;
}

function bettingAction(state: HoldemState, action: Exclude<HoldemAction, { type: "start_hand" | "sit" | "leave" | "void_hand" }>): HoldemStep {
  if (state.phase === "between_hands" || state.toAct === null) return refuse(state, "wrong_phase");
  if (action.seat !== state.toAct) return refuse(state, "not_your_turn");
  const draft = new HandDraft(state);
  const seat = draft.seat(action.seat);
  const toCall = draft.currentBetMinor - seat.streetBetMinor;
  let status: HoldemStatus = "ok";
  switch (action.type) {
    case "fold":
      seat.folded = true;
      draft.events.push({ type: "folded", seat: action.seat });
      break;
    case "check":
      if (toCall > 0n) return refuse(state, "cannot_check");
      draft.events.push({ type: "checked", seat: action.seat });
      break;
    case "call":
      if (toCall === 0n) return refuse(state, "nothing_to_call");
      call(draft, action.seat, toCall);
      break;
    case "all_in": {
      const allInTo = seat.streetBetMinor + seat.stackMinor;
      if (allInTo <= draft.currentBetMinor) call(draft, action.seat, toCall);
      else status = raise(draft, action.seat, allInTo);
      break;
    }
    case "raise":
      status = typeof action.toMinor === "bigint" ? raise(draft, action.seat, action.toMinor) : "amount_not_integer";
      break;
  }
  if (status !== "ok") return refuse(state, status);
  seat.actedAtBetMinor = draft.currentBetMinor;
  advance(draft, action.seat);
  return done(draft);
}

function call(draft: HandDraft, index: number, toCallMinor: bigint): void {
  const seat = draft.seat(index);
  const amountMinor = toCallMinor < seat.stackMinor ? toCallMinor : seat.stackMinor;
  draft.put(index, amountMinor);
  draft.events.push({ type: "called", seat: index, amountMinor, allIn: seat.allIn });
}

/** A raise to `toMinor` (the seat's street total): at least the last full raise above the bet, unless it is all-in. */
function raise(draft: HandDraft, index: number, toMinor: bigint): HoldemStatus {
  const seat = draft.seat(index);
  const allInTo = seat.streetBetMinor + seat.stackMinor;
  if (!canRaise(draft, seat)) return "raise_not_reopened";
  if (toMinor > allInTo) return "raise_above_stack";
  if (toMinor <= draft.currentBetMinor) return "raise_below_min";
  const raiseBy = toMinor - draft.currentBetMinor;
  const fullRaise = raiseBy >= draft.lastRaiseMinor;
  if (!fullRaise && toMinor !== allInTo) return "raise_below_min";
  const amountMinor = toMinor - seat.streetBetMinor;
  draft.put(index, amountMinor);
  if (fullRaise) draft.lastRaiseMinor = raiseBy;
  draft.currentBetMinor = toMinor;
  draft.events.push({ type: "raised", seat: index, toMinor, amountMinor, allIn: seat.allIn, fullRaise });
  return "ok";
}

/**
 * A seat must act while it can and has not acted on this street or has not matched the bet; except
 * that a lone player who can still act need not, once matched, since nobody is left to bet against.
 */
function needsToAct(draft: HandDraft, seat: SeatDraft): boolean {
  if (!canAct(seat)) return false;
  if (seat.actedAtBetMinor !== null && seat.streetBetMinor >= draft.currentBetMinor) return false;
  let highestOther = 0n;
  for (const other of draft.seats) {
    if (other === null || other === seat || !inPlay(other)) continue;
    if (!other.allIn) return true;
    if (other.streetBetMinor > highestOther) highestOther = other.streetBetMinor;
  }
  return seat.streetBetMinor < highestOther;
}

/**
 * After an action (or the blinds): passes the turn clockwise, or closes the street and deals the next
 * one, or — when one player is left, or the river's betting is over — finishes the hand. With no one
 * left to bet (all-ins), the remaining streets are dealt out at once.
 */
function advance(draft: HandDraft, after: number): void {
  for (;;) {
    if (livePlayers(draft) === 1) {
      finishHand(draft);
      return;
    }
    const next = draft.nextSeat(after, (seat) => needsToAct(draft, seat));
    if (next !== null) {
      draft.toAct = next;
      const seat = draft.seat(next);
      const minRaiseTo = draft.currentBetMinor + draft.lastRaiseMinor;
      const allInTo = seat.streetBetMinor + seat.stackMinor;
      const raising = canRaise(draft, seat) && allInTo > draft.currentBetMinor;
      draft.events.push({
        type: "turn",
        seat: next,
        toCallMinor: draft.currentBetMinor - seat.streetBetMinor,
        minRaiseToMinor: raising ? (minRaiseTo < allInTo ? minRaiseTo : allInTo) : null,
      });
      return;
    }
    if (draft.phase === "river") {
      finishHand(draft);
      return;
    }
    dealNextStreet(draft);
    after = draft.button;
  }
}

function livePlayers(draft: HandDraft): number {
  let live = 0;
  for (const seat of draft.seats) if (seat !== null && inPlay(seat)) live++;
  return live;
}

const nextStreet = { preflop: "flop", flop: "turn", turn: "river" } as const;

/** Collects the street's bets and deals the next street: a burn card, then three cards or one. */
function dealNextStreet(draft: HandDraft): void {
  for (const seat of draft.seats) {
    if (seat === null) continue;
    seat.streetBetMinor = 0n;
    seat.actedAtBetMinor = null;
  }
  draft.currentBetMinor = 0n;
  draft.lastRaiseMinor = draft.state.rules.bigBlindMinor;
  const street = nextStreet[draft.phase as keyof typeof nextStreet];
  draft.draw();
  const cards = Array.from({ length: street === "flop" ? 3 : 1 }, () => draft.draw());
  draft.board.push(...cards);
  draft.phase = street;
  draft.toAct = null;
  draft.events.push({ type: "board_dealt", street, cards });
}
