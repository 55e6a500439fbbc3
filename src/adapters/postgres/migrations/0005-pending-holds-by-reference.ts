import type { Migration } from "./migration.js";

/**
 * Finding a round's pending holds by its reference: a table sweeps the holds of a round that were
 * reserved but never accepted into it (the player gave up, the owner changed) when the round ends.
 * Finding ended rounds by age, for the game-recall retention purge.
 */
export const m0005PendingHoldsByReference: Migration = {
  version: 5,
  name: "pending holds by reference, rounds by age",
  sql: `
create index ledger_holds_pending_reference_idx on ledger_holds (reference) where status = 'pending';
create index game_rounds_opened_idx on game_rounds (opened_at);
`,
};
