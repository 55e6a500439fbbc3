// One contract for the EventExport port, run against the in-memory stream and NATS JetStream: what a
// consumer reads back is every published event once, in publish order, a repeated id stored once.
import { afterAll, describe, expect, it } from "vitest";
import { connect, type NatsConnection } from "nats";
import type { EventExport, ExportedEvent } from "../../src/app/ports/event-export.js";
import { MemoryEventExport } from "../../src/adapters/memory/event-export.memory.js";
import { JetStreamEventExport } from "../../src/adapters/nats/event-export.jetstream.js";
import { natsUrl, serviceAvailable, uniqueName } from "../support/services.js";

interface Stream {
  readonly events: EventExport;
  readAll(): Promise<ExportedEvent[]>;
  dispose(): Promise<void>;
}
interface ExportKind {
  readonly name: string;
  available(): boolean;
  create(): Promise<Stream>;
}

async function natsConnection(): Promise<NatsConnection> {
  const url = new URL(natsUrl);
  return connect({ servers: `${url.hostname}:${url.port || "4222"}`, reconnect: false });
}

const kinds: ExportKind[] = [
  {
    name: "memory",
    available: () => true,
    async create() {
      const events = new MemoryEventExport(1_000);
      return { events, readAll: async () => events.read(0, 1_000).map(({ id, type, payload }) => ({ id, type, payload })), dispose: () => events.close() };
    },
  },
  {
    name: "jetstream",
    available: () => serviceAvailable("nats"),
    async create() {
      // A stream and subjects of their own, named after the run (the global teardown deletes them).
      const stream = uniqueName("events").replace(/[^A-Za-z0-9_-]/g, "_");
      const subjectPrefix = `croupier_test.${stream}`;
      const events = await JetStreamEventExport.open({ url: natsUrl, stream, subjectPrefix, publishTimeoutMs: 5_000 });
      const reader = await natsConnection();
      return {
        events,
        async readAll() {
          const js = reader.jetstream();
          const info = await (await reader.jetstreamManager()).streams.info(stream);
          const consumer = await js.consumers.get(stream);
          const out: ExportedEvent[] = [];
          while (out.length < info.state.messages) {
            const m = await consumer.next({ expires: 2_000 });
            if (m === null) break;
            out.push({ id: m.headers?.get("Nats-Msg-Id") ?? "", type: m.subject.slice(subjectPrefix.length + 1), payload: m.string() });
          }
          return out;
        },
        async dispose() {
          await events.close();
          await (await reader.jetstreamManager()).streams.delete(stream);
          await reader.close();
        },
      };
    },
  },
];

const event = (n: number, type = "deposit.credited"): ExportedEvent => ({
  id: `${type}:d${n}`,
  type,
  payload: JSON.stringify({ id: `${type}:d${n}`, type, n }),
});

for (const kind of kinds) {
  describe.skipIf(!kind.available())(`EventExport contract (${kind.name})`, () => {
    const disposers: Array<() => Promise<void>> = [];
    afterAll(async () => {
      for (const d of disposers) await d();
    });

    it("hands a consumer every published event, in publish order, with its id, type and payload", async () => {
      const stream = await kind.create();
      disposers.push(() => stream.dispose());
      const sent = [
        event(1),
        event(2, "withdrawal.requested"),
        event(3, "round.settled"),
        event(4, "withdrawal.paid"),
        event(5, "risk.action"),
        event(6, "round.voided"),
      ];
      for (const e of sent) await stream.events.publish(e);
      expect(await stream.readAll()).toEqual(sent);
    });

    it("stores a repeated id once (an outbox retry after a lost acknowledgement), concurrent or not", async () => {
      const stream = await kind.create();
      disposers.push(() => stream.dispose());
      await stream.events.publish(event(1));
      await Promise.all([stream.events.publish(event(1)), stream.events.publish(event(2)), stream.events.publish(event(2))]);
      await stream.events.publish(event(1));
      const read = await stream.readAll();
      expect(read.map((e) => e.id).sort()).toEqual(["deposit.credited:d1", "deposit.credited:d2"]);
    });
  });
}
