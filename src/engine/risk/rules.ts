/**
 * The risk rules: thresholds over a player's trailing windows, and the steps each rule escalates
 * through (alert, then limit, then lock). Defaults are documented in docs/RISK.md; a deployment
 * overrides them in config. Rules decide; the score (score.ts) only informs.
 */
export type RiskActionKind = "alert" | "limit" | "lock";

export const riskRuleNames = [
  "betRate",
  "microStakes",
  "depositVelocity",
  "depositAmount",
  "withdrawalFrequency",
  "deviceLinks",
  "addressLinks",
  "collusion",
] as const;
export type RiskRuleName = (typeof riskRuleNames)[number];

export interface RiskRules {
  /** Bets (and attempts refused by a risk limit) across all of a player's devices: more than `betsPerMinuteMax`, measured over `windowMs`. */
  readonly betRate: { readonly betsPerMinuteMax: number; readonly windowMs: number };
  /** Many minimal stakes: at least `betsPerMinuteMin` bets in the last minute, `shareMin` of them at most `stakeMinorMax`. */
  readonly microStakes: { readonly stakeMinorMax: bigint; readonly betsPerMinuteMin: number; readonly shareMin: number };
  /** Deposits started in the last hour. */
  readonly depositVelocity: { readonly depositsPerHourMax: number };
  /** Sum of the deposits started in the last 24 hours, per currency, in minor units. */
  readonly depositAmount: { readonly amountMinorPerDayMax: bigint };
  /** Withdrawals requested in the last 24 hours. */
  readonly withdrawalFrequency: { readonly withdrawalsPerDayMax: number };
  /** Accounts seen on one device id in the last 24 hours. */
  readonly deviceLinks: { readonly accountsPerDeviceMax: number };
  /** Accounts seen from one client address in the last 24 hours (loopback addresses are never linked). */
  readonly addressLinks: { readonly accountsPerAddressMax: number };
  /**
   * Collusion at hold'em: within `windowMs`, one player folded to the same winner at one table in at
   * least `handsMin` hands that ended without a showdown, and those are at least `shareMin` of the hands
   * the two played there together.
   */
  readonly collusion: { readonly handsMin: number; readonly windowMs: number; readonly shareMin: number };
  /** What each rule does, in order, each time it fires again at least `stepAfterMs` after its last step. */
  readonly steps: Readonly<Record<RiskRuleName, readonly RiskActionKind[]>>;
  readonly stepAfterMs: number;
  /** The limit a `limit` step applies: bets a minute across all devices. */
  readonly limitBetsPerMinute: number;
}

export const defaultRiskRules: RiskRules = Object.freeze<RiskRules>({
  betRate: { betsPerMinuteMax: 120, windowMs: 20_000 },
  microStakes: { stakeMinorMax: 10n, betsPerMinuteMin: 60, shareMin: 0.9 },
  depositVelocity: { depositsPerHourMax: 10 },
  depositAmount: { amountMinorPerDayMax: 1_000_000n },
  withdrawalFrequency: { withdrawalsPerDayMax: 5 },
  deviceLinks: { accountsPerDeviceMax: 3 },
  addressLinks: { accountsPerAddressMax: 20 },
  collusion: { handsMin: 10, windowMs: 3_600_000, shareMin: 0.5 },
  steps: {
    betRate: ["alert", "limit", "lock"],
    microStakes: ["alert", "limit"],
    depositVelocity: ["alert", "lock"],
    depositAmount: ["alert"],
    withdrawalFrequency: ["alert"],
    deviceLinks: ["alert", "limit"],
    addressLinks: ["alert"],
    collusion: ["alert", "limit"],
  },
  stepAfterMs: 30_000,
  limitBetsPerMinute: 30,
});

/** What a `limit` step of `rule` restricts: the bet rate, or for collusion at hold'em, access to hold'em tables. */
export function limitOf(rules: RiskRules, rule: RiskRuleName): { readonly betsPerMinuteMax: number | null; readonly gamesBlocked: readonly string[] } {
  return rule === "collusion" ? { betsPerMinuteMax: null, gamesBlocked: ["holdem"] } : { betsPerMinuteMax: rules.limitBetsPerMinute, gamesBlocked: [] };
}

/** A rule that fired, with the numbers that made it fire (kept with the action for operators). */
export interface RiskFinding {
  readonly rule: RiskRuleName;
  readonly evidence: Readonly<Record<string, string | number>>;
}

/** A rule's escalation so far for one player: the steps taken and when the last one was. */
export interface RuleHistory {
  readonly stepsTaken: number;
  readonly lastStepMs: number;
  /** When an operator last reversed one of the rule's actions for the player (0: never, within the day). */
  readonly lastReversedMs?: number;
}

/**
 * The step a rule that fired again takes now, or null: the first step at once, each next one only
 * `stepAfterMs` after the last (the player kept on despite it), none past the last step.
 */
export function nextStep(rules: RiskRules, rule: RiskRuleName, history: RuleHistory | null, nowMs: number): RiskActionKind | null {
  const steps = rules.steps[rule];
  if (history === null || history.stepsTaken === 0) return steps[0] ?? null;
  if (history.stepsTaken >= steps.length || nowMs - history.lastStepMs < rules.stepAfterMs) return null;
  return steps[history.stepsTaken] ?? null;
}
