import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fastifyStatic from "@fastify/static";

/**
 * The built web pages (`npm run build:web`, run by `npm install`): `dist/web` beside `dist/gateway`. From
 * `src/gateway/http` (tsx) and `dist/gateway/http` (built) the same relative path reaches it.
 */
export const defaultWebDir = fileURLToPath(new URL("../../../dist/web/", import.meta.url));

/**
 * The pages' policy: scripts and styles only from files we serve (no `unsafe-inline`), API calls and the
 * WebSocket only to this origin ('self' covers ws/wss of the same host), media from anywhere secure for the
 * live dealer's stream, and no framing of the casino by another site.
 */
export const webContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "media-src 'self' https: blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Vite names every built asset after a hash of its content, so a file under /assets/ never changes. */
const hashedAssetPattern = /[/\\]assets[/\\][^/\\]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

/**
 * Serves the player site at `/` and the operator console at `/console` from the same port as the API.
 * Hashed assets are cached for a year; the two HTML entry points are revalidated on every load, so a new
 * build is picked up at once. Without a build (a checkout where `npm run build:web` never ran) nothing is
 * registered and the server says so once.
 */
export async function registerWebStatic(app: FastifyInstance, dir: string = defaultWebDir): Promise<boolean> {
  if (!existsSync(join(dir, "index.html"))) {
    app.log.warn({ dir }, "web pages not built (npm run build:web): / and /console are not served");
    return false;
  }
  await app.register(fastifyStatic, {
    root: dir,
    prefix: "/",
    wildcard: false,
    index: false,
    cacheControl: false,
    setHeaders(res, path) {
      if (hashedAssetPattern.test(path)) res.header("cache-control", "public, max-age=31536000, immutable");
      else res.header("cache-control", "no-cache");
      if (path.endsWith(".html")) res.header("content-security-policy", webContentSecurityPolicy);
    },
  });
  const page = (file: string) => ({ schema: { hide: true }, handler: async (_request: FastifyRequest, reply: FastifyReply) => reply.sendFile(file) });
  app.get("/", page("index.html"));
  app.get("/console", page("console/index.html"));
  app.get("/console/", page("console/index.html"));
  return true;
}
