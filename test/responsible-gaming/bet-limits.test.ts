// Wager and loss limits at the bet, over real WebSockets, in embedded mode (PGlite, memory bus) and
// production mode (PostgreSQL, Redis): racing bets at several tables at once never exceed a wager
// limit; a loss limit counts every stake until it is paid and the wins after.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { serviceAvailable } from "../support/services.js";
import { createShared, startTestServer, type Mode, type Shared } from "../support/server.js";
import { call } from "../support/http.js";
import { newPlayer, TestSocket, type Message } from "../support/ws-client.js";
import { ifAssigned } from "../support/fixtures.js";

const tables = ["bl1", "bl2", "bl3"];

/** Joins every table and returns the round taking bets at each (waiting for the next one to open where none is). */
async function bettingRounds(socket: TestSocket): Promise<Map<string, string>> {
  const rounds = new Map<string, string>();
  for (const t of tables) {
    const joined = await socket.request({ type: "join", room: `roulette:${t}` });
    const round = (joined.snapshot as { state: { round: { id: string; phase: string } | null } }).state.round;
    const id =
      round?.phase === "betting"
        ? round.id
        : ((await socket.waitFor((m) => m.kind === "round.opened" && m.room === `roulette:${t}`, 10_000)).data as { roundId: string }).roundId;
    rounds.set(t, id);
  }
  return rounds;
}

/** The last offset of `room` the socket has seen (0 before any). */
const latestOffset = (socket: TestSocket, room: string): number =>
  Math.max(0, ...socket.messages.filter((m) => m.room === room && typeof m.offset === "number").map((m) => m.offset as number));

