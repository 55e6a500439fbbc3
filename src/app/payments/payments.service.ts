import { findCurrency, formatAmount } from "../../engine/money/index.js";
import type { WithdrawalStatus } from "../../protocol/wallet.schemas.js";
import { failure, success, type Outcome } from "../outcome.js";
import type { Bus } from "../ports/bus.js";
import { sleep, type Clock, type Timer } from "../ports/clock.js";
import type { LedgerStore } from "../ports/ledger-store.js";
import type { PaymentEvent, PaymentProvider } from "../ports/payment-provider.js";
import type { EventExport } from "../ports/event-export.js";
import type { PaymentExportEvent } from "../../protocol/events.schemas.js";
import { systemOwners, type Wallet } from "../wallet/index.js";
import type { AccountRestrictions } from "../../engine/responsible-gaming/index.js";
import { depositRefusal } from "../responsible-gaming/deposit-gate.js";
import { isLedgerFailureStatus, ledgerError, parseMoneyInput } from "./money-input.js";
import { background } from "../background.js";
import { DepositWaiters } from "./deposit-waiters.js";
import { OutboxRelay, type DeliveryResult, type OutboxRelayLimits, type RelayLog } from "./outbox-relay.js";
import type {
  DepositRecord,
  DepositStatus,
  NewOutboxEntry,
  OutboxEntry,
  OutboxReview,
  PaymentsStore,
  RequestKeyState,
  RequestKeyStore,
  WithdrawalRecord,
} from "../ports/payments-store.js";
import { judgeWithdrawal, type WithdrawalRefusal, type WithdrawalRules } from "./withdrawal-rules.js";

/** The bus channel money events are published on (at least once; deduplicate by `id`). */
export const walletEventsChannel = "wallet.events";
/** A deposit left `pending` (its id): wakes the requests waiting for it on every node. At most once: a hint. */
export const depositSettledChannel = "payments.deposit-settled";
/** Longest `GET /v1/wallet/deposits/:id?waitMs=` waits, and how many such requests one process holds. */
export const depositWaitMsMax = 30_000;
const depositWaitersMax = 10_000;
/** How long a request holds its idempotency key before a retry may take it over (it died). */
const requestKeyLeaseMs = 60_000;
const listEntriesMax = 200;
/** A listing's page size, 1 to listEntriesMax. */
const pageSize = (limit: number): number => Math.max(1, Math.min(listEntriesMax, Math.trunc(limit)));
/** How often a withdrawal request looks again at a hold another process runs. */
const holdPollMs = 20;

/** Deposit cards compared for the closed loop; a player with more distinct cards than this is an operator's question anyway. */
const closedLoopTokensMax = 1_000;

export interface PaymentsLimits extends OutboxRelayLimits {
  readonly withdrawalAmountMinorMin: number;
  readonly withdrawalsPerPeriodMax: number;
  readonly withdrawalPeriodMs: number;
  readonly paymentsProviderTimeoutMs: number;
}

export interface PaymentsDeps {
  readonly store: PaymentsStore;
  readonly requestKeys: RequestKeyStore;
  readonly wallet: Wallet;
  /** For the one transfer the wallet has no use case for: returning a failed payout (an adjustment). */
  readonly ledger: LedgerStore;
  readonly provider: PaymentProvider;
  readonly bus: Bus;
  /** Where deposit and withdrawal events are exported for analytics (docs/EVENTS.md); none: the bus only. */
  readonly events?: EventExport;
  readonly clock: Clock;
  /** A player's time-out, self-exclusion and lock; none: no approval is held for a lock. */
  readonly restrictions?: (userId: string) => Promise<AccountRestrictions>;
  /** Told of each new deposit or withdrawal request (the risk engine counts them); must not throw or wait. */
  readonly onMoneyRequest?: (request: {
    readonly kind: "deposit" | "withdrawal";
    readonly userId: string;
    readonly currency: string;
    readonly amountMinor: bigint;
  }) => void;
  readonly log: RelayLog;
  readonly limits: PaymentsLimits;
}

export interface MoneyRequest {
  readonly userId: string;
  /** The client's Idempotency-Key. */
  readonly requestKey: string;
  /** As received: a decimal string, or anything else to be refused with its code. */
  readonly amount: unknown;
  readonly currency: string;
  readonly cardToken: string;
}

