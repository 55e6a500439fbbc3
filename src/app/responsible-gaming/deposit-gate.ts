import { findCurrency, formatAmount } from "../../engine/money/index.js";
import { accessAt, judgeLimits, type Access } from "../../engine/responsible-gaming/index.js";
import { failure, type Outcome } from "../outcome.js";
import type { DepositGate } from "../ports/rg-store.js";

type Refusal = Extract<Outcome<never>, { ok: false }>;

/** Money as the wire shows it ("-12.50"), in its currency's major unit. */
export function shown(amountMinor: bigint, currency: string): string {
  const code = findCurrency(currency);
  return code === null ? amountMinor.toString() : formatAmount(amountMinor, code);
}

/** The refusal of anything an account in `access` may not do (login, play, deposit); null when open. */
export function accessRefusal(access: Access): Refusal | null {
  switch (access.status) {
    case "open":
      return null;
    case "locked":
      return failure("RG_ACCOUNT_LOCKED") as Refusal;
    case "excluded":
      return failure("RG_EXCLUDED", { details: [`${access.exclusion.kind} until ${new Date(access.exclusion.untilMs).toISOString()}`] }) as Refusal;
  }
}

/**
 * Pure: the refusal of a deposit, judged on the gate read in the deposit's own transaction; null
 * when it may go ahead. A locked or excluded account deposits nothing; otherwise every deposit limit
 * in force must leave room for the whole amount.
 */
export function depositRefusal(gate: DepositGate, amountMinor: bigint, currency: string, nowMs: number): Refusal | null {
  const denied = accessRefusal(accessAt(gate.restrictions, nowMs));
  if (denied !== null) return denied;
  const verdict = judgeLimits(amountMinor, gate.limits, gate.depositedMinor);
  if (verdict.status === "ok") return null;
  return failure("RG_DEPOSIT_LIMIT_EXCEEDED", {
    details: [
      `${verdict.period} deposit limit ${shown(verdict.limitMinor, currency)} ${currency}; ${shown(verdict.remainingMinor, currency)} ${currency} left`,
    ],
  }) as Refusal;
}
