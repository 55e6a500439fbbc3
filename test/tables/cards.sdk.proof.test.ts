// The blackjack and hold'em proofs through the SDK over real sockets, PostgreSQL and Redis:
// several hands played to the end; one player drops mid-hand (the turn timer plays for them) and comes
// back, resuming by offset to exactly the events everyone else saw; one player never comes back and is
// stood up (at hold'em, cashed out with their final stack); the ledger balances to the minor unit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { CroupierClient, type RoomEvent } from "../../src/client/index.js";
import type { RunningServer } from "../../src/main.js";
import { serviceAvailable } from "../support/services.js";
import { createShared, startTestServer, type Shared } from "../support/server.js";
import { ifAssigned } from "../support/fixtures.js";

const depositMinor = 50_000n;
const aceRank = 12;

interface Player {
  client: CroupierClient;
  userId: string;
  events: RoomEvent[];
}

async function players(server: RunningServer, count: number): Promise<Player[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const client = new CroupierClient({ url: server.url, WebSocket, requestTimeoutMs: 10_000 });
      const username = `cards${i}${Date.now().toString(36)}${Math.floor(performance.now()).toString(36)}`;
      const user = await client.register(username, "correct horse battery");
      await client.login(username, "correct horse battery");
      expect(
        (
          await server.services.wallet.deposit({
            playerId: user.id,
            currency: "EUR",
            amount: depositMinor,
            key: `d${user.id}`,
            reference: "t",
            provider: "test",
          })
        ).status,
      ).toBe("ok");
      await client.connect();
      const player: Player = { client, userId: user.id, events: [] };
      client.on("event", (e) => player.events.push(e));
      return player;
    }),
  );
}

async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const dataOf = (e: RoomEvent) => (e.data ?? {}) as Record<string, unknown>;

/** What a resumed player received is exactly what a player who never left saw, offset by offset, with no gap. */
function expectSameStream(
  resumed: readonly RoomEvent[],
  reference: readonly RoomEvent[],
  fromOffset: number,
  room: string,
  compareData: (e: RoomEvent) => boolean,
): void {
  const mine = resumed.filter((e) => e.room === room && e.offset > fromOffset);
  const theirs = reference.filter((e) => e.room === room && e.offset > fromOffset && e.offset <= (mine.at(-1)?.offset ?? 0));
  expect(mine.length).toBeGreaterThan(0);
  expect(mine.map((e) => e.offset)).toEqual(Array.from({ length: mine.length }, (_, k) => fromOffset + 1 + k));
  // A private event is its content to its recipient and a placeholder to everyone else.
  const kind = (e: RoomEvent) => (compareData(e) ? e.kind : "private");
  expect(mine.map((e) => [e.offset, kind(e), compareData(e) ? e.data : null])).toEqual(theirs.map((e) => [e.offset, kind(e), compareData(e) ? e.data : null]));
}

