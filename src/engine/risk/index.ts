export type { RiskSignal, RiskSignalKind } from "./signals.js";
export { riskFeatureNames, type RiskFeatures } from "./features.js";
export { ActivityBook, defaultActivityLimits, unnamedDeviceId, type ActivityLimits } from "./activity.js";
export {
  defaultRiskRules,
  limitOf,
  nextStep,
  riskRuleNames,
  type RiskActionKind,
  type RiskFinding,
  type RiskRuleName,
  type RiskRules,
  type RuleHistory,
} from "./rules.js";
export { scoreOf, trainRiskModel, type RiskModel } from "./score.js";
export { defaultRiskModel } from "./score-model.js";
