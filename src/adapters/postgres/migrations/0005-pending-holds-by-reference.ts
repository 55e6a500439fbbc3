import type { Migration } from "./migration.js";

/**
 * Finding a round's pending holds by its reference: a table sweeps the holds of a round that were
 * reserved but never accepted into it (the player gave up, the owner changed) when the round ends.
 */
export const m0005PendingHoldsByReference: Migration = {
  version: 5,
  name: "pending holds by reference",
  sql: `
create index ledger_holds_pending_reference_idx on ledger_holds (reference) where status = 'pending';
`,
};
