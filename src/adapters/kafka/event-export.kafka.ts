import { Kafka, logLevel, type Message, type Producer } from "kafkajs";
import type { EventExport, ExportedEvent } from "../../app/ports/event-export.js";

export interface KafkaExportOptions {
  /** kafka://host:9092, a bootstrap broker (the client learns the others from it). */
  readonly url: string;
  /** The topic every event goes to (created by the broker on first use if it allows that). */
  readonly topic: string;
  /** Longest a publish waits for the brokers' acknowledgement (connecting included). */
  readonly publishTimeoutMs: number;
}

const defaultPort = 9092;

/** The bootstrap broker of a kafka:// URL, `host:port`; throws on any other URL. */
export function kafkaBroker(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== "kafka:" || parsed.hostname === "") throw new Error(`not a kafka://host:port URL: ${url}`);
  return `${parsed.hostname}:${parsed.port || defaultPort}`;
}

/** An event as a Kafka message: keyed by its id (compaction and consumers deduplicate on it), its type in a header. */
export function kafkaMessage(event: ExportedEvent): Message & { key: string; value: string; headers: Record<string, string> } {
  return { key: event.id, value: event.payload, headers: { "croupier-event-id": event.id, "croupier-event-type": event.type } };
}

/**
 * Events to Kafka, through an idempotent producer (acks from all in-sync replicas, one request in
 * flight): a send the client retries after a lost acknowledgement is stored once. A publish the
 * outbox retries later is a new send, so consumers deduplicate on the message key, the event's id,
 * as with every adapter. A publish resolves once the brokers acknowledged it, and rejects after
 * `publishTimeoutMs`; then the producer is dropped and connected again on the next publish, so a node
 * starts and serves while Kafka is down: its events wait in the outbox.
 */
export class KafkaEventExport implements EventExport {
  private readonly kafka: Kafka;
  private connecting: Promise<Producer> | null = null;
  private closed = false;

  constructor(private readonly options: KafkaExportOptions) {
    this.kafka = new Kafka({
      clientId: "croupier-events",
      brokers: [kafkaBroker(options.url)],
      connectionTimeout: options.publishTimeoutMs,
      requestTimeout: options.publishTimeoutMs,
      retry: { initialRetryTime: 100, retries: 3 },
      logLevel: logLevel.NOTHING,
    });
  }

  async publish(event: ExportedEvent): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no acknowledgement within ${this.options.publishTimeoutMs} ms`)), this.options.publishTimeoutMs);
    });
    const sent = this.connection().then((producer) =>
      producer.send({ topic: this.options.topic, acks: -1, timeout: this.options.publishTimeoutMs, messages: [kafkaMessage(event)] }),
    );
    try {
      await Promise.race([sent, timeout]);
    } catch (error) {
      // The producer may go on retrying on its own: drop it (without waiting for it to give up); the
      // next publish connects afresh.
      sent.catch(() => undefined);
      void this.reset();
      throw new Error(`kafka export to ${kafkaBroker(this.options.url)} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Disconnects, waiting at most `publishTimeoutMs` for a connection still being made. */
  async close(): Promise<void> {
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.reset(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.options.publishTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  private connection(): Promise<Producer> {
    if (this.closed) return Promise.reject(new Error("event export closed"));
    this.connecting ??= (async () => {
      const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      return producer;
    })();
    return this.connecting;
  }

  /** Forgets the producer and disconnects it once it is connected (if it ever is). */
  private async reset(): Promise<void> {
    const current = this.connecting;
    this.connecting = null;
    const producer = await current?.catch(() => null);
    await producer?.disconnect().catch(() => undefined);
  }
}
