// `croupier serve` as a real process: restarts, a hard kill, key rotation and TLS.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { request } from "node:https";
import { TLSSocket } from "node:tls";
import { decodeProtectedHeader } from "jose";
import { migratedDataDir, runCroupier, serveCroupier } from "../support/process.js";
import { call } from "../support/http.js";

// Each test starts from a migrated embedded database (the first start in an empty folder is test/cli/cli.test.ts's).
const tempDir = () => migratedDataDir("croupier-serve-");
const password = "correct horse battery";

describe("croupier serve (embedded mode)", () => {
  it("keeps accounts, sessions and keys across a restart and across kill -9", async () => {
    const dataDir = tempDir();
    let server = await serveCroupier(["--data-dir", dataDir]);
    expect(server.output()).toContain("plain HTTP");
    expect((await call(server.url, "POST", "/v1/auth/register", { body: { username: "ruth", password } })).status).toBe(201);
    const login = await call<{ accessToken: string }>(server.url, "POST", "/v1/auth/login", { body: { login: "ruth", password } });
    expect(await server.stop("SIGTERM")).toBe(0);

    server = await serveCroupier(["--data-dir", dataDir]);
    // The access token minted before the restart still verifies: same key, same session row.
    expect((await call(server.url, "GET", "/v1/me", { token: login.body.accessToken })).body.username).toBe("ruth");
    // Acknowledged, then killed without a chance to flush anything.
    expect((await call(server.url, "POST", "/v1/auth/register", { body: { username: "sam", password } })).status).toBe(201);
    await server.stop("SIGKILL");

    server = await serveCroupier(["--data-dir", dataDir]);
    try {
      expect((await call(server.url, "POST", "/v1/auth/login", { body: { login: "sam", password } })).status).toBe(200);
      expect((await call(server.url, "POST", "/v1/auth/login", { body: { login: "ruth", password } })).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it("rotates signing keys: new tokens use the new key, old tokens keep verifying", async () => {
    const dataDir = tempDir();
    const server = await serveCroupier(["--data-dir", dataDir]);
    try {
      await call(server.url, "POST", "/v1/auth/register", { body: { username: "tess", password } });
      const before = await call<{ accessToken: string }>(server.url, "POST", "/v1/auth/login", { body: { login: "tess", password } });
      const rotated = await runCroupier(["keys", "rotate", "--data-dir", dataDir]);
      expect(rotated.code).toBe(0);
      server.child.kill("SIGHUP");
      let jwks = { keys: [] as unknown[] };
      for (let i = 0; i < 50 && jwks.keys.length < 2; i++) {
        await new Promise((r) => setTimeout(r, 100));
        jwks = (await call<{ keys: unknown[] }>(server.url, "GET", "/.well-known/jwks.json")).body;
      }
      expect(jwks.keys).toHaveLength(2);
      const after = await call<{ accessToken: string }>(server.url, "POST", "/v1/auth/login", { body: { login: "tess", password } });
      expect(decodeProtectedHeader(after.body.accessToken).kid).not.toBe(decodeProtectedHeader(before.body.accessToken).kid);
      expect((await call(server.url, "GET", "/v1/me", { token: before.body.accessToken })).status).toBe(200);
      expect((await call(server.url, "GET", "/v1/me", { token: after.body.accessToken })).status).toBe(200);

      // A SIGHUP while a key file is unreadable: the reload fails, is logged, and the node keeps serving.
      writeFileSync(join(dataDir, "keys", "broken.private.jwk.json"), "{ not json");
      server.child.kill("SIGHUP");
      for (let i = 0; i < 50 && !server.output().includes("background task failed"); i++) await new Promise((r) => setTimeout(r, 50));
      expect(server.output()).toContain("keys.reload");
      expect((await call(server.url, "GET", "/v1/me", { token: after.body.accessToken })).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it("serves HTTPS with TLS 1.3 as the minimum when a certificate is configured", async () => {
    const dir = tempDir();
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
    const server = await serveCroupier(["--data-dir", dir, "--tls-cert-file", cert, "--tls-key-file", key]);
    const get = (maxVersion: "TLSv1.2" | "TLSv1.3") =>
      new Promise<{ status?: number | undefined; protocol?: string | undefined; error?: string }>((resolve) => {
        const req = request(`${server.url}/healthz`, { rejectUnauthorized: false, maxVersion }, (res) => {
          const protocol = (res.socket instanceof TLSSocket ? res.socket.getProtocol() : null) ?? undefined;
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode, protocol }));
        });
        req.on("error", (error) => resolve({ error: error.message }));
        req.end();
      });
    try {
      expect(server.url).toMatch(/^https:/);
      expect(server.output()).toContain("(TLS 1.3 minimum)");
      expect(await get("TLSv1.3")).toEqual({ status: 200, protocol: "TLSv1.3" });
      const old = await get("TLSv1.2");
      expect(old.error).toBeDefined();
    } finally {
      await server.stop();
    }
  });
});
