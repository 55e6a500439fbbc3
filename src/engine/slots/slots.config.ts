import { assert } from "../rng/assert.js";

export const reelCount = 5;
export const rowCount = 3;

export type SymbolKind = "regular" | "wild" | "scatter";

/**
 * A slot game as data. Everything that decides the RTP is here, so the certified math is a review of
 * this object, and `theoreticalRtp` computes the exact return from it.
 */
export interface SlotConfig {
  readonly id: string;
  readonly symbols: readonly { readonly id: string; readonly kind: SymbolKind }[];
  /** One strip per reel, as symbol ids, read cyclically; the window shows 3 consecutive positions from the stop. */
  readonly reels: readonly (readonly string[])[];
  /** Row (0 top, 1 middle, 2 bottom) on each of the 5 reels. */
  readonly paylines: readonly (readonly number[])[];
  /** Line pays in multiples of the line bet, by symbol id, indexed by the length of the run from the left (0..5). */
  readonly linePays: Readonly<Record<string, readonly number[]>>;
  /** Scatter pays in multiples of the total stake, indexed by scatters anywhere in the window (0..15). */
  readonly scatterPays: readonly number[];
  readonly freeSpins: {
    /** Free spins awarded by scatter count in a paid spin (index 0..15). Free spins do not retrigger. */
    readonly awardsByScatterCount: readonly number[];
    /** Every win in a free spin is multiplied by this. */
    readonly winMultiplier: number;
  };
  readonly jackpot: {
    /** Share of every paid stake added to the progressive pool, in basis points (1/10,000). */
    readonly contributionBasisPoints: number;
    /** A paid spin wins the pool with probability triggerNumerator / triggerDenominator. */
    readonly triggerNumerator: number;
    readonly triggerDenominator: number;
  };
  readonly stake: { readonly minMinor: bigint; readonly maxMinor: bigint };
}

/** The configuration in the form the evaluator runs on: symbol indices and pay arrays of fixed length. */
export interface CompiledSlot {
  readonly config: SlotConfig;
  readonly symbolIds: readonly string[];
  readonly wild: number;
  readonly scatter: number;
  readonly reels: readonly (readonly number[])[];
  /** linePays[symbol][runLength] as bigint multiples of the line bet; zero where nothing is paid. */
  readonly linePays: readonly (readonly bigint[])[];
  readonly scatterPays: readonly bigint[];
  readonly freeSpinAwards: readonly number[];
  readonly lineCount: bigint;
}

const windowCells = reelCount * rowCount;

/** Validates and compiles a configuration. A bad config is a bug in the game's data: assertions, not statuses. */
export function compileSlot(config: SlotConfig): CompiledSlot {
  const symbolIds = config.symbols.map((symbol) => symbol.id);
  assert(new Set(symbolIds).size === symbolIds.length, `${config.id}: duplicate symbol ids`);
  const kindIndex = (kind: SymbolKind) => {
    const indices = config.symbols.flatMap((symbol, i) => (symbol.kind === kind ? [i] : []));
    assert(indices.length === 1, `${config.id}: exactly one ${kind} symbol`);
    return indices[0] as number;
  };
  const index = (id: string) => {
    const i = symbolIds.indexOf(id);
    assert(i >= 0, `${config.id}: unknown symbol ${id}`);
    return i;
  };
  assert(config.reels.length === reelCount, `${config.id}: ${reelCount} reels`);
  const reels = config.reels.map((strip) => strip.map(index));
  const scatter = kindIndex("scatter");
  for (const strip of reels) assertStrip(config.id, strip, scatter);
  assertPaylines(config);
  const linePays = symbolIds.map((id, symbol) => payArray(config.linePays[id] ?? [], reelCount + 1, symbol === scatter));
  const wild = kindIndex("wild");
  assert(
    config.freeSpins.awardsByScatterCount.every((n) => Number.isInteger(n) && n >= 0 && n <= 100),
    "free spin awards in [0, 100]",
  );
  assert(Number.isInteger(config.freeSpins.winMultiplier) && config.freeSpins.winMultiplier >= 1, "free spin multiplier is a positive integer");
  assertJackpot(config);
  assert(config.stake.minMinor > 0n && config.stake.minMinor <= config.stake.maxMinor, "stake range");
  return {
    config,
    symbolIds,
    wild,
    scatter,
    reels,
    linePays,
    scatterPays: payArray(config.scatterPays, windowCells + 1, false),
    freeSpinAwards: Array.from({ length: windowCells + 1 }, (_, n) => config.freeSpins.awardsByScatterCount[n] ?? 0),
    lineCount: BigInt(config.paylines.length),
  };
}

function payArray(pays: readonly number[], length: number, mustBeEmpty: boolean): bigint[] {
  assert(pays.length <= length && pays.every((pay) => Number.isSafeInteger(pay) && pay >= 0), "pays are non-negative integers");
  assert(!mustBeEmpty || pays.every((pay) => pay === 0), "the scatter pays through scatterPays only");
  return Array.from({ length }, (_, n) => BigInt(pays[n] ?? 0));
}

/** The RTP math assumes the window shows at most one scatter per reel: scatters at least 3 apart, cyclically. */
function assertStrip(id: string, strip: readonly number[], scatter: number): void {
  assert(strip.length >= rowCount && strip.length <= 1000, `${id}: strips have ${rowCount} to 1000 positions`);
  const positions = strip.flatMap((symbol, i) => (symbol === scatter ? [i] : []));
  for (const [k, position] of positions.entries()) {
    const next = positions[(k + 1) % positions.length] as number;
    const gap = (next - position + strip.length) % strip.length || strip.length;
    assert(gap >= rowCount, `${id}: scatters on a strip must be at least ${rowCount} apart`);
  }
}

function assertPaylines(config: SlotConfig): void {
  assert(config.paylines.length >= 1 && config.paylines.length <= 100, "1 to 100 paylines");
  for (const line of config.paylines) {
    assert(line.length === reelCount && line.every((row) => Number.isInteger(row) && row >= 0 && row < rowCount), "a payline picks a row on each reel");
  }
  assert(new Set(config.paylines.map((line) => line.join())).size === config.paylines.length, "paylines are distinct");
}

function assertJackpot(config: SlotConfig): void {
  const { contributionBasisPoints, triggerNumerator, triggerDenominator } = config.jackpot;
  assert(Number.isInteger(contributionBasisPoints) && contributionBasisPoints >= 0 && contributionBasisPoints <= 10_000, "contribution in [0, 10000] bp");
  assert(Number.isSafeInteger(triggerDenominator) && triggerDenominator >= 1, "trigger denominator is a positive safe integer");
  assert(Number.isInteger(triggerNumerator) && triggerNumerator >= 0 && triggerNumerator <= triggerDenominator, "trigger probability in [0, 1]");
}
