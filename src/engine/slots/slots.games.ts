import type { SlotConfig } from "./slots.config.js";

/**
 * "Crown Jewels": 5 reels × 3 rows, 10 paylines, a wild (reels 2–5 only), a scatter that pays anywhere
 * and triggers 10/15/20 free spins at 3× for 3/4/5 scatters, and a progressive jackpot fed by 1% of
 * every paid stake. Exact RTP (docs/ENGINES.md, test/engine/slots.test.ts): reels 94.98%, total 95.98%.
 */
export const crownJewels: SlotConfig = {
  id: "crown-jewels",
  symbols: [
    { id: "wild", kind: "wild" },
    { id: "scatter", kind: "scatter" },
    { id: "crown", kind: "regular" },
    { id: "diamond", kind: "regular" },
    { id: "bell", kind: "regular" },
    { id: "ace", kind: "regular" },
    { id: "king", kind: "regular" },
    { id: "queen", kind: "regular" },
    { id: "jack", kind: "regular" },
    { id: "ten", kind: "regular" },
  ],
  reels: [
    // Reel 1: 28 stops.
    [
      "ace", "scatter", "king", "queen", "ten", "diamond", "bell", "jack", "crown", "ace",
      "king", "queen", "ten", "diamond", "bell", "jack", "ace", "king", "queen", "ten",
      "crown", "diamond", "bell", "jack", "ace", "king", "queen", "ten",
    ],
    // Reel 2: 31 stops.
    [
      "ace", "scatter", "king", "queen", "ten", "wild", "diamond", "bell", "jack", "crown",
      "ace", "king", "queen", "ten", "wild", "diamond", "bell", "jack", "ace", "king",
      "queen", "ten", "crown", "wild", "diamond", "bell", "jack", "ace", "king", "queen",
      "ten",
    ],
    // Reel 3: 31 stops.
    [
      "bell", "jack", "crown", "ace", "king", "queen", "ten", "wild", "diamond", "bell",
      "jack", "ace", "king", "queen", "ten", "crown", "wild", "diamond", "bell", "jack",
      "ace", "king", "queen", "ten", "ace", "scatter", "king", "queen", "ten", "wild",
      "diamond",
    ],
    // Reel 4: 31 stops.
    [
      "ten", "wild", "diamond", "bell", "jack", "ace", "king", "queen", "ten", "crown",
      "wild", "diamond", "bell", "jack", "ace", "king", "queen", "ten", "ace", "scatter",
      "king", "queen", "ten", "wild", "diamond", "bell", "jack", "crown", "ace", "king",
      "queen",
    ],
    // Reel 5: 31 stops.
    [
      "king", "queen", "ten", "crown", "wild", "diamond", "bell", "jack", "ace", "king",
      "queen", "ten", "ace", "scatter", "king", "queen", "ten", "wild", "diamond", "bell",
      "jack", "crown", "ace", "king", "queen", "ten", "wild", "diamond", "bell", "jack",
      "ace",
    ],
  ],
  paylines: [
    [1, 1, 1, 1, 1],
    [0, 0, 0, 0, 0],
    [2, 2, 2, 2, 2],
    [0, 1, 2, 1, 0],
    [2, 1, 0, 1, 2],
    [1, 0, 0, 0, 1],
    [1, 2, 2, 2, 1],
    [0, 0, 1, 2, 2],
    [2, 2, 1, 0, 0],
    [1, 2, 1, 0, 1],
  ],
  // Multiples of the line bet for runs of 0..5 from the left.
  linePays: {
    wild: [0, 0, 0, 50, 200, 1000],
    crown: [0, 0, 2, 25, 100, 500],
    diamond: [0, 0, 0, 20, 75, 250],
    bell: [0, 0, 0, 15, 50, 150],
    ace: [0, 0, 0, 10, 25, 100],
    king: [0, 0, 0, 8, 20, 75],
    queen: [0, 0, 0, 6, 15, 50],
    jack: [0, 0, 0, 5, 12, 40],
    ten: [0, 0, 0, 5, 10, 30],
  },
  // Multiples of the total stake for 0..5 scatters anywhere.
  scatterPays: [0, 0, 0, 2, 10, 50],
  freeSpins: { awardsByScatterCount: [0, 0, 0, 10, 15, 20], winMultiplier: 3 },
  jackpot: { contributionBasisPoints: 100, triggerNumerator: 1, triggerDenominator: 5_000_000 },
  // 0.10 to 100.00 in cents, in steps of one cent per line.
  stake: { minMinor: 10n, maxMinor: 10_000n },
};
