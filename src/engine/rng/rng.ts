/**
 * The source of randomness every engine receives. Production passes the CSPRNG adapter
 * (src/adapters/node/rng.crypto.ts); tests and simulations pass a seeded generator.
 * Engines never reach for randomness any other way.
 */
export interface Rng {
  /** 32 uniformly random bits as an unsigned integer in [0, 2^32). */
  nextUint32(): number;
}
