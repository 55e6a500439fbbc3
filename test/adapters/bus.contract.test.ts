// One contract for the Bus port, run against the in-memory bus and Redis pub/sub.
import { afterAll, describe, expect, it } from "vitest";
import type { Bus } from "../../src/app/ports/bus.js";
import { MemoryBus } from "../../src/adapters/memory/bus.memory.js";
import { RedisBus } from "../../src/adapters/redis/bus.redis.js";
import { serviceAvailable } from "../support/services.js";
import { connectRedis, redisPrefix } from "../support/redis.js";

interface BusKind { name: string; available: () => boolean; create(): Promise<{ a: Bus; b: Bus; dispose(): Promise<void> }> }

const kinds: BusKind[] = [
  { name: "memory", available: () => true, async create() { const bus = new MemoryBus(); return { a: bus, b: bus, dispose: () => bus.close() }; } },
  {
    name: "redis",
    available: () => serviceAvailable("redis"),
    async create() {
      // Two nodes: two connections sharing one prefix.
      const prefix = redisPrefix();
      const [ra, rb] = [connectRedis(), connectRedis()];
      const a = new RedisBus(ra, prefix);
      const b = new RedisBus(rb, prefix);
      return { a, b, dispose: async () => { await a.close(); await b.close(); ra.disconnect(); rb.disconnect(); } };
    },
  },
];

function nextMessage(bus: Bus, channel: string): Promise<{ message: Promise<string>; stop: () => Promise<void> }> {
  let resolve!: (m: string) => void;
  const message = new Promise<string>((r) => (resolve = r));
  return bus.subscribe(channel, resolve).then((stop) => ({ message, stop }));
}

for (const kind of kinds) {
  describe.skipIf(!kind.available())(`Bus contract (${kind.name})`, () => {
    const disposers: Array<() => Promise<void>> = [];
    afterAll(async () => { for (const d of disposers) await d(); });

    it("delivers a message published by one node to a subscriber on another", async () => {
      const { a, b, dispose } = await kind.create();
      disposers.push(dispose);
      const sub = await nextMessage(b, "chan.one");
      await a.publish("chan.one", "hello");
      expect(await sub.message).toBe("hello");
      await sub.stop();
    });

    it("keeps channels apart and stops delivering after unsubscribe", async () => {
      const { a, b, dispose } = await kind.create();
      disposers.push(dispose);
      const got: string[] = [];
      const stopOther = await b.subscribe("chan.other", (m) => got.push(`other:${m}`));
      let firstArrived!: () => void;
      const arrived = new Promise<void>((r) => (firstArrived = r));
      const stop = await b.subscribe("chan.two", (m) => { got.push(`two:${m}`); firstArrived(); });
      const done = await nextMessage(b, "chan.done");
      await a.publish("chan.two", "1");
      await arrived;
      await stop();
      await a.publish("chan.two", "2");
      await a.publish("chan.done", "x");
      await done.message;
      expect(got).toEqual(["two:1"]);
      await stopOther();
      await done.stop();
    });

    it("delivers to every subscriber of a channel, in publish order", async () => {
      const { a, b, dispose } = await kind.create();
      disposers.push(dispose);
      const first: string[] = [];
      const second: string[] = [];
      await b.subscribe("chan.three", (m) => first.push(m));
      await b.subscribe("chan.three", (m) => second.push(m));
      const done = await nextMessage(b, "chan.three.done");
      for (let i = 0; i < 50; i++) await a.publish("chan.three", String(i));
      await a.publish("chan.three.done", "x");
      await done.message;
      const expected = Array.from({ length: 50 }, (_, i) => String(i));
      expect(first).toEqual(expected);
      expect(second).toEqual(expected);
    });
  });
}
