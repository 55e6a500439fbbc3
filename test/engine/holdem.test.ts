import { describe, expect, it } from "vitest";
import {
  apply,
  buildPots,
  defaultHoldemRules,
  eventRecipient,
  legalActions,
  newTable,
  splitPot,
  type HoldemAction,
  type HoldemEvent,
  type HoldemRules,
  type HoldemState,
  type HoldemStep,
} from "../../src/engine/holdem/index.js";
import { orderedDeck, parseCards } from "../../src/engine/poker/cards.js";

const rules: HoldemRules = { ...defaultHoldemRules, rakeBasisPoints: 0 };

const cards = (text: string): number[] => {
  const parsed = parseCards(text);
  if (parsed === undefined) throw new Error(`bad cards ${text}`);
  return parsed;
};

/**
 * A deck that deals the given hole cards and board: two rounds from the button's left (`order`), then
 * burn, flop, burn, turn, burn, river; every other card follows in order.
 */
function stackedDeck(order: readonly number[], holes: Readonly<Record<number, string>>, board: string): number[] {
  const hole = order.map((seat) => cards(holes[seat] ?? ""));
  const [f1, f2, f3, turn, river] = cards(board) as [number, number, number, number, number];
  const chosen = [...hole.flat(), f1, f2, f3, turn, river];
  const spare = orderedDeck().filter((card) => !chosen.includes(card));
  const burn = () => spare.shift() as number;
  const deck = [...hole.map((h) => h[0] as number), ...hole.map((h) => h[1] as number), burn(), f1, f2, f3, burn(), turn, burn(), river];
  return [...deck, ...spare];
}

function play(state: HoldemState, ...actions: HoldemAction[]): HoldemStep & { all: HoldemEvent[] } {
  let step: HoldemStep = { state, events: [], status: "ok" };
  const all: HoldemEvent[] = [];
  for (const action of actions) {
    step = apply(step.state, action);
    if (step.status !== "ok") throw new Error(`${JSON.stringify(action, (_: string, v: unknown) => (typeof v === "bigint" ? `${v}n` : v))}: ${step.status}`);
    all.push(...step.events);
  }
  return { ...step, all };
}

const deal = (deck: number[]): HoldemAction => ({ type: "start_hand", deck });
const act = (type: "fold" | "check" | "call" | "all_in", seat: number): HoldemAction => ({ type, seat });
const raise = (seat: number, toMinor: bigint): HoldemAction => ({ type: "raise", seat, toMinor });
const stacks = (state: HoldemState) => state.seats.map((seat) => seat?.stackMinor ?? null);
const awards = (events: readonly HoldemEvent[]) =>
  events.flatMap((e) =>
    e.type === "pot_awarded" ? [{ amount: e.amountMinor, eligible: e.eligibleSeats, awards: e.awards.map((a) => [a.seat, a.amountMinor]) }] : [],
  );

/** Three players all-in preflop for `stacksMinor`, then a showdown on `board`: seat 0 is the button. */
function showdown(holes: Record<number, string>, board: string, stacksMinor: readonly bigint[] = [10_000n, 10_000n, 10_000n]) {
  const table = newTable({ ...rules, seatCount: stacksMinor.length }, stacksMinor);
  const order = stacksMinor.map((_, i) => (i + 1) % stacksMinor.length);
  const first = play(table, deal(stackedDeck(order, holes, board)));
  let step: HoldemStep & { all: HoldemEvent[] } = first;
  while (step.state.phase !== "between_hands") {
    const toAct = step.state.toAct as number;
    const next = play(step.state, act("all_in", toAct));
    step = { ...next, all: [...step.all, ...next.all] };
  }
  return step;
}