export interface WithdrawalPage {
  readonly withdrawals: readonly WithdrawalRecord[];
  readonly nextCursor: bigint | null;
}

export type WebhookOutcome = "credited" | "duplicate" | "failed" | "noted" | "ignored";

/**
 * Deposits, withdrawals and provider webhooks. Money moves only through the wallet (the ledger),
 * each move under a key derived from the payment, so a repeat never moves it twice; effects that
 * must survive a crash (hold, payout, release, events) are queued in the outbox in the same
 * transaction as the decision and delivered by the relay. docs/PAYMENTS.md has the state machines.
 */
export class Payments {
  readonly relay: OutboxRelay;
  private readonly waiters: DepositWaiters;
  /** The subscription that wakes waiting deposit requests, opened by the first one. */
  private watching: Promise<() => Promise<void>> | null = null;
  private readonly rules: WithdrawalRules;

  constructor(private readonly deps: PaymentsDeps) {
    this.rules = {
      amountMinorMin: BigInt(deps.limits.withdrawalAmountMinorMin),
      perPeriodMax: deps.limits.withdrawalsPerPeriodMax,
      periodMs: deps.limits.withdrawalPeriodMs,
    };
    this.relay = new OutboxRelay(
      deps.store,
      {
        "withdrawal.hold": (entry) => this.hold(entry),
        "withdrawal.payout": (entry) => this.payout(entry),
        "withdrawal.release": (entry) => this.release(entry),
        // Exported first: a failed export is retried by the relay, and the bus is at most once anyway.
        event: async (entry) => {
          await this.exportEvent(entry);
          await deps.bus.publish(walletEventsChannel, entry.payload);
          return { status: "done" };
        },
        // Game rounds and risk actions: for the stream only (docs/EVENTS.md).
        export: async (entry) => {
          await this.exportEvent(entry);
          return { status: "done" };
        },
      },
      deps.clock,
      deps.limits,
      deps.log,
    );
    this.waiters = new DepositWaiters(deps.clock, depositWaitersMax);
  }

  get providerName(): string {
    return this.deps.provider.name;
  }

  start(): void {
    this.relay.start();
  }

  async stop(): Promise<void> {
    await this.relay.stop();
    const watching = this.watching;
    this.watching = null;
    if (watching !== null) await (await watching)();
  }

  /**
   * One of `userId`'s deposits; while it is `pending`, waits up to `waitMs` for it to be credited or
   * to fail (a long poll: a cashier page learns the outcome as it happens instead of polling).
   */
  async awaitDeposit(id: string, userId: string, waitMs: number): Promise<DepositRecord | null> {
    if (waitMs > 0) await (this.watching ??= this.deps.bus.subscribe(depositSettledChannel, (depositId) => this.waiters.notify(depositId)));
    // Waiting before the read: a deposit settled between the two is either read settled or notified.
    const waiter = this.waiters.wait(id, Math.min(waitMs, depositWaitMsMax));
    const deposit = await this.deps.store.findDeposit(id);
    if (deposit === null || deposit.userId !== userId || deposit.status !== "pending") {
      waiter.cancel();
      return deposit;
    }
    await waiter.done;
    return this.deps.store.findDeposit(id);
  }

  private notifySettled(depositId: string): void {
    background(this.deps.bus.publish(depositSettledChannel, depositId), "payments.deposit-settled");
  }

  // ---- idempotency keys of HTTP requests -------------------------------------------------------

  beginRequest(scope: string, key: string, fingerprint: string): Promise<RequestKeyState> {
    return this.deps.requestKeys.begin(scope, key, fingerprint, this.deps.clock.nowMs(), requestKeyLeaseMs);
  }

  completeRequest(scope: string, key: string, statusCode: number, body: string): Promise<void> {
    return this.deps.requestKeys.complete(scope, key, statusCode, body, this.deps.clock.nowMs());
  }

  releaseRequest(scope: string, key: string): Promise<void> {
    return this.deps.requestKeys.release(scope, key);
  }

  // ---- deposits --------------------------------------------------------------------------------

