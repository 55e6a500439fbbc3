import { describe, expect, it } from "vitest";
import {
  apply,
  defaultBlackjackRules,
  handTotal,
  stackedShoe,
  tableWithShoe,
  newTable,
  type BlackjackAction,
  type BlackjackEvent,
  type BlackjackRules,
  type BlackjackState,
  type BlackjackStep,
} from "../../src/engine/blackjack/index.js";
import { SeededRng } from "../../src/engine/rng/seeded.rng.js";

const rules = defaultBlackjackRules;
const rng = new SeededRng("blackjack");

/** Cards by rank letter in dealing order ("A K 9 7": player, dealer up, player, dealer hole), padded with deuces. */
function table(ranks: string, tableRules: BlackjackRules = rules): BlackjackState {
  const cards = ranks.split(" ").map((rank) => "23456789TJQKA".indexOf(rank) * 4);
  if (cards.some((card) => card < 0)) throw new Error(`bad ranks ${ranks}`);
  const padded = [...cards, ...new Array<number>(rules.decks * 52 - cards.length).fill(0)];
  return tableWithShoe(tableRules, stackedShoe(tableRules, padded));
}

function run(state: BlackjackState, ...actions: BlackjackAction[]): BlackjackStep & { all: BlackjackEvent[] } {
  let step: BlackjackStep = { state, events: [], status: "ok" };
  const all: BlackjackEvent[] = [];
  for (const action of actions) {
    step = apply(step.state, action, rng);
    if (step.status !== "ok") throw new Error(`${action.type}: ${step.status}`);
    all.push(...step.events);
  }
  return { ...step, all };
}

const settled = (events: readonly BlackjackEvent[]) => events.flatMap((e) => (e.type === "hand_settled" ? [[e.outcome, e.returnMinor]] : []));
const roundTotal = (events: readonly BlackjackEvent[]) => events.find((e) => e.type === "round_settled");
const deal = (...betsMinor: bigint[]): BlackjackAction => ({ type: "deal", betsMinor });

