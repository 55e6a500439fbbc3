// Time that tests move: a Clock whose `nowMs` and timers advance only when the test says so, so a
// table's betting window, turn timer or absent-dealer wait runs in microseconds, deterministically.
import { systemClock } from "../../src/adapters/node/clock.system.js";
import type { Clock, Timer } from "../../src/app/ports/clock.js";

interface Pending {
  at: number;
  readonly id: number;
  readonly everyMs: number | null;
  readonly run: () => void;
}

/**
 * Lets what a timer started run to its end: promise chains, and the real I/O of the stores under the
 * code (PGlite, a store's own micro-batching timer of a millisecond or two).
 */
async function settle(): Promise<void> {
  for (let i = 0; i < 8; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => setTimeout(resolve, 1));
  }
}

export class ManualClock implements Clock {
  private now: number;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.now = startMs;
  }

  nowMs(): number {
    return this.now;
  }

  after(ms: number, run: () => void): Timer {
    return this.arm(Math.max(0, ms), null, run);
  }

  every(ms: number, run: () => void): Timer {
    return this.arm(Math.max(1, ms), Math.max(1, ms), run);
  }

  /** Timers still to run. */
  get timers(): number {
    return this.pending.size;
  }

  /**
   * Moves time forward by `ms`: each timer due on the way runs at its own time, earliest first (ties
   * in the order they were armed), and what it starts settles before the next one runs.
   */
  async advance(ms: number): Promise<void> {
    const target = this.now + ms;
    await settle();
    for (;;) {
      let next: Pending | undefined;
      for (const p of this.pending.values()) if (p.at <= target && (next === undefined || p.at < next.at || (p.at === next.at && p.id < next.id))) next = p;
      if (next === undefined) break;
      this.now = Math.max(this.now, next.at);
      if (next.everyMs === null) this.pending.delete(next.id);
      else next.at += next.everyMs;
      next.run();
      await settle();
    }
    this.now = target;
  }

  private arm(delayMs: number, everyMs: number | null, run: () => void): Timer {
    const id = ++this.seq;
    this.pending.set(id, { at: this.now + delayMs, id, everyMs, run });
    return { cancel: () => void this.pending.delete(id) };
  }
}

/** The system's timers with a time the test sets: for code that only reads the time. */
export function clockAt(now: () => number): Clock {
  return { ...systemClock, nowMs: now };
}
