import type { Clock, Timer } from "../ports/clock.js";

/**
 * Requests waiting for a deposit to leave `pending` (`GET /v1/wallet/deposits/:id?waitMs=`): each is
 * woken by a notification naming the deposit, or by its own timer. A notification is a hint, never
 * the answer: the woken request reads the deposit again, so one lost or repeated does no harm.
 */
export class DepositWaiters {
  private readonly waiting = new Map<string, Set<() => void>>();
  private count = 0;

  constructor(
    private readonly clock: Clock,
    private readonly waitersMax: number,
  ) {}

  /**
   * Resolves when `depositId` is notified or after `waitMs`; at once when `waitersMax` requests wait
   * already (the caller answers with what it has, and the client asks again).
   */
  wait(depositId: string, waitMs: number): { readonly done: Promise<void>; cancel(): void } {
    if (this.count >= this.waitersMax || waitMs <= 0) return { done: Promise.resolve(), cancel: () => undefined };
    let timer: Timer | null = null;
    let wake: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      wake = () => {
        if (timer === null) return;
        timer.cancel();
        timer = null;
        const set = this.waiting.get(depositId);
        set?.delete(wake);
        if (set?.size === 0) this.waiting.delete(depositId);
        this.count--;
        resolve();
      };
    });
    const set = this.waiting.get(depositId) ?? new Set();
    set.add(wake);
    this.waiting.set(depositId, set);
    this.count++;
    timer = this.clock.after(waitMs, wake);
    return { done, cancel: wake };
  }

  notify(depositId: string): void {
    for (const wake of [...(this.waiting.get(depositId) ?? [])]) wake();
  }

  get size(): number {
    return this.count;
  }
}
