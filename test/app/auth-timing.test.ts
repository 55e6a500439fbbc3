// Unknown users cost the same password-hashing work as known ones: the enumeration defence is
// structural (one argon2 verification on every login path), so it is checked by counting, not timing.
import { describe, expect, it } from "vitest";
import { AuthService } from "../../src/app/auth/auth.service.js";
import { SessionGuard } from "../../src/app/auth/session-guard.js";
import { Argon2PasswordHasher } from "../../src/adapters/node/password-hasher.argon2.js";
import { MemoryBus } from "../../src/adapters/memory/bus.memory.js";
import { MemoryThrottleStore } from "../../src/adapters/memory/throttle-store.memory.js";
import { SqlAccountStore } from "../../src/adapters/postgres/account-store.sql.js";
import { secretTokens } from "../../src/adapters/node/secret-tokens.crypto.js";
import { systemClock } from "../../src/adapters/node/clock.system.js";
import type { PasswordHasher } from "../../src/app/ports/password-hasher.js";
import { JwtKeyRing } from "../../src/adapters/node/jwt-keyring.js";
import { JoseTokenIssuer, JoseTokenVerifier } from "../../src/adapters/node/tokens.jose.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { databaseKinds } from "../support/databases.js";

class CountingHasher implements PasswordHasher {
  verifications = 0;
  constructor(private readonly inner: PasswordHasher) {}
  hash(password: string) {
    return this.inner.hash(password);
  }
  async verify(hash: string, password: string) {
    this.verifications++;
    return this.inner.verify(hash, password);
  }
  async verifyDummy(password: string) {
    this.verifications++;
    return this.inner.verifyDummy(password);
  }
}

describe("login work does not depend on whether the user exists", () => {
  it("runs exactly one argon2 verification for an unknown user, a wrong password and a right one", async () => {
    const database = await databaseKinds[0]!.create();
    const hasher = new CountingHasher(new Argon2PasswordHasher({ memoryKib: 8192, iterations: 1 }));
    const store = new SqlAccountStore(database.db);
    const bus = new MemoryBus();
    const keys = await JwtKeyRing.open(join(mkdtempSync(join(tmpdir(), "croupier-keys-")), "keys"), systemClock, 900_000, true);
    const issuer = new JoseTokenIssuer(() => keys.current(), systemClock, { issuer: "croupier", ttlSeconds: 900 });
    const verifier = new JoseTokenVerifier(() => keys.jwks(), systemClock, { issuer: "croupier" });
    const auth = new AuthService({
      store,
      hasher,
      issuer,
      verifier,
      secrets: secretTokens,
      throttle: new MemoryThrottleStore(systemClock, 100),
      guard: new SessionGuard(store, bus, systemClock, { sessionRevocationCacheMs: 0, sessionCacheEntriesMax: 10 }),
      clock: systemClock,
      limits: {
        passwordLengthMin: 10,
        passwordLengthMax: 256,
        refreshTokenTtlSeconds: 3600,
        loginFailuresFree: 100,
        loginIpFailuresFree: 100,
        loginBackoffBaseMs: 1,
        loginBackoffMsMax: 1,
        loginFailureWindowMs: 1000,
        registrationsPerAddressMax: 100,
        registrationWindowMs: 1000,
      },
    });
    try {
      await auth.register({ username: "known", password: "correct horse battery" });
      const attempts = [
        { login: "unknown", password: "correct horse battery", ok: false },
        { login: "known", password: "wrong horse battery", ok: false },
        { login: "known", password: "correct horse battery", ok: true },
      ];
      for (const attempt of attempts) {
        hasher.verifications = 0;
        const outcome = await auth.login({ login: attempt.login, password: attempt.password, clientAddress: "127.0.0.1" });
        expect(outcome.ok).toBe(attempt.ok);
        expect(hasher.verifications).toBe(1);
      }
    } finally {
      await database.dispose();
    }
  });
});
