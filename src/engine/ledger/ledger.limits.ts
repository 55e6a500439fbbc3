/** Bounds on what one operation may carry. */
export const ledgerLimits = Object.freeze({
  /** Idempotency keys, hold ids and references. */
  idCharsMax: 128,
  /** Wins paid by one settle or instant operation (a base win, a jackpot, a bonus feature). */
  payoutsMax: 4,
});
