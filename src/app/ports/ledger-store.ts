import type { AccountKind, LedgerOp, LedgerOutcome, TransferKind } from "../../engine/ledger/index.js";
import type { RoundRecord } from "./round-store.js";

/** Where an account is found: one account per owner, kind and currency. */
export interface AccountAddress {
  /** A user id for player accounts; "game:<id>", "jackpot:<id>", "payments:<provider>" for system ones. */
  readonly owner: string;
  readonly kind: AccountKind;
  readonly currency: string;
}

export interface AccountRecord extends AccountAddress {
  readonly id: bigint;
  readonly balance: bigint;
  readonly held: bigint;
}

/** One transfer seen from one account: `amount` is positive when it credited the account. */
export interface HistoryEntry {
  readonly transferId: bigint;
  readonly opKey: string;
  readonly kind: TransferKind;
  readonly amount: bigint;
  readonly currency: string;
  readonly counterpartyAccountId: bigint;
  readonly reference: string;
  readonly holdId: string | null;
  readonly createdAtMs: number;
}

export interface HistoryPage {
  /** Newest first. */
  readonly entries: readonly HistoryEntry[];
  /** Pass as `beforeTransferId` for the next (older) page; null when this page is the last. */
  readonly nextCursor: bigint | null;
}

export interface HistoryQuery {
  readonly beforeTransferId?: bigint;
  /** At most the store's historyEntriesMax. */
  readonly limit: number;
}

/** The books, proven from the stored rows (an operator's "ledger balance check"). */
export interface LedgerCheck {
  readonly currencies: readonly {
    readonly currency: string;
    /** Sum of transfer amounts seen from their debit accounts, and from their credit accounts. */
    readonly debitsMinor: bigint;
    readonly creditsMinor: bigint;
    /** Sum of every account's balance: zero, as money only moves between accounts. */
    readonly balancesMinor: bigint;
  }[];
  /** Accounts whose balance is not their credits minus their debits. */
  readonly accountsMismatched: number;
  /** Accounts whose held amount is not the sum of their pending holds. */
  readonly heldMismatched: number;
  /** Accounts holding someone's money with a negative available balance. */
  readonly accountsNegative: number;
  /** Transfers naming an account that does not exist or is in another currency than the transfer. */
  readonly transfersMismatched: number;
  readonly ok: boolean;
}

/** The round records an applied operation carries, built from its outcome (a jackpot win is known only then). */
export type RecordsOnApply = (applied: Extract<LedgerOutcome, { status: "ok" }>) => readonly RoundRecord[];

/**
 * The ledger's storage. `submit` judges one operation with the rules of src/engine/ledger and
 * answers only once its effect is durable; an implementation may coalesce concurrent submissions
 * into one transaction. Business outcomes are statuses; a rejected promise means the store could
 * not answer (the operation may or may not have been applied: retry it with the same key).
 */
export interface LedgerStore {
  /**
   * `records`, when given, are the game-recall rows of the operation's round (a paid slot spin): they
   * are written in the operation's own transaction when it is applied, and never when it is refused
   * or replayed, so a round is in recall exactly when its money moved.
   */
  submit(op: LedgerOp, records?: RecordsOnApply): Promise<LedgerOutcome>;
  /** Creates the account if it does not exist (idempotent) and returns it. */
  openAccount(address: AccountAddress): Promise<AccountRecord>;
  findAccount(address: AccountAddress): Promise<AccountRecord | null>;
  accountsOf(owner: string): Promise<readonly AccountRecord[]>;
  history(accountId: bigint, query: HistoryQuery): Promise<HistoryPage>;
  /** Ids of the holds still pending whose reference (a round id) is `reference`, at most `limit`. */
  pendingHolds(reference: string, limit: number): Promise<readonly string[]>;
  check(): Promise<LedgerCheck>;
  /** Answers every queued operation, then refuses new ones. Does not close the database. */
  close(): Promise<void>;
}
