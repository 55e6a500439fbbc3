/** What the risk engine knows about one player at one moment (trailing windows ending now). */
export interface RiskFeatures {
  /** Bets (accepted or refused by a risk limit) in the last 60 s. */
  readonly betsPerMinute: number;
  /** 0..1: share of those bets at a micro stake (at most the rule's micro-stake threshold); 0 when there were none. */
  readonly microStakeShare: number;
  /** Distinct device ids the player logged in or connected from in the last hour. */
  readonly devicesPerHour: number;
  /** Deposits started in the last hour. */
  readonly depositsPerHour: number;
  /** Withdrawals requested in the last 24 h. */
  readonly withdrawalsPerDay: number;
  /** Other accounts seen on one of this player's devices or addresses in the last 24 h. */
  readonly linkedAccounts: number;
}

/** The features in a fixed order, so models, reports and tests walk them the same way. */
export const riskFeatureNames: readonly (keyof RiskFeatures)[] = Object.freeze([
  "betsPerMinute",
  "microStakeShare",
  "devicesPerHour",
  "depositsPerHour",
  "withdrawalsPerDay",
  "linkedAccounts",
]);
