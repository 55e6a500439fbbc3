import type { Clock } from "../../app/ports/clock.js";
import type { ThrottleStore } from "../../app/ports/throttle-store.js";

interface Entry { failures: number; failuresExpireAtMs: number; lockedUntilMs: number }

/**
 * Throttle counters of one embedded process, bounded by `keysMax`: when full, the entry touched
 * longest ago is dropped (a Map iterates in insertion order and every touch re-inserts).
 */
export class MemoryThrottleStore implements ThrottleStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: Clock, private readonly keysMax: number) {}

  async recordFailure(key: string, windowMs: number): Promise<number> {
    const now = this.clock.nowMs();
    const entry = this.live(key, now) ?? { failures: 0, failuresExpireAtMs: 0, lockedUntilMs: 0 };
    entry.failures += 1;
    entry.failuresExpireAtMs = now + windowMs;
    this.touch(key, entry);
    return entry.failures;
  }

  async lock(key: string, durationMs: number): Promise<void> {
    const now = this.clock.nowMs();
    const entry = this.live(key, now) ?? { failures: 0, failuresExpireAtMs: now, lockedUntilMs: 0 };
    entry.lockedUntilMs = Math.max(entry.lockedUntilMs, now + durationMs);
    this.touch(key, entry);
  }

  async lockedForMs(key: string): Promise<number> {
    const now = this.clock.nowMs();
    const entry = this.live(key, now);
    return entry === null ? 0 : Math.max(0, entry.lockedUntilMs - now);
  }

  async reset(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async close(): Promise<void> {
    this.entries.clear();
  }

  private live(key: string, now: number): Entry | null {
    const entry = this.entries.get(key);
    if (entry === undefined) return null;
    if (entry.failuresExpireAtMs <= now && entry.lockedUntilMs <= now) {
      this.entries.delete(key);
      return null;
    }
    if (entry.failuresExpireAtMs <= now) entry.failures = 0;
    return entry;
  }

  private touch(key: string, entry: Entry): void {
    this.entries.delete(key);
    if (this.entries.size >= this.keysMax) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, entry);
  }
}
