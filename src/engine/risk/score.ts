import { riskFeatureNames, type RiskFeatures } from "./features.js";

/** One number per feature, in the model's units. */
export type RiskFeatureRecord = Readonly<Record<keyof RiskFeatures, number>>;

/**
 * A logistic regression over the standardised features. Linear on purpose: each feature's share of
 * the logit is its weight times how far the player is from the average player, so every score
 * explains itself feature by feature (operators see why, not just how much). The rules decide; the
 * score only ranks players for a human to look at.
 *
 * Counts enter as they are, not as log1p: abuse is one count far beyond what a person does (214 bets
 * a minute, 12 deposits an hour), and a log squashes exactly that gap: 110 and 214 bets a minute are
 * 4.7 and 5.4 in log1p. On the simulated players log1p gave precision and recall near 0.8, raw
 * counts above 0.95.
 */
export interface RiskModel {
  readonly intercept: number;
  /** Logit per standard deviation of the feature; never negative (see trainRiskModel). */
  readonly weights: RiskFeatureRecord;
  /** Mean of each feature over the training set. */
  readonly means: RiskFeatureRecord;
  /** Standard deviation of each feature over the training set (1 where it was constant). */
  readonly scales: RiskFeatureRecord;
}

/** How much one feature moved the logit, with the raw value that moved it. */
export interface RiskContribution {
  readonly feature: keyof RiskFeatures;
  readonly value: number;
  readonly contribution: number;
}

export interface RiskScore {
  /** Probability-like, 0..1: the logistic of `logit`. */
  readonly score: number;
  /** The intercept plus every contribution. */
  readonly logit: number;
  /** Largest |contribution| first, so the first entries are the explanation. */
  readonly contributions: readonly RiskContribution[];
}

/** A labelled player, for training and evaluation. */
export interface RiskSample {
  readonly features: RiskFeatures;
  readonly abusive: boolean;
}

export interface RiskTrainingOptions {
  readonly iterations: number;
  readonly learningRate: number;
  /** L2 penalty on the weights (not the intercept): keeps them finite where the classes barely overlap. */
  readonly l2: number;
}

/** Heavy-ball momentum: the features are correlated (bots bet fast on several devices), which plain steps cross slowly. */
const trainingMomentum = 0.9;

function logistic(logit: number): number {
  if (logit >= 0) return 1 / (1 + Math.exp(-logit));
  const e = Math.exp(logit);
  return e / (1 + e);
}

/** The player's score with each feature's share of it, largest first. */
export function scoreOf(model: RiskModel, features: RiskFeatures): RiskScore {
  const contributions = riskFeatureNames.map((feature): RiskContribution => {
    const value = features[feature];
    const standardised = (value - model.means[feature]) / model.scales[feature];
    return { feature, value, contribution: model.weights[feature] * standardised };
  });
  const logit = contributions.reduce((sum, c) => sum + c.contribution, model.intercept);
  // Stable sort: ties keep the features' fixed order, so an explanation reads the same every time.
  contributions.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  return { score: logistic(logit), logit, contributions };
}

/**
 * Fits a RiskModel by full-batch gradient descent with momentum on the L2-penalised log loss, from
 * zero weights, in a fixed order and with no randomness: the same samples and options give the same
 * model bit for bit, so a committed model can be checked against its training. After each step
 * negative weights are set to zero: every feature is a sign of abuse and none a sign of innocence, so
 * the score is monotone in each one and a player cannot lower it by doing more of anything (adding a
 * device, say).
 */
