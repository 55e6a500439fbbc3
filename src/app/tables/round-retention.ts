import type { Clock } from "../ports/clock.js";
import type { RoundStore } from "../ports/round-store.js";

const purgePageRounds = 1_000;
const dayMs = 86_400_000;

/**
 * Game recall keeps every ended round for `retentionDays`, then deletes it with its bets, a page at
 * a time (the ledger keeps its own rows for ever: money history is not game recall). Every node may
 * run it; two purges at once delete each round once.
 */
export async function purgeExpiredRounds(rounds: RoundStore, clock: Clock, retentionDays: number): Promise<number> {
  const cutoff = new Date(clock.nowMs() - retentionDays * dayMs);
  let purged = 0;
  for (;;) {
    const page = await rounds.purgeEndedBefore(cutoff, purgePageRounds);
    purged += page;
    if (page < purgePageRounds) return purged;
  }
}
