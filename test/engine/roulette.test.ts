import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  betTypes,
  defaultRouletteLimits,
  evenMoneyBetTypes,
  insideBetTypes,
  payoutOdds,
  pocketCount,
  redNumbers,
  settle,
  spin,
  validateBet,
  validateBets,
  validPocketSets,
  type RouletteBet,
  type RouletteBetRequest,
} from "../../src/engine/roulette/index.js";
import { SeededRng } from "../../src/engine/rng/seeded.rng.js";
import { ScriptedRng } from "./support.js";

const limits = defaultRouletteLimits;
const stake = 100n;

/** Every distinct bet a player can make: 145 inside pocket sets, 6 dozens and columns, 6 even-money bets. */
function everyBetRequest(stakeMinor: bigint): RouletteBetRequest[] {
  return [
    ...insideBetTypes.flatMap((type) => validPocketSets(type).map((numbers) => ({ type, numbers, stakeMinor }))),
    ...(["dozen", "column"] as const).flatMap((type) => [1, 2, 3].map((index) => ({ type, index, stakeMinor }))),
    ...evenMoneyBetTypes.map((type) => ({ type, stakeMinor })),
  ];
}

function accept(request: RouletteBetRequest): RouletteBet {
  const result = validateBet(request, limits);
  if (result.status !== "ok")
    throw new Error(`expected ${JSON.stringify(request, (_: string, v: unknown) => (typeof v === "bigint" ? `${v}n` : v))} to be valid: ${result.status}`);
  return result.bet;
}

describe("roulette layout and validation", () => {
  it("knows how many ways each inside bet can be placed", () => {
    expect(insideBetTypes.map((type) => validPocketSets(type).length)).toEqual([37, 60, 14, 23, 11]);
    expect([...redNumbers].length).toBe(18);
  });

  it.each([
    ["straight", [0]],
    ["straight", [36]],
    ["split", [0, 2]],
    ["split", [2, 1]],
    ["split", [17, 20]],
    ["split", [35, 36]],
    ["street", [34, 35, 36]],
    ["street", [0, 1, 2]],
    ["street", [2, 0, 3]],
    ["corner", [1, 2, 4, 5]],
    ["corner", [32, 33, 35, 36]],
    ["corner", [0, 1, 2, 3]],
    ["six_line", [31, 32, 33, 34, 35, 36]],
    ["six_line", [1, 2, 3, 4, 5, 6]],
  ] as const)("accepts %s on %j", (type, numbers) => {
    expect(validateBet({ type, numbers, stakeMinor: stake }, limits).status).toBe("ok");
  });

  it.each([
    ["straight", [37]],
    ["straight", [-1]],
    ["straight", [1.5]],
    ["straight", []],
    ["straight", [1, 2]],
    ["split", [3, 4]],
    ["split", [1, 3]],
    ["split", [0, 4]],
    ["split", [34, 37]],
    ["split", [5, 5]],
    ["split", [1, 5]],
    ["street", [2, 3, 4]],
    ["street", [0, 1, 3]],
    ["corner", [3, 4, 6, 7]],
    ["corner", [0, 1, 4, 5]],
    ["corner", [34, 35, 37, 38]],
    ["six_line", [2, 3, 4, 5, 6, 7]],
    ["six_line", [34, 35, 36, 37, 38, 39]],
  ] as const)("refuses %s on %j as not on the layout", (type, numbers) => {
    expect(validateBet({ type, numbers, stakeMinor: stake }, limits).status).toBe("numbers_not_on_layout");
  });

  it("checks indices, types, stakes and table limits with statuses", () => {
    expect(validateBet({ type: "dozen", index: 4, stakeMinor: stake }, limits).status).toBe("index_out_of_range");
    expect(validateBet({ type: "column", index: 0, stakeMinor: stake }, limits).status).toBe("index_out_of_range");
    expect(validateBet({ type: "basket", stakeMinor: stake } as unknown as RouletteBetRequest, limits).status).toBe("unknown_bet_type");
    expect(validateBet({ type: "split", stakeMinor: stake } as unknown as RouletteBetRequest, limits).status).toBe("numbers_not_on_layout");
    expect(validateBet({ type: "red", stakeMinor: 100 } as unknown as RouletteBetRequest, limits).status).toBe("stake_not_integer");
    expect(validateBet({ type: "red", stakeMinor: 99n }, limits).status).toBe("stake_below_min");
    expect(validateBet({ type: "red", stakeMinor: 0n }, limits).status).toBe("stake_below_min");
    expect(validateBet({ type: "straight", numbers: [7], stakeMinor: 10_001n }, limits).status).toBe("stake_above_max");
    expect(validateBet({ type: "red", stakeMinor: 300_000n }, limits).status).toBe("ok");
  });

  it("validates a round all-or-nothing, naming the failing bet", () => {
    const fine: RouletteBetRequest = { type: "red", stakeMinor: 100n };
    expect(validateBets([fine, { type: "split", numbers: [1, 3], stakeMinor: 100n }], limits)).toEqual({ status: "numbers_not_on_layout", betIndex: 1 });
    const big: RouletteBetRequest = { type: "black", stakeMinor: 300_000n };
    expect(validateBets([big, big, big, big], limits)).toEqual({ status: "round_stake_above_max", betIndex: 3 });
    expect(validateBets(new Array<RouletteBetRequest>(201).fill(fine), limits).status).toBe("too_many_bets");
    const ok = validateBets([fine, { type: "straight", numbers: [17], stakeMinor: 250n }], limits);
    expect(ok.status === "ok" && ok.totalStakeMinor).toBe(350n);
  });
});

