export { pocketCount, redNumbers, spin } from "./roulette.wheel.js";
export {
  betTypes,
  evenMoneyBetTypes,
  indexedBetTypes,
  insideBetTypes,
  payoutOdds,
  validPocketSets,
  type EvenMoneyBetType,
  type IndexedBetType,
  type InsideBetType,
  type RouletteBetType,
} from "./roulette.bets.js";
export { assertRouletteLimits, defaultRouletteLimits, type RouletteLimits, type StakeRange } from "./roulette.limits.js";
export {
  settle,
  validateBet,
  validateBets,
  type RouletteBet,
  type RouletteBetRequest,
  type RouletteBetResult,
  type RouletteBetsStatus,
  type RouletteBetStatus,
  type RouletteSettlement,
} from "./roulette.engine.js";
