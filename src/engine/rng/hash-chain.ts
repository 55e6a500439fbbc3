import { assert } from "./assert.js";
import { hashSeedText } from "./provably-fair.rng.js";

/**
 * A reversed SHA-256 hash chain, the commitment of a shared table. From a secret terminal seed
 * `s[L]`, each earlier seed is the hash of the next: `s[i-1] = SHA-256(s[i])` (lowercase hex of the
 * UTF-8 text, as `hashServerSeed`). `s[0]` is published when the table opens; round k of the chain
 * uses `s[k]` and reveals it, and anyone checks `SHA-256(s[k]) = s[k-1]` (the seed revealed before,
 * or `s[0]` after k hashes). Since SHA-256 cannot be inverted, the seeds still to come were fixed when
 * `s[0]` was published, yet nobody can compute them before they are revealed.
 */
export function hashChain(terminalSeed: string, length: number): readonly string[] {
  assert(Number.isSafeInteger(length) && length >= 1, `chain length ${length} must be a positive integer`);
  const seeds = new Array<string>(length + 1);
  seeds[length] = terminalSeed;
  for (let i = length; i > 0; i--) seeds[i - 1] = hashSeedText(seeds[i] as string);
  return seeds;
}

/** Whether `seed`, hashed `index` times, is the chain's published `commitment` (so it is seed k of that chain). */
export function chainReaches(seed: string, index: number, commitment: string): boolean {
  assert(Number.isSafeInteger(index) && index >= 0, `chain index ${index} must be a non-negative integer`);
  let value = seed;
  for (let i = 0; i < index; i++) value = hashSeedText(value);
  return value === commitment.toLowerCase();
}
