// The roulette proof, through the SDK over real sockets against PostgreSQL and Redis: 50
// players on one table for 20 rounds. Each player's balance must equal deposits − stakes + payouts,
// where payouts are computed here, independently, from the recorded outcome of each round (GET
// /v1/rounds) and the player's own accepted bets; bets after the close are refused and move nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { CroupierClient, CroupierError, type RoomEvent } from "../../src/client/index.js";
import type { RunningServer } from "../../src/main.js";
import { call } from "../support/http.js";
import { depositBySandbox } from "../support/money.js";
import { serviceAvailable } from "../support/services.js";
import { createShared, startTestServer, type Shared } from "../support/server.js";
import { ifAssigned } from "../support/fixtures.js";

const playersCount = 50;
const roundsCount = 20;
const room = "roulette:proof";
const depositMinor = 10_000n;

// The European paytable, written out here rather than imported, so the check is independent of the engine.
const odds: Record<string, bigint> = { straight: 35n, split: 17n, red: 1n, black: 1n, odd: 1n, even: 1n, dozen: 2n };
const reds = new Set([1, 3, 5, 7, 9, 12, 14, 16, 18, 19, 21, 23, 25, 27, 30, 32, 34, 36]);
interface Bet {
  type: string;
  numbers?: number[];
  index?: number;
  amount: string;
}
function wins(bet: Bet, n: number): boolean {
  switch (bet.type) {
    case "red":
      return reds.has(n);
    case "black":
      return n !== 0 && !reds.has(n);
    case "odd":
      return n !== 0 && n % 2 === 1;
    case "even":
      return n !== 0 && n % 2 === 0;
    case "dozen":
      return n !== 0 && Math.ceil(n / 12) === bet.index;
    default:
      return (bet.numbers ?? []).includes(n);
  }
}
const minor = (amount: string) => BigInt(amount.replace(".", ""));
function betFor(player: number, round: number): Bet {
  switch ((player + round) % 6) {
    case 0:
      return { type: "straight", numbers: [(player * 7 + round) % 37], amount: "1.00" };
    case 1:
      return { type: "red", amount: "2.00" };
    case 2:
      return { type: "black", amount: "1.50" };
    case 3:
      return { type: "dozen", index: 1 + ((player + round) % 3), amount: "1.20" };
    case 4:
      return { type: "split", numbers: [17, 20], amount: "1.50" };
    default:
      return { type: round % 2 === 0 ? "odd" : "even", amount: "3.00" };
  }
}

