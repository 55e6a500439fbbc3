import type { Rng } from "./rng.js";
import { hashServerSeed, ProvablyFairRng, type ProvablyFairSeeds } from "./provably-fair.rng.js";

/** What a player holds after the server seed is revealed: the seeds and the commitment shown before play. */
export interface ProvablyFairReveal extends ProvablyFairSeeds {
  readonly serverSeedHashHex: string;
}

export type VerifyResult<T> =
  | { readonly status: "verified"; readonly outcome: T; readonly drawnUint32s: number }
  | { readonly status: "server_seed_hash_mismatch"; readonly committedHashHex: string; readonly revealedHashHex: string };

/**
 * Recomputes a round. First checks that the revealed server seed is the one committed to (otherwise the
 * operator could have picked it after seeing the bets), then replays `play` — the same pure engine
 * function the server ran — on a fresh stream for the seeds, and returns the outcome to compare with
 * the recorded one. The comparison itself is the caller's, because each game records its own outcome.
 */
export function verifyRound<T>(reveal: ProvablyFairReveal, play: (rng: Rng) => T): VerifyResult<T> {
  const revealedHashHex = hashServerSeed(reveal.serverSeed);
  const committedHashHex = reveal.serverSeedHashHex.toLowerCase();
  if (revealedHashHex !== committedHashHex) {
    return { status: "server_seed_hash_mismatch", committedHashHex, revealedHashHex };
  }
  const rng = new ProvablyFairRng(reveal);
  const outcome = play(rng);
  return { status: "verified", outcome, drawnUint32s: rng.drawnUint32s };
}
