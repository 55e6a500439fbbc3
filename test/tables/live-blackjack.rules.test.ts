// Live blackjack as a pure behavior on a synthetic clock: a scripted dealer enters every card, three
// players decide, a fake ledger moves the money; each balance is recomputed from the entered cards by an
// independent model. Impossible cards, a card after the dealer stands, dealer faults and the latency rule.
import { describe, expect, it } from "vitest";
import { blackjackTableBehavior, defaultBlackjackTable, type BlackjackTableConfig } from "../../src/app/tables/blackjack-table.js";
import type { Actor, BehaviorOutcome, RoomBehavior } from "../../src/app/rooms/room-behavior.js";
import { systemActor } from "../../src/app/rooms/room-behavior.js";
import type { LogEntryInput } from "../../src/app/ports/room-log.js";
import { cutCardOut, declareShoe, defaultBlackjackRules, shoeRefusal, takeFromShoe } from "../../src/engine/blackjack/index.js";
import { playModel, type ScriptedHand } from "./live-blackjack.model.js";

const latencyMs = 2_000;
const config: BlackjackTableConfig = {
  ...defaultBlackjackTable,
  bettingMs: 1_000,
  turnMs: 1_000,
  resultsMs: 500,
  rules: { ...defaultBlackjackRules, decks: 4, cutCardCardsFromEnd: 52 },
  live: { dealerAbsentMsMax: 3_000, dealerReplaceMsMax: 5_000, streamUrl: "https://video.invalid/t1", streamLatencyMs: latencyMs },
};

type State = unknown;
const dealer: Actor = { userId: "dealer-1", roles: ["dealer"] };
const dealer2: Actor = { userId: "dealer-2", roles: ["dealer"] };
const players: Actor[] = ["p0", "p1", "p2"].map((userId) => ({ userId, roles: ["player"] }));

/** The table, a synthetic clock and a fake ledger (per player: balance; per hold: owner, amount, settled or voided once). */
class Harness {
  readonly behavior = blackjackTableBehavior(new Map([["t1", config]]), "liveblackjack") as RoomBehavior;
  state: State = this.behavior.initial("liveblackjack:t1");
  now = 1_000_000;
  readonly events: LogEntryInput[] = [];
  readonly balances = new Map<string, bigint>(players.map((p) => [p.userId, 100_000n]));
  readonly holds = new Map<string, { owner: string; amount: bigint; closed: number }>();
  private seq = 0;
  /** Who enters the cards in `playHand`. */
  dealerOnShift: Actor = dealer;

  act(actor: Actor, action: Record<string, unknown>): { ok: true; result?: unknown } | { ok: false; error: string; details?: readonly string[] | undefined } {
    const request = action as { kind: string };
    const check = this.behavior.checkAction?.(request);
    if (check !== undefined && !check.ok) return { ok: false, error: check.error, details: check.details };
    const out = this.run(this.behavior.apply(this.state, request, actor, { nowMs: this.now, revealLeadMs: 100, actionId: `a${this.seq++}` }));
    return out;
  }

  private run(outcome: BehaviorOutcome<State>): { ok: true; result?: unknown } | { ok: false; error: string; details?: readonly string[] | undefined } {
    let current = outcome;
    while (current.ok && "effect" in current) current = current.resume(this.effect(current.effect as Record<string, unknown>));
    if (!current.ok) return { ok: false, error: current.error, details: current.details };
    this.state = current.state;
    this.events.push(...current.events);
    return { ok: true, result: current.result };
  }

  private effect(effect: Record<string, unknown>): unknown {
    switch (effect.type) {
      case "wallet.reserve": {
        const owner = effect.playerId as string;
        const amount = BigInt(effect.amountMinor as string);
        this.holds.set(effect.holdId as string, { owner, amount, closed: 0 });
        this.balances.set(owner, this.balances.get(owner)! - amount);
        return { status: "ok", availableMinor: "0" };
      }
      case "wallet.settle": {
        const items = effect.items as { holdId: string; winMinor: string }[];
        for (const item of items) {
          const hold = this.holds.get(item.holdId)!;
          if (hold.closed++ === 0) this.balances.set(hold.owner, this.balances.get(hold.owner)! + BigInt(item.winMinor));
        }
        return { statuses: items.map(() => "ok") };
      }
      case "wallet.void": {
        const ids = effect.holdIds as string[];
        for (const id of ids) {
          const hold = this.holds.get(id)!;
          if (hold.closed++ === 0) this.balances.set(hold.owner, this.balances.get(hold.owner)! + hold.amount);
        }
        return { statuses: ids.map(() => "ok") };
      }
      case "wallet.sweep":
        return { status: "ok", voided: 0 };
      case "round.record":
        return undefined;
      default:
        throw new Error(`unexpected effect ${String(effect.type)}`);
    }
  }

