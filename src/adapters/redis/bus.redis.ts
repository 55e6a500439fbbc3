import { Redis } from "ioredis";
import type { Bus, BusHandler } from "../../app/ports/bus.js";

/**
 * Redis pub/sub. Publishing uses the shared command connection; subscriptions need a connection of
 * their own (a subscribed Redis connection accepts no other commands). Channels carry the
 * deployment's scope (redis-scope.ts), which includes the DB number because pub/sub ignores it; the
 * messages themselves are signed one layer up (SignedBus), so a message from another deployment is
 * dropped even where scopes were configured to meet.
 */
export class RedisBus implements Bus {
  private readonly subscriber: Redis;
  private readonly handlers = new Map<string, Set<BusHandler>>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    // No ready check on the subscriber: its INFO probe can race a SUBSCRIBE issued while connecting and
    // be refused in subscriber mode ("Connection in subscriber mode", ioredis issue #2037).
    this.subscriber = redis.duplicate({ enableReadyCheck: false, enableAutoPipelining: false });
    this.subscriber.on("error", () => undefined);
    this.subscriber.on("message", (channel: string, message: string) => {
      for (const handler of this.handlers.get(channel) ?? []) handler(message);
    });
  }

  /** The Redis channel name behind a bus channel (scripts that PUBLISH need it). */
  channel(name: string): string {
    return this.prefix + name;
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.redis.publish(this.prefix + channel, message);
  }

  async subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>> {
    const full = this.prefix + channel;
    let set = this.handlers.get(full);
    if (set === undefined) {
      set = new Set();
      this.handlers.set(full, set);
      await this.subscriber.subscribe(full);
    }
    const entry: BusHandler = (message) => handler(message);
    set.add(entry);
    return async () => {
      set.delete(entry);
      if (set.size === 0) {
        this.handlers.delete(full);
        await this.subscriber.unsubscribe(full);
      }
    };
  }

  async close(): Promise<void> {
    this.handlers.clear();
    this.subscriber.disconnect();
  }
}