describe("roulette payouts", () => {
  it("pays 35, 17, 11, 8, 5, 2, 2 and 1 to 1", () => {
    expect(betTypes.map((type) => payoutOdds[type])).toEqual([35n, 17n, 11n, 8n, 5n, 2n, 2n, 1n, 1n, 1n, 1n, 1n, 1n]);
    const bets = [
      accept({ type: "straight", numbers: [17], stakeMinor: 100n }),
      accept({ type: "split", numbers: [17, 20], stakeMinor: 100n }),
      accept({ type: "street", numbers: [16, 17, 18], stakeMinor: 100n }),
      accept({ type: "corner", numbers: [13, 14, 16, 17], stakeMinor: 100n }),
      accept({ type: "six_line", numbers: [13, 14, 15, 16, 17, 18], stakeMinor: 100n }),
      accept({ type: "dozen", index: 2, stakeMinor: 100n }),
      accept({ type: "column", index: 2, stakeMinor: 100n }),
      accept({ type: "black", stakeMinor: 100n }),
      accept({ type: "red", stakeMinor: 100n }),
      accept({ type: "odd", stakeMinor: 100n }),
      accept({ type: "low", stakeMinor: 100n }),
      accept({ type: "high", stakeMinor: 100n }),
    ];
    const settlement = settle(bets, 17);
    expect(settlement.results.map((r) => r.returnMinor)).toEqual([3600n, 1800n, 1200n, 900n, 600n, 300n, 300n, 200n, 0n, 200n, 200n, 0n]);
    expect(settlement.totalStakeMinor).toBe(1200n);
    expect(settlement.totalReturnMinor).toBe(9300n);
  });

  it("loses every outside bet on zero", () => {
    const outside = everyBetRequest(stake)
      .filter((r) => !(insideBetTypes as readonly string[]).includes(r.type))
      .map(accept);
    expect(settle(outside, 0).totalReturnMinor).toBe(0n);
  });

  it("returns exactly 36/37 (97.30%) on every one of the 157 possible bets, by enumerating all 37 pockets", () => {
    const bets = everyBetRequest(stake).map(accept);
    expect(bets).toHaveLength(157);
    for (const bet of bets) {
      let returned = 0n;
      for (let pocket = 0; pocket < pocketCount; pocket++) returned += settle([bet], pocket).totalReturnMinor;
      // Expected return = returned / (37 * stake); exactly 36/37 means returned = 36 * stake.
      expect(returned, `${bet.type} ${bet.pockets.join(",")}`).toBe(36n * stake);
    }
  });

  it("settles any valid combination of bets to the sum of its parts, never paying more than 36x", () => {
    const all = everyBetRequest(1n);
    fc.assert(
      fc.property(
        fc.array(fc.record({ pick: fc.nat({ max: all.length - 1 }), stake: fc.bigInt({ min: 100n, max: 10_000n }) }), { maxLength: 20 }),
        fc.nat({ max: 36 }),
        (picks, pocket) => {
          const bets = picks.map(({ pick, stake: s }) => accept({ ...(all[pick] as RouletteBetRequest), stakeMinor: s }));
          const settlement = settle(bets, pocket);
          const sum = bets.reduce((acc, bet) => acc + settle([bet], pocket).totalReturnMinor, 0n);
          return settlement.totalReturnMinor === sum && settlement.totalReturnMinor <= 36n * settlement.totalStakeMinor;
        },
      ),
      { numRuns: 200 },
    );
  });

  it("refuses to settle on a pocket that does not exist", () => {
    expect(() => settle([], 37)).toThrow(/no pocket/);
  });
});

describe("roulette spin", () => {
  it("maps draws to pockets without bias, rejecting the top 2^32 mod 37 draws", () => {
    expect(spin(new ScriptedRng([36]))).toBe(36);
    expect(spin(new ScriptedRng([37]))).toBe(0);
    expect(spin(new ScriptedRng([2 ** 32 - 1, 5]))).toBe(5);
  });

  it("returns to players 36/37 over a seeded simulation, within its confidence interval", () => {
    const rng = new SeededRng("roulette-simulation");
    const bets = [
      accept({ type: "straight", numbers: [7], stakeMinor: 100n }),
      accept({ type: "corner", numbers: [0, 1, 2, 3], stakeMinor: 100n }),
      accept({ type: "dozen", index: 3, stakeMinor: 100n }),
      accept({ type: "red", stakeMinor: 100n }),
    ];
    const spins = 200_000;
    let stakeMinor = 0n;
    let returnMinor = 0n;
    const seen = new Set<number>();
    for (let i = 0; i < spins; i++) {
      const pocket = spin(rng);
      seen.add(pocket);
      const settlement = settle(bets, pocket);
      stakeMinor += settlement.totalStakeMinor;
      returnMinor += settlement.totalReturnMinor;
    }
    // The exact mean and standard deviation of one spin's return, by enumerating the 37 pockets.
    const perPocket = Array.from({ length: pocketCount }, (_, pocket) => Number(settle(bets, pocket).totalReturnMinor) / 400);
    const mean = perPocket.reduce((a, b) => a + b, 0) / pocketCount;
    const sd = Math.sqrt(perPocket.reduce((a, b) => a + (b - mean) ** 2, 0) / pocketCount);
    expect(mean).toBeCloseTo(36 / 37, 12);
    const rtp = Number(returnMinor) / Number(stakeMinor);
    expect(Math.abs(rtp - mean)).toBeLessThan((5 * sd) / Math.sqrt(spins));
    expect(seen.size).toBe(37);
  });
});
