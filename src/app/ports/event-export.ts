/**
 * The stream analytics and other consumers read, outside the game: every exported event, published
 * after the commit that decided it, from an outbox (so at least once), each with a stable `id` a
 * consumer deduplicates on (the adapters also drop a repeated id within their window). Nothing on a
 * bet's path waits for it: the outbox relay publishes, and a slow or absent stream only grows the
 * outbox. docs/EVENTS.md has each event's schema and the guarantees.
 */
export interface ExportedEvent {
  /** Stable across retries: the same effect always carries the same id. */
  readonly id: string;
  /** The event's type, e.g. `deposit.credited`; the stream's subject ends with it. */
  readonly type: string;
  /** The event as JSON text (its schema: docs/EVENTS.md). */
  readonly payload: string;
}

export interface EventExport {
  /** Resolves once the stream has stored the event (or already had its id); rejects if it could not. */
  publish(event: ExportedEvent): Promise<void>;
  close(): Promise<void>;
}
