// Game recall for the card tables: a blackjack round and hold'em hands played over real sockets, then
// fetched with GET /v1/rounds by the player who played them (and by an operator). Each record is
// settled, holds the player's stakes and payouts, and those match what the ledger moved for them; the
// outcome shows hole cards only when a showdown showed them. And a busted hold'em player is stood up.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { call } from "../support/http.js";
import { serviceAvailable } from "../support/services.js";
import { createShared, startTestServer, type Mode, type Shared } from "../support/server.js";
import { checkRound, type RecalledRoundJson } from "../../src/engine/fairness/index.js";
import { newPlayer, newStaff, TestSocket, type Message } from "../support/ws-client.js";
import { ifAssigned } from "../support/fixtures.js";
import { match } from "../support/matchers.js";

const depositMinor = 50_000n;

interface Bet {
  betId: string;
  userId: string;
  stakeMinor: string;
  payoutMinor: string | null;
  detail: Record<string, unknown>;
}
interface Round {
  roundId: string;
  game: string;
  status: string;
  outcome: Record<string, unknown> | null;
  verification: Record<string, unknown> | null;
  openedAt: string;
  closedAt: string | null;
  settledAt: string | null;
  bets: Bet[];
}

const seen = (s: TestSocket, room: string) =>
  Math.max(0, ...s.messages.filter((m) => m.room === room && typeof m.offset === "number").map((m) => m.offset as number));
const dataOf = (m: Message) => (m.data ?? {}) as Record<string, unknown>;

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

