/**
 * Invariant checks for the ledger rules. A failed assertion means a bug or corrupt stored state,
 * never a business outcome (those are statuses), so it throws and the batch's transaction rolls back.
 */
export function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`ledger invariant violated: ${message}`);
}