describe("blackjack rounds", () => {
  it("pays a natural 3:2 and hides the hole card until the round ends", () => {
    const step = run(table("A 9 K 7"), deal(100n));
    expect(step.state.phase).toBe("settled");
    expect(settled(step.all)).toEqual([["blackjack", 250n]]);
    const hole = step.all.findIndex((e) => e.type === "dealer_hole_card_dealt");
    const reveal = step.all.findIndex((e) => e.type === "dealer_hole_card_revealed");
    expect(hole).toBeGreaterThan(0);
    expect(reveal).toBeGreaterThan(hole);
    expect(step.all.slice(0, reveal).some((e) => e.type === "dealer_card_dealt" && e.card === 5 * 4)).toBe(false);
  });

  it("rounds a natural's 3:2 down to the minor unit", () => {
    expect(settled(run(table("A 9 K 7"), deal(101n)).all)).toEqual([["blackjack", 252n]]);
  });

  it("offers insurance on an ace, pays it 2:1 when the dealer has a natural, and settles at once", () => {
    const offered = run(table("9 A 7 K"), deal(100n));
    expect(offered.state.phase).toBe("insurance");
    const step = run(offered.state, { type: "insurance", seat: 0, take: true });
    expect(step.state.phase).toBe("settled");
    expect(step.all).toContainEqual({ type: "stake_added", seat: 0, hand: 0, amountMinor: 50n, reason: "insurance" });
    expect(step.all).toContainEqual({ type: "insurance_settled", seat: 0, returnMinor: 150n });
    expect(settled(step.all)).toEqual([["lose", 0n]]);
    expect(roundTotal(step.all)).toEqual({ type: "round_settled", stakeMinor: 150n, returnMinor: 150n });
  });

  it("loses insurance when the dealer has no natural, and play goes on", () => {
    const step = run(table("9 A 7 7 K"), deal(100n), { type: "insurance", seat: 0, take: true });
    expect(step.state.phase).toBe("player_turn");
    expect(step.all).toContainEqual({ type: "insurance_settled", seat: 0, returnMinor: 0n });
    // Player 16 stands; dealer A+7 = soft 18 stands (S17 rule irrelevant); the hand loses.
    const end = run(step.state, { type: "stand", seat: 0 });
    expect(settled(end.all)).toEqual([["lose", 0n]]);
    expect(roundTotal(end.all)).toEqual({ type: "round_settled", stakeMinor: 150n, returnMinor: 0n });
  });

  it("pushes a natural against a dealer natural found by the peek under a ten", () => {
    const step = run(table("A K K A"), deal(100n));
    expect(step.state.phase).toBe("settled");
    expect(settled(step.all)).toEqual([["push", 100n]]);
  });

  it("stands on soft 17 under S17 and hits it under H17", () => {
    // Player T+8 = 18 stands. Dealer A+6 = soft 17. Next card 3 would make 20 under H17.
    const ranks = "T A 8 6 3";
    const s17 = run(table(ranks, { ...rules, insurance: false }), deal(100n), { type: "stand", seat: 0 });
    expect(settled(s17.all)).toEqual([["win", 200n]]);
    const h17 = run(table(ranks, { ...rules, insurance: false, dealerHitsSoft17: true }), deal(100n), { type: "stand", seat: 0 });
    expect(settled(h17.all)).toEqual([["lose", 0n]]);
  });

  it("doubles for one card at twice the stake", () => {
    const step = run(table("6 T 5 7 T"), deal(100n), { type: "double", seat: 0 });
    expect(step.all).toContainEqual({ type: "stake_added", seat: 0, hand: 0, amountMinor: 100n, reason: "double" });
    expect(settled(step.all)).toEqual([["win", 400n]]);
  });

  it("splits a pair into two hands, dealing the second hand's card when play reaches it", () => {
    // 8 8 against a dealer 6; first hand 8+3, hits to 8+3+T = 21 (done); second hand 8+9 stands. Dealer 6+T+5 = 21.
    const start = run(table("8 6 8 T 3 T 9 5"), deal(100n), { type: "split", seat: 0 });
    expect(start.all).toContainEqual({ type: "stake_added", seat: 0, hand: 1, amountMinor: 100n, reason: "split" });
    expect(start.state.seats[0]?.hands.map((h) => h.cards.length)).toEqual([2, 1]);
    const second = run(start.state, { type: "hit", seat: 0 });
    expect(second.state.turn).toEqual({ seat: 0, hand: 1 });
    expect(second.state.seats[0]?.hands[1]?.cards.length).toBe(2);
    const end = run(second.state, { type: "stand", seat: 0 });
    expect(settled(end.all)).toEqual([
      ["push", 100n],
      ["lose", 0n],
    ]);
  });

  it("gives split aces one card each, and pays A+K after a split as 21, not blackjack", () => {
    const step = run(table("A 6 A 9 K 5 T"), deal(100n), { type: "split", seat: 0 });
    // Dealer 6+9 = 15 draws T: bust.
    expect(step.state.phase).toBe("settled");
    expect(settled(step.all)).toEqual([
      ["win", 200n],
      ["win", 200n],
    ]);
  });

  it("refuses illegal actions with a status and leaves the state alone", () => {
    const state = run(table("8 6 3 T 2"), deal(100n)).state;
    expect(apply(state, { type: "split", seat: 0 }, rng)).toEqual({ state, events: [], status: "cannot_split" });
    expect(apply(state, { type: "hit", seat: 1 }, rng).status).toBe("not_your_turn");
    expect(apply(state, deal(100n), rng).status).toBe("wrong_phase");
    expect(apply(state, { type: "insurance", seat: 0, take: true }, rng).status).toBe("wrong_phase");
    const hit = run(state, { type: "hit", seat: 0 }).state;
    expect(apply(hit, { type: "double", seat: 0 }, rng).status).toBe("cannot_double");
    const fresh = table("8 6 9 T");
    expect(apply(fresh, deal(), rng).status).toBe("no_bets");
    expect(apply(fresh, deal(0n, 0n), rng).status).toBe("no_bets");
    expect(apply(fresh, deal(50n), rng).status).toBe("bet_below_min");
    expect(apply(fresh, deal(50_001n), rng).status).toBe("bet_above_max");
    expect(apply(fresh, deal(...new Array<bigint>(8).fill(100n)), rng).status).toBe("too_many_seats");
    expect(apply(fresh, { type: "stand", seat: 0 }, rng).status).toBe("wrong_phase");
  });

  it("plays seats in order and skips empty seats", () => {
    // Seat 0 sits out. Seats 1 and 2: 9+7 and T+8 against a dealer 5.
    const step = run(table("9 T 5 7 8 K T"), deal(0n, 100n, 100n));
    expect(step.state.turn).toEqual({ seat: 1, hand: 0 });
    const next = run(step.state, { type: "stand", seat: 1 });
    expect(next.state.turn).toEqual({ seat: 2, hand: 0 });
    // Dealer 5+K draws T: bust; both standing hands win.
    const end = run(next.state, { type: "stand", seat: 2 });
    expect(settled(end.all)).toEqual([
      ["win", 200n],
      ["win", 200n],
    ]);
  });
});

