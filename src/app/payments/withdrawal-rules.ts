import type { ErrorName } from "../../protocol/errors.js";
import type { RecentWithdrawals } from "../ports/payments-store.js";

/** The operator's withdrawal rules (config: withdrawalAmountMinorMin, withdrawalsPerPeriodMax, withdrawalPeriodMs). */
export interface WithdrawalRules {
  /** Smallest withdrawal in minor units of its currency. */
  readonly amountMinorMin: bigint;
  readonly perPeriodMax: number;
  readonly periodMs: number;
}

export type WithdrawalRefusal =
  | { readonly error: Extract<ErrorName, "WALLET_WITHDRAWAL_BELOW_MINIMUM"> }
  /**
   * `undecided`: the request fits unless enough of the counted requests whose hold is still running get
   * it (refused requests do not count): the caller waits for those holds and asks again.
   */
  | { readonly error: Extract<ErrorName, "WALLET_WITHDRAWAL_TOO_FREQUENT">; readonly retryAfterMs: number; readonly undecided?: true };

/**
 * Pure: judges a withdrawal request against the rules, given the player's withdrawals inside the
 * period (refused ones do not count). Null means allowed. `retryAfterMs` is when the oldest counted
 * withdrawal that must leave the window for one more to fit does so.
 */
export function judgeWithdrawal(amount: bigint, recent: RecentWithdrawals, nowMs: number, rules: WithdrawalRules): WithdrawalRefusal | null {
  if (amount < rules.amountMinorMin) return { error: "WALLET_WITHDRAWAL_BELOW_MINIMUM" };
  if (recent.count < rules.perPeriodMax) return null;
  const mustLeave = recent.createdMs[recent.count - rules.perPeriodMax] ?? recent.createdMs[0] ?? nowMs;
  const retryAfterMs = Math.max(1, mustLeave + rules.periodMs - nowMs);
  return recent.count - recent.holding < rules.perPeriodMax
    ? { error: "WALLET_WITHDRAWAL_TOO_FREQUENT", retryAfterMs, undecided: true }
    : { error: "WALLET_WITHDRAWAL_TOO_FREQUENT", retryAfterMs };
}
