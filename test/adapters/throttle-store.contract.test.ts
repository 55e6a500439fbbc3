// One contract for the ThrottleStore port: in memory (embedded) and Redis (shared by nodes).
import { afterAll, describe, expect, it } from "vitest";
import type { ThrottleStore } from "../../src/app/ports/throttle-store.js";
import { MemoryThrottleStore } from "../../src/adapters/memory/throttle-store.memory.js";
import { RedisThrottleStore } from "../../src/adapters/redis/throttle-store.redis.js";
import { systemClock } from "../../src/adapters/node/clock.system.js";
import { serviceAvailable } from "../support/services.js";
import { connectRedis, deleteKeys, redisPrefix } from "../support/redis.js";

const kinds = [
  {
    name: "memory",
    available: () => true,
    create: async () => ({ store: new MemoryThrottleStore(systemClock, 1000) as ThrottleStore, dispose: async () => undefined }),
  },
  {
    name: "redis",
    available: () => serviceAvailable("redis"),
    create: async () => {
      const redis = connectRedis();
      const prefix = redisPrefix();
      return {
        store: new RedisThrottleStore(redis, prefix) as ThrottleStore,
        dispose: async () => {
          await deleteKeys(redis, prefix);
          redis.disconnect();
        },
      };
    },
  },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const kind of kinds) {
  describe.skipIf(!kind.available())(`ThrottleStore contract (${kind.name})`, () => {
    const disposers: Array<() => Promise<void>> = [];
    afterAll(async () => {
      for (const d of disposers) await d();
    });
    const open = async () => {
      const { store, dispose } = await kind.create();
      disposers.push(dispose);
      return store;
    };

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

    const rule = { windowMs: 60_000, attemptsFree: 3, baseMs: 60_000, msMax: 600_000 };

    it("reserves attempts until the free budget is used, then refuses with the time left", async () => {
      const store = await open();
      expect(await store.reserveAttempt("r", rule)).toEqual({ ok: true, attempt: 1 });
      expect(await store.reserveAttempt("r", rule)).toEqual({ ok: true, attempt: 2 });
      // The third reaches attemptsFree: it is evaluated, and locks the key should it fail.
      expect(await store.reserveAttempt("r", rule)).toEqual({ ok: true, attempt: 3 });
      const refused = await store.reserveAttempt("r", rule);
      expect(refused.ok).toBe(false);
      expect(refused.ok ? 0 : refused.retryAfterMs).toBeGreaterThan(55_000);
      expect(await store.lockedForMs("r")).toBeGreaterThan(55_000);
      expect((await store.reserveAttempt("other", rule)).ok).toBe(true);
    });

    it("lets 150 attempts at once through only as far as the free budget", async () => {
      const store = await open();
      const results = await Promise.all(Array.from({ length: 150 }, () => store.reserveAttempt("burst", rule)));
      expect(
        results
          .filter((r) => r.ok)
          .map((r) => r.attempt)
          .sort((x, y) => x - y),
      ).toEqual([1, 2, 3]);
    });

    it("releases a successful attempt: uncounted, and the lock it set lifted", async () => {
      const store = await open();
      await store.reserveAttempt("s", rule);
      await store.reserveAttempt("s", rule);
      const third = await store.reserveAttempt("s", rule);
      expect(third.ok).toBe(true);
      await store.releaseAttempt("s", third.ok ? third.attempt : 0);
      expect(await store.lockedForMs("s")).toBe(0);
      // Counted again from 2: the next attempt is the third once more.
      expect(await store.reserveAttempt("s", rule)).toEqual({ ok: true, attempt: 3 });
    });

    it("keeps a lock that a later attempt set when an earlier one is released", async () => {
      const store = await open();
      const first = await store.reserveAttempt("k", { ...rule, attemptsFree: 2 });
      const second = await store.reserveAttempt("k", { ...rule, attemptsFree: 2 });
      expect(second.ok).toBe(true);
      await store.releaseAttempt("k", first.ok ? first.attempt : 0);
      expect(await store.lockedForMs("k")).toBeGreaterThan(55_000);
    });

    it("doubles the lock with each attempt past the budget, after the previous lock ran out", async () => {
      const store = await open();
      const quick = { windowMs: 60_000, attemptsFree: 1, baseMs: 40, msMax: 10_000 };
      expect((await store.reserveAttempt("d", quick)).ok).toBe(true);
      const first = await store.lockedForMs("d");
      expect(first).toBeGreaterThan(0);
      expect(first).toBeLessThanOrEqual(40);
      await sleep(60);
      expect(await store.reserveAttempt("d", quick)).toEqual({ ok: true, attempt: 2 });
      expect(await store.lockedForMs("d")).toBeGreaterThan(40);
      await store.reset("d");
      expect(await store.reserveAttempt("d", quick)).toEqual({ ok: true, attempt: 1 });
    });

    it("forgets attempts after the window", async () => {
      const store = await open();
      await store.reserveAttempt("w2", { ...rule, windowMs: 50 });
      await sleep(120);
      expect(await store.reserveAttempt("w2", { ...rule, windowMs: 50 })).toEqual({ ok: true, attempt: 1 });
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
