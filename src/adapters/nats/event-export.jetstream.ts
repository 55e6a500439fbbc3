import { connect, headers, type JetStreamClient, type JetStreamManager, type NatsConnection } from "nats";
import type { EventExport, ExportedEvent } from "../../app/ports/event-export.js";

export interface JetStreamExportOptions {
  /** e.g. nats://127.0.0.1:4222 */
  readonly url: string;
  /** The stream's name, created if missing (file storage, limits retention). */
  readonly stream: string;
  /** Subjects are `<subjectPrefix>.<event type>`; the stream takes `<subjectPrefix>.>`. */
  readonly subjectPrefix: string;
  /** Longest a publish waits for the stream's acknowledgement. */
  readonly publishTimeoutMs: number;
}

/** How long JetStream remembers a message id to drop a repeat (its duplicate window). */
const duplicateWindowNs = 2 * 60 * 60 * 1e9;
/** JetStream's error code for "stream not found". */
const streamNotFound = 10059;

/**
 * Events to NATS JetStream. Each message carries the event's id as `Nats-Msg-Id`, so JetStream stores
 * a repeated publish (an outbox retry after a lost acknowledgement) once within the duplicate window
 * (2 hours); consumers still deduplicate on `id` beyond it. A publish resolves on the stream's
 * acknowledgement, i.e. once the event is stored. The connection (and the stream, created if missing)
 * is made on the first publish and made again after a failure, so a node starts and serves while NATS
 * is down: its events wait in the outbox.
 */
export class JetStreamEventExport implements EventExport {
  private connecting: Promise<{ nc: NatsConnection; js: JetStreamClient }> | null = null;
  private closed = false;

  constructor(private readonly options: JetStreamExportOptions) {}

  /** Connects now and makes sure the stream exists (tests and start-up checks); publish does it anyway. */
  static async open(options: JetStreamExportOptions): Promise<JetStreamEventExport> {
    const events = new JetStreamEventExport(options);
    await events.connection();
    return events;
  }

  async publish(event: ExportedEvent): Promise<void> {
    const { js } = await this.connection();
    const h = headers();
    h.set("Nats-Msg-Id", event.id);
    await js.publish(`${this.options.subjectPrefix}.${event.type}`, new TextEncoder().encode(event.payload), {
      msgID: event.id,
      headers: h,
      timeout: this.options.publishTimeoutMs,
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const current = this.connecting;
    this.connecting = null;
    const connection = await current?.catch(() => null);
    if (connection) await connection.nc.drain();
  }

  private connection(): Promise<{ nc: NatsConnection; js: JetStreamClient }> {
    if (this.closed) return Promise.reject(new Error("event export closed"));
    this.connecting ??= this.connect().catch((error: unknown) => {
      this.connecting = null;
      throw error;
    });
    return this.connecting;
  }

  private async connect(): Promise<{ nc: NatsConnection; js: JetStreamClient }> {
    const url = new URL(this.options.url);
    const nc = await connect({
      servers: `${url.hostname}:${url.port || "4222"}`,
      name: "croupier-events",
      maxReconnectAttempts: -1,
      timeout: this.options.publishTimeoutMs,
    });
    try {
      const jsm: JetStreamManager = await nc.jetstreamManager();
      try {
        await jsm.streams.info(this.options.stream);
      } catch (error) {
        if ((error as { api_error?: { err_code?: number } }).api_error?.err_code !== streamNotFound) throw error;
        await jsm.streams.add({ name: this.options.stream, subjects: [`${this.options.subjectPrefix}.>`], duplicate_window: duplicateWindowNs });
      }
      return { nc, js: nc.jetstream() };
    } catch (error) {
      await nc.close();
      throw error;
    }
  }
}
