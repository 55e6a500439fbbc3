// Hardening of the HTTP surface (docs/SECURITY.md): security headers on every answer, no-store on
// token responses, /metrics behind a token or on a listener of its own, HSTS only over TLS.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { createShared, startTestServer, type Shared } from "../support/server.js";
import { call } from "../support/http.js";
import { ifAssigned } from "../support/fixtures.js";
import { wire } from "../support/wire.js";
import { Type } from "@sinclair/typebox";
import { TokenPair } from "../../src/protocol/auth.schemas.js";

const password = "correct horse battery";
const metricsToken = "metrics-token-0123456789";

describe("security headers and /metrics (embedded, TLS)", () => {
  let shared: Shared;
  let server: RunningServer;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "croupier-tls-"));
    const cert = join(dir, "cert.pem");
    const key = join(dir, "key.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        key,
        "-out",
        cert,
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
      ],
      { stdio: "ignore" },
    );
    shared = await createShared("embedded");
    server = await startTestServer(shared, ["--metrics-port", "0", "--metrics-token", metricsToken, "--tls-cert-file", cert, "--tls-key-file", key]);
  });
  afterAll(async () => {
    await ifAssigned(server)?.close();
    await ifAssigned(shared)?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The self-signed certificate of this test is trusted for these calls only. */
  const https = (method: string, path: string, body?: unknown) =>
    new Promise<{ status: number; headers: Record<string, unknown>; body: unknown }>((resolve, reject) => {
      const req = request(
        `${server.url}${path}`,
        { method, rejectUnauthorized: false, headers: body === undefined ? {} : { "content-type": "application/json" } },
        (res) => {
          let text = "";
          res.on("data", (chunk: Buffer) => {
            text += chunk.toString();
          });
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text.startsWith("{") ? (JSON.parse(text) as unknown) : text }),
          );
        },
      );
      req.on("error", reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });

  it("token responses are never stored; every answer carries nosniff, frame-ancestors and HSTS", async () => {
    const username = `sec${Date.now().toString(36)}`;
    expect((await https("POST", "/v1/auth/register", { username, password })).status).toBe(201);
    const login = await https("POST", "/v1/auth/login", { login: username, password });
    expect(login.status).toBe(200);
    const refreshed = await https("POST", "/v1/auth/refresh", { refreshToken: wire(Type.Pick(TokenPair, ["refreshToken"]), login.body).refreshToken });
    expect(refreshed.status).toBe(200);
    const refused = await https("POST", "/v1/auth/login", { login: username, password: "wrong password!" });
    expect(refused.status).toBe(401);
    for (const response of [login, refreshed, refused]) {
      expect(response.headers["cache-control"]).toBe("no-store");
      expect(response.headers.pragma).toBe("no-cache");
    }
    for (const path of ["/healthz", "/v1/nothing-here", "/.well-known/jwks.json"]) {
      const response = await https("GET", path);
      expect(response.headers["x-content-type-options"]).toBe("nosniff");
      expect(response.headers["content-security-policy"]).toBe("frame-ancestors 'none'");
      expect(response.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
    }
    // Public keys may be cached: only the API under /v1/ is no-store.
    expect((await https("GET", "/.well-known/jwks.json")).headers["cache-control"]).toBeUndefined();
  });

  it("serves /metrics only on metricsPort, behind its bearer token", async () => {
    expect((await https("GET", "/metrics")).status).toBe(404);
    const metricsUrl = server.metricsUrl as string;
    const missing = await call(metricsUrl, "GET", "/metrics");
    expect([missing.status, (missing.body as { code: string }).code]).toEqual([401, "CROUPIER_ERR_METRICS_TOKEN_INVALID"]);
    expect(missing.headers.get("www-authenticate")).toBe("Bearer");
    // The metrics listener is plain HTTP on an internal address: no HSTS there.
    expect(missing.headers.get("strict-transport-security")).toBeNull();
    expect((await call(metricsUrl, "GET", "/metrics", { token: `${metricsToken}x` })).status).toBe(401);
    const ok = await call<string>(metricsUrl, "GET", "/metrics", { token: metricsToken });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain("croupier_process_cpu_seconds_total");
  });
});
