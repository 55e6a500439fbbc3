import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { errors, type ErrorBody, type ErrorName } from "../../protocol/errors.js";

/** Sends a registry error as { code, message, requestId, details? } with its HTTP status. */
export function sendError(reply: FastifyReply, name: ErrorName, extra: { details?: readonly string[]; retryAfterMs?: number } = {}): FastifyReply {
  const spec = errors[name];
  const body: ErrorBody = { code: spec.code, message: spec.message, requestId: reply.request.id, ...(extra.details ? { details: extra.details } : {}) };
  if (extra.retryAfterMs !== undefined) reply.header("retry-after", Math.max(1, Math.ceil(extra.retryAfterMs / 1000)));
  reply.request.log.info({ code: spec.code, status: spec.httpStatus }, "request refused");
  return reply.code(spec.httpStatus).send(body);
}

/** The largest value of a PostgreSQL bigint: page cursors (transfer ids, sequence numbers) are bigints. */
const cursorMax = 9_223_372_036_854_775_807n;

/** A page cursor from a query string already matched against its digits-only schema, or null when out of bigint range. */
export function cursorOf(text: string): bigint | null {
  const value = BigInt(text);
  return value <= cursorMax ? value : null;
}

/** A date-time query value the schema accepted as RFC 3339, or null when JavaScript cannot represent it (a leap second, year 0). */
export function instantOf(text: string): Date | null {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

const unavailableCodes = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "57P01", "57P03", "53300", "08006", "08001"]);

/** Maps what Fastify and the drivers throw onto the registry; anything unexpected is INTERNAL and logged. */
export function classifyError(error: FastifyError & { code?: string }): { name: ErrorName; details?: string[] } {
  if (error.validation)
    return { name: "REQUEST_INVALID", details: error.validation.map((v) => `${v.instancePath || "body"} ${v.message ?? "is invalid"}`.trim()) };
  switch (error.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return { name: "REQUEST_MALFORMED_JSON" };
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return { name: "REQUEST_TOO_LARGE" };
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return { name: "REQUEST_UNSUPPORTED_MEDIA_TYPE" };
  }
  if (error instanceof SyntaxError && error.statusCode === 400) return { name: "REQUEST_MALFORMED_JSON" };
  if (unavailableCodes.has(error.code)) return { name: "SERVICE_UNAVAILABLE" };
  return { name: "INTERNAL" };
}

export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { name, details } = classifyError(error);
  if (name === "INTERNAL" || name === "SERVICE_UNAVAILABLE") request.log.error({ err: error, code: errors[name].code }, "request failed");
  return sendError(reply, name, details ? { details } : {});
}
