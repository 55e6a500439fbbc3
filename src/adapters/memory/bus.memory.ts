import type { Bus, BusHandler } from "../../app/ports/bus.js";

/** The bus of one embedded process. Handlers run on a later tick, as they would over Redis. */
export class MemoryBus implements Bus {
  private readonly handlers = new Map<string, Set<BusHandler>>();

  async publish(channel: string, message: string): Promise<void> {
    const handlers = this.handlers.get(channel);
    if (handlers === undefined) return;
    for (const handler of [...handlers]) queueMicrotask(() => handler(message));
  }

  async subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>> {
    const set = this.handlers.get(channel) ?? new Set<BusHandler>();
    // Wrapping makes each subscription distinct even when the same function subscribes twice.
    const entry: BusHandler = (message) => handler(message);
    set.add(entry);
    this.handlers.set(channel, set);
    return async () => {
      set.delete(entry);
      if (set.size === 0) this.handlers.delete(channel);
    };
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
