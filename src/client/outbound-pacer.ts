/**
 * Keeps a connection's outbound frames under the server's messagesPerSecondMax: at most `rate`
 * frames in any window of one second (plus a small margin for clock granularity), the rest queued in
 * order. The server drops frames above its limit with an error that carries no request id, so a
 * burst (a reconnect that rejoins many rooms and syncs the clock) is cheaper paced than refused.
 */
const windowMs = 1_000;
const marginMs = 20;
/** Frames waiting to be sent; more than this means the application is sending far above the limit. */
const queuedFramesMax = 10_000;

export class OutboundPacer {
  private sent: number[] = [];
  private readonly queue: Array<{ text: string; write: (text: string) => void }> = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private rate: number,
    private readonly now: () => number,
  ) {}

  setRate(rate: number): void {
    this.rate = Math.max(1, rate);
  }

  send(text: string, write: (text: string) => void): void {
    if (this.queue.length === 0 && this.admit()) {
      write(text);
      return;
    }
    if (this.queue.length >= queuedFramesMax) throw new Error(`more than ${queuedFramesMax} frames queued above messagesPerSecondMax`);
    this.queue.push({ text, write });
    this.arm();
  }

  clear(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
  }

  private admit(): boolean {
    const now = this.now();
    while (this.sent.length > 0 && now - (this.sent[0] as number) >= windowMs + marginMs) this.sent.shift();
    if (this.sent.length >= this.rate) return false;
    this.sent.push(now);
    return true;
  }

  private arm(): void {
    if (this.timer !== null) return;
    const oldest = this.sent[0] ?? this.now();
    const waitMs = Math.max(1, Math.ceil(oldest + windowMs + marginMs - this.now()));
    this.timer = setTimeout(() => this.drain(), waitMs);
  }

  private drain(): void {
    this.timer = null;
    while (this.queue.length > 0 && this.admit()) {
      const next = this.queue.shift() as { text: string; write: (text: string) => void };
      next.write(next.text);
    }
    if (this.queue.length > 0) this.arm();
  }
}
