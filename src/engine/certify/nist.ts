import { dftModuliHalf } from "./fft.js";
import { erfc, gammaQ, normalCdf } from "./special-functions.js";

/**
 * NIST SP 800-22 rev. 1a statistical tests on one bit sequence (a Uint8Array of 0s and 1s), each
 * returning the p-values the document defines. Section numbers refer to SP 800-22; the worked examples
 * of each section are the unit tests. Parameters follow NIST's recommendations for the length n.
 */
export type Bits = Uint8Array;

/** The bits of uint32 words, most significant first: the order the RNG produced them in. */
export function wordsToBits(words: ArrayLike<number>, bitCount = words.length * 32): Bits {
  const bits = new Uint8Array(bitCount);
  for (let i = 0; i < bitCount; i++) bits[i] = ((words[i >>> 5] as number) >>> (31 - (i & 31))) & 1;
  return bits;
}

export function bitsFromString(text: string): Bits {
  return Uint8Array.from(text.replace(/\s+/g, ""), (c) => (c === "1" ? 1 : 0));
}

/** 2.1 Frequency (monobit): are ones and zeros about equally common? */
export function frequency(bits: Bits): number {
  let sum = 0;
  for (let i = 0; i < bits.length; i++) sum += bits[i] as number;
  const s = Math.abs(2 * sum - bits.length) / Math.sqrt(bits.length);
  return erfc(s / Math.SQRT2);
}

/** 2.2 Frequency within blocks of M bits. */
export function blockFrequency(bits: Bits, blockBits: number): number {
  const blocks = Math.floor(bits.length / blockBits);
  let chi = 0;
  for (let b = 0; b < blocks; b++) {
    let ones = 0;
    for (let j = 0; j < blockBits; j++) ones += bits[b * blockBits + j] as number;
    const pi = ones / blockBits - 0.5;
    chi += pi * pi;
  }
  return gammaQ(blocks / 2, (4 * blockBits * chi) / 2);
}

/** 2.3 Runs: oscillation between zeros and ones. Returns 0 when the frequency prerequisite fails. */
export function runs(bits: Bits): number {
  const n = bits.length;
  let ones = 0;
  for (let i = 0; i < n; i++) ones += bits[i] as number;
  const pi = ones / n;
  if (Math.abs(pi - 0.5) >= 2 / Math.sqrt(n)) return 0;
  let v = 1;
  for (let i = 1; i < n; i++) if (bits[i] !== bits[i - 1]) v++;
  return erfc(Math.abs(v - 2 * n * pi * (1 - pi)) / (2 * Math.sqrt(2 * n) * pi * (1 - pi)));
}

/** 2.4 Longest run of ones in a block; M, the classes and their probabilities depend on n (table 2.4.2). */
export function longestRunOfOnes(bits: Bits): number {
  const n = bits.length;
  const params =
    n < 6272
      ? { m: 8, low: 1, probabilities: [0.2148, 0.3672, 0.2305, 0.1875] }
      : n < 750_000
        ? { m: 128, low: 4, probabilities: [0.1174, 0.243, 0.2493, 0.1752, 0.1027, 0.1124] }
        : { m: 10_000, low: 10, probabilities: [0.0882, 0.2092, 0.2483, 0.1933, 0.1208, 0.0675, 0.0727] };
  const k = params.probabilities.length - 1;
  const blocks = Math.floor(n / params.m);
  const v = new Array<number>(k + 1).fill(0);
  for (let b = 0; b < blocks; b++) {
    let longest = 0;
    let run = 0;
    for (let j = 0; j < params.m; j++) {
      run = bits[b * params.m + j] === 1 ? run + 1 : 0;
      if (run > longest) longest = run;
    }
    const bucket = Math.min(k, Math.max(0, longest - params.low));
    v[bucket] = (v[bucket] as number) + 1;
  }
  let chi = 0;
  for (let i = 0; i <= k; i++) {
    const expected = blocks * (params.probabilities[i] as number);
    chi += ((v[i] as number) - expected) ** 2 / expected;
  }
  return gammaQ(k / 2, chi / 2);
}

