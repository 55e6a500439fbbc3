/**
 * The app layer's error policy. A refusal the rules expect is a status, never an exception. What is
 * thrown is one of two things: a backing service that did not answer (the database, Redis) — a
 * retryable `SERVICE_UNAVAILABLE` — or a bug, answered `INTERNAL`, logged with its stack and counted
 * (`croupier_internal_errors_total`), never disguised as an outage.
 */

/** PostgreSQL "too many connections", "cannot connect now", admin shutdown; socket-level failures. */
const unavailableCodes = new Set(["53300", "57P01", "57P03", "08001", "08006", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT"]);

/** Whether `error` says a backing service is unavailable (retry later), rather than that something is wrong. */
export function isServiceUnavailable(error: unknown): boolean {
  if (error === null || typeof error !== "object") return false;
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === "string" && unavailableCodes.has(code)) return true;
  // ioredis: a command on a connection that is down, or one that ran out of reconnection attempts.
  return name === "MaxRetriesPerRequestError" || message === "Connection is closed.";
}
