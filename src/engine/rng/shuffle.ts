import { assert } from "./assert.js";
import type { Rng } from "./rng.js";
import { uniformInt, uint32Space } from "./uniform.js";

/**
 * Fisher–Yates (Durstenfeld) shuffle in place: position i swaps with a uniform position in [0, i].
 * With an unbiased `uniformInt` every one of the n! orders has probability exactly 1/n!.
 * It consumes exactly n - 1 uniform picks, so a provably-fair replay draws the same values.
 */
export function shuffleInPlace<T>(rng: Rng, items: T[]): T[] {
  assert(items.length <= uint32Space, "cannot shuffle more than 2^32 items");
  for (let i = items.length - 1; i > 0; i--) {
    const j = uniformInt(rng, i + 1);
    const picked = items[j] as T;
    items[j] = items[i] as T;
    items[i] = picked;
  }
  return items;
}

/** A shuffled copy; the input is left untouched. */
export function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  return shuffleInPlace(rng, items.slice());
}
