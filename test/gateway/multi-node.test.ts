// Two production nodes sharing PostgreSQL and Redis: tokens and revocations cross nodes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { serviceAvailable } from "../support/services.js";
import { createShared, startTestServer, type Shared } from "../support/server.js";
import { call } from "../support/http.js";
import { ifAssigned } from "../support/fixtures.js";

const password = "correct horse battery";

describe.skipIf(!(serviceAvailable("postgres") && serviceAvailable("redis")))("two nodes (production)", () => {
  let shared: Shared;
  let a: RunningServer;
  let b: RunningServer;
  beforeAll(async () => {
    shared = await createShared("production");
    // A long cache on both nodes: only the Redis message can make node B notice the logout quickly.
    a = await startTestServer(shared, ["--session-revocation-cache-ms", "60000", "--login-failures-free", "2", "--login-backoff-base-ms", "60000"]);
    b = await startTestServer(shared, ["--session-revocation-cache-ms", "60000", "--login-failures-free", "2", "--login-backoff-base-ms", "60000"]);
  });
  afterAll(async () => {
    await ifAssigned(a)?.close();
    await ifAssigned(b)?.close();
    await ifAssigned(shared)?.dispose();
  });

  it("accepts a token minted by one node on the other, and a logout on one is honoured by the other", async () => {
    await call(a.url, "POST", "/v1/auth/register", { body: { username: "nina", password } });
    const login = await call<{ accessToken: string }>(b.url, "POST", "/v1/auth/login", { body: { login: "nina", password } });
    expect((await call(a.url, "GET", "/v1/me", { token: login.body.accessToken })).status).toBe(200);
    expect((await call(b.url, "GET", "/v1/me", { token: login.body.accessToken })).status).toBe(200);
    expect((await call(a.url, "POST", "/v1/auth/logout", { token: login.body.accessToken })).status).toBe(204);
    let code: unknown;
    for (let i = 0; i < 50; i++) {
      code = (await call(b.url, "GET", "/v1/me", { token: login.body.accessToken })).body.code;
      if (code === "CROUPIER_ERR_AUTH_SESSION_REVOKED") break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(code).toBe("CROUPIER_ERR_AUTH_SESSION_REVOKED");
  });

  it("shares login back-off across nodes", async () => {
    await call(a.url, "POST", "/v1/auth/register", { body: { username: "otto", password } });
    await call(a.url, "POST", "/v1/auth/login", { body: { login: "otto", password: "wrong password 1" } });
    await call(b.url, "POST", "/v1/auth/login", { body: { login: "otto", password: "wrong password 2" } });
    await call(a.url, "POST", "/v1/auth/login", { body: { login: "otto", password: "wrong password 3" } });
    const locked = await call(b.url, "POST", "/v1/auth/login", { body: { login: "otto", password } });
    expect(locked.body.code).toBe("CROUPIER_ERR_AUTH_THROTTLED");
  });
});
