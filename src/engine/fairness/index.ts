export { checkRound, type RecalledRoundJson, type RoundCheck } from "./round-check.js";
