import type { Redis } from "ioredis";
import type { ThrottleStore } from "../../app/ports/throttle-store.js";

/** Throttle counters shared by every node: INCR with a sliding expiry, and a lock key with a TTL. */
export class RedisThrottleStore implements ThrottleStore {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  async recordFailure(key: string, windowMs: number): Promise<number> {
    const counter = `${this.prefix}throttle:failures:${key}`;
    const result = await this.redis.multi().incr(counter).pexpire(counter, windowMs).exec();
    const [incrError, count] = result?.[0] ?? [new Error("redis transaction aborted"), 0];
    if (incrError) throw incrError;
    return Number(count);
  }

  async lock(key: string, durationMs: number): Promise<void> {
    const lockKey = `${this.prefix}throttle:lock:${key}`;
    // Never shorten a lock that is already longer (two nodes may lock the same key at once).
    const current = await this.redis.pttl(lockKey);
    if (current < durationMs) await this.redis.set(lockKey, "1", "PX", durationMs);
  }

  async lockedForMs(key: string): Promise<number> {
    const ttl = await this.redis.pttl(`${this.prefix}throttle:lock:${key}`);
    return ttl > 0 ? ttl : 0;
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(`${this.prefix}throttle:failures:${key}`, `${this.prefix}throttle:lock:${key}`);
  }

  async close(): Promise<void> {}
}
