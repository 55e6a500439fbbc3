import { assert } from "../rng/assert.js";
import {
  betTypes,
  evenMoneyPockets,
  indexedBetTypes,
  indexedPockets,
  insideBetTypes,
  insidePockets,
  payoutOdds,
  type EvenMoneyBetType,
  type IndexedBetType,
  type InsideBetType,
  type RouletteBetType,
} from "./roulette.bets.js";
import type { RouletteLimits } from "./roulette.limits.js";
import { pocketCount } from "./roulette.wheel.js";

/** A bet as a player requests it. Fields arrive from the wire, so every one is checked. */
export type RouletteBetRequest =
  | { readonly type: InsideBetType; readonly numbers: readonly number[]; readonly stakeMinor: bigint }
  | { readonly type: IndexedBetType; readonly index: number; readonly stakeMinor: bigint }
  | { readonly type: EvenMoneyBetType; readonly stakeMinor: bigint };

/** A validated bet: the pockets it covers, sorted, and its stake. */
export interface RouletteBet {
  readonly type: RouletteBetType;
  readonly pockets: readonly number[];
  readonly stakeMinor: bigint;
}

export type RouletteBetStatus =
  "ok" | "unknown_bet_type" | "numbers_not_on_layout" | "index_out_of_range" | "stake_not_integer" | "stake_below_min" | "stake_above_max";

export type RouletteBetsStatus = Exclude<RouletteBetStatus, "ok"> | "too_many_bets" | "round_stake_above_max";

const isType = <T extends string>(types: readonly T[], type: unknown): type is T => (types as readonly unknown[]).includes(type);

/** Checks one bet against the layout and the table limits; a refusal is a status, never an exception. */
export function validateBet(
  request: RouletteBetRequest,
  limits: RouletteLimits,
): { status: "ok"; bet: RouletteBet } | { status: Exclude<RouletteBetStatus, "ok"> } {
  const type: unknown = request.type;
  if (!isType(betTypes, type)) return { status: "unknown_bet_type" };
  const pockets = coveredPockets(request);
  if (typeof pockets === "string") return { status: pockets };
  if (typeof request.stakeMinor !== "bigint") return { status: "stake_not_integer" };
  const { minMinor, maxMinor } = limits.perBet[type];
  if (request.stakeMinor < minMinor) return { status: "stake_below_min" };
  if (request.stakeMinor > maxMinor) return { status: "stake_above_max" };
  return { status: "ok", bet: { type, pockets, stakeMinor: request.stakeMinor } };
}

function coveredPockets(request: RouletteBetRequest): readonly number[] | "numbers_not_on_layout" | "index_out_of_range" {
  if (isType(insideBetTypes, request.type)) {
    const numbers = (request as { numbers?: unknown }).numbers;
    if (!Array.isArray(numbers)) return "numbers_not_on_layout";
    return insidePockets(request.type, numbers) ?? "numbers_not_on_layout";
  }
  if (isType(indexedBetTypes, request.type)) {
    const index = (request as { index?: unknown }).index;
    if (index !== 1 && index !== 2 && index !== 3) return "index_out_of_range";
    return indexedPockets(request.type, index);
  }
  return evenMoneyPockets(request.type);
}

/**
 * Validates all of one player's bets for a round. Either every bet is accepted or none is, and the
 * failing bet's position is reported, so a wallet reservation covers exactly the accepted stakes.
 */
export function validateBets(
  requests: readonly RouletteBetRequest[],
  limits: RouletteLimits,
): { status: "ok"; bets: readonly RouletteBet[]; totalStakeMinor: bigint } | { status: RouletteBetsStatus; betIndex: number } {
  if (requests.length > limits.roundBetsMax) return { status: "too_many_bets", betIndex: limits.roundBetsMax };
  const bets: RouletteBet[] = [];
  let totalStakeMinor = 0n;
  for (const [betIndex, request] of requests.entries()) {
    const result = validateBet(request, limits);
    if (result.status !== "ok") return { status: result.status, betIndex };
    totalStakeMinor += result.bet.stakeMinor;
    if (totalStakeMinor > limits.roundStakeMinorMax) return { status: "round_stake_above_max", betIndex };
    bets.push(result.bet);
  }
  return { status: "ok", bets, totalStakeMinor };
}

export interface RouletteBetResult {
  readonly bet: RouletteBet;
  /** Paid back to the player: stake plus winnings on a win, zero on a loss. */
  readonly returnMinor: bigint;
}

export interface RouletteSettlement {
  readonly winningNumber: number;
  readonly results: readonly RouletteBetResult[];
  readonly totalStakeMinor: bigint;
  readonly totalReturnMinor: bigint;
}

/** A winning bet returns stake * (odds + 1); a losing one returns nothing. Even-money bets lose on zero. */
export function settle(bets: readonly RouletteBet[], winningNumber: number): RouletteSettlement {
  assert(Number.isInteger(winningNumber) && winningNumber >= 0 && winningNumber < pocketCount, `no pocket ${winningNumber}`);
  let totalStakeMinor = 0n;
  let totalReturnMinor = 0n;
  const results = bets.map((bet) => {
    const returnMinor = bet.pockets.includes(winningNumber) ? bet.stakeMinor * (payoutOdds[bet.type] + 1n) : 0n;
    totalStakeMinor += bet.stakeMinor;
    totalReturnMinor += returnMinor;
    return { bet, returnMinor };
  });
  return { winningNumber, results, totalStakeMinor, totalReturnMinor };
}
