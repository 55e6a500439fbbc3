import { describe, expect, it } from "vitest";
import { add, equals, fraction, multiply, toDecimal, type Fraction } from "../../src/engine/math/fraction.js";
import { SeededRng } from "../../src/engine/rng/seeded.rng.js";
import {
  bookableContribution,
  compileSlot,
  crownJewels,
  evaluateStops,
  jackpotContributionScale,
  linePay,
  newSlotSession,
  play,
  spin,
  theoreticalRtp,
  type SlotConfig,
} from "../../src/engine/slots/index.js";
import { ScriptedRng } from "./support.js";

const slot = compileSlot(crownJewels);

/** A small game whose 4,500 stop combinations can all be visited, with every feature of the real one. */
const tiny: SlotConfig = {
  id: "tiny",
  symbols: [
    { id: "wild", kind: "wild" },
    { id: "scatter", kind: "scatter" },
    { id: "a", kind: "regular" },
    { id: "b", kind: "regular" },
  ],
  reels: [
    ["a", "scatter", "b", "a", "b"],
    ["a", "scatter", "wild", "b", "scatter", "a"],
    ["wild", "b", "scatter", "a", "a"],
    ["b", "scatter", "a", "wild", "scatter", "b"],
    ["a", "b", "wild", "scatter", "b"],
  ],
  paylines: [
    [1, 1, 1, 1, 1],
    [0, 1, 2, 1, 0],
    [2, 2, 1, 0, 0],
  ],
  linePays: { wild: [0, 0, 0, 20, 50, 100], a: [0, 0, 1, 5, 10, 20], b: [0, 0, 0, 2, 4, 8] },
  scatterPays: [0, 0, 1, 5, 20, 100],
  freeSpins: { awardsByScatterCount: [0, 0, 3, 5, 8, 10], winMultiplier: 2 },
  jackpot: { contributionBasisPoints: 50, triggerNumerator: 3, triggerDenominator: 1000 },
  stake: { minMinor: 3n, maxMinor: 300n },
};

function everyStopCombination(lengths: readonly number[]): number[][] {
  return lengths.reduce<number[][]>((combos, length) => combos.flatMap((prefix) => Array.from({ length }, (_, stop) => [...prefix, stop])), [[]]);
}

