import { Sha256, sha256, sha256BlockBytes } from "./sha256.js";

/**
 * HMAC-SHA256 (RFC 2104) with the key schedule done once. A provably-fair round hashes one short message
 * per 32 bytes of randomness under the same server seed, so the inner and outer keyed states are kept
 * and cloned instead of re-hashing the padded key each time.
 */
export class HmacSha256 {
  private readonly inner: Sha256;
  private readonly outer: Sha256;

  constructor(key: Uint8Array) {
    // Per RFC 2104, a key longer than the block is replaced by its digest; shorter keys are zero-padded.
    const blockKey = new Uint8Array(sha256BlockBytes);
    blockKey.set(key.length > sha256BlockBytes ? sha256(key) : key);
    const innerPad = blockKey.map((byte) => byte ^ 0x36);
    const outerPad = blockKey.map((byte) => byte ^ 0x5c);
    this.inner = new Sha256().update(innerPad);
    this.outer = new Sha256().update(outerPad);
  }

  mac(message: Uint8Array): Uint8Array {
    const innerDigest = this.inner.clone().update(message).digest();
    return this.outer.clone().update(innerDigest).digest();
  }
}

export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  return new HmacSha256(key).mac(message);
}
