export { BonusBets, bonusesChannel, type BonusBetPlan } from "./bonus-bets.js";
export { Bonuses, bonusDaysMax, type BonusOptions, type BonusTerms, type BonusView, type GrantInput } from "./bonuses.service.js";
export type * from "../ports/bonus-store.js";
export { bonusStatuses } from "../ports/bonus-store.js";
