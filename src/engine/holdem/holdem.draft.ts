import type { HoldemEvent, HoldemPhase, HoldemSeat, HoldemState } from "./holdem.state.js";

export type SeatDraft = { -readonly [K in keyof HoldemSeat]: HoldemSeat[K] };

/**
 * A mutable working copy of a state, private to one action: the action edits it and records events,
 * and `finish` freezes it into the next state. The input state is never touched.
 */
export class HandDraft {
  readonly events: HoldemEvent[] = [];
  readonly seats: (SeatDraft | null)[];
  phase: HoldemPhase;
  button: number;
  deck: readonly number[];
  deckNext: number;
  board: number[];
  toAct: number | null;
  currentBetMinor: bigint;
  lastRaiseMinor: bigint;
  handNumber: number;
  readonly seatCount: number;

  constructor(readonly state: HoldemState) {
    this.seats = state.seats.map(copySeat);
    this.seatCount = this.seats.length;
    this.phase = state.phase;
    this.button = state.button;
    this.deck = state.deck;
    this.deckNext = state.deckNext;
    this.board = state.board.slice();
    this.toAct = state.toAct;
    this.currentBetMinor = state.currentBetMinor;
    this.lastRaiseMinor = state.lastRaiseMinor;
    this.handNumber = state.handNumber;
  }

  seat(index: number): SeatDraft {
    const found = this.seats[index];
    if (found === undefined || found === null) throw new Error(`engine invariant violated: no player in seat ${index}`);
    return found;
  }

  /** The next seat clockwise after `from` (not `from` itself) that passes `test`, or null. */
  nextSeat(from: number, test: (seat: SeatDraft, index: number) => boolean): number | null {
    for (let step = 1; step <= this.seatCount; step++) {
      const index = (from + step) % this.seatCount;
      const seat = this.seats[index];
      if (seat !== null && seat !== undefined && test(seat, index)) return index;
    }
    return null;
  }

  /** Moves chips from a stack to the seat's bet; marks the seat all-in when its stack is empty. */
  put(index: number, amountMinor: bigint): void {
    const seat = this.seat(index);
    if (amountMinor > seat.stackMinor || amountMinor < 0n) throw new Error(`engine invariant violated: seat ${index} cannot put ${amountMinor}`);
    seat.stackMinor -= amountMinor;
    seat.streetBetMinor += amountMinor;
    seat.committedMinor += amountMinor;
    if (seat.stackMinor === 0n) seat.allIn = true;
  }

  draw(): number {
    const card = this.deck[this.deckNext];
    if (card === undefined) throw new Error("engine invariant violated: the deck ran out");
    this.deckNext++;
    return card;
  }

  finish(): HoldemState {
    return {
      rules: this.state.rules,
      phase: this.phase,
      button: this.button,
      deck: this.deck,
      deckNext: this.deckNext,
      board: this.board.slice(),
      toAct: this.toAct,
      currentBetMinor: this.currentBetMinor,
      lastRaiseMinor: this.lastRaiseMinor,
      handNumber: this.handNumber,
      seats: this.seats.map(copySeat),
    };
  }
}

/**
 * A seat copied field by field: an object literal of known shape is several times faster than a spread
 * in V8, and every action copies every seat twice.
 */
function copySeat(seat: HoldemSeat | null): SeatDraft | null {
  if (seat === null) return null;
  return {
    stackMinor: seat.stackMinor,
    inHand: seat.inHand,
    holeCards: seat.holeCards,
    folded: seat.folded,
    allIn: seat.allIn,
    streetBetMinor: seat.streetBetMinor,
    committedMinor: seat.committedMinor,
    actedAtBetMinor: seat.actedAtBetMinor,
  };
}

export const inPlay = (seat: SeatDraft): boolean => seat.inHand && !seat.folded;
export const canAct = (seat: SeatDraft): boolean => inPlay(seat) && !seat.allIn;
