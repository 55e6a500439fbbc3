import { assert } from "../rng/assert.js";
import { normalTwoSidedP } from "./special-functions.js";

/**
 * Return-to-player from simulated rounds, with its confidence interval. Sums are bigints of minor
 * units, so millions of rounds add up exactly; only the final ratio and its spread become doubles.
 *
 * RTP is the ratio estimator r = ΣR / ΣS (total returned over total staked, doubles and splits
 * included, as regulators define it). Its standard error by the delta method is
 * sd(R − rS) / (S̄ √n); with a constant stake this is exactly sd(return per stake) / √n, the
 * textbook "mean ± 2.576 sd/√n" interval at 99%.
 */
export interface RtpSums {
  readonly rounds: bigint;
  readonly stakeMinor: bigint;
  readonly returnMinor: bigint;
  readonly stakeSquared: bigint;
  readonly returnSquared: bigint;
  readonly stakeTimesReturn: bigint;
}

export const emptyRtpSums: RtpSums = { rounds: 0n, stakeMinor: 0n, returnMinor: 0n, stakeSquared: 0n, returnSquared: 0n, stakeTimesReturn: 0n };

/** z for a two-sided 99% interval. */
export const z99 = 2.576;

/** A mutable accumulator for a simulation's hot loop. */
export class RtpAccumulator {
  rounds = 0n;
  stakeMinor = 0n;
  returnMinor = 0n;
  stakeSquared = 0n;
  returnSquared = 0n;
  stakeTimesReturn = 0n;

  add(stakeMinor: bigint, returnMinor: bigint): void {
    this.rounds++;
    this.stakeMinor += stakeMinor;
    this.returnMinor += returnMinor;
    this.stakeSquared += stakeMinor * stakeMinor;
    this.returnSquared += returnMinor * returnMinor;
    this.stakeTimesReturn += stakeMinor * returnMinor;
  }

  sums(): RtpSums {
    const { rounds, stakeMinor, returnMinor, stakeSquared, returnSquared, stakeTimesReturn } = this;
    return { rounds, stakeMinor, returnMinor, stakeSquared, returnSquared, stakeTimesReturn };
  }
}

export function addRtpSums(a: RtpSums, b: RtpSums): RtpSums {
  return {
    rounds: a.rounds + b.rounds,
    stakeMinor: a.stakeMinor + b.stakeMinor,
    returnMinor: a.returnMinor + b.returnMinor,
    stakeSquared: a.stakeSquared + b.stakeSquared,
    returnSquared: a.returnSquared + b.returnSquared,
    stakeTimesReturn: a.stakeTimesReturn + b.stakeTimesReturn,
  };
}

export interface RtpEstimate {
  readonly rtp: number;
  readonly standardError: number;
  readonly ci99: readonly [number, number];
}

export function estimateRtp(sums: RtpSums): RtpEstimate {
  assert(sums.rounds >= 2n && sums.stakeMinor > 0n, "an RTP estimate needs two rounds and a stake");
  const n = sums.rounds;
  const s = sums.stakeMinor;
  const r = sums.returnMinor;
  // n · Σ(R − rS)² · S², kept exact in bigints: Σe² = ΣR² − 2r ΣRS + r² ΣS² with r = R/S.
  const scaledResidual = sums.returnSquared * s * s - 2n * r * s * sums.stakeTimesReturn + r * r * sums.stakeSquared;
  const residualSquares = Number(scaledResidual) / Number(s * s);
  const variance = residualSquares / Number(n - 1n);
  const meanStake = Number(s) / Number(n);
  const standardError = Math.sqrt(Math.max(0, variance)) / (meanStake * Math.sqrt(Number(n)));
  const rtp = Number((r * 10n ** 15n) / s) / 1e15;
  return { rtp, standardError, ci99: [rtp - z99 * standardError, rtp + z99 * standardError] };
}

/**
 * The RTP as a decision: a two-sided z-test of the measured RTP against the exact one, with the
 * standard error of the estimate (the sample variance of the payout per stake, by the delta method).
 * With millions of rounds the central limit theorem makes z standard normal under a fair game; the
 * report shows the 99% interval beside it.
 */
export function rtpTest(estimate: RtpEstimate, exact: number): { readonly z: number; readonly pValue: number } {
  if (estimate.standardError === 0) return { z: estimate.rtp === exact ? 0 : Infinity, pValue: estimate.rtp === exact ? 1 : 0 };
  const z = (estimate.rtp - exact) / estimate.standardError;
  return { z, pValue: normalTwoSidedP(z) };
}
