/**
 * Randomness for the SDK: ids and back-off jitter. It runs in browsers and Node 20, both of which
 * have Web Crypto on globalThis (a CSPRNG), which is the only source used here.
 */
const idBytes = 12;

/** A uniform float in [0, 1) from 53 random bits. */
export function randomUnit(): number {
  const words = new Uint32Array(2);
  globalThis.crypto.getRandomValues(words);
  const high = (words[0] as number) >>> 5; // 27 bits
  const low = (words[1] as number) >>> 6; // 26 bits
  return (high * 67_108_864 + low) / 9_007_199_254_740_992;
}

/** A 96-bit random id in base 36-ish hex, short enough for the protocol's 64-character id fields. */
export function randomId(prefix = ""): string {
  const bytes = new Uint8Array(idBytes);
  globalThis.crypto.getRandomValues(bytes);
  let hex = "";
  for (const b of bytes) hex += b.toString(16).padStart(2, "0");
  return prefix + hex;
}
