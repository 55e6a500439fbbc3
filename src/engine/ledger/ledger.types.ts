/**
 * The ledger's vocabulary: accounts, the operations that move money, and the status each returns.
 * Amounts are bigint minor units of the operation's currency; account ids are bigints assigned by
 * the store; hold ids and idempotency keys are chosen by the caller.
 */

export const accountKinds = ["player_cash", "player_bonus", "house", "jackpot_pool", "payment_clearing", "withdrawals_pending"] as const;
export type AccountKind = (typeof accountKinds)[number];

/**
 * System accounts that may go below zero. A game's house account is its profit and loss: it is
 * negative whenever players have won more than they lost. Payment clearing is the mirror of money
 * outside the casino: a deposit debits it, so it is negative by the total deposited. Every other
 * account holds money that belongs to someone and never has a negative available balance.
 */
export const negativeAllowedKinds: ReadonlySet<AccountKind> = new Set(["house", "payment_clearing"]);

/** Accounts a stake can be held on and a win paid to. */
export const playerKinds: ReadonlySet<AccountKind> = new Set(["player_cash", "player_bonus"]);

/** Accounts a win may be paid from. */
export const payoutSourceKinds: ReadonlySet<AccountKind> = new Set(["house", "jackpot_pool"]);

export const transferKinds = [
  "bet_stake", // player -> house: a settled or instant stake
  "bet_win", // house -> player
  "jackpot_win", // jackpot pool -> player
  "deposit", // payment clearing -> player cash
  "withdrawal_request", // player cash -> withdrawals pending
  "withdrawal_payout", // withdrawals pending -> payment clearing
  "withdrawal_reject", // withdrawals pending -> player cash
  "bonus_grant", // house -> player bonus
  "bonus_conversion", // player bonus -> player cash: a bonus whose wagering is complete becomes cash
  "bonus_forfeit", // player bonus -> house: what is left of an expired or cancelled bonus
  "jackpot_contribution", // house -> jackpot pool
  "adjustment", // any -> any, by an operator; a correction is a new transfer, never an edit
] as const;
export type TransferKind = (typeof transferKinds)[number];

/** Transfer kinds a generic `transfer` operation may use (the bet kinds come only from bets). */
export type GenericTransferKind = Exclude<TransferKind, "bet_stake" | "bet_win" | "jackpot_win">;

export interface Payout {
  /** A house or jackpot pool account of the operation's currency. */
  readonly fromAccountId: bigint;
  readonly amount: bigint;
}

interface OpBase {
  /** Chosen by the caller, unique per effect: a repeat with the same key returns the first result. */
  readonly key: string;
  readonly currency: string;
}

/** Holds `amount` on a player account: it stays in the balance but is no longer available. */
export interface ReserveOp extends OpBase {
  readonly type: "reserve";
  readonly holdId: string;
  readonly accountId: bigint;
  readonly amount: bigint;
  readonly reference: string;
}

/** Posts a pending hold's stake to the house and pays wins to the hold's account. */
export interface SettleOp extends OpBase {
  readonly type: "settle";
  readonly holdId: string;
  readonly houseAccountId: bigint;
  readonly payouts: readonly Payout[];
}

/** Releases a pending hold. */
export interface VoidOp extends OpBase {
  readonly type: "void";
  readonly holdId: string;
}

/**
 * A progressive jackpot an instant bet feeds and may win. The win is not an amount chosen by the
 * caller: it is whatever the pool holds when the operation is judged, under the pool's lock, so two
 * winning spins that race are paid one after the other and the pool is paid out once.
 */
export interface InstantJackpot {
  /** A jackpot_pool account of the operation's currency. */
  readonly poolAccountId: bigint;
  /** Moved from the house to the pool with the stake (`jackpot_contribution`); 0n for none. */
  readonly contribution: bigint;
  /** The spin won the pool: it is paid the pool's whole available balance, this contribution included. */
  readonly won: boolean;
  /** After the contribution and any win, the house tops the pool up to this (`jackpot_contribution`); 0n for never. */
  readonly seed: bigint;
}

/** Reserve and settle in one atomic step, for games that resolve at once (slots). */
export interface InstantOp extends OpBase {
  readonly type: "instant";
  readonly accountId: bigint;
  readonly houseAccountId: bigint;
  readonly stake: bigint;
  readonly payouts: readonly Payout[];
  readonly reference: string;
  readonly jackpot?: InstantJackpot;
}

/** Moves money between two accounts along a route its kind allows (see transferRoutes). */
export interface TransferOp extends OpBase {
  readonly type: "transfer";
  readonly kind: GenericTransferKind;
  readonly debitAccountId: bigint;
  readonly creditAccountId: bigint;
  readonly amount: bigint;
  readonly reference: string;
}

export type LedgerOp = ReserveOp | SettleOp | VoidOp | InstantOp | TransferOp;

/** Every way an operation can end. Only `ok` writes anything (and records the key). */
export const ledgerStatuses = [
  "ok",
  "request_invalid", // key, hold id or reference empty or too long; too many payouts; same account twice
  "amount_invalid", // zero, negative or above amountMinorMax
  "currency_unknown",
  "currency_mismatch", // an account, hold or payout in another currency than the operation
  "account_not_found",
  "account_kind_invalid", // e.g. a hold on a house account, a deposit into a jackpot pool
  "insufficient_funds",
  "hold_not_found",
  "hold_already_exists", // a reserve with a new key for a hold id already used
  "hold_already_resolved", // settle or void of a hold already posted or voided
  "idempotency_key_conflict", // the key was used for a different request
  "busy", // the store's queue is full; nothing was written, retry with the same key
] as const;
export type LedgerStatus = (typeof ledgerStatuses)[number];
export type LedgerFailureStatus = Exclude<LedgerStatus, "ok">;

/** An account's state after an operation. */
export interface AccountBalance {
  readonly accountId: bigint;
  readonly balance: bigint;
  readonly held: bigint;
}

export type LedgerOutcome =
  | {
      readonly status: "ok";
      /** True when this answer repeats the recorded result of an earlier call with the same key. */
      readonly replayed: boolean;
      /** The accounts the operation touched, after it, except house and clearing accounts. */
      readonly balances: readonly AccountBalance[];
      /** For an instant bet naming a jackpot: the pool after it, and what it won (0n from an empty pool; absent when it did not win). */
      readonly jackpot?: { readonly pool: bigint; readonly win?: bigint };
    }
  | { readonly status: LedgerFailureStatus };

export type HoldStatus = "pending" | "posted" | "voided";

export interface AccountState {
  readonly id: bigint;
  readonly owner: string;
  readonly kind: AccountKind;
  readonly currency: string;
  balance: bigint;
  held: bigint;
}

export interface HoldState {
  readonly id: string;
  readonly accountId: bigint;
  readonly currency: string;
  readonly amount: bigint;
  readonly reference: string;
  status: HoldStatus;
}

/** A recorded successful result under an idempotency key. */
export interface IdempotencyRecord {
  readonly fingerprint: string;
  readonly outcome: LedgerOutcome & { status: "ok" };
}

export interface TransferRecord {
  readonly opKey: string;
  /** Position within its operation: 0, 1, ... */
  readonly leg: number;
  readonly debitAccountId: bigint;
  readonly creditAccountId: bigint;
  readonly amount: bigint;
  readonly currency: string;
  readonly kind: TransferKind;
  readonly reference: string;
  readonly holdId: string | null;
}
