// Reality checks over a real server in both modes: a logged-in player's user: room gets, every
// realityCheckIntervalMs of the session, the time since login and the net result of their bets.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { serviceAvailable } from "../support/services.js";
import { createShared, startTestServer, type Mode, type Shared } from "../support/server.js";
import { TestSocket, newPlayer, type Message } from "../support/ws-client.js";
import { call } from "../support/http.js";
import { ifAssigned } from "../support/fixtures.js";
import { match } from "../support/matchers.js";

const intervalMs = 1_000;

for (const mode of ["embedded", "production"] as Mode[]) {
  const available = mode === "embedded" || (serviceAvailable("postgres") && serviceAvailable("redis"));
  describe.skipIf(!available)(`reality checks (${mode})`, () => {
    let shared: Shared;
    let server: RunningServer;

    beforeAll(async () => {
      shared = await createShared(mode);
      server = await startTestServer(shared, ["--reality-check-interval-ms", String(intervalMs)]);
    });
    afterAll(async () => {
      await ifAssigned(server)?.close();
      await ifAssigned(shared)?.dispose();
    });

    it("tells the player time played and net result, once per interval however many sockets the session has", async () => {
      const player = await newPlayer(server.url, "reality");
      const { wallet } = server.services;
      expect(
        (await wallet.deposit({ playerId: player.userId, currency: "EUR", amount: 10_000n, provider: "sandbox", key: `d:${player.userId}`, reference: "test" }))
          .status,
      ).toBe("ok");
      for (const [i, win] of [0n, 50n].entries()) {
        const spin = await wallet.instantBet({
          playerId: player.userId,
          currency: "EUR",
          gameId: "test-slot",
          stake: 100n,
          win,
          key: `s:${player.userId}:${i}`,
          roundId: `r-${player.userId}-${i}`,
        });
        expect(spin.status).toBe("ok");
      }
      const room = `user:${player.userId}`;
      const sockets = [await TestSocket.authenticated(server.url, player.token), await TestSocket.authenticated(server.url, player.token)];
      for (const s of sockets) expect((await s.request({ type: "join", room })).type).toBe("joined");
      const isCheck = (m: Message) => m.type === "event" && m.room === room && m.kind === "reality.check";
      await sockets[0]!.waitFor((m) => isCheck(m) && (m.data as { playedMs: number }).playedMs >= 2 * intervalMs, 6_000);
      const checks = sockets[0]!.messages.filter(isCheck);
      const first = checks[0] as unknown as { private: boolean; data: { playedMs: number; sessionStartedAt: string; results: unknown[] } };
      expect(first.private).toBe(true);
      expect(first.data.playedMs).toBeGreaterThanOrEqual(intervalMs);
      expect(first.data.results).toEqual([{ currency: "EUR", staked: "2.00", won: "0.50", net: "-1.50" }]);
      // Each interval of the session is told once, though two sockets hold it.
      const intervals = checks.map((c) => Math.floor((c.data as { playedMs: number }).playedMs / intervalMs));
      expect(new Set(intervals).size).toBe(intervals.length);
      // Both sockets are in the room: the second sees the same events (one log), not copies of its own.
      await sockets[1]!.waitFor((m) => isCheck(m) && m.offset === checks.at(-1)!.offset);
      for (const s of sockets) s.close();
    });

    it("ends a session that has lasted the player's session time limit, on every socket, and tells the player why", async () => {
      const player = await newPlayer(server.url, "session");
      const set = (minutes: number | null) => call(server.url, "PUT", "/v1/responsible-gaming/session-limit", { token: player.token, body: { minutes } });
      expect((await set(3)).status).toBe(400);
      expect((await set(5)).body).toEqual({ status: "applied", sessionLimit: { minutes: 5, pending: null } });
      expect((await set(60)).body).toMatchObject({ status: "pending", sessionLimit: { minutes: 5, pending: { minutes: 60 } } });
      expect((await call(server.url, "GET", "/v1/responsible-gaming", { token: player.token })).body).toMatchObject({ sessionLimit: { minutes: 5 } });
      // Six minutes into the session (its start moved back in the database): the next look ends it.
      await server.services.db.query("update sessions set created_at = created_at - interval '6 minutes' where user_id = $1", [player.userId]);
      const socket = await TestSocket.authenticated(server.url, player.token);
      const room = `user:${player.userId}`;
      await socket.request({ type: "join", room }).catch(() => undefined);
      expect(await socket.waitClosed(8_000)).toBe(4003);
      expect((await call(server.url, "GET", "/v1/me", { token: player.token })).body.code).toBe("CROUPIER_ERR_AUTH_SESSION_REVOKED");
      // A new login is a new session, with its own time; the event that ended the last one is in the room's log.
      const again = await call<{ accessToken: string }>(server.url, "POST", "/v1/auth/login", {
        body: { login: player.username, password: "correct horse battery" },
      });
      expect(again.status).toBe(200);
      const back = await TestSocket.authenticated(server.url, again.body.accessToken);
      const joined = await back.request({ type: "join", room });
      expect(joined.type).toBe("joined");
      await back.request({ type: "leave", room });
      expect((await back.request({ type: "join", room, resume: { epoch: joined.epoch, offset: 0 } })).type).toBe("joined");
      const ended = await back.waitFor((m) => m.type === "event" && m.kind === "session.limit_reached", 5_000);
      expect(ended.data).toMatchObject({ limitMinutes: 5, playedMs: match.any(Number) });
      expect((ended.data as { playedMs: number }).playedMs).toBeGreaterThanOrEqual(6 * 60_000);
      back.close();
    });
  });
}
