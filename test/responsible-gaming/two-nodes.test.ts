// Two production nodes sharing PostgreSQL and Redis: a time-out taken on one node closes every socket
// of the player on both (4003) and refuses the player's tokens and logins everywhere. Each node trusts
// a live session for 60 s, so only the revocations on the bus can make node B act at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { serviceAvailable } from "../support/services.js";
import { createShared, startTestServer, type Shared } from "../support/server.js";
import { call } from "../support/http.js";
import { TestSocket, type Message } from "../support/ws-client.js";
import { ifAssigned } from "../support/fixtures.js";

const password = "correct horse battery";

describe.skipIf(!(serviceAvailable("postgres") && serviceAvailable("redis")))("self-exclusion across two nodes (production)", () => {
  let shared: Shared;
  let a: RunningServer;
  let b: RunningServer;
  beforeAll(async () => {
    shared = await createShared("production");
    a = await startTestServer(shared, ["--session-revocation-cache-ms", "60000", "--reality-check-interval-ms", "1000"]);
    b = await startTestServer(shared, ["--session-revocation-cache-ms", "60000", "--reality-check-interval-ms", "1000"]);
  });
  afterAll(async () => {
    await ifAssigned(a)?.close();
    await ifAssigned(b)?.close();
    await ifAssigned(shared)?.dispose();
  });

  const login = async (node: RunningServer, username: string) =>
    (await call<{ accessToken: string }>(node.url, "POST", "/v1/auth/login", { body: { login: username, password } })).body.accessToken;

  it("closes all sessions on both nodes with 4003 and refuses the player everywhere", async () => {
    const username = `twonodes${Date.now().toString(36)}`;
    expect((await call(a.url, "POST", "/v1/auth/register", { body: { username, password } })).status).toBe(201);
    // Three sessions (two logins on A, one on B) and sockets on both nodes, some crossing nodes.
    const tokens = [await login(a, username), await login(a, username), await login(b, username)];
    const sockets = await Promise.all([
      TestSocket.authenticated(a.url, tokens[0]!),
      TestSocket.authenticated(b.url, tokens[0]!),
      TestSocket.authenticated(b.url, tokens[1]!),
      TestSocket.authenticated(a.url, tokens[2]!),
      TestSocket.authenticated(b.url, tokens[2]!),
    ]);
    // Each node has seen every token as live, so without the bus it would keep trusting them for 60 s.
    for (const node of [a, b]) for (const token of tokens) expect((await call(node.url, "GET", "/v1/me", { token })).status).toBe(200);

    const bystander = `bystander${Date.now().toString(36)}`;
    await call(a.url, "POST", "/v1/auth/register", { body: { username: bystander, password } });
    const bystanderSocket = await TestSocket.authenticated(b.url, await login(b, bystander));

    const taken = await call(a.url, "POST", "/v1/responsible-gaming/exclusions", { token: tokens[0], body: { kind: "time_out", days: 1 } });
    expect(taken.status).toBe(200);
    const codes = await Promise.all(sockets.map((s) => s.waitClosed(3_000)));
    expect(codes).toEqual([4003, 4003, 4003, 4003, 4003]);
    for (const node of [a, b]) {
      for (const token of tokens) expect((await call(node.url, "GET", "/v1/me", { token })).body.code).toBe("CROUPIER_ERR_AUTH_SESSION_REVOKED");
      const refused = await call(node.url, "POST", "/v1/auth/login", { body: { login: username, password } });
      expect([refused.status, refused.body.code]).toEqual([403, "CROUPIER_ERR_RG_EXCLUDED"]);
    }
    // Nobody else was touched.
    expect(bystanderSocket.closeCode).toBeNull();
    bystanderSocket.close();
  });

  it("sends each reality check of a session once, though both nodes hold a socket of it", async () => {
    const username = `reality${Date.now().toString(36)}`;
    const registered = await call<{ id: string }>(a.url, "POST", "/v1/auth/register", { body: { username, password } });
    const token = await login(a, username);
    const room = `user:${registered.body.id}`;
    const sockets = [await TestSocket.authenticated(a.url, token), await TestSocket.authenticated(b.url, token)];
    for (const s of sockets) expect((await s.request({ type: "join", room })).type).toBe("joined");
    const isCheck = (m: Message) => m.type === "event" && m.room === room && m.kind === "reality.check";
    await sockets[0]!.waitFor((m) => isCheck(m) && (m.data as { playedMs: number }).playedMs >= 3_000, 8_000);
    const intervals = sockets[0]!.messages.filter(isCheck).map((m) => Math.floor((m.data as { playedMs: number }).playedMs / 1_000));
    expect(intervals.length).toBeGreaterThanOrEqual(2);
    expect(new Set(intervals).size).toBe(intervals.length);
    for (const s of sockets) s.close();
  });
});
