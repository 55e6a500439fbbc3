export { cardRank, cardSuit, deckSize, formatCard, isCard, makeCard, orderedDeck, parseCard, parseCards, rankChars, suitChars } from "./cards.js";
export { compareHands, evaluate7, evaluateHand, handCategories, handCategory, type HandCategory } from "./hand-eval.js";