export function trainRiskModel(samples: readonly RiskSample[], options: RiskTrainingOptions): RiskModel {
  const n = samples.length;
  if (n === 0) throw new Error("trainRiskModel needs at least one sample");
  const y = Float64Array.from(samples, (s) => (s.abusive ? 1 : 0));
  const means: number[] = [];
  const scales: number[] = [];
  const columns = riskFeatureNames.map((feature) => {
    const column = Float64Array.from(samples, (s) => s.features[feature]);
    const mean = column.reduce((sum, v) => sum + v, 0) / n;
    const sd = Math.sqrt(column.reduce((sum, v) => sum + (v - mean) ** 2, 0) / n);
    const scale = sd > 1e-12 ? sd : 1;
    for (let i = 0; i < n; i++) column[i] = ((column[i] as number) - mean) / scale;
    means.push(mean);
    scales.push(scale);
    return column;
  });

  const weights = columns.map(() => 0);
  const velocity = columns.map(() => 0);
  let intercept = 0;
  let interceptVelocity = 0;
  const logits = new Float64Array(n);
  const residuals = new Float64Array(n);
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    logits.fill(intercept);
    columns.forEach((column, j) => {
      const w = weights[j] as number;
      for (let i = 0; i < n; i++) logits[i] = (logits[i] as number) + w * (column[i] as number);
    });
    let residualSum = 0;
    for (let i = 0; i < n; i++) {
      const r = logistic(logits[i] as number) - (y[i] as number);
      residuals[i] = r;
      residualSum += r;
    }
    interceptVelocity = trainingMomentum * interceptVelocity + residualSum / n;
    intercept -= options.learningRate * interceptVelocity;
    columns.forEach((column, j) => {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += (residuals[i] as number) * (column[i] as number);
      const w = weights[j] as number;
      const v = trainingMomentum * (velocity[j] as number) + dot / n + options.l2 * w;
      const next = w - options.learningRate * v;
      velocity[j] = next < 0 ? 0 : v;
      weights[j] = Math.max(0, next);
    });
  }

  const record = (values: readonly number[]): RiskFeatureRecord =>
    Object.fromEntries(riskFeatureNames.map((feature, j) => [feature, values[j] as number])) as Record<keyof RiskFeatures, number>;
  return { intercept, weights: record(weights), means: record(means), scales: record(scales) };
}

/** How well a model separates labelled players; precision and recall are at `threshold`. */
export interface RiskEvaluation {
  readonly samples: number;
  readonly abusive: number;
  readonly threshold: number;
  readonly accuracy: number;
  /** Flagged players that were abusive; 0 when none was flagged. */
  readonly precision: number;
  /** Abusive players that were flagged; 0 when there were none. */
  readonly recall: number;
  /** Probability that a random abusive player outscores a random honest one (ties count half). */
  readonly auc: number;
}

/** Scores every sample and measures the ranking (AUC) and the decisions at `threshold`. */
export function evaluateRiskModel(model: RiskModel, samples: readonly RiskSample[], threshold = 0.5): RiskEvaluation {
  const scored = samples.map((s) => ({ score: scoreOf(model, s.features).score, abusive: s.abusive }));
  let truePositives = 0;
  let falsePositives = 0;
  let correct = 0;
  for (const s of scored) {
    const flagged = s.score >= threshold;
    if (flagged && s.abusive) truePositives += 1;
    if (flagged && !s.abusive) falsePositives += 1;
    if (flagged === s.abusive) correct += 1;
  }
  const positives = scored.filter((s) => s.abusive).length;
  const negatives = scored.length - positives;

  // Mann-Whitney: the abusive players' mean rank among all scores, tied scores sharing their mean rank.
  scored.sort((a, b) => a.score - b.score);
  let positiveRanks = 0;
  for (let start = 0; start < scored.length;) {
    let end = start;
    while (end + 1 < scored.length && scored[end + 1]?.score === scored[start]?.score) end += 1;
    const rank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) if (scored[i]?.abusive === true) positiveRanks += rank;
    start = end + 1;
  }
  const auc = positives === 0 || negatives === 0 ? Number.NaN : (positiveRanks - (positives * (positives + 1)) / 2) / (positives * negatives);

  return {
    samples: samples.length,
    abusive: positives,
    threshold,
    accuracy: samples.length === 0 ? 0 : correct / samples.length,
    precision: truePositives + falsePositives === 0 ? 0 : truePositives / (truePositives + falsePositives),
    recall: positives === 0 ? 0 : truePositives / positives,
    auc,
  };
}
