/**
 * SHA-256 (FIPS 180-4) in pure TypeScript. The engine may not import node:crypto, and the provably-fair
 * verifier must run unchanged in a browser, so the digest lives here. Tests compare it with node:crypto.
 */

const roundConstants = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74,
  0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d,
  0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e,
  0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
  0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const initialState = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

export const sha256BlockBytes = 64;
export const sha256DigestBytes = 32;

/**
 * The message schedule of the block being compressed: scratch space shared by every instance (a
 * compression runs to its end without yielding), so an instance allocates only its state and block.
 */
const scheduleWords = new Uint32Array(64);

/** An incremental SHA-256. HMAC keeps one of these per padded key so each message hashes two fewer blocks. */
export class Sha256 {
  private readonly state = new Uint32Array(initialState);
  private readonly block = new Uint8Array(sha256BlockBytes);
  private blockUsedBytes = 0;
  private totalBytes = 0;

  /** A copy with the same absorbed input; lets HMAC reuse its keyed prefix state. */
  clone(): Sha256 {
    const copy = new Sha256();
    copy.state.set(this.state);
    copy.block.set(this.block);
    copy.blockUsedBytes = this.blockUsedBytes;
    copy.totalBytes = this.totalBytes;
    return copy;
  }

  update(data: Uint8Array): this {
    for (const byte of data) {
      this.block[this.blockUsedBytes++] = byte;
      if (this.blockUsedBytes === sha256BlockBytes) {
        this.compress();
        this.blockUsedBytes = 0;
      }
    }
    this.totalBytes += data.length;
    return this;
  }

  /** Finishes the hash. The instance must not be used afterwards. */
  digest(): Uint8Array {
    // Lengths are tracked as a double; messages here are tiny, far below 2^53 bits.
    const totalBits = this.totalBytes * 8;
    // Padding, written into the block: one 0x80 byte, zeros up to 56 mod 64, then the bit length as a big-endian uint64.
    const block = this.block;
    block[this.blockUsedBytes++] = 0x80;
    if (this.blockUsedBytes > sha256BlockBytes - 8) {
      block.fill(0, this.blockUsedBytes);
      this.compress();
      this.blockUsedBytes = 0;
    }
    block.fill(0, this.blockUsedBytes, sha256BlockBytes - 8);
    writeUint32(block, sha256BlockBytes - 8, Math.floor(totalBits / 0x1_0000_0000));
    writeUint32(block, sha256BlockBytes - 4, totalBits >>> 0);
    this.compress();
    const out = new Uint8Array(sha256DigestBytes);
    for (let i = 0; i < 8; i++) writeUint32(out, i * 4, this.state[i] ?? 0);
    return out;
  }

  private compress(): void {
    const w = scheduleWords;
    const b = this.block;
    for (let i = 0; i < 16; i++) {
      w[i] = ((b[i * 4] ?? 0) << 24) | ((b[i * 4 + 1] ?? 0) << 16) | ((b[i * 4 + 2] ?? 0) << 8) | (b[i * 4 + 3] ?? 0);
    }
    for (let i = 16; i < 64; i++) {
      const w15 = w[i - 15] ?? 0;
      const w2 = w[i - 2] ?? 0;
      const s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
      const s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
      w[i] = ((w[i - 16] ?? 0) + s0 + (w[i - 7] ?? 0) + s1) | 0;
    }
    const s = this.state;
    let a = s[0] ?? 0,
      bb = s[1] ?? 0,
      c = s[2] ?? 0,
      d = s[3] ?? 0;
    let e = s[4] ?? 0,
      f = s[5] ?? 0,
      g = s[6] ?? 0,
      h = s[7] ?? 0;
    for (let i = 0; i < 64; i++) {
      const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + (roundConstants[i] ?? 0) + (w[i] ?? 0)) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & bb) ^ (a & c) ^ (bb & c))) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = bb;
      bb = a;
      a = (t1 + t2) | 0;
    }
    s[0] = (s[0] ?? 0) + a;
    s[1] = (s[1] ?? 0) + bb;
    s[2] = (s[2] ?? 0) + c;
    s[3] = (s[3] ?? 0) + d;
    s[4] = (s[4] ?? 0) + e;
    s[5] = (s[5] ?? 0) + f;
    s[6] = (s[6] ?? 0) + g;
    s[7] = (s[7] ?? 0) + h;
  }
}

/** `value` as a big-endian uint32 at `offset`. */
function writeUint32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value >>> 24;
  bytes[offset + 1] = (value >>> 16) & 0xff;
  bytes[offset + 2] = (value >>> 8) & 0xff;
  bytes[offset + 3] = value & 0xff;
}

function rotr(x: number, n: number): number {
  return (x >>> n) | (x << (32 - n));
}

export function sha256(data: Uint8Array): Uint8Array {
  return new Sha256().update(data).digest();
}
