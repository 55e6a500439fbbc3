export { compileSlot, reelCount, rowCount, type CompiledSlot, type SlotConfig, type SymbolKind } from "./slots.config.js";
export { evaluateStops, linePay, type LineWin, type SpinOutcome } from "./slots.evaluate.js";
export { bookableContribution, checkStake, jackpotContributionScale, spin, type SlotSpinResult, type SlotStakeStatus } from "./slots.engine.js";
export { newSlotSession, play, type SlotAction, type SlotPlayResult, type SlotPlayStatus, type SlotSession } from "./slots.session.js";
export { theoreticalRtp, type SlotRtp } from "./slots.rtp.js";
export { crownJewels } from "./slots.games.js";
export { playFeature, type SlotFeatureSummary } from "./slots.feature.js";
