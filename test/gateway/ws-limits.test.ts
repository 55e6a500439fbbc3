// Limits and faults on the WebSocket: slow consumers, floods, revoked sessions, expired tokens, fuzz.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { createShared, startTestServer, type Shared } from "../support/server.js";
import { newPlayer, TestSocket } from "../support/ws-client.js";
import { call } from "../support/http.js";
import { JoseTokenIssuer } from "../../src/adapters/node/tokens.jose.js";
import { systemClock } from "../../src/adapters/node/clock.system.js";
import { ifAssigned } from "../support/fixtures.js";

describe("WebSocket limits (embedded)", () => {
  let shared: Shared;
  let server: RunningServer;
  let base: string;
  const sockets: TestSocket[] = [];
  const track = (s: TestSocket) => (sockets.push(s), s);

  beforeAll(async () => {
    shared = await createShared("embedded");
    server = await startTestServer(shared, ["--messages-per-second-max", "10000", "--send-queue-bytes-max", "65536", "--edge-buffer-entries-max", "100"]);
    base = server.url;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await ifAssigned(server)?.close();
    await ifAssigned(shared)?.dispose();
  });

  it("cuts off a client that stops reading with 4008 and keeps the room going for the others", async () => {
    const room = `sandbox:slow${Date.now().toString(36)}`;
    const [p1, p2] = [await newPlayer(base), await newPlayer(base)];
    const slow = track(await TestSocket.authenticated(base, p1.token));
    const fast = track(await TestSocket.authenticated(base, p2.token));
    await slow.request({ type: "join", room });
    await fast.request({ type: "join", room });
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const text = "x".repeat(480);
    const total = 8_000;
    for (let i = 0; i < total; i++) {
      fast.send({ type: "action", id: `f${i}`, room, actionId: `f${i}`, lastOffset: 0, action: { kind: "note", text } });
      // Yield now and then so this process keeps reading its own socket: only the paused one is slow.
      if (i % 50 === 49) await new Promise((r) => setTimeout(r, 1));
    }
    await fast.waitFor((m) => m.type === "event" && m.offset === total, 60_000);
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await slow.waitClosed(20_000)).toBe(4008);
    expect(fast.events(room)).toHaveLength(total);
    const metrics = await fetch(`${base}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/croupier_ws_slow_consumer_disconnects_total [1-9]/);
  }, 90_000);

  it("keeps a member that reads when a burst of answers and events passes its send queue", async () => {
    const room = `sandbox:burst${Date.now().toString(36)}`;
    const player = await newPlayer(base);
    const socket = track(await TestSocket.authenticated(base, player.token));
    await socket.request({ type: "join", room });
    // 400 notes of 480 characters answered at once (about 400 KB, six times the 64 KiB send queue):
    // held bytes leave in pieces, so a member that reads is never cut off as a slow consumer.
    const text = "y".repeat(480);
    for (let i = 0; i < 400; i++) socket.send({ type: "action", id: `b${i}`, room, actionId: `b${i}`, lastOffset: 0, action: { kind: "note", text } });
    const notes = () => socket.events(room).filter((m) => m.kind === "note").length;
    for (let i = 0; i < 600 && notes() < 400 && socket.closeCode === null; i++) await new Promise((r) => setTimeout(r, 100));
    expect(socket.closeCode).toBeNull();
    expect(notes()).toBe(400);
  });

  it("closes the session's sockets with 4003 when it logs out", async () => {
    const player = await newPlayer(base);
    const socket = track(await TestSocket.authenticated(base, player.token));
    expect((await call(base, "POST", "/v1/auth/logout", { token: player.token })).status).toBe(204);
    expect(await socket.waitClosed()).toBe(4003);
  });

  it("closes a socket with 4002 when its access token expires", async () => {
    const player = await newPlayer(base);
    const me = await call<{ sessionId: string; deviceId: string; roles: ["player"] }>(base, "GET", "/v1/me", { token: player.token });
    const shortLived = new JoseTokenIssuer(() => server.services.keys.current(), systemClock, { issuer: "croupier", ttlSeconds: 1 });
    const { token } = await shortLived.issue({ userId: player.userId, roles: me.body.roles, sessionId: me.body.sessionId, deviceId: me.body.deviceId });
    const socket = track(await TestSocket.authenticated(base, token));
    expect(await socket.waitClosed(5_000)).toBe(4002);
  });

  it("closes a socket that never says hello with 4004", async () => {
    // Its own data folder: an embedded database belongs to one server at a time.
    const own = await createShared("embedded");
    const quick = await startTestServer(own, ["--auth-timeout-ms", "200"]);
    try {
      const socket = await TestSocket.open(quick.url);
      expect(await socket.waitClosed()).toBe(4004);
    } finally {
      await quick.close();
      await own.dispose();
    }
  });
});
