import type { AccountKind, GenericTransferKind } from "./ledger.types.js";

interface Route {
  readonly debit: ReadonlySet<AccountKind> | "any";
  readonly credit: ReadonlySet<AccountKind> | "any";
}

const only = (...kinds: AccountKind[]): ReadonlySet<AccountKind> => new Set(kinds);

/**
 * Which accounts each generic transfer kind may debit and credit. A deposit that credits a jackpot
 * pool, or a withdrawal drawn from the house, is a bug in the caller: it gets account_kind_invalid.
 */
export const transferRoutes: Readonly<Record<GenericTransferKind, Route>> = Object.freeze({
  deposit: { debit: only("payment_clearing"), credit: only("player_cash") },
  withdrawal_request: { debit: only("player_cash"), credit: only("withdrawals_pending") },
  withdrawal_payout: { debit: only("withdrawals_pending"), credit: only("payment_clearing") },
  withdrawal_reject: { debit: only("withdrawals_pending"), credit: only("player_cash") },
  bonus_grant: { debit: only("house"), credit: only("player_bonus") },
  bonus_conversion: { debit: only("player_bonus"), credit: only("player_cash") },
  bonus_forfeit: { debit: only("player_bonus"), credit: only("house") },
  jackpot_contribution: { debit: only("house"), credit: only("jackpot_pool") },
  adjustment: { debit: "any", credit: "any" },
});

export function routeAllows(kind: GenericTransferKind, debit: AccountKind, credit: AccountKind): boolean {
  const route = transferRoutes[kind];
  return (route.debit === "any" || route.debit.has(debit)) && (route.credit === "any" || route.credit.has(credit));
}
