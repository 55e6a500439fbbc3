import type { WithdrawalStatus } from "../../protocol/wallet.schemas.js";
import type { DepositGate } from "./rg-store.js";

/**
 * The payments tables: deposits, withdrawals, the outbox of effects still to deliver, and the
 * idempotency keys of HTTP requests. Implemented on PostgreSQL and PGlite
 * (src/adapters/postgres/payments-store.sql.ts). Every transition is conditional on the current
 * status, so repeating one (a duplicate webhook, a relay retry) changes nothing.
 */
export type DepositStatus = "pending" | "credited" | "declined" | "failed";
export type { WithdrawalStatus };

export interface DepositRecord {
  readonly id: string;
  readonly userId: string;
  readonly requestKey: string;
  readonly provider: string;
  readonly currency: string;
  readonly amount: bigint;
  readonly cardToken: string;
  readonly cardLabel: string;
  readonly providerPaymentId: string | null;
  readonly status: DepositStatus;
  readonly reason: string | null;
  readonly createdMs: number;
  readonly updatedMs: number;
}

export type NewDeposit = Pick<DepositRecord, "userId" | "requestKey" | "provider" | "currency" | "amount" | "cardToken" | "cardLabel">;

export interface WithdrawalRecord {
  readonly id: string;
  /** Insertion order, the cursor of the operator's list. */
  readonly seq: bigint;
  readonly userId: string;
  readonly requestKey: string;
  readonly provider: string;
  readonly currency: string;
  readonly amount: bigint;
  readonly cardToken: string;
  readonly cardLabel: string;
  readonly status: WithdrawalStatus;
  readonly reason: string | null;
  readonly decidedBy: string | null;
  readonly providerPayoutId: string | null;
  readonly createdMs: number;
  readonly updatedMs: number;
}

export type NewWithdrawal = Pick<WithdrawalRecord, "userId" | "requestKey" | "provider" | "currency" | "amount" | "cardToken" | "cardLabel">;

/** The withdrawals of one player that count against the frequency rule. */
export interface RecentWithdrawals {
  readonly count: number;
  /** How many of the counted ones still wait for their hold (each may yet be refused and stop counting). */
  readonly holding: number;
  /** Creation times of the counted withdrawals, oldest first. */
  readonly createdMs: readonly number[];
}

/**
 * `event`: a payment event, exported and then published on the in-process bus; `export`: an event
 * only exported (game rounds, risk actions: docs/EVENTS.md), whose entry is deleted once delivered.
 */
export const outboxKinds = ["withdrawal.hold", "withdrawal.payout", "withdrawal.release", "event", "export"] as const;
export type OutboxKind = (typeof outboxKinds)[number];

export interface NewOutboxEntry {
  readonly kind: OutboxKind;
  /** The withdrawal (or deposit) the entry is about; for `export`, the event's id. */
  readonly subjectId: string;
  /** JSON, for events: what is published on the bus. */
  readonly payload?: string;
}

export interface OutboxEntry extends Required<NewOutboxEntry> {
  readonly id: bigint;
  /** Deliveries started, this one included. */
  readonly attempts: number;
}

/** An undelivered entry as an operator reviews it. */
export interface OutboxReview {
  readonly id: bigint;
  readonly kind: OutboxKind;
  readonly subjectId: string;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdMs: number;
  readonly nextAttemptMs: number;
  readonly parkedMs: number | null;
}

export interface OutboxBacklog {
  readonly waiting: number;
  readonly parked: number;
  readonly oldestWaitingMs: number | null;
}

export interface DepositChange {
  readonly providerPaymentId?: string;
  readonly reason?: string | null;
}

export interface WithdrawalChange {
  readonly reason?: string | null;
  readonly decidedBy?: string;
  readonly providerPayoutId?: string;
}

export type CreateDepositResult =
  { readonly status: "created" | "existing"; readonly deposit: DepositRecord } | { readonly status: "refused"; readonly refusal: unknown };

export type CreateWithdrawalResult =
  | { readonly status: "created"; readonly withdrawal: WithdrawalRecord; readonly outboxIds: readonly bigint[] }
  /** A withdrawal with this request key exists already (a retried request). */
  | { readonly status: "existing"; readonly withdrawal: WithdrawalRecord }
  | { readonly status: "refused"; readonly refusal: unknown };