  /** Charges the card; the deposit stays pending until the provider's webhook confirms it. */
  async startDeposit(request: MoneyRequest): Promise<Outcome<DepositRecord>> {
    const money = parseMoneyInput(request.amount, request.currency);
    if (!money.ok) return money;
    const card = this.deps.provider.describeToken(request.cardToken, request.userId);
    if (card === null) return failure("PAYMENT_TOKEN_INVALID");
    const nowMs = this.deps.clock.nowMs();
    // Judged inside the insert's transaction, under the player's lock: limits, time-outs, locks.
    const created = await this.deps.store.createDeposit(
      {
        userId: request.userId,
        requestKey: request.requestKey,
        provider: this.deps.provider.name,
        currency: money.value.currency.code,
        amount: money.value.amount,
        cardToken: request.cardToken,
        cardLabel: card.label,
      },
      nowMs,
      (gate) => depositRefusal(gate, money.value.amount, money.value.currency.code, nowMs),
    );
    if (created.status === "refused") return created.refusal as Outcome<DepositRecord>;
    const { deposit } = created;
    if (created.status === "created")
      this.deps.onMoneyRequest?.({ kind: "deposit", userId: deposit.userId, currency: deposit.currency, amountMinor: deposit.amount });
    if (deposit.amount !== money.value.amount || deposit.currency !== money.value.currency.code || deposit.cardToken !== request.cardToken) {
      return failure("WALLET_IDEMPOTENCY_KEY_CONFLICT");
    }
    if (deposit.status === "declined") return failure("PAYMENT_DECLINED", { details: [deposit.reason ?? "declined"] });
    // Charged already (a retried request): the provider has it; the webhook decides the rest.
    if (deposit.providerPaymentId !== null || deposit.status !== "pending") return success(deposit);
    return this.charge(deposit);
  }

  private async charge(deposit: DepositRecord): Promise<Outcome<DepositRecord>> {
    const { provider, store, clock } = this.deps;
    let result;
    try {
      result = await this.withTimeout(
        provider.charge({
          reference: deposit.id,
          token: deposit.cardToken,
          amount: deposit.amount,
          currency: deposit.currency,
          idempotencyKey: `deposit:${deposit.id}`,
        }),
      );
    } catch (error) {
      this.deps.log.warn({ err: error, depositId: deposit.id }, "payment provider did not answer a charge");
      return failure("PAYMENT_PROVIDER_UNAVAILABLE");
    }
    if (result.status === "declined") {
      await store.transitionDeposit(deposit.id, ["pending"], "declined", { reason: result.reason }, clock.nowMs());
      return failure("PAYMENT_DECLINED", { details: [result.reason] });
    }
    const updated = await store.transitionDeposit(
      deposit.id,
      ["pending", "credited", "failed"],
      null,
      { providerPaymentId: result.providerPaymentId },
      clock.nowMs(),
    );
    return success(updated?.deposit ?? deposit);
  }

  findDeposit(id: string): Promise<DepositRecord | null> {
    return this.deps.store.findDeposit(id);
  }

  /** Verifies a provider webhook and applies it; each deposit is credited once however often it comes. */
  async receiveWebhook(rawBody: string, signature: string | undefined): Promise<Outcome<WebhookOutcome>> {
    const verdict = this.deps.provider.verifyWebhook(rawBody, signature, this.deps.clock.nowMs());
    switch (verdict.status) {
      case "signature_missing":
        return failure("PAYMENT_WEBHOOK_SIGNATURE_MISSING");
      case "signature_invalid":
        return failure("PAYMENT_WEBHOOK_SIGNATURE_INVALID");
      case "stale":
        return failure("PAYMENT_WEBHOOK_STALE");
      case "payload_invalid":
        return failure("PAYMENT_WEBHOOK_PAYLOAD_INVALID");
      case "ok":
        return this.applyEvent(verdict.event);
    }
  }

  private async applyEvent(event: PaymentEvent): Promise<Outcome<WebhookOutcome>> {
    const deposit = await this.deps.store.findDeposit(event.reference);
    if (deposit === null || !this.eventMatches(deposit, event)) {
      this.deps.log.warn({ eventId: event.id, reference: event.reference }, "webhook names no matching deposit; ignored");
      return success("ignored");
    }
    if (event.type === "charge.pending") return success("noted");
    if (deposit.status === "credited" || (deposit.status === "failed" && event.type === "charge.failed")) return success("duplicate");
    if (deposit.status !== "pending") {
      this.deps.log.error(
        { eventId: event.id, depositId: deposit.id, status: deposit.status, type: event.type },
        "webhook contradicts a settled deposit; ignored",
      );
      return success("ignored");
    }
    if (event.type === "charge.failed") {
      const failed = await this.deps.store.transitionDeposit(
        deposit.id,
        ["pending"],
        "failed",
        { providerPaymentId: event.providerPaymentId, reason: event.reason ?? "failed" },
        this.deps.clock.nowMs(),
      );
      if (failed !== null) this.notifySettled(deposit.id);
      return success(failed === null ? "duplicate" : "failed");
    }
    return this.credit(deposit, event);
  }

