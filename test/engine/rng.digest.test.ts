import { createHash, createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toHex, utf8 } from "../../src/engine/rng/bytes.js";
import { HmacSha256, hmacSha256 } from "../../src/engine/rng/hmac-sha256.js";
import { Sha256, sha256 } from "../../src/engine/rng/sha256.js";

const nodeSha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");
const nodeHmac = (key: Uint8Array, data: Uint8Array) => createHmac("sha256", key).update(data).digest("hex");

describe("SHA-256", () => {
  it("matches the FIPS 180-4 examples", () => {
    expect(toHex(sha256(utf8("")))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(toHex(sha256(utf8("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(toHex(sha256(utf8("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
  });

  it("equals node:crypto at every padding boundary", () => {
    for (let length = 0; length <= 200; length++) {
      const data = Uint8Array.from({ length }, (_, i) => (i * 31 + length) & 0xff);
      expect(toHex(sha256(data))).toBe(nodeSha256(data));
    }
  });

  it("equals node:crypto on random inputs, fed whole or in pieces", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), fc.nat({ max: 700 }), (data, split) => {
        const cut = Math.min(split, data.length);
        const pieces = new Sha256().update(data.subarray(0, cut)).update(data.subarray(cut)).digest();
        return toHex(sha256(data)) === nodeSha256(data) && toHex(pieces) === nodeSha256(data);
      }),
      { numRuns: 300 },
    );
  });
});

describe("HMAC-SHA256", () => {
  it("matches RFC 4231 test case 2", () => {
    expect(toHex(hmacSha256(utf8("Jefe"), utf8("what do ya want for nothing?")))).toBe("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  });

  it("equals node:crypto on random keys (short, block-sized and longer than a block) and messages", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 300 }), (key, message) => {
        return toHex(hmacSha256(key, message)) === nodeHmac(key, message);
      }),
      { numRuns: 300 },
    );
  });

  it("gives the same MAC when one keyed instance is reused for many messages", () => {
    const key = utf8("server-seed");
    const hmac = new HmacSha256(key);
    for (let i = 0; i < 20; i++) {
      const message = utf8(`client:${i}:0`);
      expect(toHex(hmac.mac(message))).toBe(nodeHmac(key, message));
    }
  });
});
