// The Redis adapters call their Lua scripts by digest (EVALSHA); a Redis that lost its script cache
// (restarted, or SCRIPT FLUSH) must still run them: the text is sent again on NOSCRIPT.
import { afterAll, describe, expect, it } from "vitest";
import { RedisBus } from "../../src/adapters/redis/bus.redis.js";
import { RedisRoomLease } from "../../src/adapters/redis/room-lease.redis.js";
import { RedisRoomLog } from "../../src/adapters/redis/room-log.redis.js";
import { RedisThrottleStore } from "../../src/adapters/redis/throttle-store.redis.js";
import { connectRedis, deleteKeys, redisPrefix } from "../support/redis.js";
import { serviceAvailable } from "../support/services.js";

describe.skipIf(!serviceAvailable("redis"))("Redis scripts", () => {
  const redis = connectRedis();
  const prefix = redisPrefix();
  const bus = new RedisBus(redis, prefix);
  afterAll(async () => {
    await bus.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it("are sent by digest, and again in full after the server's script cache is flushed", async () => {
    const lease = new RedisRoomLease(redis, prefix);
    const log = new RedisRoomLog(redis, bus, prefix, { roomLogEntriesMax: 100, roomLogAgeMsMax: 60_000, roomIdleMsMax: 60_000 });
    const throttle = new RedisThrottleStore(redis, prefix);
    const fence = (await lease.acquire("s:1", "n1", 60_000)) as number;
    expect(fence).toBeGreaterThan(0);
    const first = await log.append("s:1", fence, [{ kind: "k", data: { n: 1 } }], { public: { n: 1 } }, Date.now());
    expect(first).toMatchObject({ ok: true });
    await redis.script("FLUSH");
    // Every script again: each is refused once (NOSCRIPT) and then run from its text.
    expect(await log.append("s:1", fence, [{ kind: "k", data: { n: 2 } }], { public: { n: 2 } }, Date.now())).toMatchObject({
      ok: true,
      entries: [{ offset: 2 }],
    });
    expect(await lease.acquire("s:1", "n2", 60_000)).toBeNull();
    expect(await throttle.reserveAttempt("who", { windowMs: 60_000, attemptsFree: 5, baseMs: 100, msMax: 1_000 })).toEqual({ ok: true, attempt: 1 });
    expect((await log.head("s:1")).offset).toBe(2);
    expect((await log.read("s:1", 0, 10)).entries.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it("drop entries older than the log's age limit on the next append, keeping the newest", async () => {
    const log = new RedisRoomLog(redis, bus, prefix, { roomLogEntriesMax: 100, roomLogAgeMsMax: 1_000, roomIdleMsMax: 60_000 });
    const lease = new RedisRoomLease(redis, prefix);
    const fence = (await lease.acquire("s:age", "n1", 60_000)) as number;
    const t0 = Date.now();
    for (let n = 1; n <= 3; n++) expect(await log.append("s:age", fence, [{ kind: "k", data: { n } }], { public: {} }, t0)).toMatchObject({ ok: true });
    // Still young: nothing is dropped.
    await log.append("s:age", fence, [{ kind: "k", data: { n: 4 } }], { public: {} }, t0 + 500);
    expect((await log.read("s:age", 0, 10)).oldestOffset).toBe(1);
    // The first three are past the limit, the fourth is not.
    await log.append("s:age", fence, [{ kind: "k", data: { n: 5 } }], { public: {} }, t0 + 1_200);
    const range = await log.read("s:age", 0, 10);
    expect(range.oldestOffset).toBe(4);
    expect(range.entries.map((e) => e.offset)).toEqual([4, 5]);
  });
});