/** 2.13 Cumulative sums, forward (mode 0) and backward (mode 1): how far the ±1 walk strays. */
export function cumulativeSums(bits: Bits): { forward: number; backward: number } {
  return { forward: cusum(bits, false), backward: cusum(bits, true) };
}

function cusum(bits: Bits, backward: boolean): number {
  const n = bits.length;
  let s = 0;
  let z = 0;
  for (let i = 0; i < n; i++) {
    s += bits[backward ? n - 1 - i : i] === 1 ? 1 : -1;
    if (Math.abs(s) > z) z = Math.abs(s);
  }
  // The summation bounds follow NIST's reference code, which uses C integer division (truncation).
  const sqrtN = Math.sqrt(n);
  const nOverZ = Math.trunc(n / z);
  let sum1 = 0;
  for (let k = Math.trunc((-nOverZ + 1) / 4); k <= Math.trunc((nOverZ - 1) / 4); k++) {
    sum1 += normalCdf(((4 * k + 1) * z) / sqrtN) - normalCdf(((4 * k - 1) * z) / sqrtN);
  }
  let sum2 = 0;
  for (let k = Math.trunc((-nOverZ - 3) / 4); k <= Math.trunc((nOverZ - 1) / 4); k++) {
    sum2 += normalCdf(((4 * k + 3) * z) / sqrtN) - normalCdf(((4 * k + 1) * z) / sqrtN);
  }
  return 1 - sum1 + sum2;
}

/**
 * Counts of every overlapping `length`-bit pattern, the sequence wrapped around cyclically (as 2.11 and
 * 2.12 prescribe). Shorter lengths follow by summing over the trailing bits, since the pattern of
 * length b at position i is the prefix of the one of length `length` there.
 */
export function cyclicPatternCounts(bits: Bits, length: number): Float64Array {
  const n = bits.length;
  const counts = new Float64Array(1 << length);
  const mask = (1 << length) - 1;
  let window = 0;
  for (let i = 0; i < length - 1; i++) window = (window << 1) | (bits[i % n] as number);
  for (let i = 0; i < n; i++) {
    window = ((window << 1) | (bits[(i + length - 1) % n] as number)) & mask;
    counts[window] = (counts[window] as number) + 1;
  }
  return counts;
}

export function marginalCounts(counts: Float64Array, length: number, shorter: number): Float64Array {
  const out = new Float64Array(1 << shorter);
  const shift = length - shorter;
  for (let pattern = 0; pattern < counts.length; pattern++) out[pattern >>> shift] = (out[pattern >>> shift] as number) + (counts[pattern] as number);
  return out;
}

/** 2.12 Approximate entropy with block length m: frequencies of m- and (m+1)-bit patterns. */
export function approximateEntropy(bits: Bits, m: number, counts = cyclicPatternCounts(bits, m + 1), countsLength = m + 1): number {
  const n = bits.length;
  const phi = (length: number): number => {
    const c = length === countsLength ? counts : marginalCounts(counts, countsLength, length);
    let sum = 0;
    for (let i = 0; i < c.length; i++) {
      const share = (c[i] as number) / n;
      if (share > 0) sum += share * Math.log(share);
    }
    return sum;
  };
  const apEn = phi(m) - phi(m + 1);
  const chi = 2 * n * (Math.LN2 - apEn);
  return gammaQ(2 ** (m - 1), chi / 2);
}

/** 2.11 Serial with pattern length m: two p-values, from the first and second differences of ψ². */
export function serial(bits: Bits, m: number, counts = cyclicPatternCounts(bits, m), countsLength = m): { p1: number; p2: number } {
  const n = bits.length;
  const psi = (length: number): number => {
    if (length <= 0) return 0;
    const c = length === countsLength ? counts : marginalCounts(counts, countsLength, length);
    let sum = 0;
    for (let i = 0; i < c.length; i++) sum += (c[i] as number) ** 2;
    return (sum * 2 ** length) / n - n;
  };
  const [psiM, psiM1, psiM2] = [psi(m), psi(m - 1), psi(m - 2)];
  return { p1: gammaQ(2 ** (m - 2), (psiM - psiM1) / 2), p2: gammaQ(2 ** (m - 3), (psiM - 2 * psiM1 + psiM2) / 2) };
}

