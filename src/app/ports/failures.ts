/**
 * The app layer's error policy. A refusal the rules expect is a status, never an exception. What is
 * thrown is one of two things: a backing service that did not answer (the database, Redis) — a
 * retryable `SERVICE_UNAVAILABLE` — or a bug, answered `INTERNAL`, logged with its stack and counted
 * (`croupier_internal_errors_total`), never disguised as an outage.
 */

const busyCode = "CROUPIER_BUSY";

/**
 * PostgreSQL: insufficient resources (53…), statement timeout (57014), admin shutdown and "cannot
 * connect now" (57P01, 57P03), a serialization failure or deadlock still there after the store's own
 * retries (40001, 40P01), a lock not available (55P03), and every connection exception (class 08);
 * sockets refused, reset or timed out; a store of ours whose queue is full (`CROUPIER_BUSY`).
 */
const unavailableCodes = new Set([
  "53000",
  "53100",
  "53200",
  "53300",
  "57014",
  "57P01",
  "57P03",
  "40001",
  "40P01",
  "55P03",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  busyCode,
]);

/**
 * Messages of drivers that throw without a code: pg's lost connection, its client queried again after
 * losing it (the next statement of a transaction whose server restarted) and its pool wait,
 * ioredis's closed connection.
 */
const unavailableMessages = [
  /^Connection terminated/,
  /^Client has encountered a connection error and is not queryable$/,
  /^timeout exceeded when trying to connect/,
  /^Connection is closed\.$/,
];

/** Whether `error` says a backing service is unavailable (retry later), rather than that something is wrong. */
export function isServiceUnavailable(error: unknown): boolean {
  if (error === null || typeof error !== "object") return false;
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === "string" && (unavailableCodes.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  // ioredis: a command on a connection that is down, or one that ran out of reconnection attempts.
  if (name === "MaxRetriesPerRequestError") return true;
  return typeof message === "string" && unavailableMessages.some((pattern) => pattern.test(message));
}

/** An error for "this process is too far behind right now; retry" (a full queue), which isServiceUnavailable recognises. */
export function busyError(message: string): Error {
  return Object.assign(new Error(message), { code: busyCode });
}