describe.skipIf(!(serviceAvailable("postgres") && serviceAvailable("redis")))("roulette proof through the SDK (production)", () => {
  let shared: Shared;
  let server: RunningServer;
  beforeAll(async () => {
    shared = await createShared("production");
    server = await startTestServer(shared, [
      "--roulette-tables",
      "proof",
      "--roulette-betting-ms",
      "1000",
      "--roulette-results-ms",
      "200",
      "--payments-sandbox-webhook-delay-ms",
      "20",
      "--messages-per-second-max",
      "200",
      "--ws-connections-max",
      "1000",
    ]);
  });
  afterAll(async () => {
    await ifAssigned(server)?.close();
    await ifAssigned(shared)?.dispose();
  });

  it(`${playersCount} players × ${roundsCount} rounds: every balance is deposits − stakes + payouts recomputed from the recorded outcomes`, async () => {
    const clients = await Promise.all(
      Array.from({ length: playersCount }, async (_, i) => {
        const client = new CroupierClient({ url: server.url, WebSocket, requestTimeoutMs: 10_000 });
        const username = `proof${i}${Date.now().toString(36)}`;
        const user = await client.register(username, "correct horse battery");
        const tokens = await client.login(username, "correct horse battery");
        await depositBySandbox(server.url, tokens.accessToken, "100.00");
        await client.connect();
        return { client, userId: user.id, token: tokens.accessToken };
      }),
    );

    const accepted = new Map<string, { roundId: string; bet: Bet }[]>(clients.map((c) => [c.userId, []]));
    const roundIds: string[] = [];
    let refusedInTime = 0;
    let lateRefused = 0;
    const pending: Promise<void>[] = [];
    // Each player bets when their own client shows the round open (an action carries the last offset it saw).
    for (const [i, c] of clients.entries()) {
      c.client.on("event", (event: RoomEvent) => {
        const roundId = (event.data as { roundId?: string } | undefined)?.roundId;
        if (event.room !== room || event.kind !== "round.opened" || roundId === undefined) return;
        if (!roundIds.includes(roundId)) {
          if (roundIds.length >= roundsCount) return;
          roundIds.push(roundId);
        }
        const bet = betFor(i, roundIds.indexOf(roundId));
        pending.push(
          c.client.act(room, { kind: "bet", roundId, bets: [bet] }).then(
            (reply) => {
              expect((reply.result as { stakeMinor: string }).stakeMinor).toBe(minor(bet.amount).toString());
              accepted.get(c.userId)!.push({ roundId, bet });
            },
            (error: unknown) => {
              // A bet that reaches the server after the close (a slow machine) is refused and moves nothing.
              expect(error instanceof CroupierError && error.code).toBe("CROUPIER_ERR_BET_ROUND_CLOSED");
              refusedInTime++;
            },
          ),
        );
      });
    }
    const done = new Promise<void>((resolve, reject) => {
      const watcher = clients[0]!.client;
      watcher.on("event", (event: RoomEvent) => {
        const roundId = (event.data as { roundId?: string } | undefined)?.roundId;
        if (event.room !== room || event.kind !== "round.settled" || roundId === undefined || !roundIds.includes(roundId)) return;
        // Late: a bet on a round already settled is refused by the server's clock, and moves nothing.
        pending.push(
          watcher.act(room, { kind: "bet", roundId, bets: [{ type: "red", amount: "1.00" }] }).then(
            () => reject(new Error(`a late bet on ${roundId} was accepted`)),
            (error: unknown) => {
              const code = error instanceof CroupierError ? error.code : undefined;
              if (code === "CROUPIER_ERR_BET_ROUND_CLOSED") lateRefused++;
              else if (code !== "CROUPIER_ERR_ACTION_STALE") reject(error);
            },
          ),
        );
        if (roundIds.length === roundsCount && roundId === roundIds.at(-1)) resolve();
      });
    });
    await Promise.all(clients.map((c) => c.client.join(room)));
    await done;
    await Promise.all(pending);
    expect(roundIds).toHaveLength(roundsCount);
    expect(refusedInTime).toBeLessThan((playersCount * roundsCount) / 10);
    expect(lateRefused).toBeGreaterThan(roundsCount / 2);

    for (const c of clients) {
      // The player's own recall: every round's recorded outcome and their bets in it.
      const recalled = await call<{ rounds: { roundId: string; status: string; outcome: { number: number } | null; bets: { userId: string }[] }[] }>(
        server.url,
        "GET",
        "/v1/rounds?limit=100",
        { token: c.token },
      );
      const outcomes = new Map(recalled.body.rounds.map((r) => [r.roundId, r]));
      let expected = depositMinor;
      for (const { roundId, bet } of accepted.get(c.userId)!) {
        const round = outcomes.get(roundId);
        expect([roundId, round?.status]).toEqual([roundId, "settled"]);
        expect(round!.bets.every((b) => b.userId === c.userId)).toBe(true);
        const stake = minor(bet.amount);
        expected += -stake + (wins(bet, round!.outcome!.number) ? stake * ((odds[bet.type] ?? 0n) + 1n) : 0n);
      }
      expect(recalled.body.rounds.length).toBe(new Set(accepted.get(c.userId)!.map((a) => a.roundId)).size);
      const cash = (await server.services.wallet.balances(c.userId)).find((b) => b.purse === "cash" && b.currency === "EUR");
      expect([c.userId, cash?.balance, cash?.held]).toEqual([c.userId, expected, 0n]);
    }
    expect(await server.services.wallet.check()).toMatchObject({ ok: true });
    for (const c of clients) c.client.close();
  }, 180_000);
});
