/**
 * Invariant checks for the pure core. A failed assertion means a bug or a corrupt configuration,
 * never a business outcome (those are returned as status values), so it throws and fails loudly.
 */
export function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(`engine invariant violated: ${message}`);
}
