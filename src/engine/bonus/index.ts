export {
  countedStake, defaultGameWeights, hedgedPocketsMin, isHedgedRound, parseGameWeights, progressPercent, purseFor, rouletteRoundCounted,
  wageringMultiplierMax, wageringRequired, weightOf, weightPercentMax, type GameWeights, type RouletteCover,
} from "./bonus-rules.js";
