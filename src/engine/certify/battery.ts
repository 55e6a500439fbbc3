import type { Rng } from "../rng/rng.js";
import { uniformInt } from "../rng/uniform.js";
import { nistSequenceTests, nistTestNames, wordsToBits, type NistTestName } from "./nist.js";
import { judgeNist, type NistJudgement } from "./nist-judge.js";
import { outcomeBattery, type OutcomeTestResult } from "./outcome-tests.js";
import { certifyAlphaDefault, judgeDecisions, nistDecisions, outcomeDecisions, type FamilyVerdict } from "./decisions.js";

export type NistPValues = Record<NistTestName, number[]>;

export const emptyNistPValues = (): NistPValues => Object.fromEntries(nistTestNames.map((name) => [name, [] as number[]])) as unknown as NistPValues;

/** Runs every NIST test on consecutive `bitsPerSequence`-bit sequences of the words. */
export function nistOnWords(words: Uint32Array, bitsPerSequence: number): NistPValues {
  const out = emptyNistPValues();
  const wordsPerSequence = Math.ceil(bitsPerSequence / 32);
  for (let start = 0; start + wordsPerSequence <= words.length; start += wordsPerSequence) {
    const bits = wordsToBits(words.subarray(start, start + wordsPerSequence), bitsPerSequence);
    const result = nistSequenceTests(bits);
    for (const name of nistTestNames) out[name].push(result[name]);
  }
  return out;
}

export interface NistVerdict extends NistJudgement {
  readonly test: NistTestName;
}

export function judgeNistBattery(pValues: NistPValues): NistVerdict[] {
  return nistTestNames.map((test) => ({ test, ...judgeNist(pValues[test]) }));
}

export interface RngBatteryOptions {
  /** Outcomes are uniformInt(rng, outcomeRange), the way a game maps draws. */
  readonly outcomeRange: number;
  readonly outcomeCount: number;
  readonly nistSequences: number;
  readonly nistBits: number;
  /** Family-wise level of the whole battery (default 1%). */
  readonly alpha?: number;
}

export interface RngBatteryReport {
  readonly outcomeTests: readonly (OutcomeTestResult & { readonly sequence: string })[];
  readonly nist: readonly NistVerdict[];
  /** Every p-value of the battery judged as one family (decisions.ts). */
  readonly verdict: FamilyVerdict;
  readonly passed: boolean;
}

/**
 * The whole battery on one generator, outside any game: the raw stream for NIST, then mapped outcomes
 * for the empirical tests. The certify command runs the same tests on each game's own outcomes.
 */
export function rngBattery(rng: Rng, options: RngBatteryOptions): RngBatteryReport {
  const words = new Uint32Array(options.nistSequences * Math.ceil(options.nistBits / 32));
  for (let i = 0; i < words.length; i++) words[i] = rng.nextUint32();
  const nist = judgeNistBattery(nistOnWords(words, options.nistBits));
  const outcomes = new Uint16Array(options.outcomeCount);
  for (let i = 0; i < outcomes.length; i++) outcomes[i] = uniformInt(rng, options.outcomeRange);
  const outcomeTests = outcomeBattery(outcomes, options.outcomeRange).map((result) => ({ ...result, sequence: `uniformInt(${options.outcomeRange})` }));
  const verdict = judgeDecisions(
    [...outcomeDecisions("generator", "outcome test", outcomeTests), ...nistDecisions("generator", nist)],
    options.alpha ?? certifyAlphaDefault,
  );
  return { outcomeTests, nist, verdict, passed: verdict.passed };
}
