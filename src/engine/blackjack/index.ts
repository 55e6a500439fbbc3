export { cardPoints, handTotal } from "./blackjack.cards.js";
export { assertBlackjackRules, defaultBlackjackRules, type BlackjackRules } from "./blackjack.rules.js";
export { cutCardReached, newShoe, stackedShoe, type Shoe } from "./blackjack.shoe.js";
export { apply, newTable, newTableAwaitingShoe, tableWithShoe } from "./blackjack.engine.js";
export type {
  BlackjackAction,
  BlackjackEvent,
  BlackjackHand,
  BlackjackPhase,
  BlackjackSeat,
  BlackjackState,
  BlackjackStatus,
  BlackjackStep,
  HandOutcome,
} from "./blackjack.state.js";
export {
  cutCardOut,
  dealerStands,
  declareShoe,
  liveEngineShoe,
  liveStep,
  shoeRefusal,
  takeFromShoe,
  type DeclaredShoe,
  type LiveStep,
  type ShoeRefusal,
} from "./blackjack.live.js";
