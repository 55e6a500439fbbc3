/**
 * Bonus rules (docs/BONUSES.md): pure, synchronous, bigint minor units. How much a stake counts
 * towards a bonus's wagering requirement, which purse a stake is taken from, and which roulette
 * rounds are hedged (a bet that cannot lose much, placed only to clear wagering) and count nothing.
 */

/** Percent of a stake that counts towards wagering, per game (the `game` of a table's effects). */
export type GameWeights = Readonly<Record<string, number>>;

/** The defaults: slots count fully, table games a tenth, hold'em (money won from other players) nothing. */
export const defaultGameWeights: GameWeights = Object.freeze({ slots: 100, roulette: 10, blackjack: 10, liveblackjack: 10, holdem: 0 });

export const weightPercentMax = 100;
export const wageringMultiplierMax = 200;

/** The weight of `game` under `weights`, in percent; a game the weights do not name counts nothing. */
export function weightOf(weights: GameWeights, game: string): number {
  const weight = Object.hasOwn(weights, game) ? weights[game] : undefined;
  return weight === undefined || !Number.isInteger(weight) || weight < 0 ? 0 : Math.min(weight, weightPercentMax);
}

/** What a stake adds to wagering progress: stake × weight%, rounded down to a minor unit. */
export function countedStake(stakeMinor: bigint, weightPercent: number): bigint {
  if (stakeMinor <= 0n || weightPercent <= 0) return 0n;
  return (stakeMinor * BigInt(Math.min(weightPercent, weightPercentMax))) / 100n;
}

/** What must be wagered before a bonus converts: its amount × the multiplier (35× by default). */
export function wageringRequired(amountMinor: bigint, multiplier: number): bigint {
  return amountMinor * BigInt(multiplier);
}

/** Wagering progress in whole percent (0-100), for players. */
export function progressPercent(wageredMinor: bigint, requiredMinor: bigint): number {
  if (requiredMinor <= 0n || wageredMinor >= requiredMinor) return 100;
  return Number((wageredMinor * 100n) / requiredMinor);
}

/**
 * Which purse a stake is taken from, whole: cash when cash covers it, else the bonus purse when that
 * covers it, else cash (and the ledger refuses it for want of funds). A stake is never split.
 */
export function purseFor(stakeMinor: bigint, cashAvailableMinor: bigint, bonusAvailableMinor: bigint): "cash" | "bonus" {
  if (cashAvailableMinor >= stakeMinor) return "cash";
  return bonusAvailableMinor >= stakeMinor ? "bonus" : "cash";
}

/** One roulette bet as game recall stores it (`detail` of a recalled bet): its type and the pockets it covers. */
export interface RouletteCover {
  readonly type: string;
  readonly pockets: readonly number[];
}

/** Even-money bets that together cover every number but zero: one of each pair makes the round a hedge. */
const oppositePairs: readonly (readonly [string, string])[] = [
  ["red", "black"],
  ["odd", "even"],
  ["low", "high"],
];
/** A round whose bets cover this many pockets of 37 (every number but zero) cannot lose more than the zero's share. */
export const hedgedPocketsMin = 36;

/**
 * Whether one player's bets in one roulette round are a hedge: both sides of an even-money pair (red
 * and black, odd and even, low and high), or every number from 1 to 36 covered however it is done
 * (three dozens, three columns, a dozen and low and high ...). Such a round returns about 97% of its
 * stake whatever the ball does, so it would clear wagering without risk.
 */
export function isHedgedRound(bets: readonly RouletteCover[]): boolean {
  const types = new Set(bets.map((b) => b.type));
  if (oppositePairs.some(([a, b]) => types.has(a) && types.has(b))) return true;
  const covered = new Set<number>();
  for (const bet of bets) for (const pocket of bet.pockets) covered.add(pocket);
  return covered.size >= hedgedPocketsMin;
}

/**
 * What one player's roulette round adds to wagering: nothing for a hedge, nothing for a round whose
 * total stake is above the bonus's max bet (a round split into several bet actions is one bet), else
 * the round's stake × the weight.
 */
export function rouletteRoundCounted(
  round: { readonly stakeMinor: bigint; readonly bets: readonly RouletteCover[] },
  maxBetMinor: bigint,
  weightPercent: number,
): { readonly countedMinor: bigint; readonly reason: "counted" | "hedged" | "above_max_bet" } {
  if (isHedgedRound(round.bets)) return { countedMinor: 0n, reason: "hedged" };
  if (round.stakeMinor > maxBetMinor) return { countedMinor: 0n, reason: "above_max_bet" };
  return { countedMinor: countedStake(round.stakeMinor, weightPercent), reason: "counted" };
}

/**
 * Game weights from their text form, `slots=100,roulette=10,...` (percent, 0-100). Null when malformed;
 * a game left out counts nothing.
 */
export function parseGameWeights(text: string): GameWeights | null {
  const weights: Record<string, number> = {};
  for (const part of text
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "")) {
    const match = /^([a-z][a-z0-9_-]{0,31})=(\d{1,3})$/.exec(part);
    if (match === null) return null;
    const [, game, value] = match as unknown as [string, string, string];
    const weight = Number(value);
    if (weight > weightPercentMax || Object.hasOwn(weights, game)) return null;
    weights[game] = weight;
  }
  return Object.freeze(weights);
}
