// One contract for the Bus port, run against the in-memory bus and Redis pub/sub.
import { afterAll, describe, expect, it } from "vitest";
import type { Bus } from "../../src/app/ports/bus.js";
import { MemoryBus } from "../../src/adapters/memory/bus.memory.js";
import { RedisBus } from "../../src/adapters/redis/bus.redis.js";
import { SignedBus } from "../../src/adapters/node/bus.signed.js";
import { serviceAvailable } from "../support/services.js";
import { connectRedis, redisPrefix } from "../support/redis.js";

interface BusKind {
  name: string;
  available: () => boolean;
  create(): Promise<{ a: Bus; b: Bus; dispose: () => Promise<void> }>;
}

const secret = "a secret shared by the nodes of one deployment";
const ignoreRefused = { onRefused: () => undefined };

async function memoryPair() {
  const bus = new MemoryBus();
  return { a: bus as Bus, b: bus as Bus, dispose: () => bus.close() };
}

/** Two nodes: two connections sharing one prefix. */
async function redisPair() {
  const prefix = redisPrefix();
  const [ra, rb] = [connectRedis(), connectRedis()];
  const a = new RedisBus(ra, prefix);
  const b = new RedisBus(rb, prefix);
  return {
    a: a as Bus,
    b: b as Bus,
    dispose: async () => {
      await a.close();
      await b.close();
      ra.disconnect();
      rb.disconnect();
    },
  };
}

const signed = (pair: () => Promise<{ a: Bus; b: Bus; dispose: () => Promise<void> }>) => async () => {
  const { a, b, dispose } = await pair();
  return { a: new SignedBus(a, secret, ignoreRefused) as Bus, b: new SignedBus(b, secret, ignoreRefused) as Bus, dispose };
};

const kinds: BusKind[] = [
  { name: "memory", available: () => true, create: memoryPair },
  { name: "redis", available: () => serviceAvailable("redis"), create: redisPair },
  { name: "signed memory", available: () => true, create: signed(memoryPair) },
  { name: "signed redis", available: () => serviceAvailable("redis"), create: signed(redisPair) },
];

function nextMessage(bus: Bus, channel: string): Promise<{ message: Promise<string>; stop: () => Promise<void> }> {
  let resolve!: (m: string) => void;
  const message = new Promise<string>((r) => (resolve = r));
  return bus.subscribe(channel, resolve).then((stop) => ({ message, stop }));
}

for (const kind of kinds) {
  describe.skipIf(!kind.available())(`Bus contract (${kind.name})`, () => {
    const disposers: Array<() => Promise<void>> = [];
    afterAll(async () => {
      for (const d of disposers) await d();
    });

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
      const stop = await b.subscribe("chan.two", (m) => {
        got.push(`two:${m}`);
        firstArrived();
      });
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

for (const kind of kinds.filter((k) => !k.name.startsWith("signed"))) {
  describe.skipIf(!kind.available())(`SignedBus over ${kind.name}`, () => {
    it("drops what is not signed with its secret (unsigned, another secret, a tampered body, another channel, odd bytes) and counts it", async () => {
      const { a, b, dispose } = await kind.create();
      try {
        const refused: string[] = [];
        const ours = new SignedBus(b, secret, { onRefused: (channel) => refused.push(channel) });
        const theirs = new SignedBus(a, "the secret of another deployment", ignoreRefused);
        const mine = new SignedBus(a, secret, ignoreRefused);
        const got: string[] = [];
        await ours.subscribe("room.requests.roulette:1", (m) => got.push(m));
        const done = await nextMessage(ours, "done");
        // A genuine message, to take apart below.
        let captured = "";
        const stopCapture = await b.subscribe("room.requests.roulette:1", (m) => {
          captured ||= m;
        });
        await mine.publish("room.requests.roulette:1", "genuine");
        await mine.publish("done", "1");
        await done.message;
        await stopCapture();
        const mac = captured.slice(0, captured.indexOf("."));

        const forged = '{"request":{"type":"action","actor":{"userId":"u","roles":["operator"]}}}';
        const done2 = await nextMessage(ours, "done");
        await a.publish("room.requests.roulette:1", forged);
        await theirs.publish("room.requests.roulette:1", forged);
        await a.publish("room.requests.roulette:1", `${mac}.${forged}`);
        await a.publish("room.requests.roulette:1", `${"é".repeat(43)}.${forged}`);
        await a.publish("room.requests.roulette:1", `${mac}.`);
        // Signed for another channel, replayed on this one.
        let otherChannel = "";
        const stopOther = await b.subscribe("presence", (m) => {
          otherChannel ||= m;
        });
        await mine.publish("presence", "genuine");
        await mine.publish("done", "2");
        await done2.message;
        await stopOther();
        const done3 = await nextMessage(ours, "done");
        await a.publish("room.requests.roulette:1", otherChannel);
        await mine.publish("done", "3");
        await done3.message;

        expect(got).toEqual(["genuine"]);
        expect(refused).toEqual(Array.from({ length: 6 }, () => "room.requests.roulette:1"));
      } finally {
        await dispose();
      }
    });
  });
}
