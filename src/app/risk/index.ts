import { defaultRiskRules, type RiskRules } from "../../engine/risk/index.js";

export { RiskGate, riskLimitsChannel, type RiskRefusal } from "./risk-gate.js";
export { RiskMonitor, type RiskMonitorDeps } from "./risk-monitor.js";
export { RiskSignals, riskSignalsChannel, riskSignalsDefaults } from "./risk-signals.js";
export { RiskService, type LimitInput, type PlayerRisk } from "./risk.service.js";
export type { RiskAction, RiskActionQuery, RiskLimit, RiskProfile, RiskStore } from "../ports/risk-store.js";

/** The rules as a deployment configured them (README: the `risk*` options). */
export function riskRulesOf(config: {
  readonly riskBetsPerMinuteMax: number;
  readonly riskMicroStakeMinorMax: number;
  readonly riskDepositsPerHourMax: number;
  readonly riskDepositMinorPerDayMax: number;
  readonly riskWithdrawalsPerDayMax: number;
  readonly riskAccountsPerDeviceMax: number;
  readonly riskAccountsPerAddressMax: number;
  readonly riskCollusionHandsMin: number;
  readonly riskStepAfterMs: number;
  readonly riskLimitBetsPerMinute: number;
}): RiskRules {
  const d = defaultRiskRules;
  return {
    ...d,
    betRate: { ...d.betRate, betsPerMinuteMax: config.riskBetsPerMinuteMax },
    microStakes: { ...d.microStakes, stakeMinorMax: BigInt(config.riskMicroStakeMinorMax) },
    depositVelocity: { depositsPerHourMax: config.riskDepositsPerHourMax },
    depositAmount: { amountMinorPerDayMax: BigInt(config.riskDepositMinorPerDayMax) },
    withdrawalFrequency: { withdrawalsPerDayMax: config.riskWithdrawalsPerDayMax },
    deviceLinks: { accountsPerDeviceMax: config.riskAccountsPerDeviceMax },
    addressLinks: { accountsPerAddressMax: config.riskAccountsPerAddressMax },
    collusion: { ...d.collusion, handsMin: config.riskCollusionHandsMin },
    stepAfterMs: config.riskStepAfterMs,
    limitBetsPerMinute: config.riskLimitBetsPerMinute,
  };
}
