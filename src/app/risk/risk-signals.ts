import type { RiskSignal } from "../../engine/risk/index.js";
import { background } from "../background.js";
import type { Bus } from "../ports/bus.js";
import type { Clock, Timer } from "../ports/clock.js";

export const riskSignalsChannel = "risk.signals";

export interface RiskSignalsOptions {
  /** Signals are sent in one bus message per this many milliseconds. */
  readonly flushMs: number;
  /** Signals waiting at most; past it the newest are dropped and counted: a bus outage never grows memory. */
  readonly bufferMax: number;
}

export const riskSignalsDefaults: RiskSignalsOptions = Object.freeze({ flushMs: 100, bufferMax: 20_000 });

/**
 * Where bets, deposits, withdrawals, logins and connections report to the risk engine. `emit` only
 * appends to a buffer: a bet never waits on the bus or on the consumer. Every `flushMs` the buffer
 * goes out as one bus message (a JSON array), so the cost on Redis is a few messages a second per node
 * whatever the bet rate. Delivery is at most once, like the bus: the risk engine works on windows of
 * activity, where a lost batch delays a finding but cannot move money.
 */
export class RiskSignals {
  private buffer: RiskSignal[] = [];
  private timer: Timer | null = null;
  private droppedCount = 0;

  constructor(
    private readonly bus: Bus,
    private readonly clock: Clock,
    private readonly options: RiskSignalsOptions = riskSignalsDefaults,
  ) {}

  get dropped(): number {
    return this.droppedCount;
  }

  emit(signal: RiskSignal): void {
    if (this.buffer.length >= this.options.bufferMax) {
      this.droppedCount += 1;
      return;
    }
    this.buffer.push(signal);
    this.timer ??= this.clock.after(this.options.flushMs, () => this.flush());
  }

  /** Sends what is buffered now (and at stop). */
  flush(): void {
    this.timer?.cancel();
    this.timer = null;
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    background(this.bus.publish(riskSignalsChannel, JSON.stringify(batch)), "risk.signals-publish");
  }
}
