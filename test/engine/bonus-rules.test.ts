import { describe, expect, it } from "vitest";
import {
  countedStake,
  defaultGameWeights,
  isHedgedRound,
  parseGameWeights,
  progressPercent,
  purseFor,
  rouletteRoundCounted,
  wageringRequired,
  weightOf,
} from "../../src/engine/bonus/index.js";
import { evenMoneyPockets, indexedPockets } from "../../src/engine/roulette/roulette.bets.js";

const cover = (type: "red" | "black" | "odd" | "even" | "low" | "high") => ({ type, pockets: evenMoneyPockets(type) });
const dozen = (index: number) => ({ type: "dozen", pockets: indexedPockets("dozen", index) });
const straight = (n: number) => ({ type: "straight", pockets: [n] });

describe("bonus rules", () => {
  it.each([
    ["slots", 100],
    ["roulette", 10],
    ["blackjack", 10],
    ["liveblackjack", 10],
    ["holdem", 0],
    ["baccarat", 0],
    ["toString", 0],
  ] as const)("weighs %s at %i%% by default", (game, weight) => {
    expect(weightOf(defaultGameWeights, game)).toBe(weight);
  });

  it.each([
    [100n, 100, 100n],
    [100n, 10, 10n],
    [105n, 10, 10n],
    [9n, 10, 0n],
    [100n, 0, 0n],
    [0n, 100, 0n],
    [-5n, 100, 0n],
    [100n, 250, 100n],
  ] as const)("counts a stake of %i at %i%% as %i (rounded down)", (stake, weight, counted) => {
    expect(countedStake(stake, weight)).toBe(counted);
  });

  it("requires amount × multiplier, and shows progress in whole percent", () => {
    expect(wageringRequired(1_000n, 35)).toBe(35_000n);
    expect(wageringRequired(1_000n, 0)).toBe(0n);
    expect(progressPercent(0n, 35_000n)).toBe(0);
    expect(progressPercent(17_499n, 35_000n)).toBe(49);
    expect(progressPercent(35_000n, 35_000n)).toBe(100);
    expect(progressPercent(40_000n, 35_000n)).toBe(100);
    expect(progressPercent(0n, 0n)).toBe(100);
  });

  it.each([
    [500n, 500n, 0n, "cash"],
    [500n, 499n, 500n, "bonus"],
    [500n, 499n, 499n, "cash"],
    [500n, 0n, 10_000n, "bonus"],
    [1n, 0n, 0n, "cash"],
  ] as const)("takes a stake of %i with cash %i and bonus %i from %s, whole", (stake, cash, bonus, purse) => {
    expect(purseFor(stake, cash, bonus)).toBe(purse);
  });

  it.each([
    ["red and black", [cover("red"), cover("black")], true],
    ["odd and even", [cover("odd"), cover("even")], true],
    ["low and high", [cover("low"), cover("high")], true],
    ["three dozens", [dozen(1), dozen(2), dozen(3)], true],
    ["a dozen with low and high split across bets", [cover("low"), dozen(3), straight(13), ...Array.from({ length: 11 }, (_, i) => straight(14 + i))], true],
    ["red alone", [cover("red")], false],
    ["red and odd", [cover("red"), cover("odd")], false],
    ["two dozens", [dozen(1), dozen(2)], false],
    ["red and a straight on a black number", [cover("red"), straight(2)], false],
    ["nothing", [], false],
  ] as const)("judges %s: hedged %s", (_, bets, hedged) => {
    expect(isHedgedRound(bets)).toBe(hedged);
  });

  it("counts a roulette round once: nothing when hedged or above the max bet, else stake × weight", () => {
    expect(rouletteRoundCounted({ stakeMinor: 200n, bets: [cover("red"), cover("black")] }, 1_000n, 10)).toEqual({ countedMinor: 0n, reason: "hedged" });
    expect(rouletteRoundCounted({ stakeMinor: 2_000n, bets: [cover("red")] }, 1_000n, 10)).toEqual({ countedMinor: 0n, reason: "above_max_bet" });
    expect(rouletteRoundCounted({ stakeMinor: 200n, bets: [cover("red")] }, 1_000n, 10)).toEqual({ countedMinor: 20n, reason: "counted" });
  });

  it("parses game weights and refuses anything malformed", () => {
    expect(parseGameWeights("slots=100,roulette=10,blackjack=10,liveblackjack=10,holdem=0")).toEqual(defaultGameWeights);
    expect(parseGameWeights(" slots=50 , roulette=5 ")).toEqual({ slots: 50, roulette: 5 });
    expect(parseGameWeights("")).toEqual({});
    for (const bad of ["slots=101", "slots=-1", "slots", "Slots=1", "slots=1,slots=2", "slots=1.5", "slots=1;roulette=2"])
      expect(parseGameWeights(bad)).toBeNull();
  });
});
