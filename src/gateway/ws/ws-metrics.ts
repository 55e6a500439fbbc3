import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/**
 * What every connection adds to as it sends: plain numbers on the hot path (one addition per
 * frame), turned into counters when Prometheus scrapes.
 */
export class SendTally {
  frames = 0;
  bytes = 0;
  readonly errors = new Map<string, number>();

  refused(code: string): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }
}

/** Rooms and members this node serves, by room kind, read at scrape time. */
export type RoomCensus = () => ReadonlyMap<string, { readonly rooms: number; readonly members: number }>;

/** WebSocket gateway metrics; units and `_total` per Prometheus naming. */
export function createGatewayMetrics(registry: Registry, census: RoomCensus = () => new Map()) {
  const tally = new SendTally();
  // Counters grow by what the tally gained since the previous scrape.
  const seen = new Map<string, number>();
  const gained = (key: string, total: number): number => {
    const delta = total - (seen.get(key) ?? 0);
    seen.set(key, total);
    return delta;
  };
  return {
    tally,
    connections: new Gauge({ name: "croupier_ws_connections", help: "open WebSocket connections", registers: [registry] }),
    unauthenticatedClosed: new Counter({
      name: "croupier_ws_unauthenticated_closed_total",
      help: "sockets not yet authenticated closed to make room for newer ones (4011)",
      labelNames: ["limit"] as const,
      registers: [registry],
    }),
    messagesIn: new Counter({ name: "croupier_ws_messages_in_total", help: "frames received", registers: [registry] }),
    bytesIn: new Counter({ name: "croupier_ws_bytes_in_total", help: "bytes received in frames", registers: [registry] }),
    messagesOut: new Counter({
      name: "croupier_ws_messages_out_total",
      help: "frames sent (events, replies, errors)",
      registers: [registry],
      collect() {
        this.inc(gained("frames", tally.frames));
      },
    }),
    bytesOut: new Counter({
      name: "croupier_ws_bytes_out_total",
      help: "bytes sent in frames",
      registers: [registry],
      collect() {
        this.inc(gained("bytes", tally.bytes));
      },
    }),
    errors: new Counter({
      name: "croupier_ws_errors_total",
      help: "error replies sent to clients by error code",
      labelNames: ["code"] as const,
      registers: [registry],
      collect() {
        for (const [code, n] of tally.errors) this.inc({ code }, gained(`error:${code}`, n));
      },
    }),
    eventsOut: new Counter({ name: "croupier_ws_events_out_total", help: "room events sent to members", registers: [registry] }),
    fanout: new Histogram({
      name: "croupier_ws_broadcast_fanout_seconds",
      help: "time to hand one room event to every local member's socket",
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers: [registry],
    }),
    rooms: new Gauge({
      name: "croupier_rooms",
      help: "rooms with members on this node, by kind",
      labelNames: ["kind"] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const [kind, c] of census()) this.set({ kind }, c.rooms);
      },
    }),
    members: new Gauge({
      name: "croupier_room_members",
      help: "room members (players in rooms) on this node, by room kind",
      labelNames: ["kind"] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const [kind, c] of census()) this.set({ kind }, c.members);
      },
    }),
    frameErrors: new Counter({
      name: "croupier_ws_frame_errors_total",
      help: "refused frames by error code",
      labelNames: ["code"] as const,
      registers: [registry],
    }),
    slowConsumers: new Counter({
      name: "croupier_ws_slow_consumer_disconnects_total",
      help: "connections cut off for exceeding sendQueueBytesMax",
      registers: [registry],
    }),
    resumes: new Counter({ name: "croupier_ws_resumes_total", help: "joins resumed from an offset", registers: [registry] }),
    resets: new Counter({ name: "croupier_ws_resets_total", help: "resume attempts answered with a reset", registers: [registry] }),
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
