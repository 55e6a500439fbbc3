import { assert } from "../rng/assert.js";

/** Table rules as data; the engine reads nothing else. */
export interface HoldemRules {
  /** Seats at the table, 2 to 9. */
  readonly seatCount: number;
  readonly smallBlindMinor: bigint;
  readonly bigBlindMinor: bigint;
  /** Rake as a share of each pot in basis points (500 = 5%), rounded down; 0 for a private game. */
  readonly rakeBasisPoints: number;
  /** The most rake one hand pays, across all its pots. */
  readonly rakeCapMinor: bigint;
  /** A player sits down (or tops up to) at least this and at most that. */
  readonly buyInMinMinor: bigint;
  readonly buyInMaxMinor: bigint;
}

/** A 6-max 1/2 game in cents: 5% rake capped at 3.00, buy-in 20 to 100 big blinds. */
export const defaultHoldemRules: HoldemRules = {
  seatCount: 6,
  smallBlindMinor: 100n,
  bigBlindMinor: 200n,
  rakeBasisPoints: 500,
  rakeCapMinor: 300n,
  buyInMinMinor: 4_000n,
  buyInMaxMinor: 20_000n,
};

export const seatCountMin = 2;
export const seatCountMax = 9;

export function assertHoldemRules(rules: HoldemRules): void {
  assert(Number.isInteger(rules.seatCount) && rules.seatCount >= seatCountMin && rules.seatCount <= seatCountMax, "2 to 9 seats");
  assert(rules.smallBlindMinor > 0n && rules.smallBlindMinor <= rules.bigBlindMinor, "0 < small blind <= big blind");
  assert(Number.isInteger(rules.rakeBasisPoints) && rules.rakeBasisPoints >= 0 && rules.rakeBasisPoints <= 10_000, "rake in [0, 10000] bp");
  assert(rules.rakeCapMinor >= 0n, "rake cap is not negative");
  assert(rules.buyInMinMinor > 0n && rules.buyInMinMinor <= rules.buyInMaxMinor, "0 < buy-in min <= buy-in max");
}

assertHoldemRules(defaultHoldemRules);
