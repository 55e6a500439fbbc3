// The gateway's own figures at /metrics: frames and bytes out, error replies by code (WebSocket and
// HTTP), rooms and members by kind, and the fan-out time of each broadcast.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { createShared, startTestServer, type Shared } from "../support/server.js";
import { newPlayer, TestSocket } from "../support/ws-client.js";
import { call } from "../support/http.js";
import { ifAssigned } from "../support/fixtures.js";

const valueOf = (text: string, series: string): number => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? Number.NaN : Number(line.slice(series.length + 1));
};

describe("gateway metrics (embedded)", () => {
  let shared: Shared;
  let server: RunningServer;
  beforeAll(async () => {
    shared = await createShared("embedded");
    server = await startTestServer(shared, []);
  });
  afterAll(async () => {
    await ifAssigned(server)?.close();
    await ifAssigned(shared)?.dispose();
  });

  it("counts what was sent, refused and served", async () => {
    const base = server.url;
    const before = await fetch(`${base}/metrics`).then((r) => r.text());
    const [a, b] = [await newPlayer(base), await newPlayer(base)];
    const room = `sandbox:m${Date.now().toString(36)}`;
    const sa = await TestSocket.authenticated(base, a.token);
    const sb = await TestSocket.authenticated(base, b.token);
    await sa.request({ type: "join", room });
    await sb.request({ type: "join", room });
    await sa.request({ type: "action", room, actionId: "n1", lastOffset: 0, action: { kind: "note", text: "hi" } });
    await sb.waitFor((m) => m.kind === "note");
    const refused = await sa.request({ type: "action", room, actionId: "n2", lastOffset: 0, action: { kind: "nonsense" } });
    expect(refused.code).toBe("CROUPIER_ERR_ACTION_REJECTED");
    expect((await call(base, "GET", "/v1/me")).status).toBe(401);

    const after = await fetch(`${base}/metrics`).then((r) => r.text());
    expect(valueOf(after, "croupier_ws_messages_out_total")).toBeGreaterThan(valueOf(before, "croupier_ws_messages_out_total") + 4);
    expect(valueOf(after, "croupier_ws_bytes_out_total")).toBeGreaterThan(valueOf(before, "croupier_ws_bytes_out_total") + 100);
    expect(valueOf(after, 'croupier_ws_errors_total{code="CROUPIER_ERR_ACTION_REJECTED"}')).toBe(1);
    expect(valueOf(after, 'croupier_http_errors_total{code="CROUPIER_ERR_AUTH_TOKEN_MISSING"}')).toBe(1);
    expect(valueOf(after, 'croupier_rooms{kind="sandbox"}')).toBe(1);
    expect(valueOf(after, 'croupier_room_members{kind="sandbox"}')).toBe(2);
    expect(valueOf(after, "croupier_ws_broadcast_fanout_seconds_count")).toBeGreaterThanOrEqual(1);
    sa.close();
    sb.close();
  });
});
