// Plays the card tables through the SDK: two accounts, a sandbox deposit each, a round of blackjack
// (sit, bet, hit or stand, the payout) and a hand of hold'em between the two players (both driven by
// this script: sit with a buy-in, check or call to the end of the hand, leave to cash out), then each
// player's game recall. Run it against a server started with `npm start`:
//
//   node --import tsx examples/cards.ts [http://localhost:8080] [blackjack table id] [hold'em table id]
import { WebSocket } from "ws";
import { cardName, CroupierClient, formatMinor, requestJson, type RoomEvent } from "../src/client/index.js";

const url = process.argv[2] ?? "http://localhost:8080";
const blackjack = `blackjack:${process.argv[3] ?? "1"}`;
const holdem = `holdem:${process.argv[4] ?? "1"}`;
const password = "correct horse battery";

/** Money travels as decimal strings of minor units; shown as euros without floating point. */
const eur = (minor: string | bigint) => formatMinor(minor);

/** The SDK's JSON call: a refusal throws with its registry code. */
const http = (path: string, token: string, body?: unknown, idempotencyKey?: string) =>
  requestJson<Record<string, unknown>>(
    fetch,
    url + path,
    {
      method: body === undefined ? "GET" : "POST",
      token,
      ...(body === undefined ? {} : { body }),
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    },
    "EXAMPLE_HTTP_FAILED",
  );

interface Player {
  name: string;
  id: string;
  token: string;
  client: CroupierClient;
}

/** A new account with 200.00 EUR deposited by sandbox test card, connected over the WebSocket. */
async function player(name: string): Promise<Player> {
  const username = `${name}${Date.now().toString(36)}`;
  const client = new CroupierClient({ url, WebSocket });
  const me = await client.register(username, password);
  const { accessToken: token } = await client.login(username, password);
  const card = await http("/v1/payments/sandbox/tokens", token, { number: "4242 4242 4242 4242", expMonth: 12, expYear: 2099, cvc: "123" });
  await http("/v1/wallet/deposits", token, { amount: "200.00", currency: "EUR", cardToken: card.token }, `deposit-${username}`);
  for (let credited = false; !credited; await new Promise((r) => setTimeout(r, 200))) {
    const wallet = (await http("/v1/wallet", token)) as { balances: Array<{ purse: string; available: string }> };
    credited = wallet.balances.some((b) => b.purse === "cash" && b.available !== "0.00");
  }
  await client.connect();
  console.log(`${name}: registered and deposited 200.00 EUR`);
  return { name, id: me.id, token, client };
}

/** Resolves with the first event of `room` that `match` accepts (from now on). */
function next(p: Player, room: string, match: (e: RoomEvent, d: Record<string, unknown>) => boolean): Promise<RoomEvent> {
  return new Promise((resolve) => {
    const off = p.client.on("event", (e) => {
      if (e.room === room && match(e, (e.data ?? {}) as Record<string, unknown>)) {
        off();
        resolve(e);
      }
    });
  });
}

/** A blackjack hand's total: 2-9 their pips, tens and faces 10, aces 11 when that does not bust. */
function total(cards: readonly number[]): number {
  let sum = 0;
  let aces = 0;
  for (const card of cards) {
    const rank = card >> 2;
    if (rank === 12) aces++;
    sum += rank === 12 ? 1 : Math.min(rank + 2, 10);
  }
  return aces > 0 && sum + 10 <= 21 ? sum + 10 : sum;
}

const alice = await player("alice");
const bob = await player("bob");