  private eventMatches(deposit: DepositRecord, event: PaymentEvent): boolean {
    return (
      deposit.provider === this.deps.provider.name &&
      deposit.amount === event.amount &&
      deposit.currency === event.currency &&
      (deposit.providerPaymentId === null || deposit.providerPaymentId === event.providerPaymentId)
    );
  }

  /** The provider payment id is the ledger key: a second webhook, on any node, replays instead of paying. */
  private async credit(deposit: DepositRecord, event: PaymentEvent): Promise<Outcome<WebhookOutcome>> {
    const result = await this.deps.wallet.deposit({
      playerId: deposit.userId,
      currency: deposit.currency,
      amount: deposit.amount,
      provider: deposit.provider,
      key: `deposit:${deposit.provider}:${event.providerPaymentId}`,
      reference: `deposit:${deposit.id}`,
    });
    if (result.status !== "ok") {
      this.deps.log.error({ depositId: deposit.id, status: result.status }, "ledger refused a confirmed deposit");
      return failure(ledgerError(result.status));
    }
    const credited = await this.deps.store.transitionDeposit(
      deposit.id,
      ["pending"],
      "credited",
      { providerPaymentId: event.providerPaymentId },
      this.deps.clock.nowMs(),
      [this.event("deposit.credited", deposit.id, deposit.userId, deposit.currency, deposit.amount)],
    );
    if (credited !== null) {
      this.notifySettled(deposit.id);
      await this.deliverAll(credited.outboxIds);
    }
    return success(credited === null || result.replayed ? "duplicate" : "credited");
  }

  // ---- withdrawals -----------------------------------------------------------------------------

  /**
   * Holds the funds (cash → withdrawals pending) and leaves the withdrawal for an operator to review.
   * The answer is the hold's: pending, or refused with the ledger's reason. `WALLET_BUSY` only when the
   * ledger's queue was full, and then the withdrawal is refused too: nothing moved, nothing counts,
   * and the same key may try again.
   */
  async requestWithdrawal(request: MoneyRequest): Promise<Outcome<WithdrawalRecord>> {
    const money = parseMoneyInput(request.amount, request.currency);
    if (!money.ok) return money;
    const card = this.deps.provider.describeToken(request.cardToken, request.userId);
    if (card === null) return failure("PAYMENT_TOKEN_INVALID");
    const deadlineMs = this.deps.clock.nowMs() + this.deps.limits.outboxLeaseMs;
    for (;;) {
      const nowMs = this.deps.clock.nowMs();
      const created = await this.deps.store.createWithdrawal(
        {
          userId: request.userId,
          requestKey: request.requestKey,
          provider: this.deps.provider.name,
          currency: money.value.currency.code,
          amount: money.value.amount,
          cardToken: request.cardToken,
          cardLabel: card.label,
        },
        nowMs,
        this.rules.periodMs,
        (recent) => judgeWithdrawal(money.value.amount, recent, nowMs, this.rules),
        (id) => [{ kind: "withdrawal.hold", subjectId: id }],
      );
      if (created.status === "refused") {
        const refusal = created.refusal as WithdrawalRefusal;
        // Too frequent only if this player's requests still being held are not refused: wait for their answers.
        if ("undecided" in refusal && nowMs < deadlineMs) {
          await sleep(this.deps.clock, holdPollMs);
          continue;
        }
        return failure(refusal.error, "retryAfterMs" in refusal ? { retryAfterMs: refusal.retryAfterMs } : {});
      }
      const w = created.withdrawal;
      if (created.status === "created") this.deps.onMoneyRequest?.({ kind: "withdrawal", userId: w.userId, currency: w.currency, amountMinor: w.amount });
      if (created.status === "existing" && (w.amount !== money.value.amount || w.currency !== money.value.currency.code || w.cardToken !== request.cardToken)) {
        return failure("WALLET_IDEMPOTENCY_KEY_CONFLICT");
      }
      const now = await this.awaitHold(w.id, deadlineMs);
      if (now.status === "refused") return failure(isLedgerFailureStatus(now.reason) ? ledgerError(now.reason) : "WALLET_INSUFFICIENT_FUNDS");
      // Still "requested" only if another process kept the hold leased past outboxLeaseMs: it goes on, and a retry with the same key reports it.
      if (now.status === "requested") return failure("WALLET_BUSY");
      return success(now);
    }
  }