/**
 * Variance divisor of the spectral test's peak count. SP 800-22 rev. 1a uses n·0.95·0.05/4; Pareschi,
 * Rovatti and Setti (IEEE TIFS 2012) showed the count's true variance is close to n·0.95·0.05/3.8, and
 * with /4 the p-values are visibly non-uniform, so NIST's own uniformity check rejects good generators.
 */
export const spectralVarianceDivisor = 3.8;

/** 2.6 Discrete Fourier transform (spectral): too many or too few peaks above the 95% threshold. */
export function spectral(bits: Bits, divisor = spectralVarianceDivisor): number {
  const n = bits.length;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = bits[i] === 1 ? 1 : -1;
  const moduli = dftModuliHalf(x);
  const threshold = Math.sqrt(Math.log(1 / 0.05) * n);
  let below = 0;
  for (let k = 0; k < moduli.length; k++) if ((moduli[k] as number) < threshold) below++;
  const expected = (0.95 * n) / 2;
  const d = (below - expected) / Math.sqrt((n * 0.95 * 0.05) / divisor);
  return erfc(Math.abs(d) / Math.SQRT2);
}

/** The NIST tests the battery runs, in report order; cusum and serial contribute two p-values each. */
export const nistTestNames = [
  "frequency",
  "block_frequency",
  "runs",
  "longest_run",
  "cusum_forward",
  "cusum_backward",
  "approximate_entropy",
  "serial_1",
  "serial_2",
  "spectral",
] as const;
export type NistTestName = (typeof nistTestNames)[number];

export interface NistParameters {
  readonly blockBits: number;
  readonly approximateEntropyM: number;
  readonly serialM: number;
}

/**
 * Parameters for a sequence of n bits, within NIST's constraints: block frequency M ≥ 20 with
 * M > 0.01n (so fewer than 100 blocks); serial m < ⌊log2 n⌋ − 2; approximate entropy m < ⌊log2 n⌋ − 5,
 * but here m ≤ ⌊log2 n⌋ − 9: with m = 10 on 2^17-bit sequences the chi-square approximation visibly
 * skews the p-values low (about 12% below 0.1 over 1,000 sequences), enough for NIST's own uniformity
 * check to flag good generators, while m = 8 (512 patterns, 256 expected counts each) is uniform.
 */
export function nistParameters(n: number): NistParameters {
  const log2 = Math.floor(Math.log2(n));
  return {
    blockBits: Math.max(20, Math.floor(n / 99) + 1),
    approximateEntropyM: Math.max(1, Math.min(10, log2 - 9)),
    serialM: Math.max(3, Math.min(16, log2 - 3)),
  };
}

/** Every test on one sequence; approximate entropy and serial share one pass of pattern counting. */
export function nistSequenceTests(bits: Bits, params = nistParameters(bits.length)): Record<NistTestName, number> {
  const longest = Math.max(params.serialM, params.approximateEntropyM + 1);
  const counts = cyclicPatternCounts(bits, longest);
  const cusums = cumulativeSums(bits);
  const serials = serial(bits, params.serialM, counts, longest);
  return {
    frequency: frequency(bits),
    block_frequency: blockFrequency(bits, params.blockBits),
    runs: runs(bits),
    longest_run: longestRunOfOnes(bits),
    cusum_forward: cusums.forward,
    cusum_backward: cusums.backward,
    approximate_entropy: approximateEntropy(bits, params.approximateEntropyM, counts, longest),
    serial_1: serials.p1,
    serial_2: serials.p2,
    spectral: spectral(bits),
  };
}
