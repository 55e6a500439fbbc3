// The Kafka adapter, as far as it can be checked without a broker (none runs here; the EventExport
// contract suite runs against the in-memory stream and JetStream only): the URL and topic options, the
// message an event becomes, and that a publish to a broker that refuses or never answers rejects with a
// clear error within its timeout (the outbox keeps the event); a server using it keeps serving bets
// (test/events/game-events-export.test.ts).
import { afterAll, describe, expect, it } from "vitest";
import { KafkaEventExport, kafkaBroker, kafkaMessage } from "../../src/adapters/kafka/event-export.kafka.js";
import { ExportBreaker } from "../../src/app/events/export-breaker.js";
import { systemClock } from "../../src/adapters/node/clock.system.js";
import { ConfigError, loadConfig } from "../../src/config/config.js";
import { openBlackhole } from "../support/event-stream.js";

describe("Kafka event export without a broker", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it("takes kafka://host:port (9092 by default) and nothing else", () => {
    expect(kafkaBroker("kafka://broker.internal:19092")).toBe("broker.internal:19092");
    expect(kafkaBroker("kafka://broker.internal")).toBe("broker.internal:9092");
    expect(() => kafkaBroker("nats://127.0.0.1:4222")).toThrow(/kafka:\/\/host:port/);
  });

  it("is chosen by eventExportUrl's scheme; other schemes and bad topics are refused at start", () => {
    const config = loadConfig(["--event-export-url", "kafka://127.0.0.1:9092", "--event-export-topic", "analytics.croupier"], {});
    expect([config.eventExportUrl, config.eventExportTopic]).toEqual(["kafka://127.0.0.1:9092", "analytics.croupier"]);
    expect(loadConfig([], {}).eventExportTopic).toBe("croupier.events");
    expect(() => loadConfig(["--event-export-url", "http://127.0.0.1:9092"], {})).toThrow(ConfigError);
    expect(() => loadConfig(["--event-export-url", "kafka://127.0.0.1:9092", "--event-export-topic", "no spaces"], {})).toThrow(/eventExportTopic/);
  });

  it("sends an event as its JSON, keyed by its id, with id and type in headers", () => {
    const event = { id: "round.settled:r1", type: "round.settled", payload: '{"id":"round.settled:r1"}' };
    expect(kafkaMessage(event)).toEqual({
      key: "round.settled:r1",
      value: event.payload,
      headers: { "croupier-event-id": "round.settled:r1", "croupier-event-type": "round.settled" },
    });
  });

  for (const broker of ["refusing", "stalled"] as const) {
    it(`rejects a publish to a ${broker} broker with a clear error within its timeout, and again on the next publish`, async () => {
      const port =
        broker === "refusing"
          ? 1
          : await openBlackhole().then((hole) => {
              cleanups.push(() => hole.close());
              return hole.port;
            });
      const events = new KafkaEventExport({ url: `kafka://127.0.0.1:${port}`, topic: "croupier.events", publishTimeoutMs: 500 });
      cleanups.push(() => events.close());
      for (let i = 0; i < 2; i++) {
        const started = performance.now();
        await expect(events.publish({ id: `e${i}`, type: "round.settled", payload: "{}" })).rejects.toThrow(
          new RegExp(`kafka export to 127\\.0\\.0\\.1:${port} failed`),
        );
        expect(performance.now() - started).toBeLessThan(500 + 400);
      }
      const closing = performance.now();
      await events.close();
      expect(performance.now() - closing).toBeLessThan(500 + 400);
    });
  }

  it("behind the breaker, a failed stream is not asked again for the cooldown: the next publishes fail at once", async () => {
    const hole = await openBlackhole();
    cleanups.push(() => hole.close());
    const events = new ExportBreaker(new KafkaEventExport({ url: `kafka://127.0.0.1:${hole.port}`, topic: "t", publishTimeoutMs: 300 }), systemClock, 2_000);
    cleanups.push(() => events.close());
    await expect(events.publish({ id: "a", type: "round.settled", payload: "{}" })).rejects.toThrow(/no acknowledgement within 300 ms/);
    const started = performance.now();
    for (let i = 0; i < 50; i++)
      await expect(events.publish({ id: `b${i}`, type: "round.settled", payload: "{}" })).rejects.toThrow(/not asked again for 2000 ms/);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
