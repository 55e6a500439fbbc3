import { assert } from "../rng/assert.js";

export interface PotContribution {
  readonly seat: number;
  readonly committedMinor: bigint;
  readonly folded: boolean;
}

export interface Pot {
  readonly amountMinor: bigint;
  /** Seats that may win it: still in the hand and covering its level. Ascending. */
  readonly eligibleSeats: readonly number[];
}

/**
 * The part of the largest contribution nobody matched goes back to its owner before pots are built
 * (a bet everyone folded to, or an all-in bigger than any other stack). Returns that seat and amount.
 */
export function uncalledBet(contributions: readonly PotContribution[]): { seat: number; amountMinor: bigint } | null {
  let top: PotContribution | undefined;
  let second = 0n;
  for (const entry of contributions) {
    if (top === undefined || entry.committedMinor > top.committedMinor) {
      if (top !== undefined) second = top.committedMinor;
      top = entry;
    } else if (entry.committedMinor > second) {
      second = entry.committedMinor;
    }
  }
  if (top === undefined || top.committedMinor === second) return null;
  return { seat: top.seat, amountMinor: top.committedMinor - second };
}

/**
 * Main pot and side pots, from what every seat put in during the hand (after the uncalled part was
 * returned). Each distinct contribution level of a seat still in the hand closes a pot: every seat pays
 * into it up to that level, and only the seats still in that reached the level may win it. Folded
 * chips stay in the pots they were paid into. With three all-ins of 100, 250 and 400 and a caller of
 * 400, the pots are 4 × 100, 3 × 150 and 2 × 150.
 */
export function buildPots(contributions: readonly PotContribution[]): Pot[] {
  const live = contributions.filter((entry) => !entry.folded);
  assert(live.length >= 1, "a pot needs a seat still in the hand");
  const levels = [...new Set(live.map((entry) => entry.committedMinor))].filter((level) => level > 0n).sort((a, b) => (a < b ? -1 : 1));
  const pots: Pot[] = [];
  let previous = 0n;
  for (const level of levels) {
    let amountMinor = 0n;
    for (const entry of contributions) amountMinor += min(entry.committedMinor, level) - min(entry.committedMinor, previous);
    const eligibleSeats = live
      .filter((entry) => entry.committedMinor >= level)
      .map((entry) => entry.seat)
      .sort((a, b) => a - b);
    pots.push({ amountMinor, eligibleSeats });
    previous = level;
  }
  // Chips a folded seat put in above every live seat's level (only possible if the uncalled part was not returned).
  let above = 0n;
  for (const entry of contributions) above += entry.committedMinor - min(entry.committedMinor, previous);
  if (above > 0n) {
    const last = pots.pop();
    assert(last !== undefined, "folded chips need a pot");
    pots.push({ ...last, amountMinor: last.amountMinor + above });
  }
  return pots;
}

/**
 * Splits a pot between tied winners: equal shares, and the chips that do not divide go one each to the
 * winners nearest the button's left, clockwise (the usual odd-chip rule).
 */
export function splitPot(amountMinor: bigint, winners: readonly number[], button: number, seatCount: number): { seat: number; amountMinor: bigint }[] {
  assert(winners.length > 0, "a pot needs a winner");
  const order = winners.slice().sort((a, b) => clockwiseFrom(button, a, seatCount) - clockwiseFrom(button, b, seatCount));
  const share = amountMinor / BigInt(order.length);
  let odd = amountMinor % BigInt(order.length);
  return order.map((seat) => {
    const extra = odd > 0n ? 1n : 0n;
    odd -= extra;
    return { seat, amountMinor: share + extra };
  });
}

/** 1 for the seat left of the button, up to seatCount for the button itself. */
export function clockwiseFrom(button: number, seat: number, seatCount: number): number {
  return ((seat - button - 1 + seatCount) % seatCount) + 1;
}

/**
 * The rake of one pot: a share rounded down, within what is left of the hand's cap. Taken pot by pot
 * from the main pot outwards, so side pots are raked only once the main pot is.
 */
export function potRake(amountMinor: bigint, basisPoints: number, capLeftMinor: bigint): bigint {
  const share = (amountMinor * BigInt(basisPoints)) / 10_000n;
  return min(share, capLeftMinor);
}

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
