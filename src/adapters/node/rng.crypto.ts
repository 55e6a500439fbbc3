import { randomFillSync } from "node:crypto";
import type { Rng } from "../../engine/rng/rng.js";

/**
 * How many uint32 values one refill fetches from the kernel CSPRNG. A syscall per draw would dominate
 * the cost of a spin; 1,024 values (4 KiB) amortise it while keeping unread randomness small.
 */
export const bufferUint32s = 1024;

/**
 * The production RNG: node's CSPRNG (OpenSSL, seeded by the operating system), read through a buffer.
 * It takes no input from players or the round, so nothing outside can steer it.
 */
export class CryptoRng implements Rng {
  private readonly buffer = new Uint32Array(bufferUint32s);
  // Starts exhausted so the first draw fills the buffer; constructing one costs nothing.
  private index = bufferUint32s;

  nextUint32(): number {
    if (this.index === bufferUint32s) {
      randomFillSync(this.buffer);
      this.index = 0;
    }
    return this.buffer[this.index++] as number;
  }
}