  /** Moves the clock, running every timer that falls due on the way. */
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = this.behavior.deadline?.(this.state) ?? null;
      if (due === null || due > until) break;
      this.now = Math.max(this.now, due);
      const before = this.state;
      this.run(this.behavior.apply(this.state, { kind: "tick" }, systemActor, { nowMs: this.now, revealLeadMs: 100 }));
      if (this.state === before && (this.behavior.deadline?.(this.state) ?? Infinity) <= this.now) this.now += 1;
    }
    this.now = until;
  }

  last(kind: string): LogEntryInput | undefined {
    return this.events.filter((e) => e.kind === kind).at(-1);
  }
  roundId(): string {
    return (this.last("blackjack.betting_opened")!.data as { roundId: string }).roundId;
  }
}

const ok = (r: { ok: boolean }) => expect(r).toMatchObject({ ok: true });

/** Plays a scripted hand: bets, then cards and decisions in table order, checking the dealer's every card is taken. */
function playHand(t: Harness, hand: ScriptedHand): void {
  const roundId = t.roundId();
  for (const [seat, bet] of hand.bets.entries()) if (bet > 0n) ok(t.act(players[seat]!, { kind: "bet", roundId, amount: (Number(bet) / 100).toFixed(2) }));
  t.advance(config.bettingMs + latencyMs);
  const decisions = Object.fromEntries(Object.entries(hand.decisions).map(([seat, list]) => [seat, [...list]]));
  const insurance = { ...(hand.insurance ?? {}) };
  let card = 0;
  for (let guard = 0; guard < 200; guard++) {
    const dealing = t.behavior.snapshot(t.state).public as {
      live: { dealing: boolean };
      phase: string;
      hand: { phase: string; turn: { seat: number } | null } | null;
    };
    if (dealing.phase !== "playing") break;
    if (dealing.live.dealing) {
      const entered = hand.cards[card++];
      expect(entered, "the table wants more cards than the script has").toBeDefined();
      ok(t.act(t.dealerOnShift, { kind: "card", card: entered }));
      continue;
    }
    if (dealing.hand?.phase === "insurance") {
      const server = (t.behavior.snapshot(t.state).server as { engine: { seats: { hands: unknown[]; insuranceDecided: boolean }[] } }).engine;
      const seat = server.seats.findIndex((s) => s.hands.length > 0 && !s.insuranceDecided);
      ok(t.act(players[seat]!, { kind: "insurance", take: insurance[seat] === true }));
      continue;
    }
    const seat = dealing.hand!.turn!.seat;
    const next = decisions[seat]?.shift() ?? "stand";
    ok(t.act(players[seat]!, { kind: next }));
  }
  expect(card).toBe(hand.cards.length);
  t.advance(1);
}

type H = Harness;

function seated(): H {
  const t = new Harness();
  ok(t.act(dealer, { kind: "dealer.take" }));
  ok(t.act(dealer, { kind: "shuffle" }));
  ok(t.act(dealer, { kind: "burn", card: "2c" }));
  for (const [seat, p] of players.entries()) ok(t.act(p, { kind: "sit", seat }));
  return t;
}

describe("declared shoe", () => {
  it("holds each card decks times, and the cut card ends it", () => {
    let shoe = declareShoe({ ...defaultBlackjackRules, decks: 4, cutCardCardsFromEnd: 52 }, 1);
    for (let i = 0; i < 4; i++) {
      expect(shoeRefusal(shoe, 51)).toBeNull();
      shoe = takeFromShoe(shoe, 51, i === 0);
    }
    expect(shoeRefusal(shoe, 51)).toBe("card_exhausted");
    expect([shoe.burned, shoe.dealt, cutCardOut(shoe)]).toEqual([1, 3, false]);
    expect(shoeRefusal(shoe, 52)).toBe("card_malformed");
  });
});

