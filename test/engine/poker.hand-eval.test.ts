import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cardRank, cardSuit, formatCard, orderedDeck, parseCard, parseCards } from "../../src/engine/poker/cards.js";
import { evaluate7, evaluateHand, handCategory, type HandCategory } from "../../src/engine/poker/hand-eval.js";
import { SeededRng } from "../../src/engine/rng/seeded.rng.js";
import { uniformInt } from "../../src/engine/rng/uniform.js";

/**
 * The reference: the textbook way. Try all 5-card subsets, classify each by counting ranks and
 * checking suits, and keep the best. Slow and obviously right; it shares nothing with the fast path
 * except the value encoding (category << 20, deciding ranks as nibbles from bit 16 down).
 */
function referenceFive(cards: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const card of cards) counts.set(cardRank(card), (counts.get(cardRank(card)) ?? 0) + 1);
  const groups = [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0]);
  const ranksDesc = groups.map(([rank]) => rank);
  const shape = groups.map(([, count]) => count).join("");
  const flush = cards.every((card) => cardSuit(card) === cardSuit(cards[0] as number));
  let straightHigh = -1;
  if (groups.length === 5) {
    if ((ranksDesc[0] as number) - (ranksDesc[4] as number) === 4) straightHigh = ranksDesc[0] as number;
    if (ranksDesc.join() === "12,3,2,1,0") straightHigh = 3;
  }
  const encode = (category: number, ranks: readonly number[]) => ranks.reduce((value, rank, i) => value | (rank << (16 - 4 * i)), category << 20);
  if (straightHigh >= 0) return encode(flush ? 8 : 4, [straightHigh]);
  if (flush) return encode(5, ranksDesc);
  const category = { "41": 7, "32": 6, "311": 3, "221": 2, "2111": 1, "11111": 0 }[shape];
  if (category === undefined) throw new Error(`unexpected shape ${shape}`);
  return encode(category, ranksDesc);
}

function reference(cards: readonly number[]): number {
  let best = -1;
  // Every 5-card subset, chosen by the (up to two) positions it leaves out.
  const n = cards.length;
  const outs = n === 5 ? [[]] : n === 6 ? cards.map((_, i) => [i]) : cards.flatMap((_, i) => cards.map((_, j) => [i, j]).filter(([, j]) => (j as number) > i));
  for (const out of outs) best = Math.max(best, referenceFive(cards.filter((_, i) => !out.includes(i))));
  return best;
}

const hand = (text: string): number[] => {
  const cards = parseCards(text);
  if (cards === undefined) throw new Error(`bad hand ${text}`);
  return cards;
};
const eval7 = (text: string) => {
  const [a, b, c, d, e, f, g] = hand(text) as [number, number, number, number, number, number, number];
  return evaluate7(a, b, c, d, e, f, g);
};

describe("7-card evaluator against the reference", () => {
  it("agrees on 30,000 seeded random 7-card hands", () => {
    const rng = new SeededRng("poker-reference");
    const deck = orderedDeck();
    for (let i = 0; i < 30_000; i++) {
      // A partial Fisher–Yates: only the first seven positions need to be random.
      for (let k = 0; k < 7; k++) {
        const j = k + uniformInt(rng, 52 - k);
        [deck[k], deck[j]] = [deck[j] as number, deck[k] as number];
      }
      const [a, b, c, d, e, f, g] = deck as [number, number, number, number, number, number, number];
      const fast = evaluate7(a, b, c, d, e, f, g);
      const slow = reference(deck.slice(0, 7));
      if (fast !== slow) throw new Error(`${deck.slice(0, 7).map(formatCard).join(" ")}: ${fast.toString(16)} != ${slow.toString(16)}`);
    }
  });

  it("agrees on fast-check hands biased towards pairs, trips, flushes and straights", () => {
    // Few ranks and few suits make the rare categories common: quads, full houses, three pairs, flushes.
    const card = fc
      .record({ rank: fc.oneof(fc.nat({ max: 12 }), fc.constantFrom(0, 1, 2, 3, 12)), suit: fc.oneof(fc.nat({ max: 3 }), fc.constant(0)) })
      .map(({ rank, suit }) => rank * 4 + suit);
    fc.assert(
      fc.property(fc.uniqueArray(card, { minLength: 5, maxLength: 7 }), (cards) => evaluateHand(cards) === reference(cards)),
      { numRuns: 20_000 },
    );
  });

  it("sees every category among random hands", () => {
    const seen = new Set<HandCategory>();
    const card = fc.record({ rank: fc.nat({ max: 5 }), suit: fc.nat({ max: 1 }) }).map(({ rank, suit }) => rank * 4 + suit);
    const cards = fc.sample(fc.uniqueArray(fc.oneof(card, fc.nat({ max: 51 })), { minLength: 7, maxLength: 7 }), { numRuns: 5_000, seed: 7 });
    for (const c of cards) seen.add(handCategory(evaluateHand(c)));
    expect(seen.size).toBe(9);
  });
});

