// Operator table controls over HTTP: list every table from the room log, close and open a table, set
// its limits from the next round, and void a round with a reason — refunds exactly once, recorded.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { call } from "../support/http.js";
import { serviceAvailable } from "../support/services.js";
import { createShared, startTestServer, type Mode, type Shared } from "../support/server.js";
import { newPlayer, newStaff, TestSocket } from "../support/ws-client.js";
import { ifAssigned } from "../support/fixtures.js";

interface Summary {
  room: string;
  kind: string;
  open: boolean;
  roundId: string | null;
  phase: string | null;
  players: { seat: number | null; userId: string; stackMinor?: string }[];
  limits: Record<string, string> | null;
  nextLimits?: Record<string, string> | null;
}

for (const mode of ["embedded", "production"] as Mode[]) {
  const available = mode === "embedded" || (serviceAvailable("postgres") && serviceAvailable("redis"));
  describe.skipIf(!available)(`operator table controls (${mode})`, () => {
    let shared: Shared;
    let server: RunningServer;
    let operator: string;
    beforeAll(async () => {
      shared = await createShared(mode);
      server = await startTestServer(shared, [
        "--blackjack-tables",
        "b1",
        "--blackjack-betting-ms",
        "1500",
        "--blackjack-turn-ms",
        "5000",
        "--holdem-tables",
        "h1",
        "--holdem-turn-ms",
        "5000",
        "--holdem-between-hands-ms",
        "300",
        "--roulette-tables",
        "r1",
        "--live-tables",
        "l1",
        "--messages-per-second-max",
        "500",
      ]);
      operator = (await newStaff(server, ["operator"])).token;
    });
    afterAll(async () => {
      await ifAssigned(server)?.close();
      await ifAssigned(shared)?.dispose();
    });

    const tables = async () => (await call<{ tables: Summary[] }>(server.url, "GET", "/v1/operator/tables", { token: operator })).body.tables;
    const act = (room: string, body: Record<string, unknown>, key?: string, token = operator) =>
      call<{ status: string; result?: Record<string, unknown>; code?: string }>(server.url, "POST", `/v1/operator/tables/${room}/actions`, {
        token,
        body,
        ...(key ? { headers: { "idempotency-key": key } } : {}),
      });
    const cash = async (userId: string) => (await server.services.wallet.balances(userId)).find((b) => b.purse === "cash")!;

    it("lists every configured table; refuses players and unknown tables", async () => {
      const listed = await tables();
      expect(listed.map((t) => t.room).sort()).toEqual(["blackjack:b1", "holdem:h1", "live:l1", "liveblackjack:1", "roulette:r1"]);
      const p = await newPlayer(server.url);
      expect((await call(server.url, "GET", "/v1/operator/tables", { token: p.token })).status).toBe(403);
      expect((await act("blackjack:b1", { kind: "table.close" }, undefined, p.token)).status).toBe(403);
      const unknown = await act("blackjack:nope", { kind: "table.close" });
      expect([unknown.status, unknown.body.code]).toEqual([404, "CROUPIER_ERR_TABLE_NOT_FOUND"]);
      expect((await act("blackjack:b1", { kind: "table.explode" })).status).toBe(400);
    });

    it("roulette: limits for the next round and closing show in the list", async () => {
      const room = "roulette:r1";
      expect((await act(room, { kind: "table.limits", roundStakeMax: "7.00" })).status).toBe(200);
      expect((await act(room, { kind: "table.close" })).status).toBe(200);
      const listed = (await tables()).find((t) => t.room === room)!;
      expect(listed.open).toBe(false);
      // The table's first round may have opened since (taking the new limits), or not yet.
      const limits = (listed.nextLimits ?? listed.limits) as { roundStakeMinorMax?: string } | null;
      expect(limits?.roundStakeMinorMax).toBe("700");
      expect((await act(room, { kind: "table.open" })).status).toBe(200);
      expect((await tables()).find((t) => t.room === room)).toMatchObject({ open: true });
    });

    it("blackjack: voids a round with a reason (refunded once, recorded), sets limits from the next round, closes and reopens", async () => {
      const room = "blackjack:b1";
      const p = await newPlayer(server.url);
      await server.services.wallet.deposit({ playerId: p.userId, currency: "EUR", amount: 10_000n, key: `d${p.userId}`, reference: "t", provider: "test" });
      const s = await TestSocket.authenticated(server.url, p.token);
      await s.request({ type: "join", room });
      const seen = () => Math.max(0, ...s.messages.filter((m) => m.room === room && typeof m.offset === "number").map((m) => m.offset as number));
      expect(await s.request({ type: "action", room, actionId: "sit", lastOffset: seen(), action: { kind: "sit", seat: 0 } })).toMatchObject({ type: "ack" });
      const opened = await s.waitFor((m) => m.kind === "blackjack.betting_opened");
      const roundId = (opened.data as { roundId: string }).roundId;
      expect(await s.request({ type: "action", room, actionId: "bet1", lastOffset: seen(), action: { kind: "bet", roundId, amount: "25.00" } })).toMatchObject({
        type: "ack",
      });
      expect(await cash(p.userId)).toMatchObject({ balance: 10_000n, held: 2_500n });

      const listed = (await tables()).find((t) => t.room === room)!;
      expect(listed).toMatchObject({
        open: true,
        roundId,
        phase: "betting",
        players: [{ seat: 0, userId: p.userId }],
        limits: { betMinMinor: "100", betMaxMinor: "50000" },
      });
      // A player cannot drive the table through the socket either.
      expect((await s.request({ type: "action", room, actionId: "v", lastOffset: seen(), action: { kind: "round.void", reason: "mine" } })).code).toBe(
        "CROUPIER_ERR_AUTH_FORBIDDEN",
      );

      const voided = await act(room, { kind: "round.void", reason: "misdeal" }, `void-${roundId}`);
      expect([voided.status, voided.body.status, voided.body.result]).toEqual([200, "applied", { roundId, status: "voided", refunded: 1 }]);
      const again = await act(room, { kind: "round.void", reason: "misdeal" }, `void-${roundId}`);
      expect([again.status, again.body.status]).toEqual([200, "duplicate"]);
      const event = await s.waitFor((m) => m.kind === "round.voided");
      expect(event.data).toEqual({ roundId, reason: "misdeal", refunded: 1 });
      expect(await cash(p.userId)).toMatchObject({ balance: 10_000n, held: 0n });
      const recorded = await server.services.rounds.find(roundId);
      expect([recorded?.status, recorded?.voidReason, recorded?.bets.map((b) => [b.userId, b.stakeMinor, b.payoutMinor])]).toEqual([
        "voided",
        "misdeal",
        [[p.userId, 2_500n, 2_500n]],
      ]);
      expect((await act(room, { kind: "round.void", reason: "again" })).body.code).toBe("CROUPIER_ERR_ACTION_REJECTED");

      // Limits: refused when inverted; otherwise they apply when the next round opens.
      expect((await act(room, { kind: "table.limits", betMin: "30.00", betMax: "20.00" })).body.code).toBe("CROUPIER_ERR_BET_INVALID");
      expect((await act(room, { kind: "table.limits", betMin: "20.00" })).status).toBe(200);
      const next = await s.waitFor((m) => m.kind === "blackjack.betting_opened" && (m.data as { roundId: string }).roundId !== roundId, 10_000);
      expect(next.data).toMatchObject({ betMinMinor: "2000", betMaxMinor: "50000" });
      const nextRound = (next.data as { roundId: string }).roundId;
      await s.waitFor((m) => m.offset === next.offset);
      expect(
        (await s.request({ type: "action", room, actionId: "bet2", lastOffset: seen(), action: { kind: "bet", roundId: nextRound, amount: "10.00" } })).code,
      ).toBe("CROUPIER_ERR_BET_LIMIT");

      // Closed: the round in play ends (nobody bet), no new one opens.
      expect((await act(room, { kind: "table.close" })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 2_500));
      expect((await tables()).find((t) => t.room === room)).toMatchObject({ open: false, phase: "waiting", roundId: null });
      expect(await act(room, { kind: "table.open" })).toMatchObject({ status: 200 });
      await s.waitFor((m) => m.kind === "blackjack.betting_opened" && ![roundId, nextRound].includes((m.data as { roundId: string }).roundId), 5_000);
      expect((await tables()).find((t) => t.room === room)).toMatchObject({ open: true, phase: "betting" });
      expect(await server.services.wallet.check()).toMatchObject({ ok: true });
      s.close();
    }, 60_000);

    it("hold'em: voiding a hand returns every committed chip to its stack; cash-outs then return exactly the buy-ins", async () => {
      const room = "holdem:h1";
      const people = [await newPlayer(server.url), await newPlayer(server.url)];
      for (const p of people)
        await server.services.wallet.deposit({ playerId: p.userId, currency: "EUR", amount: 50_000n, key: `d${p.userId}`, reference: "t", provider: "test" });
      const sockets = await Promise.all(people.map((p) => TestSocket.authenticated(server.url, p.token)));
      await Promise.all(sockets.map((s) => s.request({ type: "join", room })));
      const seen = (s: TestSocket) => Math.max(0, ...s.messages.filter((m) => m.room === room && typeof m.offset === "number").map((m) => m.offset as number));
      for (const [i, s] of sockets.entries()) {
        if (i > 0) await s.waitFor((m) => m.kind === "holdem.seated");
        expect(
          await s.request({ type: "action", room, actionId: `sit${i}`, lastOffset: seen(s), action: { kind: "sit", seat: i, buyIn: "100.00" } }),
        ).toMatchObject({ type: "ack" });
      }
      const watcher = sockets[0]!;
      await watcher.waitFor((m) => m.kind === "holdem.hand_started", 5_000);
      const turn = await watcher.waitFor((m) => m.kind === "holdem.turn");
      // The player on turn raises, so both have chips in the pot when the hand is voided.
      const seat = (turn.data as { seat: number }).seat;
      await sockets[seat]!.waitFor((m) => m.offset === turn.offset);
      expect(
        await sockets[seat]!.request({ type: "action", room, actionId: "raise", lastOffset: seen(sockets[seat]!), action: { kind: "raise", to: "6.00" } }),
      ).toMatchObject({ type: "ack" });
      const listed = (await tables()).find((t) => t.room === room)!;
      expect(listed).toMatchObject({ open: true, roundId: "h1:hand:1", phase: "preflop", limits: { bigBlindMinor: "200", buyInMinMinor: "4000" } });
      expect(listed.players.map((p) => p.userId).sort()).toEqual(people.map((p) => p.userId).sort());

      // Close first, so no new hand is dealt after the void.
      expect((await act(room, { kind: "table.close" })).status).toBe(200);
      const voided = await act(room, { kind: "round.void", reason: "card exposed" });
      expect([voided.status, voided.body.result]).toEqual([200, { roundId: "h1:hand:1", status: "voided" }]);
      const event = await watcher.waitFor((m) => m.kind === "round.voided");
      expect(event.data).toMatchObject({ roundId: "h1:hand:1", reason: "card exposed" });
      const handVoided = await watcher.waitFor((m) => m.kind === "holdem.hand_voided");
      expect((handVoided.data as { stacksMinor: (string | null)[] }).stacksMinor.slice(0, 2)).toEqual(["10000", "10000"]);
      expect((await server.services.rounds.find("h1:hand:1"))?.status).toBe("voided");
      expect((await act(room, { kind: "round.void", reason: "again" })).body.code).toBe("CROUPIER_ERR_ACTION_REJECTED");
      expect((await act(room, { kind: "table.limits", smallBlind: "2.00", bigBlind: "4.00", buyInMin: "80.00", buyInMax: "400.00" })).status).toBe(200);
      expect((await tables()).find((t) => t.room === room)).toMatchObject({
        open: false,
        phase: "between_hands",
        limits: { smallBlindMinor: "200", bigBlindMinor: "400", buyInMinMinor: "8000", buyInMaxMinor: "40000" },
      });

      for (const [i, s] of sockets.entries()) {
        expect(await s.request({ type: "action", room, actionId: `leave${i}`, lastOffset: seen(s), action: { kind: "leave" } })).toMatchObject({ type: "ack" });
      }
      for (const p of people) expect(await cash(p.userId)).toMatchObject({ balance: 50_000n, held: 0n });
      expect(await server.services.wallet.check()).toMatchObject({ ok: true });
      for (const s of sockets) s.close();
    }, 60_000);
  });
}
