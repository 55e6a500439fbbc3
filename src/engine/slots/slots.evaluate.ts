import { assert } from "../rng/assert.js";
import { reelCount, rowCount, type CompiledSlot } from "./slots.config.js";

export interface LineWin {
  /** Index into the config's paylines. */
  readonly line: number;
  readonly symbol: string;
  /** Length of the paying run from the leftmost reel. */
  readonly count: number;
  readonly winMinor: bigint;
}

export interface SpinOutcome {
  /** Stop position of each reel: the strip index shown on the top row. */
  readonly stops: readonly number[];
  /** grid[reel][row], as symbol ids. */
  readonly grid: readonly (readonly string[])[];
  readonly lineWins: readonly LineWin[];
  readonly scatterCount: number;
  readonly scatterWinMinor: bigint;
  /** Zero in free spins: the feature does not retrigger. */
  readonly freeSpinsAwarded: number;
  readonly totalWinMinor: bigint;
}

/**
 * The pay of one line's five symbols (symbol indices), in multiples of the line bet. Pays left to right:
 * wilds stand in for any regular symbol; a line of leading wilds may also pay as wilds, and the higher of
 * the two readings is paid. A scatter breaks a line. The RTP calculator prices lines with this same rule.
 */
export function linePay(slot: CompiledSlot, symbols: readonly number[]): { symbol: number; count: number; pay: bigint } {
  const { wild, scatter, linePays } = slot;
  let wildRun = 0;
  while (wildRun < reelCount && symbols[wildRun] === wild) wildRun++;
  const wildPay = linePays[wild]?.[wildRun] ?? 0n;
  const symbol = symbols[wildRun];
  if (symbol === undefined || symbol === scatter) return { symbol: wild, count: wildRun, pay: wildPay };
  let count = wildRun + 1;
  while (count < reelCount && (symbols[count] === symbol || symbols[count] === wild)) count++;
  const symbolPay = linePays[symbol]?.[count] ?? 0n;
  return symbolPay >= wildPay ? { symbol, count, pay: symbolPay } : { symbol: wild, count: wildRun, pay: wildPay };
}

/** The symbols in a reel's window for a stop: positions stop, stop + 1, stop + 2 of the cyclic strip. */
export function reelWindow(strip: readonly number[], stop: number): number[] {
  return Array.from({ length: rowCount }, (_, row) => strip[(stop + row) % strip.length] as number);
}

/**
 * Everything a spin pays, given the reel stops. Deterministic, so tests can enumerate stops and a
 * recorded round can be re-evaluated. Free spins multiply every win and award no more free spins.
 */
export function evaluateStops(slot: CompiledSlot, stops: readonly number[], stakeMinor: bigint, freeSpin: boolean): SpinOutcome {
  assert(stops.length === reelCount, "one stop per reel");
  assert(stakeMinor % slot.lineCount === 0n, "stake must be a whole number of line bets");
  const window = slot.reels.map((strip, reel) => {
    const stop = stops[reel] as number;
    assert(Number.isInteger(stop) && stop >= 0 && stop < strip.length, `stop ${stop} is off reel ${reel}`);
    return reelWindow(strip, stop);
  });
  const multiplier = freeSpin ? BigInt(slot.config.freeSpins.winMultiplier) : 1n;
  const lineBetMinor = stakeMinor / slot.lineCount;
  const lineWins: LineWin[] = [];
  for (const [line, rows] of slot.config.paylines.entries()) {
    const { symbol, count, pay } = linePay(
      slot,
      rows.map((row, reel) => window[reel]?.[row] as number),
    );
    if (pay > 0n) lineWins.push({ line, symbol: slot.symbolIds[symbol] as string, count, winMinor: pay * lineBetMinor * multiplier });
  }
  const scatterCount = window.reduce((sum, cells) => sum + cells.filter((symbol) => symbol === slot.scatter).length, 0);
  const scatterWinMinor = (slot.scatterPays[scatterCount] ?? 0n) * stakeMinor * multiplier;
  const lineTotal = lineWins.reduce((sum, win) => sum + win.winMinor, 0n);
  return {
    stops: stops.slice(),
    grid: window.map((cells) => cells.map((symbol) => slot.symbolIds[symbol] as string)),
    lineWins,
    scatterCount,
    scatterWinMinor,
    freeSpinsAwarded: freeSpin ? 0 : (slot.freeSpinAwards[scatterCount] ?? 0),
    totalWinMinor: lineTotal + scatterWinMinor,
  };
}
