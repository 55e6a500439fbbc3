import type { LedgerOp, Payout } from "./ledger.types.js";

/**
 * The request an idempotency key stands for, as one string with a fixed field order and bigints
 * as decimal digits. Two calls are "the same request" exactly when these strings are equal; a
 * store keeps a hash of it next to the key.
 */
export function canonicalRequest(op: LedgerOp): string {
  const payouts = (list: readonly Payout[]): string[][] => list.map((p) => [p.fromAccountId.toString(), p.amount.toString()]);
  switch (op.type) {
    case "reserve":
      return JSON.stringify(["reserve", op.key, op.currency, op.holdId, op.accountId.toString(), op.amount.toString(), op.reference]);
    case "settle":
      return JSON.stringify(["settle", op.key, op.currency, op.holdId, op.houseAccountId.toString(), payouts(op.payouts)]);
    case "void":
      return JSON.stringify(["void", op.key, op.currency, op.holdId]);
    case "instant": {
      const base = [
        "instant",
        op.key,
        op.currency,
        op.accountId.toString(),
        op.houseAccountId.toString(),
        op.stake.toString(),
        payouts(op.payouts),
        op.reference,
      ];
      // Appended only when present, so the fingerprints of instant bets recorded before jackpots stay valid.
      const { jackpot } = op;
      return JSON.stringify(
        jackpot === undefined ? base : [...base, [jackpot.poolAccountId.toString(), jackpot.contribution.toString(), jackpot.won, jackpot.seed.toString()]],
      );
    }
    case "transfer":
      return JSON.stringify([
        "transfer",
        op.key,
        op.currency,
        op.kind,
        op.debitAccountId.toString(),
        op.creditAccountId.toString(),
        op.amount.toString(),
        op.reference,
      ]);
  }
}