  /**
   * Brings a withdrawal's hold to its answer. The request runs the hold itself when it can lease the
   * hold's outbox entry (as the relay would, but a full ledger queue refuses the withdrawal instead of
   * retrying later); while the relay or another node holds the entry, it waits for their answer.
   */
  private async awaitHold(id: string, deadlineMs: number): Promise<WithdrawalRecord> {
    for (;;) {
      const entry = await this.deps.store.claimOutboxOf("withdrawal.hold", id, this.deps.clock.nowMs(), this.deps.limits.outboxLeaseMs);
      if (entry !== null) await this.relay.deliver(entry, (claimed) => this.hold(claimed, true));
      const w = await this.deps.store.findWithdrawal(id);
      if (w === null) throw new Error(`withdrawal ${id} vanished`);
      if (w.status !== "requested" || this.deps.clock.nowMs() >= deadlineMs) return w;
      await sleep(this.deps.clock, holdPollMs);
    }
  }

  findWithdrawal(id: string): Promise<WithdrawalRecord | null> {
    return this.deps.store.findWithdrawal(id);
  }

  async listWithdrawals(query: { status?: WithdrawalStatus; beforeSeq?: bigint; limit: number }): Promise<WithdrawalPage> {
    const limit = pageSize(query.limit);
    const rows = await this.deps.store.listWithdrawals({ ...query, limit: limit + 1 });
    const page = rows.slice(0, limit);
    return { withdrawals: page, nextCursor: rows.length > limit ? (page.at(-1)?.seq ?? null) : null };
  }