describe("slot RTP", () => {
  it("equals brute-force enumeration of every stop combination on a small game", () => {
    const compiled = compileSlot(tiny);
    const rtp = theoreticalRtp(compiled);
    const combos = everyStopCombination(compiled.reels.map((strip) => strip.length));
    expect(combos).toHaveLength(5 * 6 * 5 * 6 * 5);
    const stake = 3n;
    let baseWin = 0n,
      lineWin = 0n,
      freeWin = 0n,
      freeSpins = 0n,
      triggers = 0n;
    for (const stops of combos) {
      const base = evaluateStops(compiled, stops, stake, false);
      baseWin += base.totalWinMinor;
      lineWin += base.totalWinMinor - base.scatterWinMinor;
      freeSpins += BigInt(base.freeSpinsAwarded);
      if (base.freeSpinsAwarded > 0) triggers++;
      freeWin += evaluateStops(compiled, stops, stake, true).totalWinMinor;
    }
    const perStake = (total: bigint) => fraction(total, BigInt(combos.length) * stake);
    expect(equals(rtp.lineReturn, perStake(lineWin))).toBe(true);
    expect(equals(add(rtp.lineReturn, rtp.scatterReturn), perStake(baseWin))).toBe(true);
    expect(equals(rtp.freeSpinsPerPaidSpin, fraction(freeSpins, BigInt(combos.length)))).toBe(true);
    expect(equals(rtp.featureTriggerProbability, fraction(triggers, BigInt(combos.length)))).toBe(true);
    // A free spin is worth what the brute force says, and the feature is that many of them.
    expect(equals(rtp.featureReturn, multiply(rtp.freeSpinsPerPaidSpin, perStake(freeWin)))).toBe(true);
    expect(equals(rtp.totalReturn, add(add(perStake(baseWin), rtp.featureReturn), fraction(50n, 10_000n)))).toBe(true);
  });

  it("is exactly 94.98% from the reels and 95.98% with the jackpot for Crown Jewels", () => {
    const rtp = theoreticalRtp(slot);
    const exact = (value: Fraction) => `${value.numerator}/${value.denominator}`;
    expect(exact(rtp.lineReturn)).toBe("4760804/6464647");
    expect(exact(rtp.scatterReturn)).toBe("132084/6464647");
    expect(exact(rtp.featureTriggerProbability)).toBe("7641/923521");
    expect(exact(rtp.reelsReturn)).toBe("5670642778658/5970237262087");
    expect(exact(rtp.totalReturn)).toBe("573034515127887/597023726208700");
    expect(toDecimal(rtp.reelsReturn, 6)).toBe("0.949818");
    expect(toDecimal(rtp.totalReturn, 6)).toBe("0.959818");
  });

  it("returns the theoretical RTP over a seeded simulation with free spins, within its confidence interval", () => {
    const rng = new SeededRng("crown-jewels-simulation");
    const stake = 100n;
    const paidSpins = 60_000;
    let session = newSlotSession;
    let sum = 0;
    let sumSquares = 0;
    let features = 0;
    for (let i = 0; i < paidSpins; i++) {
      // Each paid spin and the free spins it triggers form one sample of the return.
      let roundWin = 0n;
      let outcome = play(slot, session, { type: "paid_spin", stakeMinor: stake }, rng);
      if (outcome.status !== "ok") throw new Error(outcome.status);
      roundWin += outcome.result.totalWinMinor;
      if (outcome.session.freeSpinsLeft > 0) features++;
      for (let free = 0; outcome.session.freeSpinsLeft > 0 && free < 100; free++) {
        session = outcome.session;
        outcome = play(slot, session, { type: "free_spin" }, rng);
        if (outcome.status !== "ok") throw new Error(outcome.status);
        roundWin += outcome.result.totalWinMinor;
      }
      session = outcome.session;
      const sample = Number(roundWin) / Number(stake);
      sum += sample;
      sumSquares += sample * sample;
    }
    const mean = sum / paidSpins;
    const sd = Math.sqrt(sumSquares / paidSpins - mean * mean);
    const expected = Number(theoreticalRtp(slot).reelsReturn.numerator) / Number(theoreticalRtp(slot).reelsReturn.denominator);
    expect(Math.abs(mean - expected)).toBeLessThan((5 * sd) / Math.sqrt(paidSpins));
    expect(features).toBeGreaterThan(0);
  });
});

describe("slot evaluation", () => {
  const ids = (names: string) => names.split(" ").map((name) => slot.symbolIds.indexOf(name));

  it.each([
    ["ace ace ace king king", "ace", 3, 10n],
    ["ace wild ace ace king", "ace", 4, 25n],
    ["wild wild ace ace ace", "ace", 5, 100n],
    ["wild wild wild ace king", "wild", 3, 50n],
    ["wild wild wild wild ten", "wild", 4, 200n],
    ["wild wild wild wild wild", "wild", 5, 1000n],
    ["crown crown ten ten ten", "crown", 2, 2n],
    ["ace ace scatter ace ace", "ace", 2, 0n],
    ["wild scatter ace ace ace", "wild", 1, 0n],
    ["king queen king king king", "king", 1, 0n],
  ] as const)("%s pays %s × %i = %i line bets", (line, symbol, count, pay) => {
    const result = linePay(slot, ids(line));
    expect(result.pay).toBe(pay);
    if (pay > 0n) expect([slot.symbolIds[result.symbol], result.count]).toEqual([symbol, count]);
  });

  it("reads the window from the stops, pays lines per line bet, scatters per stake, and awards free spins", () => {
    // Stops 0 put "scatter" (strip index 1) on the middle row of reels 1 and 2.
    const outcome = evaluateStops(slot, [0, 0, 0, 0, 0], 100n, false);
    expect(outcome.grid[0]).toEqual(["ace", "scatter", "king"]);
    expect(outcome.grid.map((cells) => cells.length)).toEqual([3, 3, 3, 3, 3]);
    const scatters = outcome.grid.flat().filter((symbol) => symbol === "scatter").length;
    expect(outcome.scatterCount).toBe(scatters);
    const lines = outcome.lineWins.reduce((sum, win) => sum + win.winMinor, 0n);
    expect(outcome.totalWinMinor).toBe(lines + outcome.scatterWinMinor);
  });

  it("multiplies free-spin wins and never retriggers in free spins", () => {
    const stops = findStops((o) => o.scatterCount >= 3 && o.lineWins.length > 0);
    const base = evaluateStops(slot, stops, 100n, false);
    const free = evaluateStops(slot, stops, 100n, true);
    expect(base.freeSpinsAwarded).toBeGreaterThanOrEqual(10);
    expect(free.freeSpinsAwarded).toBe(0);
    expect(free.totalWinMinor).toBe(3n * base.totalWinMinor);
  });
});

