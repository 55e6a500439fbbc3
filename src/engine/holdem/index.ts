export { assertHoldemRules, defaultHoldemRules, seatCountMax, seatCountMin, type HoldemRules } from "./holdem.rules.js";
export { buildPots, clockwiseFrom, potRake, splitPot, uncalledBet, type Pot, type PotContribution } from "./holdem.pots.js";
export { apply, newTable, startHand } from "./holdem.engine.js";
export { legalActions, type HoldemLegalActions } from "./holdem.legal.js";
export {
  eventRecipient,
  type HoldemAction,
  type HoldemEvent,
  type HoldemPhase,
  type HoldemPotAward,
  type HoldemSeat,
  type HoldemState,
  type HoldemStatus,
  type HoldemStep,
  type HoldemStreet,
} from "./holdem.state.js";
