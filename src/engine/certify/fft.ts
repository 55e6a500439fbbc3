/**
 * Discrete Fourier transform for the NIST spectral test. Lengths that are powers of two use an
 * iterative radix-2 FFT (O(n log n)); other lengths (the short worked examples of SP 800-22) fall back
 * to the direct O(n²) sum. Twiddle tables are cached per length, since the battery transforms a
 * thousand sequences of one length.
 */
const twiddleCache = new Map<number, { cos: Float64Array; sin: Float64Array }>();

function twiddles(n: number): { cos: Float64Array; sin: Float64Array } {
  let table = twiddleCache.get(n);
  if (table === undefined) {
    const cos = new Float64Array(n / 2);
    const sin = new Float64Array(n / 2);
    for (let k = 0; k < n / 2; k++) {
      cos[k] = Math.cos((2 * Math.PI * k) / n);
      sin[k] = -Math.sin((2 * Math.PI * k) / n);
    }
    table = { cos, sin };
    if (twiddleCache.size > 8) twiddleCache.clear();
    twiddleCache.set(n, table);
  }
  return table;
}

export const isPowerOfTwo = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;

/** In-place forward FFT of (re, im); the length must be a power of two. */
export function fftInPlace(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const tr = re[i] as number;
      re[i] = re[j] as number;
      re[j] = tr;
      const ti = im[i] as number;
      im[i] = im[j] as number;
      im[j] = ti;
    }
  }
  const { cos, sin } = twiddles(n);
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0, t = 0; k < half; k++, t += step) {
        const wr = cos[t] as number;
        const wi = sin[t] as number;
        const a = start + k;
        const b = a + half;
        const br = re[b] as number;
        const bi = im[b] as number;
        const xr = br * wr - bi * wi;
        const xi = br * wi + bi * wr;
        const ar = re[a] as number;
        const ai = im[a] as number;
        re[b] = ar - xr;
        im[b] = ai - xi;
        re[a] = ar + xr;
        im[a] = ai + xi;
      }
    }
  }
}

/** Moduli |X_k| of the DFT of a real sequence, for k = 0 .. n/2 − 1. */
export function dftModuliHalf(x: Float64Array): Float64Array {
  const n = x.length;
  const half = Math.floor(n / 2);
  const moduli = new Float64Array(half);
  if (isPowerOfTwo(n) && n >= 4) {
    realFftModuli(x, moduli);
    return moduli;
  }
  for (let k = 0; k < half; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      const angle = (2 * Math.PI * j * k) / n;
      sr += (x[j] as number) * Math.cos(angle);
      si -= (x[j] as number) * Math.sin(angle);
    }
    moduli[k] = Math.sqrt(sr * sr + si * si);
  }
  return moduli;
}

/**
 * A real sequence's DFT through one complex FFT of half the length: even samples as real parts, odd
 * ones as imaginary parts, then X_k = E_k + W^k O_k with E and O untangled from Z_k and conj(Z_{n/2−k}).
 * Half the work of transforming the real sequence as a complex one.
 */
function realFftModuli(x: Float64Array, moduli: Float64Array): void {
  const n = x.length;
  const half = n / 2;
  const re = new Float64Array(half);
  const im = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    re[k] = x[2 * k] as number;
    im[k] = x[2 * k + 1] as number;
  }
  fftInPlace(re, im);
  const { cos, sin } = twiddles(n);
  for (let k = 0; k < half; k++) {
    const m = k === 0 ? 0 : half - k;
    const a = re[k] as number;
    const b = im[k] as number;
    const c = re[m] as number;
    const d = im[m] as number;
    const er = (a + c) / 2;
    const ei = (b - d) / 2;
    const or = (b + d) / 2;
    const oi = -(a - c) / 2;
    const wr = cos[k] as number;
    const wi = sin[k] as number;
    const xr = er + wr * or - wi * oi;
    const xi = ei + wr * oi + wi * or;
    moduli[k] = Math.sqrt(xr * xr + xi * xi);
  }
}
