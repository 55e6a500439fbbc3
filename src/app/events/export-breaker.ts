import type { Clock } from "../ports/clock.js";
import type { EventExport, ExportedEvent } from "../ports/event-export.js";

/**
 * A stream that just failed is not asked again for `cooldownMs`: publishes in that time reject at
 * once with its error. A relay poll of fifty entries then waits for one publish timeout while the
 * stream is down, not fifty, so the payment effects behind them in the outbox, and a node's
 * shutdown, are not held up by an unreachable stream.
 */
export class ExportBreaker implements EventExport {
  private openUntilMs = 0;
  private lastError = "";

  constructor(
    private readonly inner: EventExport,
    private readonly clock: Clock,
    private readonly cooldownMs: number,
  ) {}

  async publish(event: ExportedEvent): Promise<void> {
    if (this.clock.nowMs() < this.openUntilMs)
      throw new Error(`event stream failed just before (${this.lastError}); not asked again for ${this.cooldownMs} ms`);
    try {
      await this.inner.publish(event);
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      this.openUntilMs = this.clock.nowMs() + this.cooldownMs;
      throw error;
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
