import type { Clock } from "../../app/ports/clock.js";
import { lockAfterAttemptMs, type AttemptRule, type Reservation, type ThrottleStore } from "../../app/ports/throttle-store.js";

interface Entry {
  failures: number;
  failuresExpireAtMs: number;
  attempts: number;
  attemptsExpireAtMs: number;
  lockedUntilMs: number;
  /** The attempt whose reservation set the current lock (0: set by `lock`). */
  lockAttempt: number;
}

/**
 * Throttle counters of one embedded process, bounded by `keysMax`: when full, the entry touched
 * longest ago is dropped (a Map iterates in insertion order and every touch re-inserts). Each call
 * runs to completion before any other starts, so a reservation is atomic here by construction.
 */
export class MemoryThrottleStore implements ThrottleStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly keysMax: number,
  ) {}

  async recordFailure(key: string, windowMs: number): Promise<number> {
    const now = this.clock.nowMs();
    const entry = this.live(key, now) ?? this.blank(now);
    entry.failures += 1;
    entry.failuresExpireAtMs = now + windowMs;
    this.touch(key, entry);
    return entry.failures;
  }

  async lock(key: string, durationMs: number): Promise<void> {
    const now = this.clock.nowMs();
    const entry = this.live(key, now) ?? this.blank(now);
    if (now + durationMs > entry.lockedUntilMs) {
      entry.lockedUntilMs = now + durationMs;
      entry.lockAttempt = 0;
    }
    this.touch(key, entry);
  }

  async lockedForMs(key: string): Promise<number> {
    const now = this.clock.nowMs();
    const entry = this.live(key, now);
    return entry === null ? 0 : Math.max(0, entry.lockedUntilMs - now);
  }

  async reserveAttempt(key: string, rule: AttemptRule): Promise<Reservation> {
    const now = this.clock.nowMs();
    const entry = this.live(key, now) ?? this.blank(now);
    if (entry.lockedUntilMs > now) return { ok: false, retryAfterMs: entry.lockedUntilMs - now };
    entry.attempts += 1;
    entry.attemptsExpireAtMs = now + rule.windowMs;
    const lockMs = lockAfterAttemptMs(entry.attempts, rule);
    if (lockMs > 0) {
      entry.lockedUntilMs = now + lockMs;
      entry.lockAttempt = entry.attempts;
    }
    this.touch(key, entry);
    return { ok: true, attempt: entry.attempts };
  }

  async releaseAttempt(key: string, attempt: number): Promise<void> {
    const entry = this.live(key, this.clock.nowMs());
    if (entry === null) return;
    if (entry.lockAttempt === attempt && entry.lockedUntilMs > 0) {
      entry.lockedUntilMs = 0;
      entry.lockAttempt = 0;
    }
    entry.attempts = Math.max(0, entry.attempts - 1);
  }

  async reset(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async close(): Promise<void> {
    this.entries.clear();
  }

  private blank(now: number): Entry {
    return { failures: 0, failuresExpireAtMs: now, attempts: 0, attemptsExpireAtMs: now, lockedUntilMs: 0, lockAttempt: 0 };
  }

  private live(key: string, now: number): Entry | null {
    const entry = this.entries.get(key);
    if (entry === undefined) return null;
    if (entry.failuresExpireAtMs <= now && entry.attemptsExpireAtMs <= now && entry.lockedUntilMs <= now) {
      this.entries.delete(key);
      return null;
    }
    if (entry.failuresExpireAtMs <= now) entry.failures = 0;
    if (entry.attemptsExpireAtMs <= now) entry.attempts = 0;
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
