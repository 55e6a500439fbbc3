export { chiSquareP, erfc, gammaP, gammaQ, logGamma, normalCdf, normalTwoSidedP } from "./special-functions.js";
export { chiSquareFit, chiSquareUniform, type ChiSquareResult } from "./chi-square.js";
export {
  countValues,
  couponCollectorTest,
  couponLengthProbabilities,
  frequencyTest,
  gapTest,
  outcomeBattery,
  pokerTest,
  runsTest,
  serialCorrelationTest,
  type OutcomeTestResult,
  type Outcomes,
} from "./outcome-tests.js";
export { dftModuliHalf, fftInPlace, isPowerOfTwo } from "./fft.js";
export {
  approximateEntropy,
  bitsFromString,
  blockFrequency,
  cumulativeSums,
  cyclicPatternCounts,
  frequency,
  longestRunOfOnes,
  nistParameters,
  nistSequenceTests,
  nistTestNames,
  runs,
  serial,
  spectral,
  wordsToBits,
  type Bits,
  type NistParameters,
  type NistTestName,
} from "./nist.js";
export { judgeNist, nistAlpha, nistUniformitySequencesMin, type NistJudgement } from "./nist-judge.js";
export { addRtpSums, emptyRtpSums, estimateRtp, RtpAccumulator, rtpTest, z99, type RtpEstimate, type RtpSums } from "./rtp.js";
export {
  emptyNistPValues,
  judgeNistBattery,
  nistOnWords,
  rngBattery,
  type NistPValues,
  type NistVerdict,
  type RngBatteryOptions,
  type RngBatteryReport,
} from "./battery.js";
export { binomialLogPmf, binomialTwoSidedP } from "./binomial.js";
export { holmBonferroni, type HolmDecision } from "./holm.js";
export {
  certifyAlphaDefault,
  decisionId,
  familyRule,
  judgeDecisions,
  nistDecisions,
  outcomeDecisions,
  rtpDecision,
  type Decision,
  type DecisionKind,
  type FamilyVerdict,
  type JudgedDecision,
} from "./decisions.js";
export { ByteStreamRng, StreamExhausted } from "./byte-stream.rng.js";