describe("blackjack shoe", () => {
  it("shuffles at the first deal after the cut card comes out", () => {
    let state = newTable(rules, new SeededRng("shoe"));
    let shuffles = 0;
    for (let round = 0; round < 120; round++) {
      const step = playRound(state, new SeededRng(round));
      shuffles += step.all.filter((e) => e.type === "shuffled").length;
      state = step.state;
    }
    // 6 decks with the cut card 78 cards from the end: 234 cards per shoe, about 2.7 cards per hand.
    expect(shuffles).toBeGreaterThan(0);
    expect(state.shoe.next).toBeLessThanOrEqual(state.shoe.cutCardIndex + 40);
  });

  it("reshuffles the discards when a round runs out of cards", () => {
    const shoe = stackedShoe(rules, [8 * 4, 3 * 4, 8 * 4, 4 * 4]);
    const step = run(tableWithShoe(rules, shoe), deal(100n), { type: "hit", seat: 0 });
    expect(step.all.some((e) => e.type === "shuffled")).toBe(true);
    expect(step.state.seats[0]?.hands[0]?.cards).toHaveLength(3);
  });
});

/** A simple legal strategy: take insurance never, split 8s and aces, double 11, hit below 17. */
function playRound(state: BlackjackState, random: SeededRng): BlackjackStep & { all: BlackjackEvent[] } {
  const seats = 1 + (random.nextUint32() % 3);
  let step: BlackjackStep = apply(state, deal(...Array.from({ length: seats }, () => 100n * BigInt(1 + (random.nextUint32() % 5)))), random);
  const all = [...step.events];
  for (let actions = 0; step.state.phase !== "settled" && actions < 200; actions++) {
    step = apply(step.state, nextAction(step.state, random), random);
    if (step.status !== "ok") throw new Error(step.status);
    all.push(...step.events);
  }
  return { ...step, all };
}

function nextAction(state: BlackjackState, random: SeededRng): BlackjackAction {
  if (state.phase === "insurance") {
    const seat = state.seats.findIndex((s) => s.hands.length > 0 && !s.insuranceDecided);
    return { type: "insurance", seat, take: random.nextUint32() % 2 === 0 };
  }
  const turn = state.turn ?? { seat: 0, hand: 0 };
  const hand = state.seats[turn.seat]?.hands[turn.hand];
  const cards = hand?.cards ?? [];
  const total = handTotal(cards).total;
  const pair = cards.length === 2 && (cards[0] as number) >> 2 === (cards[1] as number) >> 2;
  if (pair && ((cards[0] as number) >> 2 === 6 || (cards[0] as number) >> 2 === 12) && (state.seats[turn.seat]?.hands.length ?? 0) < 4) {
    return { type: "split", seat: turn.seat };
  }
  if (cards.length === 2 && total === 11) return { type: "double", seat: turn.seat };
  return { type: total < 17 ? "hit" : "stand", seat: turn.seat };
}

describe("blackjack money", () => {
  it("conserves money over 3,000 seeded rounds: stakes and returns add up, and every round settles", () => {
    let state = newTable(rules, new SeededRng("money"));
    const random = new SeededRng("money-play");
    let outcomes = 0;
    for (let round = 0; round < 3_000; round++) {
      const step = playRound(state, random);
      expect(step.state.phase).toBe("settled");
      const dealt = step.all.find((e) => e.type === "round_settled");
      if (dealt?.type !== "round_settled") throw new Error("round not settled");
      const bets = step.state.seats.reduce((sum, seat) => sum + seat.hands.reduce((s, h) => s + h.stakeMinor, 0n) + seat.insuranceMinor, 0n);
      expect(dealt.stakeMinor).toBe(bets);
      const returns = step.all.reduce((sum, e) => sum + (e.type === "hand_settled" || e.type === "insurance_settled" ? e.returnMinor : 0n), 0n);
      expect(dealt.returnMinor).toBe(returns);
      for (const e of step.all) {
        if (e.type !== "hand_settled") continue;
        const stake = step.state.seats[e.seat]?.hands[e.hand]?.stakeMinor ?? 0n;
        expect([0n, stake, 2n * stake, stake + (stake * 3n) / 2n]).toContain(e.returnMinor);
        outcomes++;
      }
      state = step.state;
    }
    expect(outcomes).toBeGreaterThan(3_000);
  });
});
