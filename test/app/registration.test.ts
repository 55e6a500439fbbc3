// Self-registration is limited per client address across nodes (the ThrottleStore in Redis counts
// before any work, so parallel requests cannot slip past), and common or breached passwords are refused.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { AuthService } from "../../src/app/auth/auth.service.js";
import { SessionGuard } from "../../src/app/auth/session-guard.js";
import { Argon2PasswordHasher } from "../../src/adapters/node/password-hasher.argon2.js";
import { MemoryBus } from "../../src/adapters/memory/bus.memory.js";
import { RedisThrottleStore } from "../../src/adapters/redis/throttle-store.redis.js";
import { SqlAccountStore } from "../../src/adapters/postgres/account-store.sql.js";
import { secretTokens } from "../../src/adapters/node/secret-tokens.crypto.js";
import { systemClock } from "../../src/adapters/node/clock.system.js";
import { JwtKeyRing } from "../../src/adapters/node/jwt-keyring.js";
import { JoseTokenIssuer, JoseTokenVerifier } from "../../src/adapters/node/tokens.jose.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { connectRedis, deleteKeys, redisPrefix } from "../support/redis.js";
import { serviceAvailable } from "../support/services.js";
import { ifAssigned } from "../support/fixtures.js";

const postgres = databaseKinds[1]!;

describe.skipIf(!postgres.available || !serviceAvailable("redis"))("registration limits (PostgreSQL, Redis, two nodes)", () => {
  let database: TestDatabase;
  const redises: Redis[] = [];
  const prefix = redisPrefix();
  let nodes: AuthService[];

  beforeAll(async () => {
    database = await postgres.create();
    const keys = await JwtKeyRing.open(join(mkdtempSync(join(tmpdir(), "croupier-keys-")), "keys"), systemClock, 900_000, true);
    const store = new SqlAccountStore(database.db);
    nodes = [0, 1].map(() => {
      const redis = connectRedis();
      redises.push(redis);
      return new AuthService({
        store,
        secrets: secretTokens,
        clock: systemClock,
        hasher: new Argon2PasswordHasher({ memoryKib: 8192, iterations: 1 }),
        issuer: new JoseTokenIssuer(() => keys.current(), systemClock, { issuer: "croupier", ttlSeconds: 900 }),
        verifier: new JoseTokenVerifier(() => keys.jwks(), systemClock, { issuer: "croupier" }),
        throttle: new RedisThrottleStore(redis, prefix),
        guard: new SessionGuard(store, new MemoryBus(), systemClock, { sessionRevocationCacheMs: 0, sessionCacheEntriesMax: 10 }),
        limits: {
          passwordLengthMin: 10,
          passwordLengthMax: 256,
          refreshTokenTtlSeconds: 3600,
          loginFailuresFree: 100,
          loginIpFailuresFree: 100,
          loginBackoffBaseMs: 1,
          loginBackoffMsMax: 1,
          loginFailureWindowMs: 1000,
          registrationsPerAddressMax: 5,
          registrationWindowMs: 60_000,
        },
      });
    });
  });
  afterAll(async () => {
    if (redises[0]) await deleteKeys(redises[0], prefix);
    for (const redis of redises) redis.disconnect();
    await ifAssigned(database)?.dispose();
  });

  it("30 parallel registrations from one address over two nodes: exactly the budget of 5 gets through", async () => {
    const run = Date.now().toString(36);
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        nodes[i % 2]!.register({ username: `flood${run}${i}`, password: "correct horse battery", clientAddress: "203.0.113.7" }),
      ),
    );
    expect(outcomes.filter((o) => o.ok)).toHaveLength(5);
    const refused = outcomes.filter((o) => !o.ok);
    expect(refused).toHaveLength(25);
    for (const outcome of refused) expect(outcome).toMatchObject({ ok: false, error: "AUTH_REGISTRATION_THROTTLED", retryAfterMs: 60_000 });
    // Another address has its own budget; an administrator's account (no address) is not counted.
    expect((await nodes[0]!.register({ username: `other${run}`, password: "correct horse battery", clientAddress: "203.0.113.8" })).ok).toBe(true);
    expect((await nodes[1]!.register({ username: `admin${run}`, password: "correct horse battery" })).ok).toBe(true);
  });

  it.each(["password12", "1234567890", "Password12", "qwertyuiop", "iloveyou123"])("refuses the common password %s", async (password) => {
    const outcome = await nodes[0]!.register({ username: `common${Date.now().toString(36)}`, password });
    expect(outcome).toMatchObject({ ok: false, error: "AUTH_PASSWORD_COMMON" });
  });
});
