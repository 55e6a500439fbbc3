import { assert } from "../rng/assert.js";
import { betTypes, type RouletteBetType } from "./roulette.bets.js";

export interface StakeRange {
  readonly minMinor: bigint;
  readonly maxMinor: bigint;
}

/** Table limits are data: an operator configures them per table; the engine only enforces them. */
export interface RouletteLimits {
  readonly perBet: Readonly<Record<RouletteBetType, StakeRange>>;
  /** Sum of one player's stakes in one round. */
  readonly roundStakeMinorMax: bigint;
  /** Bets one player may place in one round; bounds the work of validating and settling. */
  readonly roundBetsMax: number;
}

/**
 * Defaults in minor units (cents for EUR): 1.00 minimum everywhere, maxima scaled so a full win on each
 * bet type is of similar size (a straight at 100.00 pays 3,500.00).
 */
export const defaultRouletteLimits: RouletteLimits = {
  perBet: {
    straight: { minMinor: 100n, maxMinor: 10_000n },
    split: { minMinor: 100n, maxMinor: 20_000n },
    street: { minMinor: 100n, maxMinor: 30_000n },
    corner: { minMinor: 100n, maxMinor: 40_000n },
    six_line: { minMinor: 100n, maxMinor: 60_000n },
    dozen: { minMinor: 100n, maxMinor: 150_000n },
    column: { minMinor: 100n, maxMinor: 150_000n },
    red: { minMinor: 100n, maxMinor: 300_000n },
    black: { minMinor: 100n, maxMinor: 300_000n },
    odd: { minMinor: 100n, maxMinor: 300_000n },
    even: { minMinor: 100n, maxMinor: 300_000n },
    low: { minMinor: 100n, maxMinor: 300_000n },
    high: { minMinor: 100n, maxMinor: 300_000n },
  },
  roundStakeMinorMax: 1_000_000n,
  roundBetsMax: 200,
};

/** Startup check: limits that contradict each other are a configuration bug. */
export function assertRouletteLimits(limits: RouletteLimits): void {
  for (const type of betTypes) {
    const { minMinor, maxMinor } = limits.perBet[type];
    assert(minMinor > 0n && minMinor <= maxMinor, `${type}: need 0 < min <= max`);
    assert(minMinor <= limits.roundStakeMinorMax, `${type}: minimum above the round maximum`);
  }
  assert(Number.isInteger(limits.roundBetsMax) && limits.roundBetsMax >= 1, "roundBetsMax must be a positive integer");
}

assertRouletteLimits(defaultRouletteLimits);
