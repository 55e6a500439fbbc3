/** Byte helpers shared by the digests and the provably-fair stream. */

const encoder = new TextEncoder();

/** UTF-8, as every provably-fair verifier encodes seeds and messages. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
