// Proof from outside: real blackjack rounds played through the server over the WebSocket, then each
// round's shoe and every card dealt recomputed from what the protocol and game recall gave the player,
// with the algorithm of docs/FAIRNESS.md written here on node:crypto (none of the engine's code is used).
// The table runs one-deck shoes with the cut card at the start, so every round gets a new shoe and the
// previous shoe's seed is revealed when the next round opens.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { createShared, startTestServer, type Shared } from "../support/server.js";
import { newPlayer, TestSocket } from "../support/ws-client.js";
import { call } from "../support/http.js";
import { runCroupier } from "../support/process.js";
import { sha256, stream, uniform, type Stream } from "./independent-fairness.js";
import { ifAssigned } from "../support/fixtures.js";

// ---- docs/FAIRNESS.md, independently -------------------------------------------------------------

/** The shoe: `decks` ordered decks (card i is i mod 52), Fisher–Yates from the last position down, each swapping with uniform(i + 1). */
function shoeOf(s: Stream, decks: number): number[] {
  const cards = Array.from({ length: decks * 52 }, (_, i) => i % 52);
  for (let i = cards.length - 1; i > 0; i--) {
    const j = uniform(s, i + 1);
    [cards[i], cards[j]] = [cards[j]!, cards[i]!];
  }
  return cards;
}

// --------------------------------------------------------------------------------------------------

interface Chain {
  id: number;
  commitment: string;
  index: number;
  length: number;
}
interface Commitment {
  roundId: string;
  shoeId: string;
  newShoe: boolean;
  serverSeedHash: string;
  clientSeed: string;
  nonce: number;
  chain: Chain;
}
interface Verification {
  provablyFair: boolean;
  serverSeedHash: string;
  serverSeed: string | null;
  clientSeed: string;
  nonce: number;
  cursor: number;
  uint32sDrawn: number;
  chain: Chain;
  shoeId: string;
  decks: number;
  shoeFirstCard: number;
  cardsDealt: number;
  shoeNextCard: number;
}
interface Outcome {
  dealer: { cards: number[] };
  seats: { seat: number; hands: { cards: number[] }[] }[];
}
interface Recalled {
  roundId: string;
  game: string;
  status: string;
  outcome: Outcome;
  verification: Verification;
}

const seen = (s: TestSocket, room: string) =>
  Math.max(0, ...s.messages.filter((m) => m.room === room && typeof m.offset === "number").map((m) => m.offset as number));

