// The node that owns a blackjack or hold'em table is killed with SIGKILL mid-round: the surviving node
// takes the table over from its snapshot, the round goes on (the turn timer acts for the players whose
// node died) and ends exactly once; every player's money and the ledger balance afterwards.
import { describe, expect, it } from "vitest";
import { createPgDb } from "../../src/adapters/postgres/sql-db.pg.js";
import type { SqlDb } from "../../src/adapters/postgres/sql-db.js";
import { createSqlLedgerStore } from "../../src/adapters/postgres/ledger-store.sql.js";
import { SqlRoundStore } from "../../src/adapters/postgres/round-store.sql.js";
import { createWallet, type Wallet } from "../../src/app/wallet/index.js";
import { redisUrl, serviceAvailable } from "../support/services.js";
import { createShared, startTestServer, type Shared } from "../support/server.js";
import { serveCroupier, type ServingProcess } from "../support/process.js";
import { newPlayer, TestSocket, type Message } from "../support/ws-client.js";

const production = serviceAvailable("postgres") && serviceAvailable("redis");
const leaseFlags = ["--lease-ttl-ms", "3000", "--action-timeout-ms", "4000", "--messages-per-second-max", "500"];

interface Cluster {
  shared: Shared;
  owner: ServingProcess;
  survivor: ServingProcess;
  db: SqlDb;
  wallet: Wallet;
  sockets: TestSocket[];
}

async function startCluster(flags: string[]): Promise<Cluster> {
  const shared = await createShared("production");
  const env = {
    DATABASE_URL: shared.databaseUrl as string,
    REDIS_URL: redisUrl,
    CROUPIER_REDIS_KEY_PREFIX: shared.redisKeyPrefix,
    CROUPIER_DATA_DIR: shared.dataDir,
    LOG_LEVEL: "warn",
  };
  const owner = await serveCroupier([...flags, ...leaseFlags], env);
  const survivor = await serveCroupier([...flags, ...leaseFlags], env);
  const db = createPgDb({
    connectionString: shared.databaseUrl as string,
    poolConnectionsMax: 4,
    statementTimeoutMs: 10_000,
    applicationName: "cards-failover-test",
  });
  return { shared, owner, survivor, db, wallet: createWallet(createSqlLedgerStore(db)), sockets: [] };
}

async function stopCluster(c: Cluster): Promise<void> {
  for (const s of c.sockets) s.close();
  await c.owner.stop("SIGKILL");
  await c.survivor.stop();
  await c.db.close();
  await c.shared.dispose();
}

/** The last offset a socket saw in the room (actions carry it). */
const seen = (s: TestSocket, room: string) =>
  Math.max(0, ...s.messages.filter((m) => m.room === room && typeof m.offset === "number").map((m) => m.offset as number));

