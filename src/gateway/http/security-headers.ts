import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";

/**
 * Response headers every answer of this server carries, in one table so a later part (the web pages
 * served from `/` and `/console`) can add its own: a route that sets one of these headers itself
 * (its own Content-Security-Policy, its own Cache-Control for static files) keeps its value, because
 * these are set before the handler runs.
 */
export function securityHeaders(options: { readonly tls: boolean }): Readonly<Record<string, string>> {
  return {
    // Browsers must not guess a type other than the one we declare (a JSON body run as a script).
    "x-content-type-options": "nosniff",
    // Nothing of ours is meant to be framed: no clickjacking of the console or the player page.
    "content-security-policy": "frame-ancestors 'none'",
    "referrer-policy": "no-referrer",
    // HSTS only means something over TLS (RFC 6797 §7.2: ignored on plain HTTP); one year.
    ...(options.tls ? { "strict-transport-security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

/**
 * The API's answers hold tokens (RFC 6749 §5.1: "Cache-Control: no-store") and per-player data
 * (balances, history): no cache, shared or private, may keep them.
 */
const noStorePrefixes = ["/v1/"];

export function registerSecurityHeaders(app: FastifyInstance, options: { readonly tls: boolean }): void {
  const headers = securityHeaders(options);
  app.addHook("onRequest", async (request, reply) => {
    reply.headers(headers);
    if (noStorePrefixes.some((prefix) => request.url.startsWith(prefix))) reply.headers({ "cache-control": "no-store", pragma: "no-cache" });
  });
}

/** Compares a presented bearer token with the expected one in constant time (hashes first, so lengths do not leak). */
export function bearerMatches(header: string | undefined, expected: string): boolean {
  const presented = /^Bearer\s+(\S+)$/i.exec(header ?? "")?.[1];
  if (presented === undefined) return false;
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
