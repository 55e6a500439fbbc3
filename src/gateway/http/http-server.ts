import fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import swagger from "@fastify/swagger";
import type { Logger } from "pino";
import { randomUUID } from "node:crypto";
import type { AuthService } from "../../app/auth/auth.service.js";
import { handleError, sendError } from "./http-errors.js";
import type { HttpMetrics } from "./http-metrics.js";
import { registerAuthRoutes } from "./auth.routes.js";
import { registerAuditRoutes } from "./audit.routes.js";
import type { AuditTrail } from "../../app/audit/audit-trail.js";
import { registerOperatorRoutes } from "./operator.routes.js";
import { registerPaymentsRoutes, type PaymentsHttpDeps } from "./payments.routes.js";
import { registerWalletRoutes } from "./wallet.routes.js";
import { registerOperatorProtectionRoutes, registerPlayerProtectionRoutes } from "./responsible-gaming.routes.js";
import { registerRiskRoutes } from "./risk.routes.js";
import { registerOperatorBonusRoutes, registerPlayerBonusRoutes } from "./bonuses.routes.js";
import type { Bonuses } from "../../app/bonuses/index.js";
import type { RiskService } from "../../app/risk/index.js";
import type { ResponsibleGaming } from "../../app/responsible-gaming/responsible-gaming.service.js";
import { bearerMatches, registerSecurityHeaders } from "./security-headers.js";
import { registerWebStatic } from "./web-static.js";

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
  /**
   * Who may read /metrics: `token` (metricsToken) demands `Authorization: Bearer <token>`; `separate`
   * (metricsPort set) serves it only on its own listener (buildMetricsServer), not here.
   */
  readonly metricsAccess?: { readonly token: string | null; readonly separate: boolean };
  /** The wallet, payments and operator endpoints; absent in servers that only do accounts. */
  readonly money?: Omit<PaymentsHttpDeps, "auth">;
  /** Player limits, exclusions and operator locks (with `money`): their endpoints. */
  readonly risk?: RiskService;
  readonly protection?: ResponsibleGaming;
  /** Bonuses (with `money`): the player's and the operator's endpoints. */
  readonly bonuses?: Bonuses;
  /** The audit log of operator and dealer actions, and its endpoint. */
  readonly audit: AuditTrail;
  /** The built web pages served at / and /console (default dist/web); null serves none. */
  readonly webDir?: string | null;
  /**
   * Which endpoints besides health, readiness, metrics and JWKS this node serves: `api` the player and
   * operator API (the gateway role), `webhooks` the payment provider's webhooks (the payments role).
   * Default both.
   */
  readonly serves?: { readonly api: boolean; readonly webhooks: boolean };
}

/** Longer than any path parameter a schema accepts (round ids: 200), so the schema, not the router, refuses one. */
const pathParamCharsMax = 256;
const requestIdPattern = /^[A-Za-z0-9._-]{1,64}$/;
const traceparentPattern = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;