describe.skipIf(!(serviceAvailable("postgres") && serviceAvailable("redis")))("blackjack and hold'em proofs through the SDK (production)", () => {
  let shared: Shared;
  let server: RunningServer;
  beforeAll(async () => {
    shared = await createShared("production");
    server = await startTestServer(shared, [
      "--blackjack-tables",
      "bp",
      "--blackjack-betting-ms",
      "1500",
      "--blackjack-turn-ms",
      "700",
      "--blackjack-absent-rounds-max",
      "3",
      // Shorter than the default 4 s, which only delays the next round; still long enough for C to leave
      // between round 1's results and round 2's betting.
      "--blackjack-results-ms",
      "1000",
      "--holdem-tables",
      "hp",
      "--holdem-turn-ms",
      "800",
      "--holdem-between-hands-ms",
      "500",
      "--holdem-turn-timeouts-max",
      "2",
      "--messages-per-second-max",
      "500",
    ]);
  });
  afterAll(async () => {
    await ifAssigned(server)?.close();
    await ifAssigned(shared)?.dispose();
  });

  it("blackjack: hands to the end, a drop and resume mid-hand, an absent player stood up, the ledger to the minor unit", async () => {
    const room = "blackjack:bp";
    const [a, b, c] = (await players(server, 3)) as [Player, Player, Player];
    const all = [a, b, c];
    for (const [seat, p] of all.entries()) {
      await p.client.join(room);
      await p.client.act(room, { kind: "sit", seat });
    }
    // Every connected player bets when betting opens, stands on their turn and declines insurance.
    for (const [seat, p] of all.entries()) {
      p.client.on("event", (e) => {
        if (e.room !== room) return;
        const d = dataOf(e);
        const act = (action: { kind: string; [k: string]: unknown }) => void p.client.act(room, action).catch(() => undefined);
        if (e.kind === "blackjack.betting_opened") act({ kind: "bet", roundId: d.roundId, amount: "10.00" });
        if (e.kind === "blackjack.turn" && d.seat === seat) act({ kind: "stand" });
        if (e.kind === "blackjack.dealer_card_dealt" && (d.card as number) >> 2 === aceRank) act({ kind: "insurance", take: false });
      });
    }
    const paid = () => a.events.filter((e) => e.kind === "blackjack.round_paid").length;
    await until(() => paid() >= 1, "round 1");
    // Round 2: C leaves for good before betting; B drops once its bet is in, mid-hand.
    c.client.close();
    await until(() => a.events.filter((e) => e.kind === "blackjack.bet_placed").length >= 5, "round 2 bets");
    b.client.close();
    const bLast = b.client.position(room)!.offset;
    await until(() => paid() >= 2, "round 2 paid");
    await b.client.connect();
    await until(() => paid() >= 5 && a.events.some((e) => e.kind === "blackjack.seat_left"), "rounds 3 to 5 and C stood up", 90_000);
    expectSameStream(b.events, a.events, bLast, room, () => true);
    const left = a.events.find((e) => e.kind === "blackjack.seat_left")!;
    expect(left.data).toMatchObject({ seat: 2, userId: c.userId, reason: "absent" });

    // Each balance from the events alone: stakes out, returns in; nothing held after the last round paid.
    await b.client.act(room, { kind: "leave_seat" }).catch(() => undefined);
    await until(() => a.events.at(-1)?.kind === "blackjack.round_paid" || a.events.at(-1)?.kind === "blackjack.seat_left", "a quiet table");
    a.client.close();
    b.client.close();
    await new Promise((r) => setTimeout(r, 3_000));
    const events = a.events.filter((e) => e.room === room);
    const lastPaid = Math.max(...events.filter((e) => e.kind === "blackjack.round_paid").map((e) => e.offset));
    for (const [seat, p] of all.entries()) {
      let expected = depositMinor;
      for (const e of events.filter((x) => x.offset <= lastPaid)) {
        const d = dataOf(e);
        if ((e.kind === "blackjack.bet_placed" || e.kind === "blackjack.stake_added") && d.seat === seat) expected -= BigInt(d.amountMinor as string);
        if (e.kind === "blackjack.round_paid") expected += BigInt((d.returns as Record<string, string>)[String(seat)] ?? "0");
      }
      const cash = (await server.services.wallet.balances(p.userId)).find((x) => x.purse === "cash")!;
      // A bet reserved in a round opened since is held, not spent: it does not change the balance.
      expect([seat, cash.balance]).toEqual([seat, expected]);
    }
    expect(await server.services.wallet.check()).toMatchObject({ ok: true });
  }, 150_000);

  it("hold'em: hands to the end, a drop and resume mid-hand, an absent player cashed out once, chips and rake conserved", async () => {
    const room = "holdem:hp";
    const [a, b, c] = (await players(server, 3)) as [Player, Player, Player];
    const all = [a, b, c];
    for (const [seat, p] of all.entries()) {
      await p.client.join(room);
      await p.client.act(room, { kind: "sit", seat, buyIn: "100.00" });
    }
    for (const [seat, p] of all.entries()) {
      p.client.on("event", (e) => {
        const d = dataOf(e);
        if (e.room === room && e.kind === "holdem.turn" && d.seat === seat) {
          void p.client.act(room, { kind: d.toCallMinor === "0" ? "check" : "call" }).catch(() => undefined);
        }
      });
    }
    const completed = () => a.events.filter((e) => e.kind === "holdem.hand_completed").length;
    await until(() => completed() >= 1, "hand 1");
    await until(() => a.events.filter((e) => e.kind === "holdem.hand_started").length >= 2, "hand 2");
    // Hand 2: C leaves for good; B drops until the timer has played one turn for them, then resumes.
    c.client.close();
    b.client.close();
    const bLast = b.client.position(room)!.offset;
    const timedOutForB = () => a.events.some((e) => e.offset > bLast && (e.kind === "holdem.checked" || e.kind === "holdem.folded") && dataOf(e).seat === 1);
    await until(timedOutForB, "a turn played for B");
    await b.client.connect();
    await until(() => a.events.some((e) => e.kind === "holdem.stood_up"), "C stood up", 90_000);
    const handsBefore = completed();
    await until(() => completed() >= Math.max(4, handsBefore + 1), "more hands");
    // Private events stay private after a resume: B's own hole cards, placeholders for the others'.
    expectSameStream(b.events, a.events, bLast, room, (e) => e.kind !== "holdem.hole_cards" && e.kind !== "redacted");
    expect(b.events.filter((e) => e.kind === "holdem.hole_cards").every((e) => dataOf(e).recipientSeat === 1)).toBe(true);
    const stood = a.events.find((e) => e.kind === "holdem.stood_up")!;
    expect(stood.data).toMatchObject({ seat: 2, userId: c.userId, reason: "absent" });
    expect(a.events.filter((e) => e.kind === "holdem.stood_up")).toHaveLength(1);

    // Both leave between hands (the first try may land mid-hand: retried until it is accepted).
    for (const p of [a, b]) {
      for (let left = false; !left;) {
        left = await p.client.act(room, { kind: "leave" }).then(
          () => true,
          () => false,
        );
        if (!left) await new Promise((r) => setTimeout(r, 100));
      }
    }
    const lefts = a.events.filter((e) => e.kind === "holdem.left");
    await until(() => b.events.filter((e) => e.kind === "holdem.left").length >= 3, "B sees every leave");
    const finalStack = (seat: number) =>
      BigInt(dataOf([...b.events.filter((e) => e.kind === "holdem.left")].find((e) => dataOf(e).seat === seat)!).stackMinor as string);
    expect(BigInt(dataOf(stood).stackMinor as string)).toBe(finalStack(2));
    const rake = b.events.filter((e) => e.kind === "holdem.hand_completed").reduce((sum, e) => sum + BigInt(dataOf(e).rakeMinor as string), 0n);
    let total = 0n;
    for (const [seat, p] of all.entries()) {
      const cash = (await server.services.wallet.balances(p.userId)).find((x) => x.purse === "cash")!;
      expect([seat, cash.balance, cash.held]).toEqual([seat, depositMinor - 10_000n + finalStack(seat), 0n]);
      total += cash.balance;
    }
    expect(lefts.length).toBeGreaterThanOrEqual(1);
    expect(total + rake).toBe(3n * depositMinor);
    expect(await server.services.wallet.check()).toMatchObject({ ok: true });
    a.client.close();
    b.client.close();
  }, 150_000);
});