describe("hold'em showdown", () => {
  // Three players all in for the same amount: who wins what, including the classic traps.
  const cases: { name: string; holes: Record<number, string>; board: string; winners: number[] }[] = [
    { name: "a higher kicker wins with the same pair", holes: { 0: "Ah Kd", 1: "As Qd", 2: "7c 2d" }, board: "Ac 9s 6h 4d 3c", winners: [0] },
    { name: "the board plays: a split", holes: { 0: "2c 3d", 1: "2d 3h", 2: "4c 5d" }, board: "Ah Kh Qh Jh Th", winners: [0, 1, 2] },
    { name: "the wheel loses to a six-high straight", holes: { 0: "Ac 2d", 1: "6c 7d", 2: "Kc Kd" }, board: "3h 4s 5d 9c Jh", winners: [1] },
    { name: "the wheel beats trips", holes: { 0: "Ac 2d", 1: "9d 9h", 2: "Kc Qd" }, board: "3h 4s 5d 9c Jh", winners: [0] },
    { name: "flush beats straight", holes: { 0: "Ah 2h", 1: "Tc Jd", 2: "Kc Kd" }, board: "7h 8h 9s Qh 3c", winners: [0] },
    { name: "the higher full house, by its trips", holes: { 0: "Kc Kd", 1: "Qc Qd", 2: "2c 3d" }, board: "Kh Qh Qs 5c 5d", winners: [1] },
    { name: "a second pair counterfeits: kicker decides two pair", holes: { 0: "Ac 4d", 1: "Kc 4h", 2: "2c 3h" }, board: "9h 9s 7d 7c 5h", winners: [0] },
    { name: "three pairs play the best two and the kicker", holes: { 0: "6c 6d", 1: "Ac 2d", 2: "Tc 3h" }, board: "Qh Qs 8d 8c 4h", winners: [1] },
    { name: "quads on board: the best fifth card wins", holes: { 0: "Ac 2d", 1: "Kc 3d", 2: "Ah 4d" }, board: "9h 9s 9d 9c 5h", winners: [0, 2] },
    { name: "steel wheel beats four of a kind", holes: { 0: "Ah 2h", 1: "5c 5s", 2: "Kc Kd" }, board: "3h 4h 5h 5d Jc", winners: [0] },
    { name: "royal flush", holes: { 0: "Ah Kh", 1: "Qs Qd", 2: "Jc Jd" }, board: "Qh Jh Th Qc Js", winners: [0] },
  ];
  for (const { name, holes, board, winners } of cases) {
    it(name, () => {
      const step = showdown(holes, board);
      const potAwards = awards(step.all);
      expect(potAwards).toHaveLength(1);
      expect(potAwards[0]?.awards.map(([seat]) => seat).sort()).toEqual(winners);
      expect(stacks(step.state).reduce((a, b) => (a ?? 0n) + (b ?? 0n), 0n)).toBe(30_000n);
    });
  }

  it("gives the odd chip to the first winner left of the button", () => {
    expect(splitPot(1_001n, [0, 2], 0, 3)).toEqual([
      { seat: 2, amountMinor: 501n },
      { seat: 0, amountMinor: 500n },
    ]);
    expect(splitPot(1_001n, [0, 2], 1, 3)).toEqual([
      { seat: 2, amountMinor: 501n },
      { seat: 0, amountMinor: 500n },
    ]);
    expect(splitPot(1_001n, [0, 2], 2, 3)).toEqual([
      { seat: 0, amountMinor: 501n },
      { seat: 2, amountMinor: 500n },
    ]);
    expect(splitPot(1_002n, [0, 1, 2], 0, 3)).toEqual([
      { seat: 1, amountMinor: 334n },
      { seat: 2, amountMinor: 334n },
      { seat: 0, amountMinor: 334n },
    ]);
  });

  it("splits a real pot with an odd chip left of the button", () => {
    // A small blind of 101 that folds leaves an odd pot of 501 for the two players who split it.
    const table = newTable({ ...rules, seatCount: 3, smallBlindMinor: 101n }, [5_000n, 5_000n, 5_000n]);
    const deck = stackedDeck([1, 2, 0], { 0: "2c 3d", 1: "2d 3h", 2: "7c 8d" }, "Ah Kh Qh Jh 9s");
    // Button 0, small blind 1 (101), big blind 2 (200). Seat 0 calls, seat 1 folds, the rest is checked down.
    const step = play(
      table,
      deal(deck),
      act("call", 0),
      act("fold", 1),
      act("check", 2),
      act("check", 2),
      act("check", 0),
      act("check", 2),
      act("check", 0),
      act("check", 2),
      act("check", 0),
    );
    // The board plays for both (A K Q J 9): the odd chip goes to seat 2, the first winner left of the button.
    expect(awards(step.all)).toEqual([
      {
        amount: 501n,
        eligible: [0, 2],
        awards: [
          [2, 251n],
          [0, 250n],
        ],
      },
    ]);
  });
});

