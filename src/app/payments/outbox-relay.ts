import type { Clock, Timer } from "../ports/clock.js";
import type { OutboxEntry, OutboxKind, PaymentsStore } from "../ports/payments-store.js";

/** What a delivery step answers: finished, try again later, or stop and call an operator. */
export type DeliveryResult =
  { readonly status: "done" } | { readonly status: "retry"; readonly error: string } | { readonly status: "park"; readonly error: string };

export type DeliveryHandler = (entry: OutboxEntry) => Promise<DeliveryResult>;

export interface OutboxRelayLimits {
  readonly outboxPollIntervalMs: number;
  readonly outboxLeaseMs: number;
  readonly outboxAttemptsMax: number;
}

export interface RelayLog {
  warn(context: object, message: string): void;
  error(context: object, message: string): void;
}

/** Entries one poll claims; the rest wait for the next poll. */
const claimEntriesMax = 50;
const retryBaseMs = 500;
const retryDelayMsMax = 60_000;
/** At most one warning this often about failing exports. */
const exportWarnIntervalMs = 10_000;

/**
 * Delivers outbox entries: each effect the payments code decided on in a committed transaction
 * (hold, pay, release, publish) is carried out by a handler until it reports done. Handlers are
 * idempotent (ledger keys, provider idempotency keys, conditional transitions), so an entry run
 * twice — after a crash, or a lease that ran out mid-delivery — still has one effect. Delivery is
 * at least once; the effect is exactly once.
 */
export class OutboxRelay {
  private timer: Timer | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private exportWarnedMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly store: PaymentsStore,
    private readonly handlers: Readonly<Record<OutboxKind, DeliveryHandler>>,
    private readonly clock: Clock,
    private readonly limits: OutboxRelayLimits,
    private readonly log: RelayLog,
  ) {}

  /** Delivers one entry now (the request that created it waits for its effect). False if another node holds it. */
  async deliverNow(id: bigint): Promise<boolean> {
    const [entry] = await this.store.claimOutbox({ id, nowMs: this.clock.nowMs(), leaseMs: this.limits.outboxLeaseMs, limit: 1 });
    if (entry === undefined) return false;
    await this.run(entry);
    return true;
  }

  /** Delivers every due entry once; returns how many it ran. */
  async pollOnce(): Promise<number> {
    return (await this.poll()).ran;
  }

  /**
   * Runs the due entries: effects and payment events in outbox order, one after another; exported
   * events (`export`), independent messages, all at once, each waiting for its own acknowledgement.
   * `delivered`: every entry was done.
   */
  private async poll(): Promise<{ readonly ran: number; readonly delivered: boolean }> {
    const entries = await this.store.claimOutbox({ nowMs: this.clock.nowMs(), leaseMs: this.limits.outboxLeaseMs, limit: claimEntriesMax });
    const inOrder = async (): Promise<boolean> => {
      let done = true;
      for (const entry of entries) if (entry.kind !== "export") done = (await this.run(entry)) && done;
      return done;
    };
    const results = await Promise.all([inOrder(), ...entries.filter((e) => e.kind === "export").map((entry) => this.run(entry))]);
    return { ran: entries.length, delivered: results.every(Boolean) };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = this.clock.after(delayMs, () => {
      this.timer = null;
      // A full batch delivered: more may be due at once. A failure (the stream down, say) waits for
      // the next interval, so a large backlog is not claimed and failed in a busy loop.
      this.running = this.poll()
        .then(({ ran, delivered }) => this.schedule(ran === claimEntriesMax && delivered ? 0 : this.limits.outboxPollIntervalMs))
        .catch((error: unknown) => {
          this.log.warn({ err: error }, "outbox poll failed");
          this.schedule(this.limits.outboxPollIntervalMs);
        });
    });
  }

  /** Delivers an entry this process has claimed, with its kind's handler or, for a caller that waits on it, `handler`. */
  async deliver(entry: OutboxEntry, handler: DeliveryHandler = this.handlers[entry.kind]): Promise<void> {
    await this.run(entry, handler);
  }

  /** Runs an entry; true when it is done. */
  private async run(entry: OutboxEntry, handler: DeliveryHandler = this.handlers[entry.kind]): Promise<boolean> {
    let result: DeliveryResult;
    try {
      result = await handler(entry);
    } catch (error) {
      result = { status: "retry", error: (error as { message?: string }).message ?? String(error) };
    }
    const nowMs = this.clock.nowMs();
    if (result.status === "done") {
      await this.store.completeOutbox(entry.id, nowMs);
      return true;
    }
    const context = { outboxId: entry.id.toString(), kind: entry.kind, subjectId: entry.subjectId, attempts: entry.attempts, reason: result.error };
    // An exported event only waits for the stream to come back: it is retried for as long as that takes.
    if (result.status === "park" || (entry.attempts >= this.limits.outboxAttemptsMax && entry.kind !== "export")) {
      this.log.error(context, "outbox entry parked: an operator must resolve it");
      await this.store.parkOutbox(entry.id, nowMs, result.error);
      return false;
    }
    if (entry.kind !== "export") this.log.warn(context, "outbox delivery will be retried");
    else if (nowMs - this.exportWarnedMs >= exportWarnIntervalMs) {
      // One line per failed export would be one per event while the stream is down.
      this.exportWarnedMs = nowMs;
      this.log.warn(context, "event export failed; events wait in the outbox (croupier_outbox_lag_seconds) and are retried");
    }
    const delayMs = Math.min(retryDelayMsMax, retryBaseMs * 2 ** Math.min(entry.attempts - 1, 16));
    await this.store.retryOutbox(entry.id, nowMs + delayMs, result.error);
    return false;
  }
}
