import type { Rng } from "../rng/rng.js";
import { uniformInt } from "../rng/uniform.js";
import { nistSequenceTests, nistTestNames, wordsToBits, type NistTestName } from "./nist.js";
import { judgeNist, type NistJudgement } from "./nist-judge.js";
import { outcomeBattery, type OutcomeTestResult } from "./outcome-tests.js";

/**
 * Judges a game's outcome tests as a family at the 99% level: with k tests each is held to p ≥ 0.01/k
 * (Bonferroni), so a fair game fails the family with probability at most 1%, however many tests run.
 * Holding each of k tests to 0.01 alone would fail a perfect generator k% of the time.
 */
export const familyAlpha = 0.01;

export interface JudgedTest extends OutcomeTestResult {
  readonly sequence: string;
  readonly threshold: number;
  readonly passed: boolean;
}

export function judgeFamily(results: readonly (OutcomeTestResult & { readonly sequence: string })[]): JudgedTest[] {
  const threshold = familyAlpha / Math.max(1, results.length);
  return results.map((result) => ({ ...result, threshold, passed: result.pValue >= threshold }));
}

export type NistPValues = Record<NistTestName, number[]>;

export const emptyNistPValues = (): NistPValues =>
  Object.fromEntries(nistTestNames.map((name) => [name, [] as number[]])) as unknown as NistPValues;

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
}

export interface RngBatteryReport {
  readonly outcomeTests: readonly JudgedTest[];
  readonly nist: readonly NistVerdict[];
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
  const outcomeTests = judgeFamily(outcomeBattery(outcomes, options.outcomeRange).map((result) => ({ ...result, sequence: `uniformInt(${options.outcomeRange})` })));
  return { outcomeTests, nist, passed: outcomeTests.every((t) => t.passed) && nist.every((v) => v.ok) };
}
