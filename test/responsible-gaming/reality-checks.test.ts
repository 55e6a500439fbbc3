// Reality checks over a real server in both modes: a logged-in player's user: room gets, every
// realityCheckIntervalMs of the session, the time since login and the net result of their bets.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { serviceAvailable } from "../support/services.js";
import { createShared, startTestServer, type Mode, type Shared } from "../support/server.js";
import { TestSocket, newPlayer, type Message } from "../support/ws-client.js";

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
      await server?.close();
      await shared?.dispose();
    });

    it("tells the player time played and net result, once per interval however many sockets the session has", async () => {
      const player = await newPlayer(server.url, "reality");
      const { wallet } = server.services;
      expect((await wallet.deposit({ playerId: player.userId, currency: "EUR", amount: 10_000n, provider: "sandbox", key: `d:${player.userId}`, reference: "test" })).status).toBe("ok");
      for (const [i, win] of [0n, 50n].entries()) {
        const spin = await wallet.instantBet({ playerId: player.userId, currency: "EUR", gameId: "test-slot", stake: 100n, win, key: `s:${player.userId}:${i}`, roundId: `r-${player.userId}-${i}` });
        expect(spin.status).toBe("ok");
      }
      const room = `user:${player.userId}`;
      const sockets = [await TestSocket.authenticated(server.url, player.token), await TestSocket.authenticated(server.url, player.token)];
      for (const s of sockets) expect((await s.request({ type: "join", room })).type).toBe("joined");
      const isCheck = (m: Message) => m.type === "event" && m.room === room && m.kind === "reality.check";
      await sockets[0]!.waitFor((m) => isCheck(m) && ((m.data as { playedMs: number }).playedMs >= 2 * intervalMs), 6_000);
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
  });
}
