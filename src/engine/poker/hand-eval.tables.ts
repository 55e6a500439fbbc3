/**
 * Lookup tables for the hand evaluator, indexed by a 13-bit rank mask (bit r set when rank r is present).
 * 8,192 entries each, about 100 KB in all, built once when the evaluator loads: small enough to stay in
 * the CPU cache, which is where the evaluator's speed comes from (no per-hand sorting or counting).
 */

export const rankMaskCount = 1 << 13;

export const categoryShift = 20;
export const straightCategory = 4;
export const flushCategory = 5;
export const straightFlushCategory = 8;
export const highCardCategory = 0;

export interface HandTables {
  /** Number of ranks present. */
  readonly popCount: Uint8Array;
  /** Index of the highest rank present (0 for an empty mask). */
  readonly topRank: Uint8Array;
  /** The five highest ranks as nibbles, highest in bits 16..19; missing ranks leave zero nibbles. */
  readonly topFiveRanks: Uint32Array;
  /** The high rank of the best straight in the mask, or 0 when there is none (a wheel's high rank is 3, the five). */
  readonly straightHigh: Uint8Array;
  /** For masks of 5+ ranks: the hand value of those ranks unpaired (straight, else high card). */
  readonly unpairedValue: Uint32Array;
  /** For masks of 5+ ranks of one suit: the flush value (straight flush, else flush). */
  readonly flushValue: Uint32Array;
}

const wheelMask = 0b1_0000_0000_1111; // A, 2, 3, 4, 5

/**
 * Builds the tables. The evaluator copies them into its own module-level constants: a table reached
 * through another module's export can cost a property lookup per read under some loaders (CommonJS
 * interop), which cut throughput by a factor of six in measurement.
 */
export function buildHandTables(): HandTables {
  const tables = {
    popCount: new Uint8Array(rankMaskCount),
    topRank: new Uint8Array(rankMaskCount),
    topFiveRanks: new Uint32Array(rankMaskCount),
    straightHigh: new Uint8Array(rankMaskCount),
    unpairedValue: new Uint32Array(rankMaskCount),
    flushValue: new Uint32Array(rankMaskCount),
  };
  for (let mask = 0; mask < rankMaskCount; mask++) fillEntry(tables, mask);
  return tables;
}

function fillEntry(tables: HandTables, mask: number): void {
  let count = 0;
  let top = 0;
  let nibbles = 0;
  for (let rank = 12; rank >= 0; rank--) {
    if ((mask & (1 << rank)) === 0) continue;
    if (count === 0) top = rank;
    if (count < 5) nibbles |= rank << (4 * (4 - count));
    count++;
  }
  const high = findStraightHigh(mask);
  tables.popCount[mask] = count;
  tables.topRank[mask] = top;
  tables.topFiveRanks[mask] = nibbles;
  tables.straightHigh[mask] = high;
  if (count >= 5) {
    tables.unpairedValue[mask] = high !== 0 ? (straightCategory << categoryShift) | (high << 16) : (highCardCategory << categoryShift) | nibbles;
    tables.flushValue[mask] = high !== 0 ? (straightFlushCategory << categoryShift) | (high << 16) : (flushCategory << categoryShift) | nibbles;
  }
}

function findStraightHigh(mask: number): number {
  for (let high = 12; high >= 4; high--) {
    const run = 0b11111 << (high - 4);
    if ((mask & run) === run) return high;
  }
  return (mask & wheelMask) === wheelMask ? 3 : 0;
}