describe("blackjack shoes, checked by the player (production)", () => {
  let shared: Shared;
  let server: RunningServer;

  beforeAll(async () => {
    shared = await createShared("production");
    server = await startTestServer(shared, [
      "--blackjack-tables",
      "pfb",
      "--blackjack-decks",
      "1",
      "--blackjack-cut-card-from-end",
      "52",
      "--blackjack-betting-ms",
      "800",
      "--blackjack-turn-ms",
      "1500",
      // The results pause before round 2 opens (4 s by default) only delays the proof.
      "--blackjack-results-ms",
      "200",
      "--messages-per-second-max",
      "500",
    ]);
  }, 120_000);
  afterAll(async () => {
    await ifAssigned(server)?.close();
    await ifAssigned(shared)?.dispose();
  });

  it("each shoe is committed before its round, revealed when replaced, and every card recomputed from recall", async () => {
    const player = await newPlayer(server.url);
    expect(
      (
        await server.services.wallet.deposit({
          playerId: player.userId,
          currency: "EUR",
          amount: 100_000n,
          key: `d-${player.userId}`,
          reference: "t",
          provider: "test",
        })
      ).status,
    ).toBe("ok");
    const socket = await TestSocket.authenticated(server.url, player.token);
    const room = "blackjack:pfb";
    await socket.request({ type: "join", room });
    expect(await socket.request({ type: "action", room, actionId: "sit", lastOffset: seen(socket, room), action: { kind: "sit", seat: 0 } })).toMatchObject({
      type: "ack",
    });
    const chainEvent = await socket.waitFor((m) => m.room === room && m.kind === "fairness.chain", 10_000);
    const chain = chainEvent.data as { commitment: string; chainId: number };
    expect(chain.commitment).toMatch(/^[0-9a-f]{64}$/);

    // Two rounds: bet, stand on every turn (the timer declines insurance), wait for the payout.
    const rounds: { commitment: Commitment; cardsSeen: number[] }[] = [];
    for (let r = 0; r < 2; r++) {
      const opened = await socket.waitFor(
        (m) =>
          m.room === room && m.kind === "blackjack.betting_opened" && !rounds.some((x) => x.commitment.roundId === (m.data as { roundId: string }).roundId),
        15_000,
      );
      const roundId = (opened.data as { roundId: string }).roundId;
      // The round's commitment came before its betting opened, so before any bet.
      const committed = socket.messages.find((m) => m.room === room && m.kind === "fairness.round" && (m.data as Commitment).roundId === roundId);
      expect(committed).toBeDefined();
      expect((committed!.offset as number) < (opened.offset as number)).toBe(true);
      const commitment = committed!.data as Commitment;
      expect(commitment).toMatchObject({ shoeId: roundId, clientSeed: roundId, newShoe: true, chain: { id: chain.chainId, commitment: chain.commitment } });
      expect(commitment.nonce).toBe(commitment.chain.index);
      expect(
        await socket.request({ type: "action", room, actionId: `bet${r}`, lastOffset: seen(socket, room), action: { kind: "bet", roundId, amount: "1.00" } }),
      ).toMatchObject({ type: "ack" });
      const paid = () => socket.events(room).some((m) => m.kind === "blackjack.round_paid" && (m.data as { roundId: string }).roundId === roundId);
      const acted = new Set<number>();
      const deadline = Date.now() + 30_000;
      while (!paid()) {
        expect(Date.now()).toBeLessThan(deadline);
        const turn = socket
          .events(room)
          .filter((m) => m.kind === "blackjack.turn" && (m.data as { roundId: string }).roundId === roundId)
          .at(-1);
        if (turn !== undefined && !acted.has(turn.offset as number)) {
          acted.add(turn.offset as number);
          await socket.request({
            type: "action",
            room,
            actionId: `stand${r}-${String(turn.offset)}`,
            lastOffset: seen(socket, room),
            action: { kind: "stand" },
          });
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      // The cards as the events showed them, in the order dealt (the hole card when it was revealed).
      const cardsSeen = socket
        .events(room)
        .filter(
          (m) =>
            (m.data as { roundId?: string }).roundId === roundId &&
            ["blackjack.card_dealt", "blackjack.dealer_card_dealt", "blackjack.dealer_hole_card_revealed"].includes(m.kind as string),
        )
        .map((m) => (m.data as { card: number }).card);
      rounds.push({ commitment, cardsSeen });
    }

    // Before its shoe is replaced, a round's recall holds the commitment, never the seed.
    const second = await call<Recalled>(server.url, "GET", `/v1/rounds/${encodeURIComponent(rounds[1]!.commitment.roundId)}`, { token: player.token });
    expect(second.body.verification).toMatchObject({ provablyFair: true, serverSeed: null, serverSeedHash: rounds[1]!.commitment.serverSeedHash });

    // Round 2's commitment is round 1's shoe seed (the chain links shoe to shoe), and the table announced it.
    const revealed = socket
      .events(room)
      .find((m) => m.kind === "blackjack.shoe_revealed" && (m.data as { shoeId: string }).shoeId === rounds[0]!.commitment.shoeId);
    expect(revealed).toBeDefined();
    const revealedSeed = (revealed!.data as { serverSeed: string }).serverSeed;
    expect(rounds[1]!.commitment.serverSeedHash).toBe(revealedSeed);
    expect(
      (revealed!.offset as number) >
        (socket.events(room).find((m) => m.kind === "blackjack.round_paid" && (m.data as { roundId: string }).roundId === rounds[0]!.commitment.roundId)!
          .offset as number),
    ).toBe(true);

    // Game recall of round 1, read as the player: everything recomputed from it alone.
    const recalled = await call<Recalled>(server.url, "GET", `/v1/rounds/${encodeURIComponent(rounds[0]!.commitment.roundId)}`, { token: player.token });
    expect(recalled.status).toBe(200);
    const v = recalled.body.verification;
    expect(v.serverSeed).toBe(revealedSeed);
    expect(sha256(v.serverSeed!)).toBe(rounds[0]!.commitment.serverSeedHash);
    expect(v.serverSeedHash).toBe(rounds[0]!.commitment.serverSeedHash);
    let hashed = v.serverSeed!;
    for (let i = 0; i < v.chain.index; i++) hashed = sha256(hashed);
    expect(hashed).toBe(chain.commitment);
    expect([v.clientSeed, v.nonce, v.shoeId, v.decks, v.shoeFirstCard]).toEqual([
      rounds[0]!.commitment.roundId,
      v.chain.index,
      rounds[0]!.commitment.roundId,
      1,
      0,
    ]);
    const s = stream(v.serverSeed!, v.clientSeed, v.nonce);
    const shoe = shoeOf(s, v.decks);
    expect([s.drawn, s.cursor]).toEqual([v.uint32sDrawn, v.cursor]);
    // Casino order with one seat that stood: seat, dealer up, seat, hole, then the dealer's draws.
    const { dealer, seats } = recalled.body.outcome;
    expect(seats.map((seat) => seat.hands.map((h) => h.cards))).toEqual([[[shoe[0], shoe[2]]]]);
    expect(dealer.cards).toEqual([shoe[1], shoe[3], ...shoe.slice(4, 4 + dealer.cards.length - 2)]);
    expect(v.cardsDealt).toBe(2 + dealer.cards.length);
    expect(v.shoeNextCard).toBe(v.cardsDealt);
    // The live events showed the same cards (the hole card at its reveal, after the player's turn).
    expect([...rounds[0]!.cardsSeen].sort()).toEqual(shoe.slice(0, v.cardsDealt).sort());

    // `croupier verify --round` on the round as recalled: MATCHES; with the dealer's hole card changed: MISMATCH.
    const good = await runCroupier(["verify", "--round", "-"], { stdin: JSON.stringify(recalled.body) });
    expect([good.code, good.stdout.trim().split("\n").at(-1)]).toEqual([0, "MATCHES"]);
    const altered = {
      ...recalled.body,
      outcome: { ...recalled.body.outcome, dealer: { ...dealer, cards: [dealer.cards[0], (dealer.cards[1]! + 1) % 52, ...dealer.cards.slice(2)] } },
    };
    const bad = await runCroupier(["verify", "--round", "-"], { stdin: JSON.stringify(altered) });
    expect([bad.code, bad.stdout.trim().split("\n").at(-1)]).toEqual([1, "MISMATCH"]);
    // Round 2's shoe is not revealed yet: the command says so instead of guessing.
    const unrevealed = await runCroupier(["verify", "--round", "-"], { stdin: JSON.stringify(second.body) });
    expect(unrevealed.code).toBe(1);
    expect(unrevealed.stdout).toContain("not revealed yet");
    socket.close();
  }, 120_000);
});