export interface PaymentsStore {
  /**
   * In one transaction, serialized per user with the player's limit and restriction changes: returns
   * the deposit this user created with this request key if there is one; otherwise reads the
   * player's responsible-gaming gate, asks `judge` (null means allowed, anything else is returned as
   * the refusal) and inserts the deposit as "pending". So racing deposits are judged one after the
   * other, each counting those inserted before it: a limit cannot be exceeded by parallel requests.
   */
  createDeposit(deposit: NewDeposit, nowMs: number, judge: (gate: DepositGate) => unknown): Promise<CreateDepositResult>;
  findDeposit(id: string): Promise<DepositRecord | null>;
  /** The card tokens of the user's credited deposits through `provider` (distinct, at most `limit`): the closed loop's instruments. */
  depositCardTokens(userId: string, provider: string, limit: number): Promise<readonly string[]>;
  /**
   * Moves a deposit from one of `from` to `to` (null keeps its status) and queues `outbox` in the
   * same transaction; null when it was in none of them. A provider payment id, once set, stays.
   */
  transitionDeposit(
    id: string,
    from: readonly DepositStatus[],
    to: DepositStatus | null,
    change: DepositChange,
    nowMs: number,
    outbox?: readonly NewOutboxEntry[],
  ): Promise<{ readonly deposit: DepositRecord; readonly outboxIds: readonly bigint[] } | null>;

  /**
   * In one transaction, serialized per user: returns the withdrawal of this request key if there is
   * one (unless it was refused and this is the same request again: that is a new attempt); otherwise counts the user's recent withdrawals, asks `judge` (null means allowed, anything
   * else is returned as the refusal), inserts the withdrawal as "requested" and queues `outbox`.
   */
  createWithdrawal(
    withdrawal: NewWithdrawal,
    nowMs: number,
    periodMs: number,
    judge: (recent: RecentWithdrawals) => unknown,
    outbox: (id: string) => readonly NewOutboxEntry[],
  ): Promise<CreateWithdrawalResult>;
  findWithdrawal(id: string): Promise<WithdrawalRecord | null>;
  listWithdrawals(query: { readonly status?: WithdrawalStatus; readonly beforeSeq?: bigint; readonly limit: number }): Promise<readonly WithdrawalRecord[]>;
  /** Moves a withdrawal and queues `outbox` in the same transaction; null when it was in none of `from`. */
  transitionWithdrawal(
    id: string,
    from: readonly WithdrawalStatus[],
    to: WithdrawalStatus,
    change: WithdrawalChange,
    nowMs: number,
    outbox?: readonly NewOutboxEntry[],
  ): Promise<{ readonly withdrawal: WithdrawalRecord; readonly outboxIds: readonly bigint[] } | null>;

  /**
   * Leases due entries (or the one `id`) for `leaseMs`: another node takes an entry only once its
   * lease has run out, so a node that dies mid-delivery leaves it to the others.
   */
  claimOutbox(query: { readonly id?: bigint; readonly nowMs: number; readonly leaseMs: number; readonly limit: number }): Promise<readonly OutboxEntry[]>;
  /** Leases the undelivered entry of `kind` for `subjectId`, due or not; none if another holds it or it is done. */
  claimOutboxOf(kind: OutboxKind, subjectId: string, nowMs: number, leaseMs: number): Promise<OutboxEntry | null>;
  completeOutbox(id: bigint, nowMs: number): Promise<void>;
  /** Releases the lease and schedules the next attempt. */
  retryOutbox(id: bigint, nextAttemptMs: number, error: string): Promise<void>;
  /** Stops delivering the entry; an operator must look at it. */
  parkOutbox(id: bigint, nowMs: number, error: string): Promise<void>;
  /**
   * Entries not yet delivered, parked ones included, and when the oldest waiting one was queued
   * (null when none waits): the relay's lag (for metrics, health checks and tests).
   */
  outboxBacklog(): Promise<OutboxBacklog>;
  /** Undelivered entries, parked (waiting for an operator) or still being tried, oldest first. */
  listOutbox(query: { readonly state: "parked" | "waiting"; readonly limit: number }): Promise<readonly OutboxReview[]>;
  /** Puts a parked entry back to be delivered now with a fresh count of attempts; false if it is not parked. */
  requeueOutbox(id: bigint, nowMs: number): Promise<boolean>;
  /** Deposits, newest first, optionally of one status and one player; `before`: the last deposit of the previous page. */
  listDeposits(query: {
    readonly status?: DepositStatus;
    readonly userId?: string;
    readonly before?: { readonly createdMs: number; readonly id: string };
    readonly limit: number;
  }): Promise<readonly DepositRecord[]>;
}

export type RequestKeyState =
  | { readonly state: "fresh" }
  | { readonly state: "replay"; readonly statusCode: number; readonly body: string }
  | { readonly state: "conflict" }
  | { readonly state: "in_progress" };

/**
 * Idempotency keys of HTTP requests, per caller (`scope`). Only successful answers are recorded; a
 * refused request releases its key, so the same key may be retried once the cause is fixed (as the
 * ledger does). A key held by a request that died is taken over once its lease has run out.
 */
export interface RequestKeyStore {
  begin(scope: string, key: string, fingerprint: string, nowMs: number, leaseMs: number): Promise<RequestKeyState>;
  complete(scope: string, key: string, statusCode: number, body: string, nowMs: number): Promise<void>;
  release(scope: string, key: string): Promise<void>;
}
