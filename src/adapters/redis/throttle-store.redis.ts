import type { Redis } from "ioredis";
import type { AttemptRule, Reservation, ThrottleStore } from "../../app/ports/throttle-store.js";
import { redisScript, type RedisScript } from "./scripts.js";

/**
 * KEYS: attempts, lock. ARGV: windowMs, attemptsFree, baseMs, msMax. The lock schedule is
 * `lockAfterAttemptMs` (src/app/ports/throttle-store.ts); the contract suite holds both to it. The lock
 * holds `a<attempt>` so a release lifts only the lock its own attempt set.
 */
const reserveScript = `
local left = redis.call('PTTL', KEYS[2])
if left > 0 then return {0, left} end
local n = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
local free = tonumber(ARGV[2])
if n >= free then
  local ms = math.min(tonumber(ARGV[3]) * 2 ^ math.min(n - free, 30), tonumber(ARGV[4]))
  redis.call('SET', KEYS[2], 'a' .. n, 'PX', math.floor(ms))
end
return {1, n}`;

/** KEYS: attempts, lock. ARGV: the attempt. */
const releaseScript = `
if redis.call('GET', KEYS[2]) == 'a' .. ARGV[1] then redis.call('DEL', KEYS[2]) end
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then redis.call('DECR', KEYS[1]) end
return 1`;

/** Throttle counters shared by every node: INCR with a sliding expiry, a lock key with a TTL, and one script per reservation. */
export class RedisThrottleStore implements ThrottleStore {
  private readonly reserveScript: RedisScript;
  private readonly releaseScript: RedisScript;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.reserveScript = redisScript(redis, "croupierThrottleReserve", 2, reserveScript);
    this.releaseScript = redisScript(redis, "croupierThrottleRelease", 2, releaseScript);
  }

  async recordFailure(key: string, windowMs: number): Promise<number> {
    const counter = `${this.prefix}throttle:failures:${key}`;
    const result = await this.redis.multi().incr(counter).pexpire(counter, windowMs).exec();
    const [incrError, count] = result?.[0] ?? [new Error("redis transaction aborted"), 0];
    if (incrError) throw incrError;
    return Number(count);
  }

  async lock(key: string, durationMs: number): Promise<void> {
    const lockKey = this.lockKey(key);
    // Never shorten a lock that is already longer (two nodes may lock the same key at once).
    const current = await this.redis.pttl(lockKey);
    if (current < durationMs) await this.redis.set(lockKey, "1", "PX", durationMs);
  }

  async lockedForMs(key: string): Promise<number> {
    const ttl = await this.redis.pttl(this.lockKey(key));
    return ttl > 0 ? ttl : 0;
  }

  async reserveAttempt(key: string, rule: AttemptRule): Promise<Reservation> {
    const [ok, value] = (await this.reserveScript(this.attemptsKey(key), this.lockKey(key), rule.windowMs, rule.attemptsFree, rule.baseMs, rule.msMax)) as [
      number | string,
      number | string,
    ];
    return Number(ok) === 1 ? { ok: true, attempt: Number(value) } : { ok: false, retryAfterMs: Number(value) };
  }

  async releaseAttempt(key: string, attempt: number): Promise<void> {
    await this.releaseScript(this.attemptsKey(key), this.lockKey(key), attempt);
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(`${this.prefix}throttle:failures:${key}`, this.attemptsKey(key), this.lockKey(key));
  }

  async close(): Promise<void> {}

  private attemptsKey(key: string): string {
    return `${this.prefix}throttle:attempts:${key}`;
  }

  private lockKey(key: string): string {
    return `${this.prefix}throttle:lock:${key}`;
  }
}
