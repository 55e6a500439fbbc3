import { holmBonferroni } from "./holm.js";
import type { NistJudgement } from "./nist-judge.js";
import type { OutcomeTestResult } from "./outcome-tests.js";

/**
 * A certification run is a family of decisions, each a p-value under the null hypothesis "the
 * generator and the game are fair": every empirical test, every chi-square fit, two per NIST test (pass
 * proportion, uniformity of p-values) and the RTP of each game with an exact value. They are judged
 * together by Holm's correction, so a fair run fails with probability at most α however many decisions
 * it holds — judged one by one at α each, ~118 decisions failed a perfect generator about one run in five.
 */
export const certifyAlphaDefault = 0.01;

export type DecisionKind = "outcome test" | "chi-square fit" | "NIST pass proportion" | "NIST uniformity" | "RTP";

export interface Decision {
  /** Unique within a run: scope, kind, test and sequence. */
  readonly id: string;
  /** What was certified: a game ("roulette") or a generator. */
  readonly scope: string;
  readonly kind: DecisionKind;
  readonly test: string;
  /** The sequence or quantity tested ("pocket", "raw bits"). */
  readonly on: string;
  readonly pValue: number;
}

export interface JudgedDecision extends Decision {
  /** Position of the raw p-value in ascending order over the whole run, from 1. */
  readonly rank: number;
  /** α / (m − rank + 1): the Holm threshold the raw p-value meets when the step-down reaches it. */
  readonly threshold: number;
  readonly adjustedP: number;
  readonly rejected: boolean;
}

export interface FamilyVerdict {
  readonly alpha: number;
  readonly rule: string;
  /** Every decision in input order. */
  readonly decisions: readonly JudgedDecision[];
  readonly rejected: number;
  readonly passed: boolean;
}

export const familyRule = (m: number, alpha: number): string =>
  `Holm–Bonferroni over all ${m} decisions at family-wise level α = ${alpha}: sorted by raw p-value, the j-th smallest is compared with α/(m − j + 1) until one is above its threshold; equivalently a decision is rejected when its adjusted p-value is ≤ α. Any rejection fails the run.`;

export function judgeDecisions(decisions: readonly Decision[], alpha = certifyAlphaDefault): FamilyVerdict {
  const ids = new Set(decisions.map((d) => d.id));
  if (ids.size !== decisions.length) throw new RangeError("decision ids must be unique within a run");
  const holm = holmBonferroni(
    decisions.map((d) => d.pValue),
    alpha,
  );
  const judged = decisions.map((decision, i) => ({ ...decision, ...(holm[i] as (typeof holm)[number]) }));
  const rejected = judged.filter((d) => d.rejected).length;
  return { alpha, rule: familyRule(decisions.length, alpha), decisions: judged, rejected, passed: rejected === 0 };
}

export const decisionId = (scope: string, kind: DecisionKind, test: string, on: string): string => `${scope} · ${kind} · ${test} · ${on}`;

const decision = (scope: string, kind: DecisionKind, test: string, on: string, pValue: number): Decision => ({
  id: decisionId(scope, kind, test, on),
  scope,
  kind,
  test,
  on,
  pValue,
});

/** Empirical tests and fits; a test that could not run (too short a sequence) made no decision and is left out. */
export function outcomeDecisions(
  scope: string,
  kind: "outcome test" | "chi-square fit",
  tests: readonly (OutcomeTestResult & { readonly sequence: string })[],
): Decision[] {
  return tests.filter((t) => t.note === undefined).map((t) => decision(scope, kind, t.name, t.sequence, t.pValue));
}

/** Two decisions per NIST test; uniformity only from 55 sequences up, none at all without sequences. */
export function nistDecisions(scope: string, verdicts: readonly (NistJudgement & { readonly test: string })[]): Decision[] {
  return verdicts
    .filter((v) => v.sequences > 0)
    .flatMap((v) => [
      decision(scope, "NIST pass proportion", v.test, "raw bits", v.proportionP),
      ...(v.uniformityApplied ? [decision(scope, "NIST uniformity", v.test, "raw bits", v.uniformityP)] : []),
    ]);
}

export function rtpDecision(scope: string, pValue: number): Decision {
  return decision(scope, "RTP", "measured vs exact RTP (two-sided z)", "return per stake", pValue);
}