for (const mode of ["embedded", "production"] as Mode[]) {
  const available = mode === "embedded" || (serviceAvailable("postgres") && serviceAvailable("redis"));
  describe.skipIf(!available)(`wager and loss limits (${mode})`, () => {
    let shared: Shared;
    let server: RunningServer;

    beforeAll(async () => {
      shared = await createShared(mode);
      // Long betting windows: every table takes bets while the test races them.
      server = await startTestServer(shared, ["--roulette-tables", tables.join(","), "--roulette-betting-ms", "60000", "--messages-per-second-max", "1000"]);
    });
    afterAll(async () => {
      await ifAssigned(server)?.close();
      await ifAssigned(shared)?.dispose();
    });

    async function fundedPlayer(amount = 10_000n): Promise<{ userId: string; token: string }> {
      const player = await newPlayer(server.url, "lim");
      expect(
        (await server.services.wallet.deposit({ playerId: player.userId, currency: "EUR", amount, key: `d${player.userId}`, reference: "t", provider: "test" }))
          .status,
      ).toBe("ok");
      return player;
    }
    const setLimit = (player: { token: string }, kind: string, amount: string) =>
      call(server.url, "PUT", "/v1/responsible-gaming/limits", { token: player.token, body: { kind, period: "day", currency: "EUR", amount } });
    const cash = async (userId: string) => (await server.services.wallet.balances(userId)).find((b) => b.purse === "cash");

    it("never lets 30 bets racing at three roulette tables and a slot machine exceed a wager limit", async () => {
      const player = await fundedPlayer();
      expect((await setLimit(player, "wager", "10.00")).body).toMatchObject({ status: "applied", limit: { kind: "wager", amount: "10.00" } });
      const socket = await TestSocket.authenticated(server.url, player.token);
      const rounds = await bettingRounds(socket);
      const slots = `slots:${player.userId}`;
      await socket.request({ type: "join", room: slots });
      const latest = (room: string) => latestOffset(socket, room);
      const send = async (i: number): Promise<Message> => {
        if (i % 4 === 3)
          return socket.request({ type: "action", room: slots, actionId: `spin${i}`, lastOffset: latest(slots), action: { kind: "spin", stake: "1.00" } });
        const t = tables[i % 4] as string;
        for (;;) {
          const answer = await socket.request({
            type: "action",
            room: `roulette:${t}`,
            actionId: `bet${i}`,
            lastOffset: latest(`roulette:${t}`),
            action: { kind: "bet", roundId: rounds.get(t), bets: [{ type: "red", amount: "1.00" }] },
          });
          if (answer.code !== "CROUPIER_ERR_ACTION_STALE") return answer;
        }
      };
      const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => send(i)));
      const accepted = answers.filter((a) => a.type === "ack");
      const refused = answers.filter((a) => a.type !== "ack");
      expect(accepted).toHaveLength(10);
      expect(new Set(refused.map((a) => a.code))).toEqual(new Set(["CROUPIER_ERR_RG_WAGER_LIMIT_EXCEEDED"]));
      expect(refused[0]?.details).toEqual(["day wager limit 10.00 EUR; 0.00 EUR left"]);
      // The ledger took exactly the ten stakes: held at the tables, or staked (and maybe won) at the slot machine.
      const spins = accepted.filter((a) => (a.result as { totalWinMinor?: string }).totalWinMinor !== undefined);
      const won = spins.reduce((sum, a) => sum + BigInt((a.result as { totalWinMinor: string }).totalWinMinor), 0n);
      const account = await cash(player.userId);
      expect(account?.balance).toBe(10_000n - BigInt(spins.length) * 100n + won);
      expect(account?.held).toBe(BigInt(accepted.length - spins.length) * 100n);
      socket.close();
    });

    it("never lets 30 bets racing at three roulette tables exceed a loss limit: each stake counts as lost until paid", async () => {
      const player = await fundedPlayer();
      expect((await setLimit(player, "loss", "10.00")).body).toMatchObject({ status: "applied", limit: { kind: "loss", amount: "10.00" } });
      const socket = await TestSocket.authenticated(server.url, player.token);
      const rounds = await bettingRounds(socket);
      const latest = (room: string) => latestOffset(socket, room);
      const send = async (i: number): Promise<Message> => {
        const t = tables[i % 3] as string;
        for (;;) {
          const answer = await socket.request({
            type: "action",
            room: `roulette:${t}`,
            actionId: `loss${i}`,
            lastOffset: latest(`roulette:${t}`),
            action: { kind: "bet", roundId: rounds.get(t), bets: [{ type: "black", amount: "1.00" }] },
          });
          if (answer.code !== "CROUPIER_ERR_ACTION_STALE") return answer;
        }
      };
      const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => send(i)));
      expect(answers.filter((a) => a.type === "ack")).toHaveLength(10);
      expect(new Set(answers.filter((a) => a.type !== "ack").map((a) => a.code))).toEqual(new Set(["CROUPIER_ERR_RG_LOSS_LIMIT_EXCEEDED"]));
      expect((await cash(player.userId))?.held).toBe(1_000n);
      socket.close();
    });

    it("counts a whole stake against a loss limit until it is paid, and the win after", async () => {
      const player = await fundedPlayer();
      await setLimit(player, "loss", "3.00");
      const socket = await TestSocket.authenticated(server.url, player.token);
      const room = `slots:${player.userId}`;
      await socket.request({ type: "join", room });
      let lost = 0n;
      let refusedAt = -1;
      for (let i = 0; i < 200 && refusedAt < 0; i++) {
        const answer = await socket.request({ type: "action", room, actionId: `l${i}`, lastOffset: 0, action: { kind: "spin", stake: "1.00" } });
        if (answer.type !== "ack") {
          expect(answer.code).toBe("CROUPIER_ERR_RG_LOSS_LIMIT_EXCEEDED");
          refusedAt = i;
          break;
        }
        // Accepted only with room for the whole stake.
        expect(lost + 100n).toBeLessThanOrEqual(300n);
        lost += 100n - BigInt((answer.result as { totalWinMinor: string }).totalWinMinor);
      }
      expect(refusedAt).toBeGreaterThanOrEqual(0);
      expect(lost + 100n).toBeGreaterThan(300n);
      // Lowering applies at once; the player cannot loosen it before the cooling-off.
      expect((await setLimit(player, "loss", "100.00")).body).toMatchObject({ status: "pending", limit: { amount: "3.00" } });
      expect((await socket.request({ type: "action", room, actionId: "after", lastOffset: 0, action: { kind: "spin", stake: "1.00" } })).code).toBe(
        "CROUPIER_ERR_RG_LOSS_LIMIT_EXCEEDED",
      );
      socket.close();
    });
  });
}