for (const mode of ["embedded", "production"] as Mode[]) {
  const available = mode === "embedded" || (serviceAvailable("postgres") && serviceAvailable("redis"));
  describe.skipIf(!available)(`card tables in game recall (${mode})`, () => {
    let shared: Shared;
    let server: RunningServer;
    let operator: string;
    beforeAll(async () => {
      shared = await createShared(mode);
      server = await startTestServer(shared, [
        "--blackjack-tables",
        "br",
        "--blackjack-betting-ms",
        "1500",
        "--blackjack-turn-ms",
        "3000",
        "--holdem-tables",
        "hr,hb",
        "--holdem-turn-ms",
        "3000",
        "--holdem-between-hands-ms",
        "300",
        "--messages-per-second-max",
        "500",
      ]);
      operator = (await newStaff(server, ["operator"])).token;
    });
    afterAll(async () => {
      await ifAssigned(server)?.close();
      await ifAssigned(shared)?.dispose();
    });

    async function seated(room: string, count: number, sit: (seat: number) => Record<string, unknown>) {
      const people = await Promise.all(Array.from({ length: count }, () => newPlayer(server.url)));
      for (const p of people)
        expect(
          (
            await server.services.wallet.deposit({
              playerId: p.userId,
              currency: "EUR",
              amount: depositMinor,
              key: `d${p.userId}`,
              reference: "t",
              provider: "test",
            })
          ).status,
        ).toBe("ok");
      const sockets = await Promise.all(people.map((p) => TestSocket.authenticated(server.url, p.token)));
      for (const [seat, s] of sockets.entries()) {
        await s.request({ type: "join", room });
        expect(
          await s.request({ type: "action", room, actionId: `sit${seat}`, lastOffset: seen(s, room), action: { kind: "sit", seat, ...sit(seat) } }),
        ).toMatchObject({ type: "ack" });
      }
      return { people, sockets };
    }

    const recall = async (token: string) => (await call<{ rounds: Round[] }>(server.url, "GET", "/v1/rounds?limit=100", { token })).body.rounds;
    const cashOf = async (userId: string) => (await server.services.wallet.balances(userId)).find((b) => b.purse === "cash")!;

    it("blackjack: the player recalls the settled round with their stakes (doubles too) and payouts that match the ledger", async () => {
      const room = "blackjack:br";
      const {
        people: [p],
        sockets: [s],
      } = await seated(room, 1, () => ({}));
      const opened = await s!.waitFor((m) => m.kind === "blackjack.betting_opened", 10_000);
      const roundId = dataOf(opened).roundId as string;
      expect(
        await s!.request({ type: "action", room, actionId: "bet", lastOffset: seen(s!, room), action: { kind: "bet", roundId, amount: "10.00" } }),
      ).toMatchObject({ type: "ack" });
      // On each turn: double if the hand allows it, else stand; decline insurance when offered.
      const paid = () => s!.events(room).some((m) => m.kind === "blackjack.round_paid" && dataOf(m).roundId === roundId);
      const done = new Set<number>();
      await until(() => {
        const turn = s!
          .events(room)
          .filter((m) => m.kind === "blackjack.turn" && dataOf(m).roundId === roundId)
          .at(-1);
        if (turn !== undefined && !done.has(turn.offset as number) && !paid()) {
          done.add(turn.offset as number);
          void s!
            .request({ type: "action", room, actionId: `t${String(turn.offset)}`, lastOffset: seen(s!, room), action: { kind: "double" } })
            .then((ack) =>
              ack.type === "ack"
                ? undefined
                : s!.request({ type: "action", room, actionId: `s${String(turn.offset)}`, lastOffset: seen(s!, room), action: { kind: "stand" } }),
            );
        }
        return paid();
      }, `round ${roundId} paid`);
      s!.close();

      const round = (await recall(p!.token)).find((r) => r.roundId === roundId)!;
      expect(round).toMatchObject({
        game: "blackjack",
        status: "settled",
        verification: { provablyFair: true, serverSeed: null, clientSeed: match.any(String), shuffle: "fisher-yates" },
      });
      expect([round.closedAt !== null, round.settledAt !== null]).toEqual([true, true]);
      const outcome = round.outcome as { dealer: { cards: number[]; total: number }; seats: { seat: number; hands: { cards: number[]; outcome: string }[] }[] };
      expect(outcome.dealer.cards.length).toBeGreaterThanOrEqual(2);
      expect(outcome.seats[0]!.hands[0]!.cards.length).toBeGreaterThanOrEqual(2);
      expect(round.bets.length).toBeGreaterThanOrEqual(1);
      expect(round.bets.every((b) => b.userId === p!.userId && b.payoutMinor !== null)).toBe(true);
      expect(round.bets[0]).toMatchObject({ betId: `${roundId}:0:bet`, stakeMinor: "1000", detail: { seat: 0, reason: "bet" } });
      // Stakes recorded: the bet plus any double, as the events announced them.
      const staked = s!
        .events(room)
        .filter((m) => (m.kind === "blackjack.bet_placed" || m.kind === "blackjack.stake_added") && dataOf(m).roundId === roundId)
        .reduce((sum, m) => sum + BigInt(dataOf(m).amountMinor as string), 0n);
      const stakes = round.bets.reduce((sum, b) => sum + BigInt(b.stakeMinor), 0n);
      const payouts = round.bets.reduce((sum, b) => sum + BigInt(b.payoutMinor!), 0n);
      expect(stakes).toBe(staked);
      const cash = await cashOf(p!.userId);
      expect([cash.balance, cash.held]).toEqual([depositMinor - stakes + payouts, 0n]);
      // The operator recalls the same round whole.
      const seenByOperator = await call<Round>(server.url, "GET", `/v1/rounds/${encodeURIComponent(roundId)}`, { token: operator });
      expect([seenByOperator.status, seenByOperator.body.status, seenByOperator.body.bets.length]).toEqual([200, "settled", round.bets.length]);
    }, 60_000);

    it("hold'em: each player recalls their hands; folded hole cards are nobody else's business; payouts match the cash-out", async () => {
      const room = "holdem:hr";
      const { people, sockets } = await seated(room, 2, () => ({ buyIn: "100.00" }));
      const watcher = sockets[0]!;
      const completed = (hand: number) => watcher.events(room).some((m) => m.kind === "holdem.hand_completed" && dataOf(m).handNumber === hand);
      // Hand 1: the first player to act folds. Hand 2: everyone checks or calls to the showdown.
      for (const hand of [1, 2]) {
        await watcher.waitFor((m) => m.kind === "holdem.hand_started" && dataOf(m).handNumber === hand, 15_000);
        const done = new Set<number>();
        await until(() => {
          const turn = watcher
            .events(room)
            .filter((m) => m.kind === "holdem.turn")
            .at(-1);
          if (turn !== undefined && !done.has(turn.offset as number) && !completed(hand)) {
            done.add(turn.offset as number);
            const actor = sockets[dataOf(turn).seat as number]!;
            const kind = hand === 1 ? "fold" : dataOf(turn).toCallMinor === "0" ? "check" : "call";
            // The actor acts once they have seen the turn: an action from before the deal is stale.
            void actor
              .waitFor((m) => m.room === room && m.offset === turn.offset)
              .then(() =>
                actor.request({ type: "action", room, actionId: `h${hand}-${String(turn.offset)}`, lastOffset: seen(actor, room), action: { kind } }),
              );
          }
          return completed(hand);
        }, `hand ${hand}`);
      }
      // Both leave between hands (a try that lands in the next hand is refused and retried).
      for (const [seat, s] of sockets.entries()) {
        for (let left = false, n = 0; !left; n++) {
          left =
            (await s.request({ type: "action", room, actionId: `leave${seat}-${n}`, lastOffset: seen(s, room), action: { kind: "leave" } })).type === "ack";
          if (!left) {
            // A third hand started: whoever is on turn folds so it ends.
            const turn = watcher
              .events(room)
              .filter((m) => m.kind === "holdem.turn")
              .at(-1);
            if (turn !== undefined)
              await sockets[dataOf(turn).seat as number]!.request({
                type: "action",
                room,
                actionId: `f${String(turn.offset)}`,
                lastOffset: seen(sockets[dataOf(turn).seat as number]!, room),
                action: { kind: "fold" },
              });
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      }
      const holeCards = sockets.map((s) =>
        s
          .events(room)
          .filter((m) => m.kind === "holdem.hole_cards")
          .map((m) => dataOf(m).cards as number[]),
      );
      const folder = dataOf(watcher.events(room).find((m) => m.kind === "holdem.folded")!).seat as number;
      for (const [seat, p] of people.entries()) {
        const rounds = (await recall(p.token)).filter((r) => r.game === "holdem" && r.roundId.startsWith("hr:hand:"));
        expect(rounds.length).toBeGreaterThanOrEqual(2);
        let net = 0n;
        for (const round of rounds) {
          expect([round.roundId, round.status]).toEqual([round.roundId, "settled"]);
          // Provably fair: the hand's chain seed is revealed once it is over, and `croupier verify --round` accepts it.
          expect(round.verification).toMatchObject({
            scheme: "hmac-sha256-v1",
            provablyFair: true,
            clientSeed: round.roundId,
            serverSeed: match.stringMatching(/^[0-9a-f]{64}$/),
            shuffle: "fisher-yates",
            deckCards: 52,
          });
          expect(checkRound(round as unknown as RecalledRoundJson).verdict).toBe("MATCHES");
          // A player sees only their own bet, with their own hole cards in it.
          expect(round.bets).toHaveLength(1);
          const [bet] = round.bets as [Bet];
          const hand = Number(round.roundId.split(":").at(-1));
          expect(bet).toMatchObject({ betId: `${round.roundId}:${seat}`, userId: p.userId, detail: { seat, holeCards: holeCards[seat]![hand - 1] } });
          expect(BigInt(bet.stakeMinor)).toBeGreaterThan(0n);
          net += BigInt(bet.payoutMinor!) - BigInt(bet.stakeMinor);
          const outcome = round.outcome as { board: number[]; showdown: { seat: number; cards: number[] }[]; pots: unknown[]; rakeMinor: string };
          expect(outcome.pots.length).toBeGreaterThanOrEqual(1);
          if (hand === 1) {
            // Nobody showed: no hole card at all in the shared outcome.
            expect([outcome.board, outcome.showdown]).toEqual([[], []]);
            expect(JSON.stringify(outcome)).not.toContain("holeCards");
            expect(bet.payoutMinor === "0").toBe(seat === folder);
          }
          if (hand === 2) {
            expect(outcome.board).toHaveLength(5);
            expect(outcome.showdown.map((s) => [s.seat, s.cards]).sort()).toEqual([
              [0, holeCards[0]![1]],
              [1, holeCards[1]![1]],
            ]);
          }
        }
        // What the hands moved is what the ledger moved when the player cashed out.
        const cash = await cashOf(p.userId);
        expect([seat, cash.balance, cash.held]).toEqual([seat, depositMinor + net, 0n]);
      }
      // The operator sees every player's bet in a hand.
      const hand1 = await call<Round>(server.url, "GET", "/v1/rounds/hr:hand:1", { token: operator });
      expect(hand1.body.bets.map((b) => b.userId).sort()).toEqual(people.map((p) => p.userId).sort());
      for (const s of sockets) s.close();
    }, 90_000);

    it("hold'em: a busted player is stood up between hands, their buy-in settled once with nothing left", async () => {
      const room = "holdem:hb";
      const { people, sockets } = await seated(room, 2, () => ({ buyIn: "100.00" }));
      const watcher = sockets[0]!;
      const stood = () => watcher.events(room).find((m) => m.kind === "holdem.stood_up");
      // Every turn goes all in (or calls one); a split pot just deals again.
      const done = new Set<number>();
      await until(
        () => {
          const turn = watcher
            .events(room)
            .filter((m) => m.kind === "holdem.turn")
            .at(-1);
          if (turn !== undefined && !done.has(turn.offset as number) && stood() === undefined) {
            done.add(turn.offset as number);
            const actor = sockets[dataOf(turn).seat as number]!;
            void actor
              .waitFor((m) => m.room === room && m.offset === turn.offset)
              .then(() =>
                actor.request({ type: "action", room, actionId: `a${String(turn.offset)}`, lastOffset: seen(actor, room), action: { kind: "all_in" } }),
              );
          }
          return stood() !== undefined;
        },
        "a player busted",
        60_000,
      );
      const busted = dataOf(stood()!);
      expect(busted).toMatchObject({ reason: "busted", stackMinor: "0" });
      const loser = busted.seat as number;
      expect(busted.userId).toBe(people[loser]!.userId);
      await watcher.waitFor((m) => m.kind === "holdem.left" && dataOf(m).seat === loser);
      // The busted player holds nothing: the buy-in went to the table, once.
      const lost = await cashOf(people[loser]!.userId);
      expect([lost.balance, lost.held]).toEqual([depositMinor - 10_000n, 0n]);
      // No hand is dealt to one player; the winner leaves with the chips.
      const winner = 1 - loser;
      const w = sockets[winner]!;
      expect(await w.request({ type: "action", room, actionId: "leave", lastOffset: seen(w, room), action: { kind: "leave" } })).toMatchObject({ type: "ack" });
      const rake = watcher
        .events(room)
        .filter((m) => m.kind === "holdem.hand_completed")
        .reduce((sum, m) => sum + BigInt(dataOf(m).rakeMinor as string), 0n);
      const won = await cashOf(people[winner]!.userId);
      expect([won.balance, won.held]).toEqual([depositMinor + 10_000n - rake, 0n]);
      expect(watcher.events(room).filter((m) => m.kind === "holdem.stood_up")).toHaveLength(1);
      expect(await server.services.wallet.check()).toMatchObject({ ok: true });
      for (const s of sockets) s.close();
    }, 90_000);
  });
}
