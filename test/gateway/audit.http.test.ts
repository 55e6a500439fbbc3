// The audit log end to end: operator and dealer actions over HTTP and WebSocket (table controls,
// moderation) land in it with who, what, target, reason, outcome, address and request id; players'
// attempts and a dealer's heartbeats do not; operators read it in pages, players cannot.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import type { AuditEntry, AuditPage } from "../../src/protocol/audit.schemas.js";
import { call } from "../support/http.js";
import { createShared, startTestServer, type Shared } from "../support/server.js";
import { newPlayer, newStaff, TestSocket } from "../support/ws-client.js";
import { ifAssigned } from "../support/fixtures.js";
import { match } from "../support/matchers.js";

describe("audit log of operator and dealer actions (embedded)", () => {
  let shared: Shared;
  let server: RunningServer;
  beforeAll(async () => {
    shared = await createShared("embedded");
    server = await startTestServer(shared, [
      "--roulette-tables",
      "r1",
      "--live-tables",
      "l1",
      "--roulette-betting-ms",
      "60000",
      "--messages-per-second-max",
      "200",
    ]);
  });
  afterAll(async () => {
    await ifAssigned(server)?.close();
    await ifAssigned(shared)?.dispose();
  });

  /** Sends an action from the offset this socket has seen, again if it crossed a state change (ACTION_STALE), as a client does. */
  const act = async (socket: TestSocket, room: string, actionId: string, action: Record<string, unknown>) => {
    for (let attempt = 0; ; attempt++) {
      const lastOffset = Math.max(0, ...socket.messages.filter((m) => m.room === room && typeof m.offset === "number").map((m) => m.offset as number));
      const reply = await socket.request({ type: "action", room, actionId, lastOffset, action });
      if (reply.code !== "CROUPIER_ERR_ACTION_STALE" || attempt >= 5) return reply;
    }
  };
  const audit = (token: string, query = "") => call<AuditPage>(server.url, "GET", `/v1/operator/audit${query}`, { token });

  it("records staff actions over HTTP and WebSocket, and serves them to operators in pages", async () => {
    const operator = await newStaff(server, ["operator", "player"]);
    const dealer = await newStaff(server, ["dealer", "player"]);
    const player = await newPlayer(server.url);

    // HTTP: a table control with a caller's request id.
    const limits = await call(server.url, "POST", "/v1/operator/tables/roulette:r1/actions", {
      token: operator.token,
      body: { kind: "table.limits", roundStakeMax: "9.00" },
      headers: { "x-request-id": "audit-req-1" },
    });
    expect(limits.status).toBe(200);
    const voided = await call(server.url, "POST", "/v1/operator/tables/live:l1/actions", {
      token: operator.token,
      body: { kind: "round.void", reason: "camera down" },
    });
    expect(voided.status).toBeGreaterThanOrEqual(400);

    // WebSocket: a dealer closes the live table (audited), a heartbeat is not; an operator mutes a player.
    const dealerSocket = await TestSocket.authenticated(server.url, dealer.token);
    await dealerSocket.request({ type: "join", room: "live:l1" });
    expect(await act(dealerSocket, "live:l1", "hb1", { kind: "heartbeat" })).toMatchObject({ type: "ack" });
    expect(await act(dealerSocket, "live:l1", "close1", { kind: "table.close" })).toMatchObject({ type: "ack" });
    const operatorSocket = await TestSocket.authenticated(server.url, operator.token);
    await operatorSocket.request({ type: "join", room: "roulette:r1" });
    expect(await operatorSocket.request({ type: "moderate", room: "roulette:r1", op: "mute", userId: player.userId })).toMatchObject({ type: "ack" });
    // A player's attempt at a control is refused and is not a staff action.
    const playerSocket = await TestSocket.authenticated(server.url, player.token);
    await playerSocket.request({ type: "join", room: "roulette:r1" });
    expect(await act(playerSocket, "roulette:r1", "p1", { kind: "table.close" })).toMatchObject({ code: "CROUPIER_ERR_AUTH_FORBIDDEN" });

    const all = await audit(operator.token);
    expect(all.status).toBe(200);
    // An action that crossed a state change (ACTION_STALE) and was sent again is recorded each time, with its outcome.
    const done = all.body.entries.filter((e) => e.outcome !== "ACTION_STALE");
    const byAction = (action: string): AuditEntry[] => done.filter((e) => e.action === action);
    expect(done.map((e) => e.action)).toEqual(["chat.mute", "table.close", "round.void", "table.limits"]);
    expect(byAction("table.limits")[0]).toMatchObject({
      actorId: operator.userId,
      actorRoles: ["operator", "player"],
      target: "roulette:r1",
      reason: null,
      outcome: "applied",
      detail: { roundStakeMax: "9.00" },
      clientAddress: "127.0.0.1",
      requestId: "audit-req-1",
    });
    expect(byAction("round.void")[0]).toMatchObject({ target: "live:l1", reason: "camera down", outcome: match.stringMatching(/^[A-Z_]+$/) });
    expect(byAction("table.close")[0]).toMatchObject({
      actorId: dealer.userId,
      target: "live:l1",
      outcome: "applied",
      clientAddress: "127.0.0.1",
      detail: { actionId: "close1" },
    });
    expect(byAction("table.close")[0]?.requestId).toMatch(/\/r\d+$/);
    expect(byAction("chat.mute")[0]).toMatchObject({ actorId: operator.userId, target: "roulette:r1", detail: { userId: player.userId }, outcome: "applied" });
    for (const entry of all.body.entries) expect(Date.parse(entry.at)).toBeGreaterThan(Date.now() - 60_000);

    // Pages of two, newest first, together the whole log; filters.
    const paged: AuditEntry[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: AuditPage } = await audit(operator.token, `?limit=2${cursor === null ? "" : `&before=${cursor}`}`);
      expect(page.body.entries.length).toBeLessThanOrEqual(2);
      paged.push(...page.body.entries);
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(paged).toEqual(all.body.entries);
    expect((await audit(operator.token, `?actor=${dealer.userId}`)).body.entries.filter((e) => e.outcome !== "ACTION_STALE").map((e) => e.action)).toEqual([
      "table.close",
    ]);
    expect((await audit(operator.token, "?target=roulette:r1&action=table.limits")).body.entries).toHaveLength(1);

    // Players and dealers cannot read it; a cursor beyond any sequence number is refused, not a 500.
    expect((await audit(player.token)).status).toBe(403);
    expect((await audit(dealer.token)).status).toBe(403);
    const bad = await audit(operator.token, "?before=9999999999999999999");
    expect([bad.status, (bad.body as unknown as { code: string }).code]).toEqual([400, "CROUPIER_ERR_REQUEST_INVALID"]);
    for (const s of [dealerSocket, operatorSocket, playerSocket]) s.ws.close();
  });
});
