// One contract for the ThrottleStore port: in memory (embedded) and Redis (shared by nodes).
import { afterAll, describe, expect, it } from "vitest";
import type { ThrottleStore } from "../../src/app/ports/throttle-store.js";
import { MemoryThrottleStore } from "../../src/adapters/memory/throttle-store.memory.js";
import { RedisThrottleStore } from "../../src/adapters/redis/throttle-store.redis.js";
import { systemClock } from "../../src/adapters/node/clock.system.js";
import { serviceAvailable } from "../support/services.js";
import { connectRedis, deleteKeys, redisPrefix } from "../support/redis.js";

const kinds = [
  { name: "memory", available: () => true, create: async () => ({ store: new MemoryThrottleStore(systemClock, 1000) as ThrottleStore, dispose: async () => undefined }) },
  {
    name: "redis",
    available: () => serviceAvailable("redis"),
    create: async () => {
      const redis = connectRedis();
      const prefix = redisPrefix();
      return { store: new RedisThrottleStore(redis, prefix) as ThrottleStore, dispose: async () => { await deleteKeys(redis, prefix); redis.disconnect(); } };
    },
  },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const kind of kinds) {
  describe.skipIf(!kind.available())(`ThrottleStore contract (${kind.name})`, () => {
    const disposers: Array<() => Promise<void>> = [];
    afterAll(async () => { for (const d of disposers) await d(); });
    const open = async () => { const { store, dispose } = await kind.create(); disposers.push(dispose); return store; };

    it("counts failures per key", async () => {
      const store = await open();
      expect(await store.recordFailure("a", 60_000)).toBe(1);
      expect(await store.recordFailure("a", 60_000)).toBe(2);
      expect(await store.recordFailure("b", 60_000)).toBe(1);
    });

    it("forgets failures after the window", async () => {
      const store = await open();
      await store.recordFailure("w", 50);
      await sleep(120);
      expect(await store.recordFailure("w", 50)).toBe(1);
    });

    it("locks for a duration, never shortens a longer lock, and reset clears it", async () => {
      const store = await open();
      expect(await store.lockedForMs("l")).toBe(0);
      await store.lock("l", 60_000);
      await store.lock("l", 10);
      expect(await store.lockedForMs("l")).toBeGreaterThan(50_000);
      await store.reset("l");
      expect(await store.lockedForMs("l")).toBe(0);
      expect(await store.recordFailure("l", 60_000)).toBe(1);
    });

    it("lets a lock expire", async () => {
      const store = await open();
      await store.lock("e", 60);
      expect(await store.lockedForMs("e")).toBeGreaterThan(0);
      await sleep(130);
      expect(await store.lockedForMs("e")).toBe(0);
    });
  });
}

describe("MemoryThrottleStore bound", () => {
  it("keeps at most keysMax entries, dropping the one touched longest ago", async () => {
    const store = new MemoryThrottleStore(systemClock, 100);
    for (let i = 0; i < 150; i++) await store.recordFailure(`k${i}`, 60_000);
    expect(await store.recordFailure("k0", 60_000)).toBe(1);
    expect(await store.recordFailure("k149", 60_000)).toBe(2);
  });
});
