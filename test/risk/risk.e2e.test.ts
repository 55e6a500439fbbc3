// The risk engine end to end over real HTTP and WebSocket, embedded (PGlite, memory bus) and
// production (PostgreSQL, Redis): a micro-better is alerted, limited and locked by the rules alone;
// an operator sees why and reverses it; an operator's limit holds at the bet; and bets flow at full
// speed with the risk consumer stopped. Thresholds are lowered by flags so a test takes seconds.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { serviceAvailable } from "../support/services.js";
import { createShared, startTestServer, type Mode, type Shared } from "../support/server.js";
import { call } from "../support/http.js";
import { newPlayer, TestSocket, type Message } from "../support/ws-client.js";
import { newOperator, password, until } from "../payments/support.js";
import { ifAssigned } from "../support/fixtures.js";
import { match } from "../support/matchers.js";

const riskFlags = ["--risk-bets-per-minute-max", "9", "--risk-step-after-ms", "1000", "--risk-limit-bets-per-minute", "2", "--messages-per-second-max", "500"];

for (const mode of ["embedded", "production"] as Mode[]) {
  const available = mode === "embedded" || (serviceAvailable("postgres") && serviceAvailable("redis"));
  describe.skipIf(!available)(`risk engine (${mode})`, () => {
    let shared: Shared;
    let server: RunningServer;
    let base: string;
    let operator: { token: string };

    beforeAll(async () => {
      shared = await createShared(mode);
      server = await startTestServer(shared, riskFlags);
      base = server.url;
      operator = await newOperator(server);
    });
    afterAll(async () => {
      await ifAssigned(server)?.close();
      await ifAssigned(shared)?.dispose();
    });

    async function fundedPlayer(): Promise<{ userId: string; token: string; username: string }> {
      const player = await newPlayer(base, "risk");
      const funded = await server.services.wallet.deposit({
        playerId: player.userId,
        currency: "EUR",
        amount: 100_000n,
        key: `fund-${player.userId}`,
        reference: "test",
        provider: "test",
      });
      expect(funded.status).toBe("ok");
      return player;
    }

    const spin = (socket: TestSocket, room: string, id: string, stake = "0.10"): Promise<Message> =>
      socket.request({ type: "action", room, actionId: id, lastOffset: 0, action: { kind: "spin", stake } });

    it("alerts, limits and then locks a player who keeps micro-betting; the operator sees why and reverses it", async () => {
      const player = await fundedPlayer();
      const socket = await TestSocket.authenticated(base, player.token);
      const room = `slots:${player.userId}`;
      expect((await socket.request({ type: "join", room })).type).toBe("joined");
      const answers: string[] = [];
      const closed = socket.waitClosed(30_000);
      let open = true as boolean; // cleared when the socket closes
      void closed.then(() => {
        open = false;
      });
      for (let i = 0; open && i < 400; i++) {
        const answer = await spin(socket, room, `s${i}`).catch(() => null);
        if (answer === null) break;
        answers.push(answer.type === "ack" ? "ok" : String(answer.code));
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
      expect(await closed).toBe(4003);
      expect(answers[0]).toBe("ok");
      expect(answers).toContain("CROUPIER_ERR_RISK_LIMITED");
      // Once limited, at most 2 bets a minute get through.
      const afterLimit = answers.slice(answers.indexOf("CROUPIER_ERR_RISK_LIMITED"));
      expect(afterLimit.filter((a) => a === "ok").length).toBeLessThanOrEqual(2);

      const page = await call<{ actions: { id: string; rule: string; action: string; score: number; evidence: Record<string, unknown> }[] }>(
        base,
        "GET",
        `/v1/operator/risk/actions?userId=${player.userId}`,
        { token: operator.token },
      );
      expect(page.status).toBe(200);
      expect(page.body.actions.map((a) => [a.rule, a.action])).toEqual([
        ["betRate", "lock"],
        ["betRate", "limit"],
        ["betRate", "alert"],
      ]);
      const [lock, limit, alert] = page.body.actions;
      expect(alert?.evidence).toMatchObject({ betsPerMinuteMax: 9, features: { betsPerMinute: match.any(Number) }, topFeatures: match.any(Array) });
      expect(alert?.score).toBeGreaterThanOrEqual(0);

      const login = await call(base, "POST", "/v1/auth/login", { body: { login: player.username, password } });
      expect([login.status, login.body.code]).toEqual([403, "CROUPIER_ERR_RG_ACCOUNT_LOCKED"]);
      const found = await call<{ players: { id: string }[] }>(base, "GET", `/v1/operator/players?query=${player.username.slice(0, -1).toUpperCase()}&limit=5`, {
        token: operator.token,
      });
      expect(found.body.players.map((p) => p.id)).toContain(player.userId);
      const file = await call<{
        limit: { betsPerMinuteMax: number; actionId: string } | null;
        recentBets: unknown[];
        sessions: unknown[];
        actions: unknown[];
        score: number;
      }>(base, "GET", `/v1/operator/players/${player.userId}/risk`, { token: operator.token });
      expect(file.status).toBe(200);
      expect(file.body.limit).toMatchObject({ betsPerMinuteMax: 2, actionId: limit?.id });
      expect(file.body.recentBets.length).toBeGreaterThan(0);
      expect(file.body.sessions.length).toBeGreaterThan(0);
      expect(file.body.actions).toHaveLength(3);

      const reason = { reason: "reviewed: a fast autoplay, not a bot" };
      const unlocked = await call(base, "POST", `/v1/operator/risk/actions/${lock?.id ?? ""}/reverse`, { token: operator.token, body: reason });
      expect(unlocked.body).toMatchObject({ id: lock?.id, reversed: { reason: reason.reason } });
      expect((await call(base, "POST", `/v1/auth/login`, { body: { login: player.username, password } })).status).toBe(200);
      await call(base, "POST", `/v1/operator/risk/actions/${limit?.id ?? ""}/reverse`, { token: operator.token, body: reason });
      const after = await call<{ limit: unknown }>(base, "GET", `/v1/operator/players/${player.userId}/risk`, { token: operator.token });
      expect(after.body.limit).toBeNull();
      // Query strings: open actions only, a page of one with the cursor to the next.
      const openOnly = await call<{ actions: { id: string }[]; next: string | null }>(
        base,
        "GET",
        `/v1/operator/risk/actions?userId=${player.userId}&open=true&limit=1`,
        { token: operator.token },
      );
      expect(openOnly.status).toBe(200);
      expect(openOnly.body.actions.map((a) => a.id)).toEqual([alert?.id]);
      expect((await call(base, "GET", "/v1/operator/risk/actions?limit=0", { token: operator.token })).status).toBe(400);
      const missing = await call(base, "POST", "/v1/operator/risk/actions/999999999/reverse", { token: operator.token, body: reason });
      expect([missing.status, missing.body.code]).toEqual([404, "CROUPIER_ERR_RISK_ACTION_NOT_FOUND"]);
      const audit = await call<{ entries: { action: string }[] }>(base, "GET", `/v1/operator/audit?target=user:${player.userId}`, { token: operator.token });
      expect(audit.body.entries.filter((e) => e.action === "risk.reverse")).toHaveLength(2);
      expect((await server.services.wallet.check()).ok).toBe(true);
    });

    it("holds an operator's limit at the bet on every kind of refusal, and lifts it", async () => {
      const player = await fundedPlayer();
      const socket = await TestSocket.authenticated(base, player.token);
      const room = `slots:${player.userId}`;
      await socket.request({ type: "join", room });
      const set = (body: Record<string, unknown>) =>
        call(base, "PUT", `/v1/operator/players/${player.userId}/risk-limit`, {
          token: operator.token,
          body: { betsPerMinuteMax: null, stakeMinorMax: null, gamesBlocked: [], reason: "review", ...body },
        });
      expect((await set({ stakeMinorMax: "50" })).body).toMatchObject({
        userId: player.userId,
        stakeMinorMax: "50",
        setBy: match.any(String),
        actionId: match.any(String),
      });
      expect((await call(base, "GET", `/v1/operator/players/${player.userId}`, { token: operator.token })).body).toMatchObject({
        id: player.userId,
        username: player.username,
      });
      expect((await spin(socket, room, "small", "0.50")).type).toBe("ack");
      const big = await spin(socket, room, "big", "1.00");
      expect([big.code, big.details]).toEqual(["CROUPIER_ERR_RISK_LIMITED", ["stakes up to 50 minor units"]]);
      await set({ gamesBlocked: ["slots"] });
      expect((await spin(socket, room, "blocked")).code).toBe("CROUPIER_ERR_RISK_LIMITED");
      const bad = await set({ stakeMinorMax: 12.5 });
      expect([bad.status, bad.body.code]).toEqual([400, "CROUPIER_ERR_REQUEST_INVALID"]);
      const stranger = await call(base, "PUT", `/v1/operator/players/${player.userId}/risk-limit`, {
        token: player.token,
        body: { betsPerMinuteMax: 0, stakeMinorMax: null, gamesBlocked: [], reason: "me" },
      });
      expect(stranger.status).toBe(403);
      expect(
        (await call(base, "DELETE", `/v1/operator/players/${player.userId}/risk-limit`, { token: operator.token, body: { reason: "cleared" } })).body,
      ).toEqual({ cleared: true });
      // The three limits set and the clear leave no open limit action behind.
      const open = await call<{ actions: unknown[] }>(base, "GET", `/v1/operator/risk/actions?userId=${player.userId}&open=true`, { token: operator.token });
      expect(open.body.actions).toEqual([]);
      await until(
        async () => (await spin(socket, room, `after-${Date.now()}`)).type,
        (type) => type === "ack",
      );
      expect((await spin(socket, room, "after-clear")).type).toBe("ack");
      socket.close();
    });

    it("lets bets flow while the risk consumer is stopped: it is never on the bet's path", async () => {
      await server.services.riskMonitor.stop();
      try {
        const player = await fundedPlayer();
        const socket = await TestSocket.authenticated(base, player.token);
        const room = `slots:${player.userId}`;
        await socket.request({ type: "join", room });
        for (let i = 0; i < 40; i++) expect((await spin(socket, room, `free${i}`)).type).toBe("ack");
        const page = await call<{ actions: unknown[] }>(base, "GET", `/v1/operator/risk/actions?userId=${player.userId}`, { token: operator.token });
        expect(page.body.actions).toEqual([]);
        socket.close();
      } finally {
        await server.services.riskMonitor.start();
      }
    });
  });
}
