import { uint32Space, uniformInt, uniformIntBetween, weightedChoice, type Rng } from "../rng/index.js";
import type { RiskFeatures } from "./features.js";
import type { RiskSample } from "./score.js";

/** Who a simulated player is: honest (typical or heavy) or one of the abuse patterns the rules target. */
export type SimulatedProfile = "typical" | "heavy" | "microBetBot" | "depositVelocity" | "multiAccounting" | "withdrawalChurn";

export interface SimulatedPlayer extends RiskSample {
  readonly profile: SimulatedProfile;
}

/** Share of simulated players that are abusive, near what a lightly policed casino sees among active players. */
export const simulatedAbuseShare = 0.2;
/** Share of honest players pushed towards one edge, so honest and abusive players overlap. */
const heavyShare = 0.15;

const real = (rng: Rng, min: number, max: number): number => min + ((max - min) * uniformInt(rng, uint32Space)) / uint32Space;
const chance = (rng: Rng, p: number): boolean => uniformInt(rng, uint32Space) < p * uint32Space;
/** Log-uniform: as many players at 1-2 as at 30-60, as activity is spread in real populations. */
const logInt = (rng: Rng, min: number, max: number): number => Math.min(max, Math.floor(Math.exp(real(rng, Math.log(min), Math.log(max + 1)))));
const pick = <T>(rng: Rng, weighted: readonly (readonly [T, number])[]): T =>
  (
    weighted[
      weightedChoice(
        rng,
        weighted.map(([, w]) => w),
      )
    ] as readonly [T, number]
  )[0];

/** The observed share of `bets` bets that were micro stakes, when each one is with probability `p`. */
function microShare(rng: Rng, bets: number, p: number): number {
  if (bets === 0) return 0;
  let micro = 0;
  for (let i = 0; i < bets; i++) if (chance(rng, p)) micro += 1;
  return micro / bets;
}

/** An honest player: from a casual visit to a long session, with mixed stakes on one or two devices. */
function typicalFeatures(rng: Rng): RiskFeatures {
  const betsPerMinute = chance(rng, 0.1) ? 0 : logInt(rng, 1, 60);
  const stakes = pick(rng, [
    ["mixed", 5],
    ["high", 3],
    ["minimum", 2],
  ] as const);
  const microP = stakes === "mixed" ? real(rng, 0, 0.4) : stakes === "high" ? real(rng, 0, 0.05) : real(rng, 0.6, 1);
  return {
    betsPerMinute,
    microStakeShare: microShare(rng, betsPerMinute, microP),
    devicesPerHour: chance(rng, 0.8) ? 1 : 2,
    depositsPerHour: pick(rng, [
      [0, 60],
      [1, 25],
      [2, 10],
      [3, 5],
    ] as const),
    withdrawalsPerDay: pick(rng, [
      [0, 70],
      [1, 22],
      [2, 8],
    ] as const),
    linkedAccounts: chance(rng, 0.9) ? 0 : 1,
  };
}

/**
 * An honest player at an edge of normal play: turbo autoplay at the minimum stake, phone and tablet
 * and laptop, several top-ups in an evening, cashing out often, a shared household or office network.
 */
function heavyFeatures(rng: Rng): RiskFeatures {
  const base = typicalFeatures(rng);
  switch (
    pick(rng, [
      ["bets", 3],
      ["devices", 2],
      ["deposits", 2],
      ["withdrawals", 2],
      ["links", 2],
    ] as const)
  ) {
    case "bets": {
      const betsPerMinute = uniformIntBetween(rng, 60, 110);
      return { ...base, betsPerMinute, microStakeShare: microShare(rng, betsPerMinute, real(rng, 0, 1)) };
    }
    case "devices":
      return { ...base, devicesPerHour: 3 };
    case "deposits":
      return { ...base, depositsPerHour: uniformIntBetween(rng, 4, 8) };
    case "withdrawals":
      return { ...base, withdrawalsPerDay: uniformIntBetween(rng, 3, 4) };
    case "links":
      return { ...base, linkedAccounts: uniformIntBetween(rng, 1, 3) };
  }
}

/** Scripted micro-betting at the minimum stake across several devices ("214 micro-bets per minute"), often on linked accounts. */
function microBetBotFeatures(rng: Rng): RiskFeatures {
  const base = typicalFeatures(rng);
  const betsPerMinute = uniformIntBetween(rng, 150, 300);
  return {
    ...base,
    betsPerMinute,
    microStakeShare: microShare(rng, betsPerMinute, real(rng, 0.9, 1)),
    devicesPerHour: uniformIntBetween(rng, 2, 4),
    linkedAccounts: chance(rng, 0.3) ? uniformIntBetween(rng, 1, 4) : base.linkedAccounts,
  };
}

/** Many deposits in an hour: card testing, or laundering through small top-ups. */
function depositVelocityFeatures(rng: Rng): RiskFeatures {
  return { ...typicalFeatures(rng), depositsPerHour: logInt(rng, 10, 30) };
}

/** One person behind several accounts (bonus abuse, collusion), seen through shared devices or addresses. */
function multiAccountingFeatures(rng: Rng): RiskFeatures {
  const base = typicalFeatures(rng);
  return { ...base, linkedAccounts: uniformIntBetween(rng, 3, 10), devicesPerHour: chance(rng, 0.3) ? uniformIntBetween(rng, 2, 3) : base.devicesPerHour };
}

/** Deposit, barely play, withdraw, again and again: money moved through the wallet rather than wagered. */
function withdrawalChurnFeatures(rng: Rng): RiskFeatures {
  const base = typicalFeatures(rng);
  return { ...base, withdrawalsPerDay: logInt(rng, 5, 15), depositsPerHour: uniformIntBetween(rng, 1, 5) };
}

const abuseProfiles = [
  ["microBetBot", 30],
  ["depositVelocity", 25],
  ["multiAccounting", 25],
  ["withdrawalChurn", 20],
] as const;

const featuresOf: Readonly<Record<SimulatedProfile, (rng: Rng) => RiskFeatures>> = {
  typical: typicalFeatures,
  heavy: heavyFeatures,
  microBetBot: microBetBotFeatures,
  depositVelocity: depositVelocityFeatures,
  multiAccounting: multiAccountingFeatures,
  withdrawalChurn: withdrawalChurnFeatures,
};

/**
 * Labelled players to train and check the risk score on, as no labelled history exists yet: about a
 * fifth abusive, in the patterns the rules must catch, the rest honest and spread widely, some of them
 * at the edges of normal play so the two groups overlap. Deterministic for a given rng.
 */
export function simulatedPlayers(rng: Rng, count: number): SimulatedPlayer[] {
  return Array.from({ length: count }, (): SimulatedPlayer => {
    const abusive = chance(rng, simulatedAbuseShare);
    const profile: SimulatedProfile = abusive ? pick(rng, abuseProfiles) : chance(rng, heavyShare) ? "heavy" : "typical";
    return { features: featuresOf[profile](rng), abusive, profile };
  });
}