/** Whether a parsed input (params, query, JSON body) holds U+0000 anywhere: PostgreSQL text cannot store it. */
function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (typeof value !== "object" || value === null || depth > 32) return false;
  for (const [key, item] of Object.entries(value)) if (key.includes("\u0000") || holdsNul(item, depth + 1)) return true;
  return false;
}

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
    routerOptions: { maxParamLength: pathParamCharsMax },
    // What the router refuses before any route runs (a parameter above maxParamLength, a path that is
    // not valid percent-encoding) gets a registry code like everything else, not Fastify's own body.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      if (error.code === "FST_ERR_MAX_PARAM_LENGTH")
        return sendError(reply, "REQUEST_INVALID", { details: [`a path parameter is longer than ${pathParamCharsMax} characters`] });
      if (error.code === "FST_ERR_BAD_URL") return sendError(reply, "REQUEST_INVALID", { details: ["the path is not valid percent-encoding"] });
      return handleError(error, reply.request, reply);
    },
    ...(deps.tls ? { https: { cert: deps.tls.cert, key: deps.tls.key, minVersion: "TLSv1.3" } } : {}),
  });

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: { title: "Croupier HTTP API", version: deps.version, description: "Accounts and sessions. Errors follow docs/ERRORS.md." },
      components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
    },
  });

  registerSecurityHeaders(app, { tls: deps.tls !== null });
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
  // One rule for every route, before its schema: no NUL character in any text (the database refuses it).
  app.addHook("preValidation", async (request, reply) => {
    if (holdsNul(request.params) || holdsNul(request.query) || holdsNul(request.body))
      return sendError(reply, "REQUEST_INVALID", { details: ["text must not contain U+0000"] });
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((_request, reply) => sendError(reply, "ROUTE_NOT_FOUND"));

  const serves = deps.serves ?? { api: true, webhooks: true };
  if (serves.api) {
    registerAuthRoutes(app, deps.auth);
    registerAuditRoutes(app, { auth: deps.auth, audit: deps.audit });
  }
  if (deps.money !== undefined) {
    const money = { ...deps.money, auth: deps.auth };
    if (serves.api) {
      registerWalletRoutes(app, money);
      registerOperatorRoutes(app, { ...money, audit: deps.audit });
      if (deps.protection !== undefined) {
        const rg = { auth: deps.auth, protection: deps.protection, payments: money.payments, audit: deps.audit };
        registerPlayerProtectionRoutes(app, rg);
        registerOperatorProtectionRoutes(app, rg);
      }
      if (deps.risk !== undefined) registerRiskRoutes(app, { auth: deps.auth, risk: deps.risk, audit: deps.audit });
      if (deps.bonuses !== undefined) {
        const bonus = { auth: deps.auth, bonuses: deps.bonuses, payments: money.payments, audit: deps.audit };
        registerPlayerBonusRoutes(app, bonus);
        registerOperatorBonusRoutes(app, bonus);
      }
    }
    await registerPaymentsRoutes(app, money, serves);
  }

  if (deps.webDir !== null) await registerWebStatic(app, deps.webDir);

  app.get("/.well-known/jwks.json", { schema: { tags: ["auth"], summary: "Public keys that verify access tokens" } }, async () => deps.jwks());
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  app.get("/healthz", { schema: { tags: ["ops"], summary: "The process is up" } }, async () => ({ status: "ok" }));
  app.get("/readyz", { schema: { tags: ["ops"], summary: "Database (and Redis in production) reachable" } }, async (_request, reply) => {
    const report = await deps.readiness();
    return reply.code(report.ready ? 200 : 503).send(report);
  });
  if (deps.metricsAccess?.separate !== true) registerMetricsRoute(app, deps);
  return app;
}

/** GET /metrics, behind the metrics token when one is configured. */
export function registerMetricsRoute(app: FastifyInstance, deps: Pick<HttpServerDeps, "metrics" | "metricsText" | "metricsAccess">): void {
  const token = deps.metricsAccess?.token ?? null;
  app.get("/metrics", { schema: { tags: ["ops"], summary: "Prometheus metrics (a bearer token when metricsToken is set)" } }, async (request, reply) => {
    if (token !== null && !bearerMatches(request.headers.authorization, token))
      return sendError(reply.header("www-authenticate", "Bearer"), "METRICS_TOKEN_INVALID");
    return reply.header("content-type", deps.metrics.registry.contentType).send(await (deps.metricsText ?? (() => deps.metrics.registry.metrics()))());
  });
}

/** A listener of its own for /metrics (metricsPort), e.g. on an address only the monitoring network reaches. */
export function buildMetricsServer(deps: Pick<HttpServerDeps, "logger" | "metrics" | "metricsText" | "metricsAccess">): FastifyInstance {
  const app = (fastify as unknown as (options: object) => FastifyInstance)({
    loggerInstance: deps.logger as FastifyBaseLogger,
    logController: new LogController({ requestIdLogLabel: "requestId", disableRequestLogging: true }),
  });
  registerSecurityHeaders(app, { tls: false });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((_request, reply) => sendError(reply, "ROUTE_NOT_FOUND"));
  registerMetricsRoute(app, deps);
  return app;
}
