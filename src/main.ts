/**
 * Wiring only: reads nothing itself, decides nothing itself. Given a validated Config it builds the
 * adapters of the chosen mode (embedded: PGlite + in-memory bus; production: PostgreSQL + Redis),
 * connects them to the use cases and the HTTP server, and returns handles to stop them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pino, type Logger } from "pino";
import { Redis } from "ioredis";
import type { FastifyInstance } from "fastify";
import type { Config } from "./config/config.js";
import { AuthService } from "./app/auth/auth.service.js";
import { SessionGuard } from "./app/auth/session-guard.js";
import type { Bus } from "./app/ports/bus.js";
import type { ThrottleStore } from "./app/ports/throttle-store.js";
import { createPgDb } from "./adapters/postgres/sql-db.pg.js";
import { createPgliteDb } from "./adapters/postgres/sql-db.pglite.js";
import type { SqlDb } from "./adapters/postgres/sql-db.js";
import { migrate } from "./adapters/postgres/migrate.js";
import { SqlAccountStore } from "./adapters/postgres/account-store.sql.js";
import { MemoryBus } from "./adapters/memory/bus.memory.js";
import { MemoryThrottleStore } from "./adapters/memory/throttle-store.memory.js";
import { RedisBus } from "./adapters/redis/bus.redis.js";
import { RedisThrottleStore } from "./adapters/redis/throttle-store.redis.js";
import { systemClock } from "./adapters/node/clock.system.js";
import { Argon2PasswordHasher } from "./adapters/node/password-hasher.argon2.js";
import { secretTokens } from "./adapters/node/secret-tokens.crypto.js";
import { JwtKeyRing } from "./adapters/node/jwt-keyring.js";
import { JoseTokenIssuer, JoseTokenVerifier } from "./adapters/node/tokens.jose.js";
import { buildHttpServer, type ReadinessReport } from "./gateway/http/http-server.js";
import { createHttpMetrics } from "./gateway/http/http-metrics.js";

export const version = "0.1.0";
const passwordLengthMax = 256;
const sessionCacheEntriesMax = 100_000;
const keyReloadIntervalMs = 60_000;
const readinessTimeoutMs = 2_000;

export interface Services {
  readonly config: Config;
  readonly logger: Logger;
  readonly mode: "embedded" | "production";
  readonly db: SqlDb;
  readonly redis: Redis | null;
  readonly bus: Bus;
  readonly auth: AuthService;
  readonly keys: JwtKeyRing;
  readiness(): Promise<ReadinessReport>;
  close(): Promise<void>;
}

export function createLogger(config: Config): Logger {
  return pino({ level: config.logLevel, base: { service: "croupier", pid: process.pid } });
}

async function openDb(config: Config): Promise<SqlDb> {
  if (config.databaseUrl === null) return createPgliteDb(join(config.dataDir, "db"));
  return createPgDb({
    connectionString: config.databaseUrl,
    poolConnectionsMax: config.dbPoolConnectionsMax,
    statementTimeoutMs: config.dbStatementTimeoutMs,
    applicationName: "croupier",
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);
}

async function check(name: string, probe: () => Promise<unknown>, checks: Record<string, string>): Promise<boolean> {
  try {
    await withTimeout(probe(), readinessTimeoutMs);
    checks[name] = "ok";
    return true;
  } catch (error) {
    checks[name] = `unavailable: ${(error as Error).message}`;
    return false;
  }
}

/** Everything but the network listener: used by `serve` and by the admin commands. */
export async function buildServices(config: Config, logger: Logger = createLogger(config)): Promise<Services> {
  const mode = config.databaseUrl === null ? "embedded" : "production";
  const db = await openDb(config);
  const migration = await migrate(db);
  logger.info({ applied: migration.applied, schemaVersion: migration.current }, "database migrated");

  const redis = config.redisUrl === null ? null : new Redis(config.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
  redis?.on("error", (error) => logger.warn({ err: error }, "redis connection error"));
  const bus: Bus = redis === null ? new MemoryBus() : new RedisBus(redis, config.redisKeyPrefix);
  const throttle: ThrottleStore = redis === null ? new MemoryThrottleStore(systemClock, config.throttleKeysMax) : new RedisThrottleStore(redis, config.redisKeyPrefix);

  const keys = await JwtKeyRing.open(config.jwtKeysDir, systemClock, config.accessTokenTtlSeconds * 1000, true);
  const store = new SqlAccountStore(db);
  const guard = new SessionGuard(store, bus, systemClock, { sessionRevocationCacheMs: config.sessionRevocationCacheMs, sessionCacheEntriesMax });
  await guard.start();
  const auth = new AuthService({
    store,
    hasher: new Argon2PasswordHasher({ memoryKib: config.argon2MemoryKib, iterations: config.argon2Iterations }),
    issuer: new JoseTokenIssuer(() => keys.current(), systemClock, { issuer: config.jwtIssuer, ttlSeconds: config.accessTokenTtlSeconds }),
    verifier: new JoseTokenVerifier(() => keys.jwks(), systemClock, { issuer: config.jwtIssuer }),
    secrets: secretTokens,
    throttle,
    guard,
    clock: systemClock,
    limits: { ...config, passwordLengthMax },
  });

  return {
    config, logger, mode, db, redis, bus, auth, keys,
    async readiness() {
      const checks: Record<string, string> = {};
      const dbOk = await check("database", () => db.query("select 1"), checks);
      const redisOk = redis === null ? true : await check("redis", () => redis.ping(), checks);
      return { ready: dbOk && redisOk, checks };
    },
    async close() {
      await guard.stop();
      await bus.close();
      await throttle.close();
      redis?.disconnect();
      await db.close();
    },
  };
}

export interface RunningServer {
  readonly url: string;
  readonly services: Services;
  readonly http: FastifyInstance;
  close(): Promise<void>;
}

/** `croupier serve`: the services plus the HTTP (and later WebSocket) listener. */
export async function startServer(config: Config, logger: Logger = createLogger(config)): Promise<RunningServer> {
  const services = await buildServices(config, logger);
  const tls = config.tlsCertFile !== null && config.tlsKeyFile !== null
    ? { cert: readFileSync(config.tlsCertFile), key: readFileSync(config.tlsKeyFile) }
    : null;
  const http = await buildHttpServer({
    auth: services.auth,
    logger,
    metrics: createHttpMetrics(),
    jwks: () => services.keys.jwks(),
    readiness: () => services.readiness(),
    limits: config,
    trustProxy: config.trustProxy,
    tls,
    version,
  });
  await http.listen({ port: config.port, host: config.host });
  const address = http.server.address();
  const port = typeof address === "object" && address !== null ? address.port : config.port;
  const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  const url = `${tls ? "https" : "http"}://${shownHost}:${port}`;
  if (tls === null) logger.warn("no tlsCertFile/tlsKeyFile configured: serving plain HTTP; put TLS in front of this in production");
  logger.info({ url, mode: services.mode, dataDir: services.mode === "embedded" ? config.dataDir : undefined }, `Croupier listening on ${url} (${services.mode} mode)`);

  const reloadTimer = setInterval(() => void services.keys.reload().catch((error) => logger.error({ err: error }, "key reload failed")), keyReloadIntervalMs);
  reloadTimer.unref();
  return {
    url, services, http,
    async close() {
      clearInterval(reloadTimer);
      await http.close();
      await services.close();
    },
  };
}