describe("hold'em side pots", () => {
  it("builds a main pot and two side pots from three all-ins of different sizes and a caller", () => {
    const pots = buildPots([
      { seat: 0, committedMinor: 100n, folded: false },
      { seat: 1, committedMinor: 250n, folded: false },
      { seat: 2, committedMinor: 400n, folded: false },
      { seat: 3, committedMinor: 400n, folded: false },
      { seat: 4, committedMinor: 50n, folded: true },
    ]);
    expect(pots).toEqual([
      { amountMinor: 450n, eligibleSeats: [0, 1, 2, 3] },
      { amountMinor: 450n, eligibleSeats: [1, 2, 3] },
      { amountMinor: 300n, eligibleSeats: [2, 3] },
    ]);
  });

  it("pays three all-ins: the short stack wins the main pot, the next the side pot, the rest returns", () => {
    // Four seats: 0 button. Stacks: seat 1 has 1,000, seat 2 has 3,000, seat 3 has 6,000, seat 0 has 10,000.
    const table = newTable({ ...rules, seatCount: 4 }, [10_000n, 1_000n, 3_000n, 6_000n]);
    const deck = stackedDeck([1, 2, 3, 0], { 1: "Ac Ad", 2: "Kc Kd", 3: "Qc Qd", 0: "Jc Jd" }, "2h 5s 8d 9c 3h");
    const step = play(table, deal(deck), act("all_in", 3), act("call", 0), act("all_in", 1), act("all_in", 2));
    // seat 3 all-in 6,000; seat 0 calls 6,000; seats 1 and 2 all-in for less. Main: 4 × 1,000; side 1: 3 × 2,000; side 2: 2 × 3,000.
    expect(awards(step.all)).toEqual([
      { amount: 4_000n, eligible: [0, 1, 2, 3], awards: [[1, 4_000n]] },
      { amount: 6_000n, eligible: [0, 2, 3], awards: [[2, 6_000n]] },
      { amount: 6_000n, eligible: [0, 3], awards: [[3, 6_000n]] },
    ]);
    expect(stacks(step.state)).toEqual([4_000n, 4_000n, 6_000n, 6_000n]);
  });

  it("keeps a folded player's chips in the pots they were paid into", () => {
    // Seat 3 raises to 600 and folds to an all-in; seat 1 (1,000) and seat 2 (3,000) are all in.
    const table = newTable({ ...rules, seatCount: 4 }, [10_000n, 1_000n, 3_000n, 10_000n]);
    const deck = stackedDeck([1, 2, 3, 0], { 1: "Kc Kd", 2: "Ac Ad", 3: "Qc Qd", 0: "2c 7d" }, "2h 5s 8d 9c 3h");
    const step = play(table, deal(deck), raise(3, 600n), act("fold", 0), act("all_in", 1), act("all_in", 2), act("fold", 3));
    // Main pot: 1,000 × 2 + 600 folded = 2,600; side pot: seat 2's 2,000 beyond it is uncalled and returns.
    expect(step.all).toContainEqual({ type: "uncalled_bet_returned", seat: 2, amountMinor: 2_000n });
    expect(awards(step.all)).toEqual([{ amount: 2_600n, eligible: [1, 2], awards: [[2, 2_600n]] }]);
    expect(stacks(step.state)).toEqual([10_000n, 0n, 4_600n, 9_400n]);
  });

  it("runs the board out when a short big blind is all in from the blind alone", () => {
    const table = newTable({ ...rules, seatCount: 2 }, [10_000n, 150n]);
    const deck = stackedDeck([1, 0], { 0: "Ac Ad", 1: "Kc Kd" }, "2h 5s 8d 9c 3h");
    // Heads-up: seat 0 is the button and small blind; seat 1 posts 150 of its 200 blind, all in.
    const started = play(table, deal(deck));
    expect(started.state.toAct).toBe(0);
    const step = play(started.state, act("call", 0));
    expect(step.all.filter((e) => e.type === "board_dealt")).toHaveLength(3);
    expect(step.all).toContainEqual({ type: "uncalled_bet_returned", seat: 0, amountMinor: 50n });
    expect(stacks(step.state)).toEqual([10_150n, 0n]);
  });

  it("needs no action when the small blind is all in for less than the big blind", () => {
    const table = newTable({ ...rules, seatCount: 2 }, [60n, 10_000n]);
    const deck = stackedDeck([1, 0], { 0: "Ac Ad", 1: "Kc Kd" }, "2h 5s 8d 9c 3h");
    const step = play(table, deal(deck));
    expect(step.state.phase).toBe("between_hands");
    expect(step.all).toContainEqual({ type: "uncalled_bet_returned", seat: 1, amountMinor: 140n });
    expect(stacks(step.state)).toEqual([120n, 9_940n]);
  });

  it("returns an uncalled all-in above every other stack", () => {
    const table = newTable({ ...rules, seatCount: 2 }, [10_000n, 2_000n]);
    const deck = stackedDeck([1, 0], { 0: "Ac Ad", 1: "Kc Kd" }, "2h 5s 8d 9c 3h");
    // Heads-up: seat 0 (button) posts the small blind and acts first.
    const step = play(table, deal(deck), act("all_in", 0), act("call", 1));
    expect(step.all).toContainEqual({ type: "uncalled_bet_returned", seat: 0, amountMinor: 8_000n });
    expect(stacks(step.state)).toEqual([12_000n, 0n]);
  });
});

