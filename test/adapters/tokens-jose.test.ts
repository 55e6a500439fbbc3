// The access-token verifier remembers the tokens it verified (a reconnecting client presents the same
// one, and its hello then skips the signature check): the memory must never accept what a full
// verification would refuse — an expired token, a token whose key is no longer published, a forgery.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JSONWebKeySet } from "jose";
import { describe, expect, it } from "vitest";
import { generateKey, importPrivate, publicJwk } from "../../src/adapters/node/jwt-keys.js";
import { JoseTokenIssuer, JoseTokenVerifier } from "../../src/adapters/node/tokens.jose.js";
import { clockAt } from "../support/manual-clock.js";

async function setup() {
  let nowMs = Date.UTC(2026, 0, 1);
  const clock = clockAt(() => nowMs);
  const stored = await generateKey(join(mkdtempSync(join(tmpdir(), "croupier-keys-")), "keys"), nowMs);
  const signing = { kid: stored.kid, key: await importPrivate(stored) };
  let published: JSONWebKeySet = { keys: [publicJwk(stored)] };
  const issuer = new JoseTokenIssuer(() => signing, clock, { issuer: "croupier", ttlSeconds: 60 });
  const verifier = new JoseTokenVerifier(() => published, clock, { issuer: "croupier" });
  const { token } = await issuer.issue({ userId: "u1", roles: ["player"], sessionId: "s1", deviceId: "d1" });
  return {
    token,
    verifier,
    advance: (ms: number) => {
      nowMs += ms;
    },
    unpublish: () => {
      published = { keys: [] };
    },
  };
}

describe("JoseTokenVerifier's memory of verified tokens", () => {
  it("answers a token verified before with the same claims", async () => {
    const { token, verifier } = await setup();
    const first = await verifier.verify(token);
    const again = await verifier.verify(token);
    expect(first.ok).toBe(true);
    expect(again).toEqual(first);
  });

  it("refuses a remembered token once it has expired", async () => {
    const { token, verifier, advance } = await setup();
    expect((await verifier.verify(token)).ok).toBe(true);
    advance(61_000);
    expect(await verifier.verify(token)).toEqual({ ok: false, error: "AUTH_TOKEN_EXPIRED" });
  });

  it("refuses a remembered token once its key is no longer published", async () => {
    const { token, verifier, unpublish } = await setup();
    expect((await verifier.verify(token)).ok).toBe(true);
    unpublish();
    expect(await verifier.verify(token)).toEqual({ ok: false, error: "AUTH_TOKEN_KEY_UNKNOWN" });
  });

  it("does not let a remembered token vouch for a tampered copy", async () => {
    const { token, verifier } = await setup();
    expect((await verifier.verify(token)).ok).toBe(true);
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const forged = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
    forged.roles = ["admin"];
    const tampered = `${header}.${Buffer.from(JSON.stringify(forged)).toString("base64url")}.${signature}`;
    expect(await verifier.verify(tampered)).toEqual({ ok: false, error: "AUTH_TOKEN_SIGNATURE_INVALID" });
  });
});
