import fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import swagger from "@fastify/swagger";
import type { Logger } from "pino";
import { randomUUID } from "node:crypto";
import type { AuthService } from "../../app/auth/auth.service.js";
import { handleError, sendError } from "./http-errors.js";
import type { HttpMetrics } from "./http-metrics.js";
import { registerAuthRoutes } from "./auth.routes.js";
import { registerOperatorRoutes } from "./operator.routes.js";
import { registerPaymentsRoutes, type PaymentsHttpDeps } from "./payments.routes.js";
import { registerWalletRoutes } from "./wallet.routes.js";

export interface ReadinessReport {
  readonly ready: boolean;
  /** The node's roles (docs/OPERATIONS.md "Roles"); each also has a check of its own. */
  readonly roles?: readonly string[];
  readonly checks: Readonly<Record<string, string>>;
}

export interface HttpServerDeps {
  readonly auth: AuthService;
  readonly logger: Logger;
  readonly metrics: HttpMetrics;
  readonly jwks: () => unknown;
  readonly readiness: () => Promise<ReadinessReport>;
  readonly limits: { readonly httpBodyBytesMax: number };
  readonly trustProxy: boolean;
  readonly tls: { readonly cert: Buffer; readonly key: Buffer } | null;
  readonly version: string;
  /** The text served at /metrics; default this process's registry (a cluster worker serves the whole node's). */
  readonly metricsText?: () => Promise<string>;
  /** The wallet, payments and operator endpoints; absent in servers that only do accounts. */
  readonly money?: Omit<PaymentsHttpDeps, "auth">;
  /**
   * Which endpoints besides health, readiness, metrics and JWKS this node serves: `api` the player and
   * operator API (the gateway role), `webhooks` the payment provider's webhooks (the payments role).
   * Default both.
   */
  readonly serves?: { readonly api: boolean; readonly webhooks: boolean };
}

const requestIdPattern = /^[A-Za-z0-9._-]{1,64}$/;
const traceparentPattern = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;

/** The trace id of a valid `traceparent` header (W3C Trace Context), else null. */
export function traceIdOf(header: string | string[] | undefined): string | null {
  const id = typeof header === "string" ? traceparentPattern.exec(header.trim())?.[1] : undefined;
  return id === undefined || /^0+$/.test(id) ? null : id;
}

/** Builds the HTTP surface: auth routes, JWKS, OpenAPI, health, readiness and metrics. */
export async function buildHttpServer(deps: HttpServerDeps): Promise<FastifyInstance> {
  const app = (fastify as unknown as (options: object) => FastifyInstance)({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: deps.limits.httpBodyBytesMax,
    trustProxy: deps.trustProxy,
    // A caller's request id is kept when it is safe to log; otherwise we mint one.
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && requestIdPattern.test(given) ? given : randomUUID();
    },
    // Hot paths never log per request at the default level; errors are logged where they are mapped.
    logController: new LogController({ requestIdLogLabel: "requestId", disableRequestLogging: true }),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false } },
    ...(deps.tls ? { https: { cert: deps.tls.cert, key: deps.tls.key, minVersion: "TLSv1.3" } } : {}),
  });

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: { title: "Croupier HTTP API", version: deps.version, description: "Accounts and sessions. Errors follow docs/ERRORS.md." },
      components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
    },
  });

  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
    // A caller's W3C trace context: its trace id goes on every line of the request, to join our logs to its traces.
    const traceId = traceIdOf(request.headers.traceparent);
    if (traceId !== null) request.log = request.log.child({ traceId });
  });
  // Error bodies carry their registry code; counted here, where every error response passes.
  app.addHook("onSend", async (_request, reply, payload) => {
    if (reply.statusCode >= 400 && typeof payload === "string") {
      const code = /"code":"(CROUPIER_ERR_[A-Z0-9_]+)"/.exec(payload)?.[1];
      if (code !== undefined) deps.metrics.errors.inc({ code });
    }
    return payload;
  });
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    deps.metrics.requestDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    if (reply.statusCode >= 500) request.log.warn({ status: reply.statusCode, route }, "request completed with server error");
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((_request, reply) => sendError(reply, "ROUTE_NOT_FOUND"));

  const serves = deps.serves ?? { api: true, webhooks: true };
  if (serves.api) registerAuthRoutes(app, deps.auth);
  if (deps.money !== undefined) {
    const money = { ...deps.money, auth: deps.auth };
    if (serves.api) {
      registerWalletRoutes(app, money);
      registerOperatorRoutes(app, money);
    }
    await registerPaymentsRoutes(app, money, serves);
  }

  app.get("/.well-known/jwks.json", { schema: { tags: ["auth"], summary: "Public keys that verify access tokens" } }, async () => deps.jwks());
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  app.get("/healthz", { schema: { tags: ["ops"], summary: "The process is up" } }, async () => ({ status: "ok" }));
  app.get("/readyz", { schema: { tags: ["ops"], summary: "Database (and Redis in production) reachable" } }, async (_request, reply) => {
    const report = await deps.readiness();
    return reply.code(report.ready ? 200 : 503).send(report);
  });
  app.get("/metrics", { schema: { tags: ["ops"], summary: "Prometheus metrics" } }, async (_request, reply) => {
    return reply.header("content-type", deps.metrics.registry.contentType).send(await (deps.metricsText ?? (() => deps.metrics.registry.metrics()))());
  });
  return app;
}