/** The first stop combination (in a seeded search) whose base outcome satisfies the predicate. */
function findStops(predicate: (outcome: ReturnType<typeof evaluateStops>) => boolean): number[] {
  const rng = new SeededRng("find-stops");
  for (let attempt = 0; attempt < 200_000; attempt++) {
    const stops = slot.reels.map((strip) => rng.nextUint32() % strip.length);
    if (predicate(evaluateStops(slot, stops, 100n, false))) return stops;
  }
  throw new Error("no stops found");
}

describe("slot spin and session", () => {
  it("refuses stakes outside the limits or not a whole number of line bets", () => {
    const rng = new SeededRng(1);
    expect(spin(slot, rng, { stakeMinor: 0n, freeSpin: false }).status).toBe("stake_below_min");
    expect(spin(slot, rng, { stakeMinor: 10_010n, freeSpin: false }).status).toBe("stake_above_max");
    expect(spin(slot, rng, { stakeMinor: 15n, freeSpin: false }).status).toBe("stake_not_multiple_of_lines");
    expect(spin(slot, rng, { stakeMinor: 20 as unknown as bigint, freeSpin: false }).status).toBe("stake_not_integer");
  });

  it("draws one stop per reel, then the jackpot, and reports the exact contribution", () => {
    // Stops 3, 4, 5, 6, 7; then a jackpot draw of 0 (< 1 in 5,000,000) triggers it.
    const result = spin(slot, new ScriptedRng([3, 4, 5, 6, 7, 0]), { stakeMinor: 250n, freeSpin: false });
    expect(result.status).toBe("ok");
    if (result.status !== "ok") return;
    expect(result.result.stops).toEqual([3, 4, 5, 6, 7]);
    expect(result.result.jackpotTriggered).toBe(true);
    // 1% of 2.50 is 2.5 cents: kept exact as 25,000 / 10,000.
    expect(result.result.jackpotContributionScaled).toBe(25_000n);
    expect(jackpotContributionScale).toBe(10_000n);
    const free = spin(slot, new ScriptedRng([3, 4, 5, 6, 7]), { stakeMinor: 250n, freeSpin: true });
    expect(free.status === "ok" && [free.result.jackpotTriggered, free.result.jackpotContributionScaled]).toEqual([false, 0n]);
  });

  it.each<[string, number[], boolean]>([
    // The tiny game wins the pool with 3 in 1000: the draw after the five stops is uniformInt(1000) < 3.
    ["draw 0 wins", [0], true],
    ["draw 2 wins", [2], true],
    ["draw 3 loses", [3], false],
    ["draw 999 loses", [999], false],
    ["a raw 1002 maps to 2 and wins", [1002], true],
    // 2^32 - 1 is above the largest multiple of 1000 below 2^32: rejected, not folded onto 295.
    ["a rejected raw draw is redrawn", [4_294_967_295, 1], true],
    ["a rejected raw draw then a loss", [4_294_967_000, 500], false],
  ])("maps the jackpot trigger draw without bias: %s", (_name, draws, triggered) => {
    const compiled = compileSlot(tiny);
    const rng = new ScriptedRng([0, 0, 0, 0, 0, ...draws]);
    const result = spin(compiled, rng, { stakeMinor: 3n, freeSpin: false });
    expect(result.status === "ok" && result.result.jackpotTriggered).toBe(triggered);
    expect(rng.used).toBe(5 + draws.length);
  });

  it("never draws the trigger when the jackpot is off, nor on free spins", () => {
    const off = compileSlot({ ...tiny, jackpot: { contributionBasisPoints: 0, triggerNumerator: 0, triggerDenominator: 1 } });
    const rng = new ScriptedRng([0, 0, 0, 0, 0]);
    expect(spin(off, rng, { stakeMinor: 3n, freeSpin: false })).toMatchObject({
      status: "ok",
      result: { jackpotTriggered: false, jackpotContributionScaled: 0n },
    });
    expect(rng.used).toBe(5);
    const always = compileSlot({ ...tiny, jackpot: { contributionBasisPoints: 100, triggerNumerator: 1, triggerDenominator: 1 } });
    expect(spin(always, new ScriptedRng([0, 0, 0, 0, 0, 7]), { stakeMinor: 3n, freeSpin: false })).toMatchObject({ result: { jackpotTriggered: true } });
    expect(spin(always, new ScriptedRng([0, 0, 0, 0, 0]), { stakeMinor: 3n, freeSpin: true })).toMatchObject({ result: { jackpotTriggered: false } });
  });

  it("books whole minor units of contribution and carries the fraction exactly", () => {
    // 1% of a 0.10 stake is 0.1 cent: nine spins book nothing, the tenth books one cent.
    let carry = 0n;
    const booked: bigint[] = [];
    for (let i = 0; i < 10; i++) {
      const next = bookableContribution(carry, 10n * 100n);
      booked.push(next.minor);
      carry = next.carryScaled;
    }
    expect(booked).toEqual([0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 1n]);
    expect(carry).toBe(0n);
    expect(bookableContribution(9_999n, 25_000n)).toEqual({ minor: 3n, carryScaled: 4_999n });
  });

  it("runs the free-spin feature as a state machine with statuses for illegal actions", () => {
    const stops = findStops((o) => o.freeSpinsAwarded > 0);
    const triggered = play(slot, newSlotSession, { type: "paid_spin", stakeMinor: 100n }, new ScriptedRng([...stops, 1]));
    expect(triggered.status).toBe("ok");
    if (triggered.status !== "ok") return;
    expect(triggered.debitMinor).toBe(100n);
    expect(triggered.session.freeSpinsLeft).toBe(triggered.result.freeSpinsAwarded);
    const refused = play(slot, triggered.session, { type: "paid_spin", stakeMinor: 100n }, new SeededRng(2));
    expect(refused).toEqual({ status: "free_spins_pending", session: triggered.session });
    let session = triggered.session;
    const rng = new SeededRng("feature");
    let featureWin = 0n;
    while (session.freeSpinsLeft > 0) {
      const free = play(slot, session, { type: "free_spin" }, rng);
      if (free.status !== "ok") throw new Error(free.status);
      expect(free.debitMinor).toBe(0n);
      expect(free.result.freeSpin && free.result.stakeMinor).toBe(100n);
      featureWin += free.result.totalWinMinor;
      session = free.session;
    }
    expect(session.featureWinMinor).toBe(featureWin);
    expect(play(slot, session, { type: "free_spin" }, rng).status).toBe("no_free_spins");
    expect(play(slot, session, { type: "paid_spin", stakeMinor: 5n }, rng)).toEqual({ status: "stake_below_min", session });
  });

  it("rejects broken game data loudly", () => {
    const crowded = { ...tiny, reels: [["a", "scatter", "scatter", "b"], ...tiny.reels.slice(1)] };
    expect(() => compileSlot(crowded)).toThrow(/at least 3 apart/);
    expect(() => compileSlot({ ...tiny, reels: tiny.reels.slice(1) })).toThrow(/5 reels/);
    expect(() => compileSlot({ ...tiny, reels: [["a", "z", "b"], ...tiny.reels.slice(1)] })).toThrow(/unknown symbol z/);
    expect(() => compileSlot({ ...tiny, paylines: [[1, 1, 1, 1, 3]] })).toThrow(/payline/);
  });
});
