import type { Rng } from "../rng/rng.js";
import { uniformInt } from "../rng/uniform.js";

/** European wheel: a single zero and 1..36, so 37 equally likely pockets. */
export const pocketCount = 37;

/** The red numbers of the standard layout; every other non-zero number is black. */
export const redNumbers: ReadonlySet<number> = new Set([1, 3, 5, 7, 9, 12, 14, 16, 18, 19, 21, 23, 25, 27, 30, 32, 34, 36]);

/** Spins the wheel: a pocket in 0..36, exactly uniform (rejection-sampled from one or more draws). */
export function spin(rng: Rng): number {
  return uniformInt(rng, pocketCount);
}

/** The layout has 12 rows (streets) of 3 columns: number n sits in row (n - 1) / 3 and column (n - 1) % 3. */
export function layoutRow(n: number): number {
  return Math.floor((n - 1) / 3);
}

export function layoutColumn(n: number): number {
  return (n - 1) % 3;
}