describe("live blackjack table (pure, synthetic clock)", () => {
  const hands: ScriptedHand[] = [
    // A split of eights, a double after split, a double, a stand; the dealer draws to 18 and stands.
    {
      bets: [1000n, 1000n, 1000n],
      cards: ["8c", "5h", "Tc", "6s", "8d", "6h", "7c", "Ts", "3c", "9d", "Kd", "9h", "2c"],
      decisions: { 0: ["split", "double", "stand"], 1: ["double"], 2: ["stand"] },
    },
    // Insurance against an ace: the dealer has blackjack.
    { bets: [1000n, 1000n, 1000n], cards: ["Qh", "7d", "Ah", "As", "9c", "7h", "Kh", "Kc"], decisions: {}, insurance: { 0: true, 2: true } },
    // Insurance refused by all, no dealer natural; hits and a bust.
    { bets: [2000n, 0n, 500n], cards: ["Th", "5d", "Ad", "6c", "9s", "7s", "Jd"], decisions: { 0: ["hit"], 2: ["stand"] }, insurance: {} },
  ];

  it("plays scripted hands; the fake ledger matches an independent model to the minor unit", () => {
    const t = seated();
    const expected = new Map(players.map((p) => [p.userId, 100_000n]));
    for (const hand of hands) {
      playHand(t, hand);
      const model = playModel(hand);
      for (const [seat, p] of players.entries()) expected.set(p.userId, expected.get(p.userId)! - model.staked[seat]! + model.returned[seat]!);
      expect(Object.fromEntries(t.balances)).toEqual(Object.fromEntries(expected));
      expect(t.last("blackjack.round_paid")).toBeDefined();
      t.advance(config.resultsMs + 10);
    }
    // A dealer card after the dealer stands (18 on S17 in the first hand, and now the round is paid): refused.
    const late = t.act(dealer, { kind: "card", card: "5c" });
    expect(late).toMatchObject({ ok: false, error: "LIVE_CARD_NOT_EXPECTED" });
    // Every hold settled exactly once.
    expect([...t.holds.values()].every((h) => h.closed === 1)).toBe(true);
  });

  it("refuses a card the declared shoe cannot hold, a dealer card once the dealer must stand, and a card out of turn", () => {
    const t = seated();
    // Between hands the dealer burns aces of spades: a 4-deck shoe holds four.
    for (let i = 0; i < 4; i++) ok(t.act(dealer, { kind: "burn", card: "As" }));
    const fifth = t.act(dealer, { kind: "burn", card: "As" });
    expect(fifth).toMatchObject({ ok: false, error: "LIVE_CARD_IMPOSSIBLE" });
    expect(fifth.ok ? "" : fifth.details?.[0]).toContain("all 4 in this 4-deck shoe are out");
    expect(t.act(dealer, { kind: "card", card: "1x" })).toMatchObject({ ok: false, error: "REQUEST_INVALID" });
    // No card while betting is open.
    expect(t.act(dealer, { kind: "card", card: "2d" })).toMatchObject({ ok: false, error: "LIVE_CARD_NOT_EXPECTED" });
    const roundId = t.roundId();
    for (const p of players) ok(t.act(p, { kind: "bet", roundId, amount: "10.00" }));
    t.advance(config.bettingMs + latencyMs);
    for (const c of ["Tc", "Td", "Th", "7s", "9c", "9d", "9h", "Ks"]) ok(t.act(dealer, { kind: "card", card: c }));
    // Seat 0 decides now: no card is due.
    const early = t.act(dealer, { kind: "card", card: "2d" });
    expect(early).toMatchObject({ ok: false, error: "LIVE_CARD_NOT_EXPECTED" });
    expect(early.ok ? "" : early.details?.[0]).toContain("seat 0 decides");
    // A player acting out of turn, and a player driving the dealer's console.
    expect(t.act(players[1]!, { kind: "hit" })).toMatchObject({ ok: false, error: "ACTION_REJECTED" });
    expect(t.act(players[1]!, { kind: "card", card: "2d" })).toMatchObject({ ok: false, error: "AUTH_FORBIDDEN" });
    for (const p of players) ok(t.act(p, { kind: "stand" }));
    // The dealer holds 17 (7 + K): under S17 the dealer stands, the round is over, and a further card is refused.
    const after = t.act(dealer, { kind: "card", card: "4c" });
    expect(after).toMatchObject({ ok: false, error: "LIVE_CARD_NOT_EXPECTED" });
    expect(after.ok ? "" : after.details?.[0]).toContain("stands on 17 (S17)");
    // A reshuffle starts a new shoe: the ace of spades is possible again.
    t.advance(config.resultsMs + 1);
    ok(t.act(dealer, { kind: "shuffle" }));
    ok(t.act(dealer, { kind: "burn", card: "As" }));
    expect(t.last("liveblackjack.shoe_shuffled")?.data).toMatchObject({ shoeId: 2, decks: 4 });
  });

  it("reveals cards in step with the video and closes betting by the same rule", () => {
    const t = seated();
    const opened = t.last("blackjack.betting_opened")!;
    expect((opened.data as { closesAt: number }).closesAt).toBe(t.now + config.bettingMs + latencyMs);
    const roundId = t.roundId();
    ok(t.act(players[0]!, { kind: "bet", roundId, amount: "10.00" }));
    t.advance(config.bettingMs + latencyMs);
    expect(t.act(players[1]!, { kind: "bet", roundId, amount: "10.00" })).toMatchObject({ ok: false, error: "BET_ROUND_CLOSED" });
    ok(t.act(dealer, { kind: "card", card: "5c" }));
    const dealt = t.last("blackjack.card_dealt")!;
    expect(dealt.revealAt).toBe(t.now + latencyMs);
    ok(t.act(dealer, { kind: "cue", name: "last-call", data: { secondsLeft: 5 } }));
    expect(t.last("dealer.cue")).toMatchObject({ data: { name: "last-call", data: { secondsLeft: 5 }, roundId }, revealAt: t.now + latencyMs });
    expect(t.act(dealer, { kind: "cue", name: "applause" })).toMatchObject({ ok: false, error: "REQUEST_INVALID" });
    expect(t.act(dealer, { kind: "cue", name: "last-call", data: { secondsLeft: 5, volume: 3 } })).toMatchObject({ ok: false, error: "REQUEST_INVALID" });
  });

  it("waits for a replacement dealer, lets a second dealer take over, and voids a hand nobody deals once", () => {
    const t = seated();
    let roundId = t.roundId();
    for (const p of players) ok(t.act(p, { kind: "bet", roundId, amount: "10.00" }));
    t.advance(config.bettingMs + latencyMs);
    ok(t.act(dealer, { kind: "card", card: "9c" }));
    // The dealer falls silent; before the absence counts, nobody may take the table.
    expect(t.act(dealer2, { kind: "dealer.take" })).toMatchObject({ ok: false, error: "LIVE_DEALER_NOT_ON_SHIFT" });
    t.advance(3_001);
    expect(t.last("dealer.absent")?.data).toMatchObject({ dealer: "dealer-1", roundId });
    ok(t.act(dealer2, { kind: "dealer.take" }));
    expect(t.last("dealer.changed")?.data).toMatchObject({ from: "dealer-1", to: "dealer-2", roundId });
    expect(t.act(dealer, { kind: "card", card: "9d" })).toMatchObject({ ok: false, error: "LIVE_DEALER_NOT_ON_SHIFT" });
    t.dealerOnShift = dealer2;
    for (const c of ["9d", "9h", "7s", "Tc", "Td", "Th", "Ks"]) ok(t.act(dealer2, { kind: "card", card: c }));
    for (const p of players) ok(t.act(p, { kind: "stand" }));
    t.advance(1);
    expect(t.last("blackjack.round_paid")).toBeDefined();
    const afterFirst = Object.fromEntries(t.balances);
    expect(afterFirst).toEqual({ p0: 101_000n, p1: 101_000n, p2: 101_000n });

    // Next hand: the new dealer deals two cards and vanishes; nobody takes over.
    t.advance(config.resultsMs);
    roundId = t.roundId();
    for (const p of players) ok(t.act(p, { kind: "bet", roundId, amount: "20.00" }));
    t.advance(config.bettingMs + latencyMs);
    ok(t.act(dealer2, { kind: "card", card: "2c" }));
    ok(t.act(dealer2, { kind: "card", card: "3c" }));
    t.advance(3_001 + 5_000 + 10);
    const voided = t.events.filter((e) => e.kind === "round.voided");
    expect(voided).toHaveLength(1);
    expect(voided[0]!.data).toMatchObject({ roundId, refunded: 3 });
    expect(Object.fromEntries(t.balances)).toEqual(afterFirst);
    t.advance(60_000);
    expect(t.events.filter((e) => e.kind === "round.voided")).toHaveLength(1);
    expect([...t.holds.values()].every((h) => h.closed === 1)).toBe(true);
    // No dealer on shift: no round opens until one takes the table.
    expect((t.behavior.snapshot(t.state).public as { phase: string }).phase).toBe("waiting");
    ok(t.act(dealer, { kind: "dealer.take" }));
    expect((t.behavior.snapshot(t.state).public as { phase: string }).phase).toBe("betting");
  });
});