  /** Deposits for operators, newest first; the cursor is the last one's `createdMs` and id. */
  async listDeposits(query: {
    status?: DepositStatus;
    userId?: string;
    before?: { createdMs: number; id: string };
    limit: number;
  }): Promise<{ deposits: readonly DepositRecord[]; next: { createdMs: number; id: string } | null }> {
    const limit = pageSize(query.limit);
    const rows = await this.deps.store.listDeposits({ ...query, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { deposits: page, next: rows.length > limit && last !== undefined ? { createdMs: last.createdMs, id: last.id } : null };
  }

  /** The outbox as operators review it: parked entries (delivery gave up) or the ones still being tried. */
  listOutbox(state: "parked" | "waiting", limit: number): Promise<readonly OutboxReview[]> {
    return this.deps.store.listOutbox({ state, limit: pageSize(limit) });
  }

  /**
   * An operator puts a parked entry back: a payments node's relay delivers it at its next poll (the
   * handlers are idempotent, so its effect stays once however often it ran before).
   */
  requeueOutbox(id: bigint): Promise<boolean> {
    return this.deps.store.requeueOutbox(id, this.deps.clock.nowMs());
  }

  /**
   * Approves and pays: the payout is queued in the outbox with the approval, then delivered. Closed
   * loop: money goes back to a card the player deposited with; a withdrawal to any other card is
   * refused unless the operator approves it so explicitly (`outsideClosedLoop`).
   */
  async approveWithdrawal(id: string, operatorId: string, options: { readonly outsideClosedLoop?: boolean } = {}): Promise<Outcome<WithdrawalRecord>> {
    const w = await this.deps.store.findWithdrawal(id);
    if (w === null) return failure("WALLET_WITHDRAWAL_NOT_FOUND");
    // A locked account's withdrawals wait for the review that unlocks it (docs/RESPONSIBLE-GAMING.md).
    if (this.deps.restrictions !== undefined && (await this.deps.restrictions(w.userId)).lock !== null) return failure("RG_ACCOUNT_LOCKED");
    if (options.outsideClosedLoop !== true && w.status === "pending" && !(await this.isClosedLoop(w))) {
      return failure("WALLET_WITHDRAWAL_OUTSIDE_CLOSED_LOOP", { details: [`${w.cardLabel} was never used for a credited deposit by this player`] });
    }
    return this.decide(id, operatorId, "approved", "withdrawal.payout");
  }

  /** A card token of one of the player's credited deposits (the closed loop's destination); null when none. */
  async depositCard(userId: string): Promise<string | null> {
    const [token] = await this.deps.store.depositCardTokens(userId, this.deps.provider.name, 1);
    return token ?? null;
  }

  /** Whether the withdrawal's card is one the player deposited with: same card fingerprint as a credited deposit's token. */
  async isClosedLoop(w: WithdrawalRecord): Promise<boolean> {
    const card = this.deps.provider.describeToken(w.cardToken, w.userId);
    if (card === null) return false;
    const tokens = await this.deps.store.depositCardTokens(w.userId, w.provider, closedLoopTokensMax);
    return tokens.some((token) => token === w.cardToken || this.deps.provider.describeToken(token, w.userId)?.fingerprint === card.fingerprint);
  }

  /** Rejects and releases the funds back to the player's cash, through the outbox. */
  rejectWithdrawal(id: string, operatorId: string): Promise<Outcome<WithdrawalRecord>> {
    return this.decide(id, operatorId, "rejected", "withdrawal.release");
  }

  private async decide(
    id: string,
    operatorId: string,
    to: "approved" | "rejected",
    kind: "withdrawal.payout" | "withdrawal.release",
  ): Promise<Outcome<WithdrawalRecord>> {
    const w = await this.deps.store.findWithdrawal(id);
    if (w === null) return failure("WALLET_WITHDRAWAL_NOT_FOUND");
    const events = to === "rejected" ? [this.event("withdrawal.rejected", id, w.userId, w.currency, w.amount)] : [];
    const moved = await this.deps.store.transitionWithdrawal(id, ["pending"], to, { decidedBy: operatorId }, this.deps.clock.nowMs(), [
      { kind, subjectId: id },
      ...events,
    ]);
    if (moved === null) return failure("WALLET_WITHDRAWAL_NOT_PENDING", { details: [`status is ${w.status}`] });
    await this.deliverAll(moved.outboxIds);
    return success((await this.deps.store.findWithdrawal(id)) ?? moved.withdrawal);
  }

  // ---- outbox handlers: each idempotent --------------------------------------------------------

  /**
   * `refuseIfBusy`: the request that asked for the withdrawal runs its hold and holds the entry's lease,
   * so no one else runs this hold meanwhile; a busy ledger wrote nothing, and the withdrawal is refused
   * (reason `busy`) rather than held later behind the player's back.
   */
  private async hold(entry: OutboxEntry, refuseIfBusy = false): Promise<DeliveryResult> {
    const w = await this.deps.store.findWithdrawal(entry.subjectId);
    if (w === null || w.status !== "requested") return { status: "done" };
    const result = await this.deps.wallet.requestWithdrawal({
      playerId: w.userId,
      currency: w.currency,
      amount: w.amount,
      key: `withdrawal:${w.id}:hold`,
      reference: `withdrawal:${w.id}`,
    });
    if (result.status === "busy" && !refuseIfBusy) return { status: "retry", error: "ledger busy" };
    const nowMs = this.deps.clock.nowMs();
    if (result.status !== "ok") {
      await this.deps.store.transitionWithdrawal(w.id, ["requested"], "refused", { reason: result.status }, nowMs);
      return { status: "done" };
    }
    const moved = await this.deps.store.transitionWithdrawal(w.id, ["requested"], "pending", {}, nowMs, [
      this.event("withdrawal.requested", w.id, w.userId, w.currency, w.amount),
    ]);
    if (moved !== null) await this.deliverAll(moved.outboxIds);
    return { status: "done" };
  }

  /**
   * Ledger first (withdrawals pending → clearing), then the provider. A crash between the two leaves
   * this entry undelivered; its next run replays the ledger write (same key) and calls the provider,
   * which applies one payout per idempotency key however often it is called.
   */
  private async payout(entry: OutboxEntry): Promise<DeliveryResult> {
    const w = await this.deps.store.findWithdrawal(entry.subjectId);
    if (w === null || w.status !== "approved") return { status: "done" };
    const posted = await this.deps.wallet.payWithdrawal({
      playerId: w.userId,
      currency: w.currency,
      amount: w.amount,
      provider: w.provider,
      key: `withdrawal:${w.id}:payout`,
      reference: `withdrawal:${w.id}`,
    });
    if (posted.status === "busy") return { status: "retry", error: "ledger busy" };
    if (posted.status !== "ok") return { status: "park", error: `ledger refused the payout: ${posted.status}` };
    const paid = await this.withTimeout(
      this.deps.provider.payout({ reference: w.id, token: w.cardToken, amount: w.amount, currency: w.currency, idempotencyKey: `withdrawal:${w.id}` }),
    );
    if (paid.status === "failed") return this.returnFailedPayout(w, paid.reason);
    const moved = await this.deps.store.transitionWithdrawal(w.id, ["approved"], "paid", { providerPayoutId: paid.providerPayoutId }, this.deps.clock.nowMs(), [
      this.event("withdrawal.paid", w.id, w.userId, w.currency, w.amount),
    ]);
    if (moved !== null) await this.deliverAll(moved.outboxIds.filter((id) => id !== entry.id));
    return { status: "done" };
  }

  /** The provider refused the payout after the ledger posted it: a correcting transfer gives the money back. */
  private async returnFailedPayout(w: WithdrawalRecord, reason: string): Promise<DeliveryResult> {
    const clearing = await this.deps.ledger.openAccount({ owner: systemOwners.payments(w.provider), kind: "payment_clearing", currency: w.currency });
    const cash = await this.deps.ledger.openAccount({ owner: w.userId, kind: "player_cash", currency: w.currency });
    const back = await this.deps.ledger.submit({
      type: "transfer",
      kind: "adjustment",
      key: `withdrawal:${w.id}:return`,
      currency: w.currency,
      debitAccountId: clearing.id,
      creditAccountId: cash.id,
      amount: w.amount,
      reference: `withdrawal:${w.id}`,
    });
    if (back.status === "busy") return { status: "retry", error: "ledger busy" };
    if (back.status !== "ok") return { status: "park", error: `ledger refused returning a failed payout: ${back.status}` };
    const moved = await this.deps.store.transitionWithdrawal(w.id, ["approved"], "failed", { reason }, this.deps.clock.nowMs(), [
      this.event("withdrawal.failed", w.id, w.userId, w.currency, w.amount),
    ]);
    if (moved !== null) await this.deliverAll(moved.outboxIds);
    return { status: "done" };
  }

  private async release(entry: OutboxEntry): Promise<DeliveryResult> {
    const w = await this.deps.store.findWithdrawal(entry.subjectId);
    if (w === null || w.status !== "rejected") return { status: "done" };
    const result = await this.deps.wallet.rejectWithdrawal({
      playerId: w.userId,
      currency: w.currency,
      amount: w.amount,
      key: `withdrawal:${w.id}:release`,
      reference: `withdrawal:${w.id}`,
    });
    if (result.status === "busy") return { status: "retry", error: "ledger busy" };
    if (result.status !== "ok") return { status: "park", error: `ledger refused the release: ${result.status}` };
    return { status: "done" };
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** Publishes an entry's event to the export stream, when there is one. */
  private async exportEvent(entry: OutboxEntry): Promise<void> {
    if (this.deps.events === undefined) return;
    const { id, type } = JSON.parse(entry.payload) as { id: string; type: string };
    await this.deps.events.publish({ id, type, payload: entry.payload });
  }

  private event(type: PaymentExportEvent["type"], subjectId: string, userId: string, currency: string, amount: bigint): NewOutboxEntry {
    const code = findCurrency(currency);
    const payload: PaymentExportEvent = {
      id: `${type}:${subjectId}`,
      type,
      subjectId,
      userId,
      currency,
      amount: code === null ? amount.toString() : formatAmount(amount, code),
      atMs: this.deps.clock.nowMs(),
    };
    return { kind: "event", subjectId, payload: JSON.stringify(payload) };
  }

  /** Delivers freshly queued entries now; whatever fails here is retried by the relay. */
  private async deliverAll(ids: readonly bigint[]): Promise<void> {
    for (const id of ids) {
      try {
        await this.relay.deliverNow(id);
      } catch (error) {
        this.deps.log.warn({ err: error, outboxId: id.toString() }, "immediate outbox delivery failed; the relay retries it");
      }
    }
  }

  private withTimeout<T>(promise: Promise<T>): Promise<T> {
    const ms = this.deps.limits.paymentsProviderTimeoutMs;
    let timer: Timer | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = this.deps.clock.after(ms, () => reject(new Error(`payment provider gave no answer within ${ms} ms`)));
    });
    return Promise.race([promise, timeout]).finally(() => timer?.cancel());
  }
}
