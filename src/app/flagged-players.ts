import { background } from "./background.js";
import type { Bus } from "./ports/bus.js";
import type { Clock, Timer } from "./ports/clock.js";

/**
 * The few players something applies to (a wager limit, an active bonus), known on every node: the set
 * is loaded at start, reloaded every `refreshMs`, and reloaded at once when any node announces a change
 * on `channel`. A bet of anyone else is decided by a set lookup, with no I/O. A node that missed the
 * message is right within `refreshMs`; the announcing node is right at once.
 */
export class FlaggedPlayers {
  private players = new Set<string>();
  private timer: Timer | null = null;
  private unsubscribe: (() => Promise<void>) | null = null;

  constructor(
    private readonly deps: { readonly bus: Bus; readonly clock: Clock; readonly load: () => Promise<readonly string[]> },
    private readonly channel: string,
    private readonly task: string,
    private readonly refreshMs = 10_000,
  ) {}

  async start(): Promise<void> {
    await this.reload();
    this.unsubscribe = await this.deps.bus.subscribe(this.channel, (userId) => {
      this.players.add(userId);
      background(this.reload(), this.task);
    });
    this.timer = this.deps.clock.every(this.refreshMs, () => background(this.reload(), this.task));
  }

  async stop(): Promise<void> {
    this.timer?.cancel();
    await this.unsubscribe?.();
  }

  /** After `userId`'s case changed: this node knows at once, the others as the bus tells them. */
  async announce(userId: string): Promise<void> {
    this.players.add(userId);
    await this.deps.bus.publish(this.channel, userId);
  }

  has(userId: string): boolean {
    return this.players.has(userId);
  }

  private async reload(): Promise<void> {
    this.players = new Set(await this.deps.load());
  }
}