describe("hold'em betting", () => {
  const fresh = (stacksMinor: readonly (bigint | null)[] = [10_000n, 10_000n, 10_000n, 10_000n]) =>
    newTable({ ...rules, seatCount: stacksMinor.length }, stacksMinor);
  const deck = orderedDeck();

  it("posts blinds left of the button, deals private hole cards, and moves the button each hand", () => {
    const first = play(fresh(), deal(deck));
    expect(first.all[0]).toMatchObject({ type: "hand_started", button: 0, smallBlindSeat: 1, bigBlindSeat: 2 });
    const holes = first.all.filter((e) => e.type === "hole_cards");
    expect(holes.map((e) => eventRecipient(e))).toEqual([1, 2, 3, 0]);
    expect(first.all.filter((e) => eventRecipient(e) === "all").some((e) => "cards" in e)).toBe(false);
    expect(first.state.toAct).toBe(3);
    const ended = play(first.state, act("fold", 3), act("fold", 0), act("fold", 1));
    expect(stacks(ended.state)).toEqual([10_000n, 9_900n, 10_100n, 10_000n]);
    const second = play(ended.state, deal(deck));
    expect(second.all[0]).toMatchObject({ type: "hand_started", button: 1, smallBlindSeat: 2, bigBlindSeat: 3 });
  });

  it("skips empty seats and busted players when moving the button", () => {
    const table = fresh([null, 5_000n, 0n, 5_000n]);
    const step = play(table, deal(deck));
    expect(step.all[0]).toMatchObject({ type: "hand_started", button: 1, smallBlindSeat: 1, bigBlindSeat: 3, seats: [1, 3] });
    // Heads-up the button is the small blind and acts first before the flop.
    expect(step.state.toAct).toBe(1);
  });

  it("gives the big blind the option, and heads-up the big blind acts first after the flop", () => {
    const step = play(fresh([5_000n, 5_000n]), deal(deck), act("call", 0));
    expect(step.state.toAct).toBe(1);
    const flop = play(step.state, act("check", 1));
    expect(flop.state.phase).toBe("flop");
    expect(flop.state.toAct).toBe(1);
  });

  it("requires a raise of at least the last full raise", () => {
    const step = play(fresh(), deal(deck), raise(3, 600n));
    expect(apply(step.state, raise(0, 900n)).status).toBe("raise_below_min");
    expect(apply(step.state, raise(0, 1_000n)).status).toBe("ok");
    expect(apply(step.state, raise(0, 600n)).status).toBe("raise_below_min");
    expect(apply(step.state, raise(0, 10_001n)).status).toBe("raise_above_stack");
    expect(apply(step.state, act("check", 0)).status).toBe("cannot_check");
    expect(apply(step.state, act("call", 1)).status).toBe("not_your_turn");
    expect(legalActions(step.state)).toEqual({ seat: 0, canCheck: false, callMinor: 600n, raise: { minToMinor: 1_000n, maxToMinor: 10_000n } });
  });

  it("allows a short all-in raise that does not reopen the betting", () => {
    // Seat 0 has only 700: after seat 3 raises to 600 (a 400 raise), 0's all-in to 700 is not a full raise.
    const step = play(fresh([700n, 10_000n, 10_000n, 10_000n]), deal(deck), raise(3, 600n), act("all_in", 0), act("call", 1), act("call", 2));
    expect(step.all).toContainEqual({ type: "raised", seat: 0, toMinor: 700n, amountMinor: 700n, allIn: true, fullRaise: false });
    expect(step.state.toAct).toBe(3);
    expect(apply(step.state, raise(3, 2_000n)).status).toBe("raise_not_reopened");
    expect(apply(step.state, act("all_in", 3)).status).toBe("raise_not_reopened");
    expect(legalActions(step.state)?.raise).toBeNull();
    expect(apply(step.state, act("call", 3)).status).toBe("ok");
  });

  it("reopens the betting when short all-ins add up to a full raise", () => {
    // 3 bets 600 (raise of 400); 0 all-in 800 (short), 1 all-in 1,000 (short): 3 now faces 400 more, a full raise.
    const step = play(fresh([800n, 1_000n, 10_000n, 10_000n]), deal(deck), raise(3, 600n), act("all_in", 0), act("all_in", 1), act("call", 2));
    expect(step.state.toAct).toBe(3);
    expect(apply(step.state, raise(3, 1_400n)).status).toBe("ok");
  });

  it("refuses actions out of phase and bad decks", () => {
    const table = fresh();
    expect(apply(table, act("call", 0)).status).toBe("wrong_phase");
    expect(apply(table, deal(deck.slice(1))).status).toBe("invalid_deck");
    expect(apply(table, deal([...deck.slice(1), 1])).status).toBe("invalid_deck");
    expect(apply(fresh([5_000n, null, null, 0n]), deal(deck)).status).toBe("not_enough_players");
    expect(apply(table, { type: "sit", seat: 0, stackMinor: 5_000n }).status).toBe("seat_taken");
    expect(apply(fresh([5_000n, 5_000n, null, null]), { type: "sit", seat: 2, stackMinor: 1n }).status).toBe("buy_in_out_of_range");
    const dealt = play(table, deal(deck)).state;
    expect(apply(dealt, { type: "sit", seat: 0, stackMinor: 5_000n }).status).toBe("wrong_phase");
    expect(apply(dealt, raise(3, 500 as unknown as bigint)).status).toBe("amount_not_integer");
  });
});

