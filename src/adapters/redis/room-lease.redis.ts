import type { Redis } from "ioredis";
import type { Lease, RoomLease } from "../../app/ports/room-lease.js";
import { roomKeys } from "./room-keys.js";
import { redisScript, type RedisScript } from "./scripts.js";

/**
 * A room without a fence counter (never leased, or Redis lost its data) starts it at the caller's
 * clock in ms, not at 0: a node still holding a fence issued before the loss must never see it
 * issued again to another node, which would let both write the room's log until its renewal failed.
 */
const acquireScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
if redis.call('EXISTS', KEYS[2]) == 0 then redis.call('SET', KEYS[2], ARGV[3]) end
local fence = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. fence, 'PX', ARGV[2])
return fence`;

/**
 * Renews the holder's lease. A lease that lapsed before its renewal arrived (a node whose Redis round
 * trips queued behind a busy moment) is taken again by its holder only while its fence is still the
 * room's latest: nobody acquired the room since (an acquisition moves the counter), so the holder's
 * writes were never fenced and nothing else was written. A node that lost the room gets 0.
 */
const renewScript = `
local held = redis.call('GET', KEYS[1])
if held == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if not held and redis.call('GET', KEYS[2]) == ARGV[3] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Room leases in Redis: `SET ... PX` for expiry, an INCR counter (from a clock reading) for the fencing token. */
export class RedisRoomLease implements RoomLease {
  private readonly acquireScript: RedisScript;
  private readonly renewScript: RedisScript;
  private readonly releaseScript: RedisScript;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.acquireScript = redisScript(redis, "croupierLeaseAcquire", 2, acquireScript);
    this.renewScript = redisScript(redis, "croupierLeaseRenew", 2, renewScript);
    this.releaseScript = redisScript(redis, "croupierLeaseRelease", 1, releaseScript);
  }

  async acquire(room: string, nodeId: string, ttlMs: number): Promise<number | null> {
    const keys = roomKeys(this.prefix, room);
    const fence = await this.acquireScript(keys.lease, keys.fence, nodeId, ttlMs, Date.now());
    return fence === null ? null : Number(fence);
  }

  async renew(room: string, lease: Lease, ttlMs: number): Promise<boolean> {
    const keys = roomKeys(this.prefix, room);
    return Number(await this.renewScript(keys.lease, keys.fence, `${lease.nodeId}|${lease.fence}`, ttlMs, lease.fence)) === 1;
  }

  async release(room: string, lease: Lease): Promise<void> {
    await this.releaseScript(roomKeys(this.prefix, room).lease, `${lease.nodeId}|${lease.fence}`);
  }

  async holder(room: string): Promise<Lease | null> {
    const value = await this.redis.get(roomKeys(this.prefix, room).lease);
    if (value === null) return null;
    const at = value.lastIndexOf("|");
    return { nodeId: value.slice(0, at), fence: Number(value.slice(at + 1)) };
  }

  /** One sorted set of hosting nodes, scored by when each announcement lapses (this node's clock). */
  async announce(nodeId: string, ttlMs: number): Promise<void> {
    const now = Date.now();
    await this.redis
      .multi()
      .zadd(this.nodesKey, now + ttlMs, nodeId)
      .zremrangebyscore(this.nodesKey, "-inf", now)
      .exec();
  }

  async withdraw(nodeId: string): Promise<void> {
    await this.redis.zrem(this.nodesKey, nodeId);
  }

  async hostingNodes(): Promise<string[]> {
    return (await this.redis.zrangebyscore(this.nodesKey, `(${Date.now()}`, "+inf")).sort();
  }

  private get nodesKey(): string {
    return `${this.prefix}rooms:hosting-nodes`;
  }
}
