// Bonuses on a real server, in embedded mode (PGlite, memory bus) and production mode (PostgreSQL,
// Redis): a bonus granted, wagered on slots over WebSocket to its conversion; another expiring; a
// cancel; the max bet; one welcome bonus per device; a hedged roulette round that counts nothing. The
// ledger is checked balanced after every step.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { serviceAvailable } from "../support/services.js";
import { createShared, startTestServer, type Mode, type Shared } from "../support/server.js";
import { call } from "../support/http.js";
import { newPlayer, newStaff, TestSocket, type Message } from "../support/ws-client.js";
import { ifAssigned } from "../support/fixtures.js";

interface WireBonus {
  id: string;
  userId: string;
  kind: string;
  status: string;
  currency: string;
  amount: string;
  balance: string | null;
  held: string | null;
  wageringRequired: string;
  wagered: string;
  progressPercent: number;
  maxBet: string;
  gameWeights: Record<string, number>;
  expiresAt: string;
  endedAt: string | null;
  endReason: string | null;
  closedAmount: string | null;
}

const table = "bonus1";

for (const mode of ["embedded", "production"] as Mode[]) {
  const available = mode === "embedded" || (serviceAvailable("postgres") && serviceAvailable("redis"));
  describe.skipIf(!available)(`bonuses (${mode})`, () => {
    let shared: Shared;
    let server: RunningServer;
    let operator: { token: string; userId: string };
    let keySeq = 0;

    beforeAll(async () => {
      shared = await createShared(mode);
      server = await startTestServer(shared, [
        "--roulette-tables",
        table,
        "--roulette-betting-ms",
        "1500",
        "--roulette-results-ms",
        "300",
        "--messages-per-second-max",
        "1000",
        "--bonus-job-interval-ms",
        "3600000",
        // The welcome test logs in "from" other addresses through X-Forwarded-For.
        "--trust-proxy",
        "true",
      ]);
      operator = await newStaff(server, ["operator"]);
    });
    afterAll(async () => {
      await ifAssigned(server)?.close();
      await ifAssigned(shared)?.dispose();
    });

    const balanced = async () => expect((await server.services.wallet.check()).ok).toBe(true);
    const purses = async (userId: string) => {
      const all = await server.services.wallet.balances(userId);
      return {
        cash: all.find((b) => b.purse === "cash")?.balance ?? 0n,
        bonus: all.find((b) => b.purse === "bonus")?.balance ?? 0n,
        bonusHeld: all.find((b) => b.purse === "bonus")?.held ?? 0n,
      };
    };
    const grant = (userId: string, body: Record<string, unknown>, key = `grant-${++keySeq}`) =>
      call<WireBonus>(server.url, "POST", `/v1/operator/players/${userId}/bonuses`, {
        token: operator.token,
        headers: { "idempotency-key": key },
        body: { currency: "EUR", days: 7, reason: "test", ...body },
      });
    const mine = async (player: { token: string }) =>
      (await call<{ bonuses: WireBonus[] }>(server.url, "GET", "/v1/bonuses", { token: player.token })).body.bonuses;
    const until = async <T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> => {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const value = await read();
        if (done(value) || Date.now() > end) return value;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };

    it("grants a bonus once per key, refuses a stake above its max bet, and converts it to cash once wagered on slots", async () => {
      const player = await newPlayer(server.url, "bw");
      const granted = await grant(player.userId, { amount: "50.00", wageringMultiplier: 1, maxBet: "5.00" }, "conv-1");
      expect(granted.status).toBe(201);
      expect(granted.body).toMatchObject({
        status: "active",
        kind: "manual",
        amount: "50.00",
        balance: "50.00",
        wageringRequired: "50.00",
        wagered: "0.00",
        maxBet: "5.00",
        gameWeights: { slots: 100, roulette: 10 },
      });
      const again = await grant(player.userId, { amount: "50.00", wageringMultiplier: 1, maxBet: "5.00" }, "conv-1");
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect(again.body.id).toBe(granted.body.id);
      // Another bonus in the same currency while this one is open: refused, nothing granted.
      expect((await grant(player.userId, { amount: "1.00", wageringMultiplier: 1, maxBet: "1.00" })).body).toMatchObject({
        code: "CROUPIER_ERR_BONUS_ALREADY_OPEN",
      });
      expect(await purses(player.userId)).toEqual({ cash: 0n, bonus: 5_000n, bonusHeld: 0n });
      await balanced();

      const socket = await TestSocket.authenticated(server.url, player.token);
      const room = `slots:${player.userId}`;
      await socket.request({ type: "join", room });
      const spin = (i: number, stake: string): Promise<Message> =>
        socket.request({ type: "action", room, actionId: `s${i}`, lastOffset: 0, action: { kind: "spin", stake } });
      const tooBig = await spin(0, "5.10");
      expect(tooBig).toMatchObject({ code: "CROUPIER_ERR_BONUS_MAX_BET_EXCEEDED", details: ["bonus max bet 5.00 EUR while wagering"] });
      expect(await purses(player.userId)).toEqual({ cash: 0n, bonus: 5_000n, bonusHeld: 0n });

      // Ten spins of 5.00 always fit: before spin k the bonus purse holds at least 50.00 - 5.00 × (k - 1).
      let won = 0n;
      for (let i = 1; i <= 10; i++) {
        const answer = await spin(i, "5.00");
        expect(answer.type).toBe("ack");
        won +=
          BigInt((answer.result as { totalWinMinor: string }).totalWinMinor) + BigInt((answer.result as { jackpotWinMinor?: string }).jackpotWinMinor ?? "0");
        if (i === 5) {
          const [halfway] = await mine(player);
          expect(halfway).toMatchObject({ status: "active", wagered: "25.00", progressPercent: 50 });
          expect(await purses(player.userId)).toEqual({ cash: 0n, bonus: 5_000n - 2_500n + won, bonusHeld: 0n });
          await balanced();
        }
      }
      socket.close();
      const [converted] = await until(
        () => mine(player),
        (list) => list[0]?.closedAmount !== null,
      );
      const left = 5_000n - 5_000n + won;
      expect(converted).toMatchObject({
        status: "converted",
        wagered: "50.00",
        progressPercent: 100,
        endReason: "wagering complete",
        balance: null,
        closedAmount: (Number(left) / 100).toFixed(2),
      });
      expect(await purses(player.userId)).toEqual({ cash: left, bonus: 0n, bonusHeld: 0n });
      await balanced();
      // The conversion is one bonus_conversion transfer into cash.
      const history = await call<{ entries: { kind: string; amount: string }[] }>(server.url, "GET", "/v1/wallet/history?currency=EUR", {
        token: player.token,
      });
      expect(history.body.entries.map((e) => e.kind)).toEqual(left > 0n ? ["bonus_conversion"] : []);
      // Once closed, a new bonus in the currency may be granted.
      expect((await grant(player.userId, { amount: "1.00", wageringMultiplier: 1, maxBet: "1.00" })).status).toBe(201);
    });

    it("expires a bonus past its time: what is left goes back to the house", async () => {
      const player = await newPlayer(server.url, "be");
      await server.services.wallet.deposit({
        playerId: player.userId,
        currency: "EUR",
        amount: 300n,
        key: `dep-${player.userId}`,
        reference: "t",
        provider: "test",
      });
      const granted = (await grant(player.userId, { amount: "10.00", wageringMultiplier: 35, maxBet: "2.00" })).body;
      expect(granted).toMatchObject({ status: "active", wageringRequired: "350.00" });
      // Cash covers the first stake (taken from cash, counted all the same); the second comes from the bonus purse.
      const socket = await TestSocket.authenticated(server.url, player.token);
      const room = `slots:${player.userId}`;
      await socket.request({ type: "join", room });
      const first = await socket.request({ type: "action", room, actionId: "e1", lastOffset: 0, action: { kind: "spin", stake: "2.00" } });
      const firstWin = BigInt((first.result as { totalWinMinor: string }).totalWinMinor);
      const afterFirst = await purses(player.userId);
      expect(afterFirst).toEqual({ cash: 300n - 200n + firstWin, bonus: 1_000n, bonusHeld: 0n });
      const cashNow = afterFirst.cash;
      const second = await socket.request({ type: "action", room, actionId: "e2", lastOffset: 0, action: { kind: "spin", stake: "2.00" } });
      const secondWin = BigInt((second.result as { totalWinMinor: string }).totalWinMinor);
      socket.close();
      const fromBonus = cashNow < 200n;
      expect(await purses(player.userId)).toEqual(
        fromBonus ? { cash: cashNow, bonus: 1_000n - 200n + secondWin, bonusHeld: 0n } : { cash: cashNow - 200n + secondWin, bonus: 1_000n, bonusHeld: 0n },
      );
      expect((await mine(player))[0]?.wagered).toBe("4.00");
      await balanced();

      // Not yet due: the job leaves it alone. Then its time is moved into the past, as a clock would.
      await server.services.bonuses.runDue();
      expect((await mine(player))[0]?.status).toBe("active");
      await server.services.db.query("update bonuses set expires_ms = $2 where id = $1", [granted.id, Date.now() - 1]);
      const bonusLeft = (await purses(player.userId)).bonus;
      await server.services.bonuses.runDue();
      const [expired] = await mine(player);
      expect(expired).toMatchObject({ status: "expired", endReason: "expired", balance: null, closedAmount: (Number(bonusLeft) / 100).toFixed(2) });
      expect((await purses(player.userId)).bonus).toBe(0n);
      await balanced();
      // The player is no longer a bonus player: a stake above the old max bet is a plain cash bet (refused only for funds).
      const after = await TestSocket.authenticated(server.url, player.token);
      await after.request({ type: "join", room });
      const big = await after.request({ type: "action", room, actionId: "e3", lastOffset: 0, action: { kind: "spin", stake: "50.00" } });
      expect(big.code).toBe("CROUPIER_ERR_WALLET_INSUFFICIENT_FUNDS");
      after.close();
    });

    it("lets an operator cancel an active bonus (forfeited, audited) and review bonuses by status", async () => {
      const player = await newPlayer(server.url, "bc");
      const granted = (await grant(player.userId, { amount: "7.50", wageringMultiplier: 10, maxBet: "1.00" })).body;
      const stranger = await call(server.url, "POST", `/v1/operator/bonuses/${granted.id}/cancel`, { token: player.token, body: { reason: "me" } });
      expect(stranger.status).toBe(403);
      const active = await call<{ bonuses: WireBonus[] }>(server.url, "GET", "/v1/operator/bonuses?status=active&limit=200", { token: operator.token });
      expect(active.body.bonuses.some((b) => b.id === granted.id)).toBe(true);
      const cancelled = await call<WireBonus>(server.url, "POST", `/v1/operator/bonuses/${granted.id}/cancel`, {
        token: operator.token,
        body: { reason: "duplicate account" },
      });
      expect(cancelled.body).toMatchObject({ status: "cancelled", endReason: "duplicate account", closedAmount: "7.50", balance: null });
      expect(await purses(player.userId)).toEqual({ cash: 0n, bonus: 0n, bonusHeld: 0n });
      await balanced();
      expect(
        (await call(server.url, "POST", `/v1/operator/bonuses/${granted.id}/cancel`, { token: operator.token, body: { reason: "again" } })).body,
      ).toMatchObject({ code: "CROUPIER_ERR_BONUS_NOT_ACTIVE" });
      expect(
        (await call(server.url, "POST", "/v1/operator/bonuses/00000000-0000-4000-8000-000000000000/cancel", { token: operator.token, body: { reason: "x" } }))
          .status,
      ).toBe(404);
      const ended = await call<{ bonuses: WireBonus[] }>(server.url, "GET", "/v1/operator/bonuses?status=cancelled", { token: operator.token });
      expect(ended.body.bonuses.map((b) => b.id)).toContain(granted.id);
      const audit = await call<{ entries: { action: string; reason: string | null }[] }>(server.url, "GET", `/v1/operator/audit?target=user:${player.userId}`, {
        token: operator.token,
      });
      expect(audit.body.entries.map((e) => e.action)).toEqual(["bonus.cancel", "bonus.grant"]);
      // Terms out of range, an unknown player: refused, nothing granted.
      expect((await grant(player.userId, { amount: "0.00", wageringMultiplier: 1, maxBet: "1.00" })).body).toMatchObject({
        code: "CROUPIER_ERR_WALLET_AMOUNT_ZERO",
      });
      expect((await grant(player.userId, { amount: "100000.00", wageringMultiplier: 1, maxBet: "1.00" })).body).toMatchObject({
        code: "CROUPIER_ERR_BONUS_TERMS_INVALID",
      });
      expect((await grant("00000000-0000-4000-8000-000000000000", { amount: "1.00", wageringMultiplier: 1, maxBet: "1.00" })).status).toBe(404);
      expect((await grant(player.userId, { amount: "1.00", wageringMultiplier: 1, maxBet: "1.00" }, "")).status).toBe(400);
      // A player on a time-out gets no bonus, not even from an operator.
      const resting = await newPlayer(server.url, "br");
      expect((await call(server.url, "POST", "/v1/responsible-gaming/exclusions", { token: resting.token, body: { kind: "time_out", days: 1 } })).status).toBe(
        200,
      );
      expect((await grant(resting.userId, { amount: "5.00", wageringMultiplier: 1, maxBet: "1.00" })).body).toMatchObject({ code: "CROUPIER_ERR_RG_EXCLUDED" });
    });

    it("gives one welcome bonus per account and per device", async () => {
      const device = `dev-${mode}-${Date.now().toString(36)}`;
      const login = async (prefix: string, deviceId?: string, address?: string) => {
        const username = `${prefix}${Date.now().toString(36)}${++keySeq}`;
        const reg = await call<{ id: string }>(server.url, "POST", "/v1/auth/register", { body: { username, password: "correct horse battery" } });
        const token = (
          await call<{ accessToken: string }>(server.url, "POST", "/v1/auth/login", {
            body: { login: username, password: "correct horse battery", ...(deviceId === undefined ? {} : { deviceId }) },
            ...(address === undefined ? {} : { headers: { "x-forwarded-for": address } }),
          })
        ).body.accessToken;
        return { userId: reg.body.id, token };
      };
      const first = await login("wa", device);
      const claimed = await call<WireBonus>(server.url, "POST", "/v1/bonuses/welcome", { token: first.token });
      expect(claimed.status).toBe(201);
      expect(claimed.body).toMatchObject({ kind: "welcome", status: "active", amount: "10.00", wageringRequired: "350.00", maxBet: "5.00", balance: "10.00" });
      expect((await call(server.url, "POST", "/v1/bonuses/welcome", { token: first.token })).body).toMatchObject({
        code: "CROUPIER_ERR_BONUS_WELCOME_CLAIMED",
      });
      // A second account on the same device: refused, nothing granted.
      const second = await login("wb", device);
      expect((await call(server.url, "POST", "/v1/bonuses/welcome", { token: second.token })).body).toMatchObject({
        code: "CROUPIER_ERR_BONUS_WELCOME_DEVICE_LINKED",
      });
      expect(await mine(second)).toEqual([]);
      expect(await purses(second.userId)).toEqual({ cash: 0n, bonus: 0n, bonusHeld: 0n });
      // Two accounts on different devices from one (non-loopback) address: the second is refused.
      const address = `198.51.100.${(Date.now() % 200) + (mode === "embedded" ? 1 : 50)}`;
      const home = await login("wh", `${device}-a`, address);
      expect((await call(server.url, "POST", "/v1/bonuses/welcome", { token: home.token })).status).toBe(201);
      const sibling = await login("wi", `${device}-b`, address);
      expect((await call(server.url, "POST", "/v1/bonuses/welcome", { token: sibling.token })).body).toMatchObject({
        code: "CROUPIER_ERR_BONUS_WELCOME_DEVICE_LINKED",
      });
      // A client naming no device ('unknown') links nobody.
      const third = await login("wc");
      expect((await call(server.url, "POST", "/v1/bonuses/welcome", { token: third.token })).status).toBe(201);
      await balanced();
    });

    it("counts nothing for a roulette round that covers red and black, and a tenth of a plain one; refuses a stake above the max bet", async () => {
      const player = await newPlayer(server.url, "br");
      await grant(player.userId, { amount: "100.00", wageringMultiplier: 1, maxBet: "10.00" });
      const socket = await TestSocket.authenticated(server.url, player.token);
      const tableRoom = `roulette:${table}`;
      await socket.request({ type: "join", room: tableRoom });
      const latest = () => Math.max(0, ...socket.messages.filter((m) => m.room === tableRoom && typeof m.offset === "number").map((m) => m.offset as number));
      const nextRound = async (): Promise<string> =>
        (
          (await socket.waitFor((m) => m.kind === "round.opened" && m.room === tableRoom && !seen.has((m.data as { roundId: string }).roundId), 10_000))
            .data as { roundId: string }
        ).roundId;
      const seen = new Set<string>();
      const bet = async (roundId: string, actionId: string, bets: { type: string; amount: string }[]): Promise<Message> =>
        socket.request({ type: "action", room: tableRoom, actionId, lastOffset: latest(), action: { kind: "bet", roundId, bets } });
      const settled = (roundId: string) => socket.waitFor((m) => m.kind === "round.settled" && (m.data as { roundId: string }).roundId === roundId, 10_000);

      const hedged = await nextRound();
      seen.add(hedged);
      expect(
        await bet(hedged, "h1", [
          { type: "red", amount: "1.00" },
          { type: "black", amount: "1.00" },
        ]),
      ).toMatchObject({ type: "ack" });
      expect(await bet(hedged, "h2", [{ type: "red", amount: "10.50" }])).toMatchObject({ code: "CROUPIER_ERR_BONUS_MAX_BET_EXCEEDED" });
      // Held on the bonus purse (the player has no cash) until the round settles.
      expect((await purses(player.userId)).bonusHeld).toBe(200n);
      await settled(hedged);
      expect(
        (
          await until(
            () => mine(player),
            (list) => list[0]?.held === "0.00",
          )
        )[0],
      ).toMatchObject({ wagered: "0.00", held: "0.00" });
      await balanced();

      const plain = await nextRound();
      seen.add(plain);
      expect(await bet(plain, "p1", [{ type: "red", amount: "2.00" }])).toMatchObject({ type: "ack" });
      await settled(plain);
      expect(
        (
          await until(
            () => mine(player),
            (list) => list[0]?.wagered !== "0.00",
          )
        )[0],
      ).toMatchObject({ status: "active", wagered: "0.20" });
      const reasons = await server.services.db.query<{ reason: string; counted_minor: bigint }>(
        "select w.reason, w.counted_minor from bonus_wagers w join bonuses b on b.id = w.bonus_id where b.user_id = $1 order by w.created_ms",
        [player.userId],
      );
      expect(reasons.map((r) => [r.reason, r.counted_minor])).toEqual([
        ["hedged", 0n],
        ["counted", 20n],
      ]);
      await balanced();
      socket.close();
    });
  });
}