/** An action with a generous reply timeout: during a takeover the reply can take the owner's action timeout. */
/** Sends an action as a client does: one that crossed a barrier it had not seen yet (ACTION_STALE) is sent again from the newer offset. */
async function act(s: TestSocket, room: string, actionId: string, action: Record<string, unknown>, timeoutMs = 15_000): Promise<Message> {
  for (let attempt = 0; ; attempt++) {
    const id = s.nextId();
    s.send({ type: "action", room, actionId, lastOffset: seen(s, room), action, id });
    const reply = await s.waitFor((m) => m.id === id && m.type !== "event", timeoutMs);
    if (reply.code !== "CROUPIER_ERR_ACTION_STALE" || attempt >= 5) return reply;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const roundOf = (m: Message) => (m.data as { roundId?: string } | undefined)?.roundId;
const live = (s: TestSocket) => s.closeCode === null && s.ws.readyState === s.ws.OPEN;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!production)("card tables whose owner is killed mid-round (real processes)", () => {
  it("blackjack: the survivor plays the round on from the snapshot and pays it exactly once; the ledger balances", async () => {
    const c = await startCluster(["--blackjack-tables", "f1", "--blackjack-betting-ms", "4000", "--blackjack-turn-ms", "2500"]);
    try {
      const room = "blackjack:f1";
      const deposit = 10_000n;
      const people = await Promise.all([0, 1, 2].map(() => newPlayer(c.owner.url)));
      for (const p of people)
        expect(
          (await c.wallet.deposit({ playerId: p.userId, currency: "EUR", amount: deposit, key: `d-${p.userId}`, reference: p.userId, provider: "test" }))
            .status,
        ).toBe("ok");
      // The first join makes the first node the table's owner; the other players sit through the survivor.
      const first = await TestSocket.authenticated(c.owner.url, people[0]!.token);
      c.sockets.push(first);
      expect((await first.request({ type: "join", room })).type).toBe("joined");
      const others = await Promise.all(people.slice(1).map((p) => TestSocket.authenticated(c.survivor.url, p.token)));
      c.sockets.push(...others);
      await Promise.all(others.map(async (s) => expect((await s.request({ type: "join", room })).type).toBe("joined")));
      const players = [first, ...others];
      const watcher = others[0]!;
      for (const [seat, s] of players.entries()) {
        // The first seat taken opens betting (a barrier): a later sit must come from after it.
        if (seat > 0) await s.waitFor((m) => m.kind === "blackjack.seat_taken" && (m.data as { seat: number }).seat === seat - 1, 10_000);
        expect(await act(s, room, `sit${seat}`, { kind: "sit", seat })).toMatchObject({ type: "ack" });
      }

      // Rounds are played until one is caught mid-turns: a stake added (a double) or a hit, and hands still to play.
      const rounds: string[] = [];
      let killedIn: string | null = null;
      for (let attempt = 0; attempt < 5 && killedIn === null; attempt++) {
        const opened = await watcher.waitFor((m) => m.kind === "blackjack.betting_opened" && !rounds.includes(roundOf(m) ?? ""), 30_000);
        const roundId = roundOf(opened) as string;
        rounds.push(roundId);
        await Promise.all(
          players.map(async (s) => {
            await s.waitFor((m) => m.room === room && m.offset === opened.offset, 10_000);
            expect(await act(s, room, `${roundId}-bet`, { kind: "bet", roundId, amount: "10.00" })).toMatchObject({ type: "ack" });
          }),
        );
        // The deal: a first turn (perhaps after the timer declined insurance for everyone), or a round settled at once.
        const dealt = await watcher.waitFor((m) => roundOf(m) === roundId && (m.kind === "blackjack.turn" || m.kind === "blackjack.round_settled"), 20_000);
        if (dealt.kind === "blackjack.round_settled") continue;
        const seat = (dealt.data as { seat: number }).seat;
        const actor = players[seat]!;
        // The owner's own player doubles (an extra hold mid-round); a survivor's player hits.
        const ack = await act(actor, room, `${roundId}-${dealt.offset as number}`, { kind: seat === 0 ? "double" : "hit" });
        if (ack.type !== "ack") continue;
        await actor.waitFor((m) => m.room === room && m.offset === ack.offset, 10_000);
        if (actor.events(room).some((m) => roundOf(m) === roundId && m.kind === "blackjack.round_settled")) continue;
        killedIn = roundId;
      }
      expect(killedIn).not.toBeNull();
      const roundId = killedIn as string;
      const killedAt = Date.now();
      await c.owner.stop("SIGKILL");

      // On the survivor, the players still connected play their turns; the timer stands for the others.
      const deadline = Date.now() + 45_000;
      let paid: Message | undefined;
      while (Date.now() < deadline) {
        const events = watcher.events(room);
        paid = events.find((m) => roundOf(m) === roundId && (m.kind === "blackjack.round_paid" || m.kind === "round.voided"));
        if (paid) break;
        const turn = events.filter((m) => roundOf(m) === roundId && m.kind === "blackjack.turn").at(-1);
        const seat = turn === undefined ? -1 : (turn.data as { seat: number }).seat;
        const actor = seat > 0 ? players[seat] : undefined;
        if (turn !== undefined && actor !== undefined && live(actor)) {
          await act(actor, room, `${roundId}-${turn.offset as number}-stand`, { kind: "stand" });
        }
        await pause(100);
      }
      expect(paid).toBeDefined();
      const ended = paid as Message;
      // The round ended on the survivor, after the owner died.
      expect(ended.ts as number).toBeGreaterThan(killedAt);
      // Nothing of the round happened twice in the log: one end, one settlement of each hand.
      const log = watcher.events(room);
      expect(
        log
          .filter((m) => roundOf(m) === roundId && (m.kind === "blackjack.round_paid" || m.kind === "round.voided" || m.kind === "blackjack.round_settled"))
          .map((m) => m.kind),
      ).toEqual(ended.kind === "round.voided" ? ["round.voided"] : ["blackjack.round_settled", "blackjack.round_paid"]);
      const hands = log
        .filter((m) => roundOf(m) === roundId && m.kind === "blackjack.hand_settled")
        .map((m) => `${(m.data as { seat: number }).seat}:${(m.data as { hand: number }).hand}`);
      expect(new Set(hands).size).toBe(hands.length);
      // The survivor's clients saw the log without a gap or a repeat across the takeover.
      const offsets = log.map((m) => m.offset as number);
      expect(offsets).toEqual(Array.from({ length: offsets.length }, (_, k) => offsets[0]! + k));

      // The round's record: ended once, as the log says, its bets and payouts agreeing with the events.
      const recalled = await new SqlRoundStore(c.db).find(roundId);
      expect(recalled?.status).toBe(ended.kind === "round.voided" ? "voided" : "settled");
      const stakesOf = (seat: number, id: string) =>
        log
          .filter(
            (m) => roundOf(m) === id && (m.kind === "blackjack.bet_placed" || m.kind === "blackjack.stake_added") && (m.data as { seat: number }).seat === seat,
          )
          .reduce((sum, m) => sum + BigInt((m.data as { amountMinor: string }).amountMinor), 0n);
      const returnOf = (seat: number, id: string) => {
        const end = log.find((m) => roundOf(m) === id && (m.kind === "blackjack.round_paid" || m.kind === "round.voided"));
        if (end === undefined) return null;
        return end.kind === "round.voided" ? stakesOf(seat, id) : BigInt((end.data as { returns: Record<string, string> }).returns[String(seat)] ?? "0");
      };
      for (const [seat, p] of people.entries()) {
        const bets = recalled!.bets.filter((b) => b.userId === p.userId);
        expect([seat, bets.reduce((sum, b) => sum + b.stakeMinor, 0n)]).toEqual([seat, stakesOf(seat, roundId)]);
        expect([seat, bets.reduce((sum, b) => sum + (b.payoutMinor ?? 0n), 0n)]).toEqual([seat, returnOf(seat, roundId)]);
      }
      expect(stakesOf(0, roundId)).toBeGreaterThan(0n);

      // Money from the log alone: each round's stakes out, its returns (or refunds) in; nothing left held.
      for (const [seat, p] of people.entries()) {
        let expected = deposit;
        for (const id of rounds) expected += -stakesOf(seat, id) + (returnOf(seat, id) ?? 0n);
        const cash = (await c.wallet.balances(p.userId)).find((b) => b.purse === "cash");
        expect([seat, cash?.balance, cash?.held]).toEqual([seat, expected, 0n]);
      }
      expect(await c.wallet.check()).toMatchObject({ ok: true });

      // The table plays on under its new owner.
      await watcher.waitFor((m) => m.kind === "blackjack.betting_opened" && !rounds.includes(roundOf(m) ?? ""), 30_000);
    } finally {
      await stopCluster(c);
    }
  }, 150_000);

  it("hold'em: the survivor plays the hand on from the snapshot; cash-outs plus rake equal the buy-ins", async () => {
    const c = await startCluster(["--holdem-tables", "f1", "--holdem-turn-ms", "2500", "--holdem-between-hands-ms", "2000"]);
    try {
      const room = "holdem:f1";
      const deposit = 50_000n;
      const buyIn = 10_000n;
      const people = await Promise.all([0, 1, 2].map(() => newPlayer(c.owner.url)));
      for (const p of people)
        expect(
          (await c.wallet.deposit({ playerId: p.userId, currency: "EUR", amount: deposit, key: `d-${p.userId}`, reference: p.userId, provider: "test" }))
            .status,
        ).toBe("ok");
      const first = await TestSocket.authenticated(c.owner.url, people[0]!.token);
      c.sockets.push(first);
      const joined = await first.request({ type: "join", room });
      expect(joined.type).toBe("joined");
      const others = await Promise.all(people.slice(1).map((p) => TestSocket.authenticated(c.survivor.url, p.token)));
      c.sockets.push(...others);
      await Promise.all(others.map(async (s) => expect((await s.request({ type: "join", room })).type).toBe("joined")));
      let players = [first, ...others];
      const watcher = others[0]!;
      for (const [seat, s] of players.entries())
        expect(await act(s, room, `sit${seat}`, { kind: "sit", seat, buyIn: "100.00" })).toMatchObject({ type: "ack" });
      for (const p of people) expect((await c.wallet.balances(p.userId)).find((b) => b.purse === "cash")?.held).toBe(buyIn);

      /** Whoever is on turn (and still connected) checks, or calls what they must. */
      const playTurn = async (tag: string) => {
        const turn = watcher
          .events(room)
          .filter((m) => m.kind === "holdem.turn")
          .at(-1);
        if (turn === undefined) return;
        const data = turn.data as { seat: number; toCallMinor: string };
        const actor = players[data.seat];
        if (actor === undefined || !live(actor)) return;
        await act(actor, room, `${tag}-${turn.offset as number}`, { kind: BigInt(data.toCallMinor) === 0n ? "check" : "call" });
      };
      const startOf = (hand: number) =>
        watcher.events(room).find((m) => m.kind === "holdem.hand_started" && (m.data as { handNumber: number }).handNumber === hand);
      const flopOf = (hand: number) =>
        watcher.events(room).find((m) => m.kind === "holdem.board_dealt" && (m.offset as number) > ((startOf(hand)?.offset as number | undefined) ?? Infinity));
      const completed = (hand: number) =>
        watcher.events(room).some((m) => m.kind === "holdem.hand_completed" && (m.data as { handNumber: number }).handNumber === hand);

      // Hands are played until one reaches the flop still in play: then its owner dies.
      let killedIn: number | null = null;
      for (let hand = 1; hand <= 4 && killedIn === null; hand++) {
        await watcher.waitFor((m) => m.kind === "holdem.hand_started" && (m.data as { handNumber: number }).handNumber === hand, 20_000);
        const deadline = Date.now() + 30_000;
        while (Date.now() < deadline && !completed(hand)) {
          if (flopOf(hand) !== undefined) break;
          await playTurn(`h${hand}`);
          await pause(50);
        }
        if (completed(hand)) continue;
        // One check on the flop, then the kill while the hand is still to be played out.
        await playTurn(`h${hand}-flop`);
        await pause(200);
        if (!completed(hand)) killedIn = hand;
      }
      expect(killedIn).not.toBeNull();
      const hand = killedIn as number;
      const lastSeenByFirst = seen(first, room);
      const killedAt = Date.now();
      await c.owner.stop("SIGKILL");
      players = [first, ...others];

      // The survivor finishes the hand: its players act, the timer checks or folds for the one whose node died.
      const deadline = Date.now() + 45_000;
      while (Date.now() < deadline && !completed(hand)) {
        await playTurn(`after${hand}`);
        await pause(100);
      }
      expect(completed(hand)).toBe(true);
      const end = watcher.events(room).find((m) => m.kind === "holdem.hand_completed" && (m.data as { handNumber: number }).handNumber === hand)!;
      expect(end.ts as number).toBeGreaterThan(killedAt);
      // The hand's record: settled once, what its players staked is what they won plus the rake.
      const record = await new SqlRoundStore(c.db).find(`f1:hand:${hand}`);
      expect(record?.status).toBe("settled");
      const staked = record!.bets.reduce((sum, b) => sum + b.stakeMinor, 0n);
      const won = record!.bets.reduce((sum, b) => sum + (b.payoutMinor ?? 0n), 0n);
      expect(staked).toBeGreaterThan(0n);
      expect(staked).toBe(won + BigInt((end.data as { rakeMinor: string }).rakeMinor));

      // The player of the dead node comes back through the survivor and resumes where they were.
      const back = await TestSocket.authenticated(c.survivor.url, people[0]!.token);
      c.sockets.push(back);
      const resumed = await back.request({ type: "join", room, resume: { epoch: joined.epoch, offset: lastSeenByFirst } });
      expect(resumed.mode).toBe("resumed");
      players = [back, ...others];

      // Everyone leaves between hands (the timer may have stood the absent player up already: also a cash-out).
      const gone = new Map<number, bigint>();
      const leaveDeadline = Date.now() + 60_000;
      let tries = 0;
      while (gone.size < 3 && Date.now() < leaveDeadline) {
        for (const m of watcher.events(room)) {
          const data = m.data as { seat: number; stackMinor: string };
          if (m.kind === "holdem.left" || m.kind === "holdem.stood_up") gone.set(data.seat, BigInt(data.stackMinor));
        }
        for (const [seat, s] of players.entries()) {
          if (gone.has(seat)) continue;
          const reply = await act(s, room, `leave${seat}-${++tries}`, { kind: "leave" });
          if (reply.type !== "ack") await playTurn("leaving");
        }
        await pause(100);
      }
      expect(gone.size).toBe(3);

      // Each hand completed once; what the players took away plus the rake is what they brought.
      const hands = watcher
        .events(room)
        .filter((m) => m.kind === "holdem.hand_completed")
        .map((m) => m.data as { handNumber: number; rakeMinor: string });
      expect(new Set(hands.map((h) => h.handNumber)).size).toBe(hands.length);
      const rake = hands.reduce((sum, h) => sum + BigInt(h.rakeMinor), 0n);
      let cashedOut = 0n;
      for (const [seat, p] of people.entries()) {
        const cash = (await c.wallet.balances(p.userId)).find((b) => b.purse === "cash");
        expect([seat, cash?.balance, cash?.held]).toEqual([seat, deposit - buyIn + gone.get(seat)!, 0n]);
        cashedOut += gone.get(seat)!;
      }
      expect(cashedOut + rake).toBe(3n * buyIn);
      expect(await c.wallet.check()).toMatchObject({ ok: true });
    } finally {
      await stopCluster(c);
    }
  }, 180_000);

  it("blackjack: a stake the dead owner reserved but never wrote is voided when the round ends", async () => {
    // The window the process test cannot hit on purpose: the owner's reservation committed in the ledger,
    // then it died before writing the bet to the log (its player got no answer and did not retry). The
    // ledger is given exactly that reservation here; the round, which never heard of it, must release it.
    const shared = await createShared("production");
    const server = await startTestServer(shared, [
      "--blackjack-tables",
      "o1",
      "--blackjack-betting-ms",
      "1500",
      "--blackjack-turn-ms",
      "500",
      "--messages-per-second-max",
      "500",
    ]);
    const sockets: TestSocket[] = [];
    try {
      const room = "blackjack:o1";
      const wallet = server.services.wallet;
      const people = [await newPlayer(server.url), await newPlayer(server.url)];
      for (const p of people)
        expect(
          (await wallet.deposit({ playerId: p.userId, currency: "EUR", amount: 10_000n, key: `d-${p.userId}`, reference: p.userId, provider: "test" })).status,
        ).toBe("ok");
      sockets.push(...(await Promise.all(people.map((p) => TestSocket.authenticated(server.url, p.token)))));
      const [bettor, lost] = sockets as [TestSocket, TestSocket];
      for (const s of sockets) expect((await s.request({ type: "join", room })).type).toBe("joined");
      expect(await act(bettor, room, "sit", { kind: "sit", seat: 0 })).toMatchObject({ type: "ack" });
      await lost.waitFor((m) => m.kind === "blackjack.seat_taken", 10_000);
      expect(await act(lost, room, "sit", { kind: "sit", seat: 1 })).toMatchObject({ type: "ack" });
      const opened = await bettor.waitFor((m) => m.kind === "blackjack.betting_opened", 10_000);
      const roundId = roundOf(opened) as string;
      const holdId = `${roundId}:1:bet`;
      expect(
        (await wallet.reserveBet({ playerId: people[1]!.userId, currency: "EUR", amount: 1_000n, holdId, key: `reserve:${holdId}`, roundId })).status,
      ).toBe("ok");
      expect(await act(bettor, room, "bet", { kind: "bet", roundId, amount: "10.00" })).toMatchObject({ type: "ack" });

      const paid = await bettor.waitFor((m) => roundOf(m) === roundId && m.kind === "blackjack.round_paid", 30_000);
      const returned = BigInt((paid.data as { returns: Record<string, string> }).returns["0"] ?? "0");
      const balances = await Promise.all(people.map(async (p) => (await wallet.balances(p.userId)).find((b) => b.purse === "cash")));
      expect(balances.map((b) => [b?.balance, b?.held])).toEqual([
        [10_000n - 1_000n + returned, 0n],
        [10_000n, 0n],
      ]);
      expect(await wallet.check()).toMatchObject({ ok: true });
    } finally {
      for (const s of sockets) s.close();
      await server.close();
      await shared.dispose();
    }
  }, 60_000);
});
