/**
 * Coalesces concurrent submissions into batches. A batch starts when `batchOpsMax` items wait, when
 * the first waiting item has waited `batchWaitMs`, or when a running batch finishes and items are
 * waiting (they have waited that long already). At most `batchesInFlightMax` batches run at once;
 * the queue holds at most `queueOpsMax` items and refuses more, so memory stays bounded under load.
 *
 * Items are urgent (a player waits on them) or background (a round's settlement, which nobody's next
 * action waits on). A batch takes urgent items first and gives background items at least a quarter of
 * its room while any wait: a table settling a thousand bets at once no longer queues the next round's
 * bets behind it, and a settlement still goes on however busy the urgent side is.
 */
export interface BatcherLimits {
  readonly batchOpsMax: number;
  readonly batchWaitMs: number;
  readonly batchesInFlightMax: number;
  readonly queueOpsMax: number;
}

interface Waiting<I, O> {
  readonly item: I;
  readonly since: number;
  readonly resolve: (output: O) => void;
  readonly reject: (error: unknown) => void;
}

export class Batcher<I, O> {
  private urgent: Waiting<I, O>[] = [];
  private background: Waiting<I, O>[] = [];
  private inFlight = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private idle: (() => void)[] = [];

  constructor(
    private readonly limits: BatcherLimits,
    /** Runs one batch; resolves with one output per item, in order. */
    private readonly run: (items: readonly I[]) => Promise<readonly O[]>,
    /** Told, as each batch starts, how long each of its items waited in the queue. */
    private readonly onLaunch: (waitedMs: readonly number[]) => void = () => undefined,
  ) {
    if (!(limits.batchOpsMax >= 1 && limits.batchesInFlightMax >= 1 && limits.batchWaitMs >= 0)) throw new Error("batcher limits must be positive");
    if (limits.queueOpsMax < limits.batchOpsMax) throw new Error("queueOpsMax must be at least batchOpsMax");
  }

  /** Queues an item; returns null when the queue is full (the caller answers "busy"). */
  submit(item: I, lane: "urgent" | "background" = "urgent"): Promise<O> | null {
    if (this.closed) throw new Error("the ledger store is closed");
    if (this.queued >= this.limits.queueOpsMax) return null;
    const since = performance.now();
    const queue = lane === "urgent" ? this.urgent : this.background;
    const promise = new Promise<O>((resolve, reject) => queue.push({ item, since, resolve, reject }));
    this.pump(false);
    return promise;
  }

  get queued(): number {
    return this.urgent.length + this.background.length;
  }

  /** Runs what is queued, then refuses new items. */
  async close(): Promise<void> {
    this.closed = true;
    this.pump(true);
    if (this.inFlight === 0 && this.queued === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private pump(flush: boolean): void {
    while (this.inFlight < this.limits.batchesInFlightMax && this.queued > 0) {
      if (!flush && this.queued < this.limits.batchOpsMax) {
        this.timer ??= setTimeout(() => {
          this.timer = null;
          this.pump(true);
        }, this.limits.batchWaitMs);
        return;
      }
      this.launch();
    }
  }

  private launch(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const max = this.limits.batchOpsMax;
    const backgroundShare = Math.min(this.background.length, Math.max(1, Math.floor(max / 4)));
    const urgent = this.urgent.splice(0, max - backgroundShare);
    const batch = [...urgent, ...this.background.splice(0, max - urgent.length)];
    const now = performance.now();
    this.onLaunch(batch.map((w) => now - w.since));
    this.inFlight += 1;
    this.run(batch.map((w) => w.item))
      .then((outputs) => {
        if (outputs.length !== batch.length) throw new Error(`batch answered ${outputs.length} of ${batch.length} items`);
        batch.forEach((w, i) => w.resolve(outputs[i] as O));
      })
      .catch((error: unknown) => batch.forEach((w) => w.reject(error)))
      .finally(() => {
        this.inFlight -= 1;
        this.pump(true);
        if (this.inFlight === 0 && this.queued === 0) for (const resolve of this.idle.splice(0)) resolve();
      });
  }
}