// Blackjack: Alice takes a free seat and bets 10.00 when betting opens; she hits below 17 and stands
// from 17 (the turn timer would stand for her); the round's payout comes in `blackjack.round_paid`.
{
  const joined = await alice.client.join(blackjack);
  const seats = (joined.snapshot as { state?: { seats?: (string | null)[] } } | undefined)?.state?.seats ?? [null];
  const seat = Math.max(0, seats.indexOf(null));
  let roundId: string | null = null;
  const cards = new Map<number, number[]>();
  const paid = next(alice, blackjack, (e, d) => e.kind === "blackjack.round_paid" && d.roundId === roundId);
  alice.client.on("event", (e) => {
    if (e.room !== blackjack) return;
    const d = (e.data ?? {}) as Record<string, unknown>;
    if (e.kind === "blackjack.betting_opened" && roundId === null) {
      roundId = d.roundId as string;
      // A round that opened before Alice sat down refuses her bet: she waits for the next one.
      void alice.client.act(blackjack, { kind: "bet", roundId, amount: "10.00" }).then(
        () => console.log(`alice: bet 10.00 in blackjack round ${roundId}`),
        () => (roundId = null),
      );
    }
    if (d.roundId !== roundId) return;
    if (e.kind === "blackjack.card_dealt" && d.seat === seat) cards.set(d.hand as number, [...(cards.get(d.hand as number) ?? []), d.card as number]);
    if (e.kind === "blackjack.dealer_card_dealt" && (d.card as number) >> 2 === 12)
      void alice.client.act(blackjack, { kind: "insurance", take: false }).catch(() => undefined);
    if (e.kind === "blackjack.turn" && d.seat === seat) {
      const points = total(cards.get(d.hand as number) ?? []);
      const kind = points < 17 ? "hit" : "stand";
      console.log(`alice: ${kind} on ${points} (${(cards.get(d.hand as number) ?? []).map(cardName).join(" ")})`);
      void alice.client.act(blackjack, { kind }).catch(() => undefined);
    }
  });
  await alice.client.act(blackjack, { kind: "sit", seat });
  const returns = ((await paid).data as { returns: Record<string, string> }).returns;
  console.log(`alice: blackjack paid ${eur(returns[String(seat)] ?? "0")} EUR`);
  await alice.client.act(blackjack, { kind: "leave_seat" });
}

// Hold'em: both sit with a 100.00 buy-in (held in the ledger), check or call on each turn until the
// hand ends, and leave between hands: each is paid their final stack.
{
  const joined = await alice.client.join(holdem);
  await bob.client.join(holdem);
  const taken = (joined.snapshot as { state?: { seats?: unknown[] } } | undefined)?.state?.seats ?? [];
  const free = taken.length === 0 ? [0, 1] : taken.flatMap((s, i) => (s === null ? [i] : [])).slice(0, 2);
  const players = [alice, bob];
  const seatOf = new Map(players.map((p, i) => [p.id, free[i] ?? i]));
  for (const p of players) {
    p.client.on("event", (e) => {
      if (e.room !== holdem) return;
      const d = (e.data ?? {}) as Record<string, unknown>;
      if (e.kind === "holdem.hole_cards") console.log(`${p.name}: dealt hole cards ${(d.cards as number[]).map(cardName).join(" ")}`);
      if (e.kind === "holdem.turn" && d.seat === seatOf.get(p.id))
        void p.client.act(holdem, { kind: d.toCallMinor === "0" ? "check" : "call" }).catch(() => undefined);
    });
  }
  const started = next(alice, holdem, (e) => e.kind === "holdem.hand_started");
  for (const p of players) {
    await p.client.act(holdem, { kind: "sit", seat: seatOf.get(p.id), buyIn: "100.00" });
    console.log(`${p.name}: sat at seat ${seatOf.get(p.id)} with 100.00 EUR`);
  }
  const hand = ((await started).data as { handNumber: number }).handNumber;
  const completed = await next(alice, holdem, (e, d) => e.kind === "holdem.hand_completed" && d.handNumber === hand);
  console.log(`hold'em hand ${hand} complete: rake ${eur((completed.data as { rakeMinor: string }).rakeMinor)} EUR`);
  for (const p of players) {
    const left = next(alice, holdem, (e, d) => e.kind === "holdem.left" && d.seat === seatOf.get(p.id));
    // Leaving is for between hands: a try that lands in the next hand is retried once it is over.
    while (
      !(await p.client.act(holdem, { kind: "leave" }).then(
        () => true,
        () => false,
      ))
    )
      await new Promise((r) => setTimeout(r, 500));
    console.log(`${p.name}: left hold'em with ${eur(((await left).data as { stackMinor: string }).stackMinor)} EUR`);
  }
}

// Game recall: each player's rounds as recorded, with their own bets and payouts.
for (const p of [alice, bob]) {
  const { rounds } = (await http("/v1/rounds", p.token)) as {
    rounds: Array<{ roundId: string; game: string; status: string; bets: Array<{ stakeMinor: string; payoutMinor: string | null }> }>;
  };
  for (const r of rounds) {
    const staked = r.bets.reduce((s, b) => s + BigInt(b.stakeMinor), 0n);
    const paid = r.bets.reduce((s, b) => s + BigInt(b.payoutMinor ?? "0"), 0n);
    console.log(`${p.name}: recalled ${r.game} round ${r.roundId}: ${r.status}, staked ${eur(staked)}, paid ${eur(paid)}`);
  }
  const wallet = (await http("/v1/wallet", p.token)) as { balances: Array<{ purse: string; available: string }> };
  console.log(`${p.name}: final balance ${wallet.balances.find((b) => b.purse === "cash")?.available} EUR`);
  p.client.close();
}
