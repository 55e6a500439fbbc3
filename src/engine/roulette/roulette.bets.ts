import { assert } from "../rng/assert.js";
import { layoutColumn, layoutRow, pocketCount, redNumbers } from "./roulette.wheel.js";

/** Bets placed on numbers of the layout (inside) and on groups printed around it (outside). */
export const insideBetTypes = ["straight", "split", "street", "corner", "six_line"] as const;
export const indexedBetTypes = ["dozen", "column"] as const;
export const evenMoneyBetTypes = ["red", "black", "odd", "even", "low", "high"] as const;
export const betTypes = [...insideBetTypes, ...indexedBetTypes, ...evenMoneyBetTypes] as const;

export type InsideBetType = (typeof insideBetTypes)[number];
export type IndexedBetType = (typeof indexedBetTypes)[number];
export type EvenMoneyBetType = (typeof evenMoneyBetTypes)[number];
export type RouletteBetType = (typeof betTypes)[number];

/** Payout odds "to 1". Every bet covering k pockets pays 36/k - 1 to 1, which is why each returns 36/37. */
export const payoutOdds: Readonly<Record<RouletteBetType, bigint>> = {
  straight: 35n,
  split: 17n,
  street: 11n,
  corner: 8n,
  six_line: 5n,
  dozen: 2n,
  column: 2n,
  red: 1n,
  black: 1n,
  odd: 1n,
  even: 1n,
  low: 1n,
  high: 1n,
};

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const layoutNumbers = range(1, 36);

/**
 * Every valid pocket set of each inside bet, sorted ascending. Generated from the layout geometry once,
 * so validation is a set lookup and tests can enumerate every bet a player could make.
 * Zero bets follow the common European table: splits 0-1, 0-2, 0-3; the trios 0-1-2 and 0-2-3 as
 * streets; the "first four" 0-1-2-3 as a corner. Each pays like the bet it is grouped with.
 */
const insidePocketSets: Readonly<Record<InsideBetType, readonly (readonly number[])[]>> = {
  straight: range(0, 36).map((n) => [n]),
  split: [
    [0, 1],
    [0, 2],
    [0, 3],
    ...layoutNumbers.filter((n) => layoutColumn(n) < 2).map((n) => [n, n + 1]),
    ...layoutNumbers.filter((n) => layoutRow(n) < 11).map((n) => [n, n + 3]),
  ],
  street: [[0, 1, 2], [0, 2, 3], ...range(0, 11).map((row) => range(3 * row + 1, 3 * row + 3))],
  corner: [[0, 1, 2, 3], ...layoutNumbers.filter((n) => layoutColumn(n) < 2 && layoutRow(n) < 11).map((n) => [n, n + 1, n + 3, n + 4])],
  six_line: range(0, 10).map((row) => range(3 * row + 1, 3 * row + 6)),
};

const insideKeys: Readonly<Record<InsideBetType, ReadonlyMap<string, readonly number[]>>> = {
  straight: keyed(insidePocketSets.straight),
  split: keyed(insidePocketSets.split),
  street: keyed(insidePocketSets.street),
  corner: keyed(insidePocketSets.corner),
  six_line: keyed(insidePocketSets.six_line),
};

function keyed(sets: readonly (readonly number[])[]): ReadonlyMap<string, readonly number[]> {
  return new Map(sets.map((pockets) => [pockets.join(","), pockets]));
}

/** The pocket sets a bet of this type may cover: 37 straights, 60 splits, 14 streets, 23 corners, 11 six lines. */
export function validPocketSets(type: InsideBetType): readonly (readonly number[])[] {
  return insidePocketSets[type];
}

/** Finds the canonical pocket set for the numbers a player chose, in any order; undefined if not on the layout. */
export function insidePockets(type: InsideBetType, numbers: readonly unknown[]): readonly number[] | undefined {
  if (!numbers.every((n) => Number.isInteger(n))) return undefined;
  const key = (numbers as number[])
    .slice()
    .sort((a, b) => a - b)
    .join(",");
  return insideKeys[type].get(key);
}

/** Dozen 1 is 1..12, 2 is 13..24, 3 is 25..36. Column 1 is 1, 4, ... 34; column 3 is 3, 6, ... 36. */
export function indexedPockets(type: IndexedBetType, index: number): readonly number[] {
  return type === "dozen" ? range(12 * (index - 1) + 1, 12 * index) : layoutNumbers.filter((n) => layoutColumn(n) === index - 1);
}

/** Zero is in none of the even-money groups: that is the house edge on them. */
export function evenMoneyPockets(type: EvenMoneyBetType): readonly number[] {
  return evenMoneyPocketSets[type];
}

const evenMoneyPocketSets: Readonly<Record<EvenMoneyBetType, readonly number[]>> = {
  red: layoutNumbers.filter((n) => redNumbers.has(n)),
  black: layoutNumbers.filter((n) => !redNumbers.has(n)),
  odd: layoutNumbers.filter((n) => n % 2 === 1),
  even: layoutNumbers.filter((n) => n % 2 === 0),
  low: range(1, 18),
  high: range(19, 36),
};

// The paytable must give every bet the same 36/37 return: k pockets times (odds + 1) equals 36.
for (const type of insideBetTypes) {
  for (const pockets of insidePocketSets[type]) {
    assert(BigInt(pockets.length) * (payoutOdds[type] + 1n) === BigInt(pocketCount - 1), `${type} payout mismatch`);
  }
}
