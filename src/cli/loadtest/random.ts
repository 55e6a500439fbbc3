/** Randomness for the simulated players (bet choices, think times, jitter): node's CSPRNG. */
import { randomInt } from "node:crypto";

const unitSteps = 2 ** 47;

/** Uniform in [0, 1). */
export function unit(): number {
  return randomInt(0, unitSteps) / unitSteps;
}

/** Uniform integer in [min, max]. */
export function between(min: number, max: number): number {
  return randomInt(min, max + 1);
}

export function pick<T>(items: readonly T[]): T {
  if (items.length === 0) throw new Error("pick from an empty list");
  return items[randomInt(0, items.length)] as T;
}

/** A think time: uniform in [0.5, 1.5] × meanMs, so players do not act in lockstep. */
export function jittered(meanMs: number): number {
  return meanMs * (0.5 + unit());
}
