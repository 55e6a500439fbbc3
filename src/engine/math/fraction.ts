import { assert } from "../rng/assert.js";

/**
 * An exact non-negative rational of bigints, always in lowest terms. Theoretical RTPs are sums of
 * products of probabilities with denominators like 32^5; doubles would round them, and a certified
 * RTP must be the exact value.
 */
export interface Fraction {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export function fraction(numerator: bigint, denominator = 1n): Fraction {
  assert(denominator > 0n, "a fraction's denominator must be positive");
  const divisor = gcd(numerator, denominator);
  return divisor === 0n ? { numerator: 0n, denominator: 1n } : { numerator: numerator / divisor, denominator: denominator / divisor };
}

export const zero: Fraction = fraction(0n);
export const one: Fraction = fraction(1n);

export function add(a: Fraction, b: Fraction): Fraction {
  return fraction(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator);
}

export function multiply(a: Fraction, b: Fraction): Fraction {
  return fraction(a.numerator * b.numerator, a.denominator * b.denominator);
}

export function equals(a: Fraction, b: Fraction): boolean {
  return a.numerator === b.numerator && a.denominator === b.denominator;
}

/** A decimal rendering truncated (not rounded) to `digits` places: toDecimal(1/3, 4) is "0.3333". */
export function toDecimal(value: Fraction, digits: number): string {
  const scale = 10n ** BigInt(digits);
  const scaled = (value.numerator * scale) / value.denominator;
  const whole = scaled / scale;
  const part = (scaled % scale).toString().padStart(digits, "0");
  return digits === 0 ? whole.toString() : `${whole}.${part}`;
}

/** For reports and approximate comparisons only; exact work stays in fractions. */
export function toNumber(value: Fraction): number {
  return Number(value.numerator) / Number(value.denominator);
}
