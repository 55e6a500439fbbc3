import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";

/** One registry per server instance, so several servers in one process (tests) never collide. */
export interface HttpMetrics {
  readonly registry: Registry;
  readonly requestDuration: Histogram<"method" | "route" | "status_code">;
  readonly errors: Counter<"code">;
}

export function createHttpMetrics(registry: Registry = new Registry()): HttpMetrics {
  collectDefaultMetrics({ register: registry, prefix: "croupier_" });
  const requestDuration = new Histogram({
    name: "croupier_http_request_duration_seconds",
    help: "HTTP request latency by route and status",
    labelNames: ["method", "route", "status_code"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const errors = new Counter({
    name: "croupier_http_errors_total",
    help: "error responses by error code",
    labelNames: ["code"] as const,
    registers: [registry],
  });
  return { registry, requestDuration, errors };
}
