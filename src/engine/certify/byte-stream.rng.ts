import type { Rng } from "../rng/rng.js";

/** Thrown by ByteStreamRng when fewer than four bytes are left: the end of the supplied stream, not a fault. */
export class StreamExhausted extends Error {
  constructor(readonly bytesRead: number) {
    super(`the byte stream ran out after ${bytesRead} bytes`);
    this.name = "StreamExhausted";
  }
}

/**
 * A generator that replays a lab's captured raw output (`croupier certify --rng-file`). Each 32-bit
 * word is four consecutive bytes read big-endian, so the bit stream the NIST tests see is the file's
 * bits in order, most significant bit of each byte first. A trailing 1–3 bytes are never used.
 */
export class ByteStreamRng implements Rng {
  private offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get bytesRead(): number {
    return this.offset;
  }

  nextUint32(): number {
    const i = this.offset;
    if (i + 4 > this.bytes.length) throw new StreamExhausted(i);
    this.offset = i + 4;
    const b = this.bytes;
    return (((b[i] as number) << 24) | ((b[i + 1] as number) << 16) | ((b[i + 2] as number) << 8) | (b[i + 3] as number)) >>> 0;
  }
}
