import type { EventExport, ExportedEvent } from "../../app/ports/event-export.js";

/**
 * The embedded event stream: events kept in publish order in a bounded buffer (the oldest dropped
 * beyond `eventsMax`), a repeated id stored once while it is in the buffer, as JetStream does within
 * its duplicate window. Readers (tests, an in-process consumer) page through it by sequence.
 */
export class MemoryEventExport implements EventExport {
  private readonly events: Array<ExportedEvent & { readonly seq: number }> = [];
  private readonly ids = new Set<string>();
  private seq = 0;

  constructor(private readonly eventsMax: number) {}

  async publish(event: ExportedEvent): Promise<void> {
    if (this.ids.has(event.id)) return;
    this.events.push({ ...event, seq: ++this.seq });
    this.ids.add(event.id);
    while (this.events.length > this.eventsMax) this.ids.delete((this.events.shift() as ExportedEvent).id);
  }

  /** Events after sequence `afterSeq`, oldest first, at most `max`. */
  read(afterSeq: number, max: number): Array<ExportedEvent & { readonly seq: number }> {
    return this.events.filter((e) => e.seq > afterSeq).slice(0, max);
  }

  async close(): Promise<void> {
    this.events.length = 0;
    this.ids.clear();
  }
}
