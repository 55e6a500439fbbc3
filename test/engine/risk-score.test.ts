import { describe, expect, it } from "vitest";
import { riskFeatureNames, type RiskFeatures } from "../../src/engine/risk/features.js";
import { defaultRiskModel, riskModelTraining } from "../../src/engine/risk/score-model.js";
import { simulatedPlayers, type SimulatedProfile } from "../../src/engine/risk/score-simulation.js";
import { evaluateRiskModel, scoreOf, trainRiskModel, type RiskModel } from "../../src/engine/risk/score.js";
import { SeededRng } from "../../src/engine/rng/index.js";

const holdout = simulatedPlayers(new SeededRng(riskModelTraining.holdoutSeed), riskModelTraining.holdoutPlayers);

const typicalPlayer: RiskFeatures = { betsPerMinute: 10, microStakeShare: 0.2, devicesPerHour: 1, depositsPerHour: 0, withdrawalsPerDay: 0, linkedAccounts: 0 };
const microBetBot: RiskFeatures = { betsPerMinute: 214, microStakeShare: 1, devicesPerHour: 2, depositsPerHour: 0, withdrawalsPerDay: 0, linkedAccounts: 0 };

function modelNumbers(model: RiskModel): number[] {
  return [model.intercept, ...[model.weights, model.means, model.scales].flatMap((r) => riskFeatureNames.map((f) => r[f]))];
}

describe("risk score", () => {
  it("is what its recorded training gives: the committed model cannot drift from the script", () => {
    const players = simulatedPlayers(new SeededRng(riskModelTraining.seed), riskModelTraining.players);
    const retrained = modelNumbers(trainRiskModel(players, riskModelTraining.options));
    const committed = modelNumbers(defaultRiskModel);
    expect(retrained).toHaveLength(committed.length);
    retrained.forEach((value, i) => {
      const expected = committed[i] as number;
      expect(Math.abs(value - expected), `number ${i}: ${value} vs ${expected}`).toBeLessThanOrEqual(1e-9 * Math.max(Math.abs(expected), 1e-12));
    });
  });

  it("separates abusive from honest players it was not trained on", () => {
    const quality = evaluateRiskModel(defaultRiskModel, holdout, 0.5);
    expect(quality.abusive / quality.samples).toBeGreaterThan(0.15);
    expect(quality.abusive / quality.samples).toBeLessThan(0.25);
    expect(quality.auc).toBeGreaterThanOrEqual(0.99);
    expect(quality.precision).toBeGreaterThanOrEqual(0.95);
    expect(quality.recall).toBeGreaterThanOrEqual(0.95);
  });

  it("catches each abuse pattern, not only the common ones, and rarely flags typical players", () => {
    const flaggedShare = (profile: SimulatedProfile): number => {
      const players = holdout.filter((p) => p.profile === profile);
      expect(players.length).toBeGreaterThan(100);
      return players.filter((p) => scoreOf(defaultRiskModel, p.features).score >= 0.5).length / players.length;
    };
    for (const profile of ["microBetBot", "depositVelocity", "multiAccounting", "withdrawalChurn"] as const) {
      expect(flaggedShare(profile), profile).toBeGreaterThanOrEqual(0.9);
    }
    expect(flaggedShare("typical")).toBeLessThan(0.01);
    expect(flaggedShare("heavy")).toBeLessThan(0.1);
  });

  it("never lowers a score when a player bets faster, or does more of anything", () => {
    for (const player of holdout.slice(0, 50)) {
      for (const feature of riskFeatureNames) {
        const top = feature === "microStakeShare" ? 1 : feature === "betsPerMinute" ? 400 : 30;
        const steps = Array.from({ length: 41 }, (_, k) => (top * k) / 40);
        const scores = steps.map((value) => scoreOf(defaultRiskModel, { ...player.features, [feature]: value }).score);
        scores.slice(1).forEach((score, k) => expect(score, `${feature} ${steps[k]} -> ${steps[k + 1]}`).toBeGreaterThanOrEqual(scores[k] as number));
      }
    }
  });

  it("explains itself: the contributions, largest first, add up to the logit", () => {
    for (const player of [typicalPlayer, microBetBot, ...holdout.slice(0, 200).map((p) => p.features)]) {
      const { score, logit, contributions } = scoreOf(defaultRiskModel, player);
      expect(contributions.map((c) => c.feature).sort()).toEqual([...riskFeatureNames].sort());
      contributions.forEach((c) => expect(c.value).toBe(player[c.feature]));
      const sizes = contributions.map((c) => Math.abs(c.contribution));
      expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
      expect(defaultRiskModel.intercept + contributions.reduce((sum, c) => sum + c.contribution, 0)).toBeCloseTo(logit, 9);
      if (score > 1e-9 && score < 1 - 1e-9) expect(Math.log(score / (1 - score))).toBeCloseTo(logit, 6);
    }
  });

  it("scores a typical player low and the reported 214 micro-bets a minute on two devices high", () => {
    expect(scoreOf(defaultRiskModel, typicalPlayer).score).toBeLessThan(0.1);
    const bot = scoreOf(defaultRiskModel, microBetBot);
    expect(bot.score).toBeGreaterThan(0.9);
    expect(bot.contributions[0]?.feature).toBe("betsPerMinute");
  });
});