describe("known hands", () => {
  it.each<[string, HandCategory]>([
    ["As Ks Qs Js Ts 2c 3d", "straight_flush"],
    ["As 2s 3s 4s 5s 9c 9d", "straight_flush"],
    ["9c 9d 9h 9s Kd 2c 3c", "four_of_a_kind"],
    ["9c 9d 9h Ks Kd Kc 3c", "full_house"],
    ["9c 9d 9h Ks Kd 2c 2d", "full_house"],
    ["Ah 8h 6h 4h 2h Ks Kd", "flush"],
    ["Ac 2d 3h 4s 5c Kd Kh", "straight"],
    ["7c 7d 7h Ks 2c 3d 9h", "three_of_a_kind"],
    ["7c 7d Kh Ks 2c 2d 9h", "two_pair"],
    ["7c 7d 9h Ks 2c 4d Jh", "pair"],
    ["7c 8d 9h Ks 2c 4d Jh", "high_card"],
  ])("%s is a %s", (text, category) => {
    expect(handCategory(eval7(text))).toBe(category);
  });

  it("ranks the wheel below a six-high straight and the steel wheel below a six-high straight flush", () => {
    expect(eval7("Ac 2d 3h 4s 5c Jd Qh")).toBeLessThan(eval7("2d 3h 4s 5c 6c Jd Qh"));
    expect(eval7("As 2s 3s 4s 5s Jd Qh")).toBeLessThan(eval7("2s 3s 4s 5s 6s Jd Qh"));
    // A wheel plus an ace-high flush draw that does not make a flush is still a five-high straight.
    expect(eval7("Ac 2d 3h 4s 5c Kd Kh")).toBe(eval7("Ad 2c 3h 4s 5d Qc Qh"));
  });

  it("ranks a flush above a straight and a straight flush above quads", () => {
    expect(eval7("2h 4h 6h 8h Th 9c 7d")).toBeGreaterThan(eval7("6c 7d 8s 9c Th 2d 3c"));
    expect(eval7("5d 6d 7d 8d 9d 9c 9h")).toBeGreaterThan(eval7("Ac Ad Ah As Kd 2c 3c"));
  });

  it("decides by kickers, and only the best five cards count", () => {
    expect(eval7("Ac Ad Kh 9s 7c 4d 2h")).toBeGreaterThan(eval7("As Ah Qh Js Tc 4d 2c"));
    expect(eval7("Ac Ad Kh Qs 7c 4d 2h")).toBeGreaterThan(eval7("As Ah Kd Qc 6c 5d 2c"));
    // Three pairs: the third pair only counts as a kicker, and beats a lower single kicker.
    expect(eval7("Kc Kd Qh Qs 9c 9d 2h")).toBeGreaterThan(eval7("Kh Ks Qc Qd 8c 7d 2c"));
    expect(eval7("Kc Kd Qh Qs 9c 9d 2h")).toBe(eval7("Kh Ks Qc Qd 9h 3d 2c"));
    // Quads with a kicker: the best remaining card, even from a pair or trips.
    expect(eval7("9c 9d 9h 9s Kd Kc 2c")).toBe(eval7("9c 9d 9h 9s Kh 3d 2c"));
    // Two trips make a full house of the higher trips over the lower.
    expect(eval7("9c 9d 9h Ks Kd Kc 3c")).toBe(eval7("Kh Ks Kd 9c 9d 2c 3c"));
  });

  it("splits identical boards", () => {
    const board = "Ac Kd Qh Js 9c";
    expect(eval7(`${board} 2d 3d`)).toBe(eval7(`${board} 2h 3h`));
  });

  it("validates untrusted hands", () => {
    expect(() => evaluateHand([0, 1, 2, 3])).toThrow(/5 to 7/);
    expect(() => evaluateHand([0, 1, 2, 3, 3])).toThrow(/distinct/);
    expect(() => evaluateHand([0, 1, 2, 3, 52])).toThrow(/distinct/);
    expect(parseCard("1x")).toBeUndefined();
    expect(parseCard("As")).toBe(51);
    expect(formatCard(0)).toBe("2c");
  });
});