describe("hold'em rake", () => {
  const raked: HoldemRules = { ...rules, seatCount: 2, rakeBasisPoints: 500, rakeCapMinor: 300n };

  it("takes no rake when the hand ends before the flop", () => {
    const step = play(newTable(raked, [10_000n, 10_000n]), deal(orderedDeck()), raise(0, 2_000n), act("fold", 1));
    expect(step.all.find((e) => e.type === "hand_completed")).toMatchObject({ rakeMinor: 0n });
    expect(stacks(step.state)).toEqual([10_200n, 9_800n]);
  });

  it("rakes 5% of a pot that saw a flop, rounded down, up to the cap", () => {
    const deck = stackedDeck([1, 0], { 0: "Ac Ad", 1: "Kc Kd" }, "2h 5s 8d 9c 3h");
    const small = play(
      newTable(raked, [10_000n, 10_000n]),
      deal(deck),
      act("call", 0),
      act("check", 1),
      act("check", 1),
      act("check", 0),
      act("check", 1),
      act("check", 0),
      act("check", 1),
      act("check", 0),
    );
    expect(small.all.find((e) => e.type === "hand_completed")).toMatchObject({ rakeMinor: 20n });
    expect(stacks(small.state)).toEqual([10_180n, 9_800n]);
    const big = play(newTable(raked, [10_000n, 10_000n]), deal(deck), act("call", 0), act("check", 1), act("all_in", 1), act("call", 0));
    expect(big.all.find((e) => e.type === "hand_completed")).toMatchObject({ rakeMinor: 300n });
    expect(stacks(big.state)).toEqual([19_700n, 0n]);
  });
});
