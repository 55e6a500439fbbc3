// The accounts API end to end over real HTTP, in both modes: embedded (PGlite, memory bus) and
// production (PostgreSQL, Redis).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SignJWT, generateKeyPair, decodeJwt } from "jose";
import type { RunningServer } from "../../src/main.js";
import { serviceAvailable } from "../support/services.js";
import { createShared, startTestServer, type Mode, type Shared } from "../support/server.js";
import { call } from "../support/http.js";
import { ifAssigned } from "../support/fixtures.js";

const password = "correct horse battery";

for (const mode of ["embedded", "production"] as Mode[]) {
  const available = mode === "embedded" || (serviceAvailable("postgres") && serviceAvailable("redis"));
  describe.skipIf(!available)(`accounts over HTTP (${mode})`, () => {
    let shared: Shared;
    let server: RunningServer;
    let base: string;
    let n = 0;
    const fresh = () => `user${++n}${Date.now().toString(36)}`;

    async function registerAndLogin(username = fresh(), deviceId = "dev-1") {
      const reg = await call(base, "POST", "/v1/auth/register", { body: { username, password } });
      expect(reg.status).toBe(201);
      const login = await call<{ accessToken: string; refreshToken: string; sessionId: string }>(base, "POST", "/v1/auth/login", {
        body: { login: username, password, deviceId },
      });
      expect(login.status).toBe(200);
      return { username, ...login.body };
    }

    beforeAll(async () => {
      shared = await createShared(mode);
      server = await startTestServer(shared, ["--login-failures-free", "3", "--login-ip-failures-free", "30", "--login-backoff-base-ms", "60000"]);
      base = server.url;
    });
    afterAll(async () => {
      await ifAssigned(server)?.close();
      await ifAssigned(shared)?.dispose();
    });

    it("registers, logs in, answers /v1/me and refreshes", async () => {
      const username = fresh();
      const reg = await call(base, "POST", "/v1/auth/register", { body: { username, email: `${username}@example.com`, password } });
      expect(reg.status).toBe(201);
      expect(reg.body).toMatchObject({ username, email: `${username}@example.com`, roles: ["player"] });
      expect(JSON.stringify(reg.body)).not.toContain("argon2");

      const login = await call<{ accessToken: string; refreshToken: string; sessionId: string }>(base, "POST", "/v1/auth/login", {
        body: { login: `${username.toUpperCase()}@example.com`, password, deviceId: "phone-7" },
      });
      expect(login.status).toBe(200);
      const claims = decodeJwt(login.body.accessToken);
      expect(claims).toMatchObject({ sub: reg.body.id, roles: ["player"], sid: login.body.sessionId, did: "phone-7", iss: "croupier", aud: "croupier" });
      expect((claims.exp as number) - (claims.iat as number)).toBe(900);

      const me = await call(base, "GET", "/v1/me", { token: login.body.accessToken });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ id: reg.body.id, username, sessionId: login.body.sessionId, deviceId: "phone-7" });

      const refreshed = await call<{ refreshToken: string; accessToken: string; sessionId: string }>(base, "POST", "/v1/auth/refresh", {
        body: { refreshToken: login.body.refreshToken },
      });
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.refreshToken).not.toBe(login.body.refreshToken);
      expect(refreshed.body.sessionId).toBe(login.body.sessionId);
      expect((await call(base, "GET", "/v1/me", { token: refreshed.body.accessToken })).status).toBe(200);
    });

    it("refuses a duplicate username and a weak password with their codes, creating nothing", async () => {
      const { username } = await registerAndLogin();
      const dup = await call(base, "POST", "/v1/auth/register", { body: { username: username.toUpperCase(), password } });
      expect(dup.status).toBe(409);
      expect(dup.body.code).toBe("CROUPIER_ERR_AUTH_ACCOUNT_EXISTS");
      const weak = await call(base, "POST", "/v1/auth/register", { body: { username: fresh(), password: "short" } });
      expect(weak.status).toBe(400);
      expect(weak.body.code).toBe("CROUPIER_ERR_AUTH_PASSWORD_POLICY");
      expect(weak.body.details).toContain("password must have at least 10 characters");
      const weakName = fresh();
      const containsName = await call(base, "POST", "/v1/auth/register", { body: { username: weakName, password: `${weakName}12345` } });
      expect(containsName.body.code).toBe("CROUPIER_ERR_AUTH_PASSWORD_POLICY");
      const retry = await call(base, "POST", "/v1/auth/login", { body: { login: weakName, password: `${weakName}12345` } });
      expect(retry.body.code).toBe("CROUPIER_ERR_AUTH_INVALID_CREDENTIALS");
    });

    it("rotates refresh tokens and revokes the whole session when a rotated token is reused", async () => {
      const { refreshToken, accessToken } = await registerAndLogin();
      const first = await call<{ refreshToken: string; accessToken: string }>(base, "POST", "/v1/auth/refresh", { body: { refreshToken } });
      expect(first.status).toBe(200);
      const reuse = await call(base, "POST", "/v1/auth/refresh", { body: { refreshToken } });
      expect(reuse.status).toBe(401);
      expect(reuse.body.code).toBe("CROUPIER_ERR_AUTH_REFRESH_REUSED");
      // The thief's reuse also kills the legitimate holder's newer tokens: the family is revoked.
      const newer = await call(base, "POST", "/v1/auth/refresh", { body: { refreshToken: first.body.refreshToken } });
      expect(newer.body.code).toBe("CROUPIER_ERR_AUTH_SESSION_REVOKED");
      for (const token of [accessToken, first.body.accessToken]) {
        const me = await call(base, "GET", "/v1/me", { token });
        expect(me.body.code).toBe("CROUPIER_ERR_AUTH_SESSION_REVOKED");
      }
      const unknown = await call(base, "POST", "/v1/auth/refresh", { body: { refreshToken: "not-a-token" } });
      expect(unknown.body.code).toBe("CROUPIER_ERR_AUTH_REFRESH_INVALID");
    });

    it("logout revokes the access token and the refresh token at once", async () => {
      const { accessToken, refreshToken } = await registerAndLogin();
      const out = await call(base, "POST", "/v1/auth/logout", { token: accessToken });
      expect(out.status).toBe(204);
      expect((await call(base, "GET", "/v1/me", { token: accessToken })).body.code).toBe("CROUPIER_ERR_AUTH_SESSION_REVOKED");
      expect((await call(base, "POST", "/v1/auth/refresh", { body: { refreshToken } })).body.code).toBe("CROUPIER_ERR_AUTH_SESSION_REVOKED");
    });

    it("gives the same answer for an unknown user and a wrong password, then backs off per account", async () => {
      const { username } = await registerAndLogin();
      const unknown = await call(base, "POST", "/v1/auth/login", { body: { login: `nobody-${fresh()}`, password } });
      const wrong = await call(base, "POST", "/v1/auth/login", { body: { login: username, password: "wrong password!" } });
      expect(unknown.status).toBe(401);
      expect(wrong.status).toBe(401);
      expect(unknown.body.code).toBe(wrong.body.code);
      expect(unknown.body.message).toBe(wrong.body.message);
      for (let i = 0; i < 3; i++) await call(base, "POST", "/v1/auth/login", { body: { login: username, password: "wrong password!" } });
      // The third failed attempt used up loginFailuresFree (3): from now on even the right password waits.
      const throttled = await call(base, "POST", "/v1/auth/login", { body: { login: username, password } });
      expect(throttled.status).toBe(429);
      expect(throttled.body.code).toBe("CROUPIER_ERR_AUTH_THROTTLED");
      expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThanOrEqual(59);
      // Another account from the same address is not locked by it.
      const other = await registerAndLogin();
      expect(other.accessToken).toBeTruthy();
    });

    it("refuses each kind of bad token with its own code", async () => {
      const { accessToken } = await registerAndLogin();
      const [header, payload] = accessToken.split(".") as [string, string, string];
      const { kid } = JSON.parse(Buffer.from(header, "base64url").toString()) as { kid: string };
      const claims = decodeJwt(accessToken);
      const { privateKey: otherKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
      const sign = (h: Record<string, unknown>, body: Record<string, unknown> = claims) =>
        new SignJWT(body).setProtectedHeader(h as { alg: string }).sign(otherKey);
      const none = `${Buffer.from(JSON.stringify({ alg: "none", kid })).toString("base64url")}.${payload}.`;
      const expired = await sign({ alg: "EdDSA", kid }, { ...claims, exp: Math.floor(Date.now() / 1000) - 60 });
      const cases: Array<[string | undefined, string]> = [
        [undefined, "CROUPIER_ERR_AUTH_TOKEN_MISSING"],
        ["garbage", "CROUPIER_ERR_AUTH_TOKEN_MALFORMED"],
        [`${header}.${payload}.AAAA`, "CROUPIER_ERR_AUTH_TOKEN_SIGNATURE_INVALID"],
        [await sign({ alg: "EdDSA", kid }), "CROUPIER_ERR_AUTH_TOKEN_SIGNATURE_INVALID"],
        [await sign({ alg: "EdDSA", kid: "no-such-key" }), "CROUPIER_ERR_AUTH_TOKEN_KEY_UNKNOWN"],
        [await sign({ alg: "EdDSA" }), "CROUPIER_ERR_AUTH_TOKEN_KEY_UNKNOWN"],
        [none, "CROUPIER_ERR_AUTH_TOKEN_ALG_UNSUPPORTED"],
        [expired, "CROUPIER_ERR_AUTH_TOKEN_SIGNATURE_INVALID"],
      ];
      for (const [token, code] of cases) {
        const response = await call(base, "GET", "/v1/me", token === undefined ? {} : { token });
        expect([token?.slice(0, 20), response.status, response.body.code]).toEqual([token?.slice(0, 20), 401, code]);
        expect(typeof response.body.requestId).toBe("string");
      }
    });

    it("refuses malformed, oversized and ill-typed requests with their codes and changes nothing", async () => {
      const username = fresh();
      const cases: Array<[{ body?: unknown; rawBody?: string; headers?: Record<string, string> }, number, string]> = [
        [{ rawBody: '{"username":' }, 400, "CROUPIER_ERR_REQUEST_MALFORMED_JSON"],
        [{ rawBody: "" }, 400, "CROUPIER_ERR_REQUEST_MALFORMED_JSON"],
        [{ body: { username, password, isAdmin: true } }, 400, "CROUPIER_ERR_REQUEST_INVALID"],
        [{ body: { username, password, roles: ["operator"] } }, 400, "CROUPIER_ERR_REQUEST_INVALID"],
        [{ body: { username } }, 400, "CROUPIER_ERR_REQUEST_INVALID"],
        [{ body: { username: 12345, password } }, 400, "CROUPIER_ERR_REQUEST_INVALID"],
        [{ body: { username: "a b", password } }, 400, "CROUPIER_ERR_REQUEST_INVALID"],
        [{ body: [username, password] }, 400, "CROUPIER_ERR_REQUEST_INVALID"],
        [{ body: { username, password: "x".repeat(70_000) } }, 413, "CROUPIER_ERR_REQUEST_TOO_LARGE"],
        [{ rawBody: "username=a", headers: { "content-type": "application/x-www-form-urlencoded" } }, 415, "CROUPIER_ERR_REQUEST_UNSUPPORTED_MEDIA_TYPE"],
      ];
      for (const [options, status, code] of cases) {
        const response = await call(base, "POST", "/v1/auth/register", options);
        expect([status, code]).toEqual([response.status, response.body.code]);
        expect(response.headers.get("x-request-id")).toBe(response.body.requestId);
      }
      const login = await call(base, "POST", "/v1/auth/login", { body: { login: username, password } });
      expect(login.body.code).toBe("CROUPIER_ERR_AUTH_INVALID_CREDENTIALS");
      const notFound = await call(base, "GET", "/v1/nothing-here");
      expect([notFound.status, notFound.body.code]).toEqual([404, "CROUPIER_ERR_ROUTE_NOT_FOUND"]);
    });

    it("keeps a caller's safe request id and replaces an unsafe one", async () => {
      const kept = await call(base, "GET", "/v1/me", { headers: { "x-request-id": "trace-abc_123" } });
      expect(kept.body.requestId).toBe("trace-abc_123");
      const replaced = await call(base, "GET", "/v1/me", { headers: { "x-request-id": "bad id; drop" } });
      expect(replaced.body.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    });

    it("serves JWKS, OpenAPI, health, readiness and metrics", async () => {
      const jwks = await call<{ keys: Array<Record<string, string>> }>(base, "GET", "/.well-known/jwks.json");
      expect(jwks.body.keys.length).toBeGreaterThan(0);
      for (const key of jwks.body.keys) {
        expect(key).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA" });
        expect(key.d).toBeUndefined();
      }
      const openapi = await call<{ paths: Record<string, unknown> }>(base, "GET", "/openapi.json");
      expect(Object.keys(openapi.body.paths)).toEqual(
        expect.arrayContaining(["/v1/auth/register", "/v1/auth/login", "/v1/auth/refresh", "/v1/auth/logout", "/v1/me"]),
      );
      expect((await call(base, "GET", "/healthz")).status).toBe(200);
      const ready = await call<{ ready: boolean; checks: Record<string, string> }>(base, "GET", "/readyz");
      expect(ready.body.ready).toBe(true);
      expect(Object.keys(ready.body.checks).sort()).toEqual(
        mode === "production" ? ["database", "gateway", "jobs", "payments", "redis", "tables"] : ["database", "gateway", "jobs", "payments", "tables"],
      );
      const metrics = await fetch(`${base}/metrics`).then((r) => r.text());
      expect(metrics).toMatch(/croupier_http_request_duration_seconds_bucket\{[^}]*route="\/healthz",status_code="200"/);
      expect(metrics).toContain("croupier_process_cpu_seconds_total");
    });

    const statuses = (responses: ReadonlyArray<{ status: number }>) => {
      const counts = new Map<number, number>();
      for (const r of responses) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
      return counts;
    };

    it("evaluates at most loginFailuresFree of 150 guesses sent at once, the right password among them", async () => {
      const { username } = await registerAndLogin();
      const guesses = Array.from({ length: 150 }, (_, i) => (i === 149 ? password : `wrong password ${i}`));
      const responses = await Promise.all(guesses.map((guess) => call(base, "POST", "/v1/auth/login", { body: { login: username, password: guess } })));
      const counts = statuses(responses);
      // Evaluated guesses answer 401 (or 200 for the right one); the rest are refused before any hashing.
      expect((counts.get(401) ?? 0) + (counts.get(200) ?? 0)).toBeLessThanOrEqual(3);
      expect(counts.get(429)).toBeGreaterThanOrEqual(147);
      expect([...counts.keys()].every((status) => [200, 401, 429].includes(status))).toBe(true);
    });

    // Last: it locks this client address for the rest of the server's life.
    it("evaluates at most loginIpFailuresFree of 150 guesses at once from one address, across accounts", async () => {
      const responses = await Promise.all(
        Array.from({ length: 150 }, (_, i) => call(base, "POST", "/v1/auth/login", { body: { login: `nobody-${i}-${fresh()}`, password } })),
      );
      const counts = statuses(responses);
      // Earlier tests of this server already spent part of the address's budget of 30.
      expect(counts.get(401) ?? 0).toBeLessThanOrEqual(30);
      expect((counts.get(401) ?? 0) + (counts.get(429) ?? 0)).toBe(150);
      expect(counts.get(429)).toBeGreaterThanOrEqual(120);
    });
  });
}
