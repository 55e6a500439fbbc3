import { Counter, Gauge, type Registry } from "prom-client";

/** WebSocket gateway metrics; units and `_total` per Prometheus naming. */
export function createGatewayMetrics(registry: Registry) {
  return {
    connections: new Gauge({ name: "croupier_ws_connections", help: "open WebSocket connections", registers: [registry] }),
    messagesIn: new Counter({ name: "croupier_ws_messages_in_total", help: "frames received", registers: [registry] }),
    bytesIn: new Counter({ name: "croupier_ws_bytes_in_total", help: "bytes received in frames", registers: [registry] }),
    eventsOut: new Counter({ name: "croupier_ws_events_out_total", help: "room events sent to members", registers: [registry] }),
    frameErrors: new Counter({ name: "croupier_ws_frame_errors_total", help: "refused frames by error code", labelNames: ["code"] as const, registers: [registry] }),
    slowConsumers: new Counter({ name: "croupier_ws_slow_consumer_disconnects_total", help: "connections cut off for exceeding sendQueueBytesMax", registers: [registry] }),
    resumes: new Counter({ name: "croupier_ws_resumes_total", help: "joins resumed from an offset", registers: [registry] }),
    resets: new Counter({ name: "croupier_ws_resets_total", help: "resume attempts answered with a reset", registers: [registry] }),
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
