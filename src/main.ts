/**
 * Wiring only: reads nothing itself, decides nothing itself. Given a validated Config it builds the
 * adapters of the chosen mode (embedded: PGlite + in-memory bus; production: PostgreSQL + Redis),
 * connects them to the use cases and the HTTP server, and returns handles to stop them.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pino, type Logger } from "pino";
import { Redis } from "ioredis";
import type { FastifyInstance } from "fastify";
import { liveLatencyOverrides, logLevelOf, rolesOf, sandboxPaymentsEnabled, type Config, type LogArea, type NodeRole } from "./config/config.js";
import { AuthService, registerAccount, type NewAccount } from "./app/auth/auth.service.js";
import type { Outcome } from "./app/outcome.js";
import type { User } from "./protocol/auth.schemas.js";
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
import { claimRedisScope, redisDbOf, redisScope } from "./adapters/redis/redis-scope.js";
import { SignedBus } from "./adapters/node/bus.signed.js";
import { readDeployment } from "./adapters/postgres/deployment.sql.js";
import type { Metrics } from "./app/ports/metrics.js";
import { systemClock } from "./adapters/node/clock.system.js";
import { createSqlBetLimitStore, createSqlResponsibleGamingStore, playResults, sessionStartedMs } from "./adapters/postgres/rg-store.sql.js";
import { BetLimits } from "./app/responsible-gaming/bet-limits.js";
import { limitAt } from "./engine/responsible-gaming/index.js";
import { RealityChecks } from "./app/responsible-gaming/reality-checks.js";
import { ResponsibleGaming } from "./app/responsible-gaming/responsible-gaming.service.js";
import type { AccountRestrictions } from "./engine/responsible-gaming/index.js";
import { Argon2PasswordHasher } from "./adapters/node/password-hasher.argon2.js";
import { secretTokens } from "./adapters/node/secret-tokens.crypto.js";
import { JwtKeyRing } from "./adapters/node/jwt-keyring.js";
import { JoseTokenIssuer, JoseTokenVerifier } from "./adapters/node/tokens.jose.js";
import { buildHttpServer, buildMetricsServer, type ReadinessReport } from "./gateway/http/http-server.js";
import { createHttpMetrics } from "./gateway/http/http-metrics.js";
import { WsGateway } from "./gateway/ws/ws-gateway.js";
import { createGatewayMetrics } from "./gateway/ws/ws-metrics.js";
import type { RoomLog } from "./app/ports/room-log.js";
import type { RoomLease } from "./app/ports/room-lease.js";
import type { RoomBehavior } from "./app/rooms/room-behavior.js";
import { RoomDirectory } from "./app/rooms/room-directory.js";
import { reportingFaults } from "./app/rooms/room-faults.js";
import { lobbyBehavior, sandboxBehavior, userChannelBehavior } from "./app/rooms/builtin-rooms.js";
import { MemoryRoomLease } from "./adapters/memory/room-lease.memory.js";
import { MemoryRoomLog } from "./adapters/memory/room-log.memory.js";
import { RedisRoomLease } from "./adapters/redis/room-lease.redis.js";
import { RedisRoomLog } from "./adapters/redis/room-log.redis.js";
import { randomBytes } from "node:crypto";
import { createSqlLedgerStore } from "./adapters/postgres/ledger-store.sql.js";
import { purgeExpiredRounds } from "./app/tables/round-retention.js";
import { SqlRoundStore } from "./adapters/postgres/round-store.sql.js";
import { CryptoRng } from "./adapters/node/rng.crypto.js";
import { createWallet, type Wallet } from "./app/wallet/index.js";
import type { LedgerStore } from "./app/ports/ledger-store.js";
import { Payments } from "./app/payments/payments.service.js";
import { createSqlPaymentsStore } from "./adapters/postgres/payments-store.sql.js";
import { createSqlRequestKeyStore } from "./adapters/postgres/payments-request-keys.sql.js";
import { createSqlAuditLog } from "./adapters/postgres/audit-log.sql.js";
import { AuditTrail } from "./app/audit/audit-trail.js";
import { SandboxPaymentProvider, loadOrCreateSandboxSecret } from "./adapters/sandbox-payments/sandbox-provider.js";
import { signatureHeader } from "./adapters/sandbox-payments/webhook-signature.js";
import type { RoundStore } from "./app/ports/round-store.js";
import { createTableEffectRunner } from "./app/tables/table-effect-runner.js";
import { defaultRouletteTable, rouletteTableBehavior, type RouletteTableConfig } from "./app/tables/roulette-table.js";
import { slotsRoomBehavior } from "./app/tables/slots-room.js";
import { defaultHoldemTable, holdemTableBehavior, type HoldemTableConfig } from "./app/tables/holdem-table.js";
import { blackjackTableBehavior, defaultBlackjackTable, type BlackjackTableConfig } from "./app/tables/blackjack-table.js";
import { compileSlot, crownJewels } from "./engine/slots/index.js";
import { JackpotTicker, type JackpotPool } from "./app/jackpot/jackpot-ticker.js";
import { RiskGate, RiskMonitor, riskRulesOf, RiskService, RiskSignals } from "./app/risk/index.js";
import { SqlRiskStore } from "./adapters/postgres/risk-store.sql.js";
import { JobLeader } from "./app/jobs/job-leader.js";
import { BonusBets, Bonuses, type BonusOptions } from "./app/bonuses/index.js";
import { createSqlBonusStore } from "./adapters/postgres/bonus-store.sql.js";
import { defaultGameWeights, parseGameWeights } from "./engine/bonus/index.js";
import { Registry } from "prom-client";
import type { StageObserver } from "./app/ports/metrics.js";
import { createPromMetrics, registerNodeRoles, registerOutboxMetrics, registerRiskMetrics } from "./adapters/prometheus/metrics.prom.js";
import { JetStreamEventExport } from "./adapters/nats/event-export.jetstream.js";
import { KafkaEventExport } from "./adapters/kafka/event-export.kafka.js";
import type { EventExport } from "./app/ports/event-export.js";
import { ExportBreaker } from "./app/events/export-breaker.js";
import { workerMetrics } from "./adapters/prometheus/cluster-metrics.js";
import { registerRoundRoutes } from "./gateway/http/rounds.routes.js";
import { registerCertificationRoutes } from "./gateway/http/certification.routes.js";
import { FsCertificationReports } from "./adapters/node/certification-reports.fs.js";
import { registerTableRoutes } from "./gateway/http/tables.routes.js";
import type { TableRef } from "./app/tables/table-summary.js";
import { hostname } from "node:os";
import { backgroundFailures, onBackgroundFailure } from "./app/background.js";
import { lockDataDir } from "./adapters/node/data-dir-lock.js";
import { version } from "./version.js";

export { version };
const passwordLengthMax = 256;
const sessionCacheEntriesMax = 100_000;
const keyReloadIntervalMs = 60_000;
const readinessTimeoutMs = 2_000;
const actionIdsRememberedMax = 10_000;
const roomActionQueueMax = 10_000;
const roundPurgeIntervalMs = 3_600_000;
const pendingRequestsMax = 100_000;
/** At most one warning per this interval about bus messages with a bad signature (each is counted). */
const busRefusedWarnIntervalMs = 10_000;
/** The lobby every client may join, where the jackpot totals tick (docs/PROTOCOL.md). */
const jackpotLobbyRoom = "lobby:main";

export interface Services {
  readonly config: Config;
  readonly logger: Logger;
  readonly mode: "embedded" | "production";
  /** What this node does (`roles`): docs/OPERATIONS.md "Roles". */
  readonly roles: ReadonlySet<NodeRole>;
  readonly db: SqlDb;
  readonly redis: Redis | null;
  /** The start of every Redis key and channel of this deployment (`<prefix><deploymentId>:<db>:`); null when embedded. */
  readonly redisScope: string | null;
  readonly bus: Bus;
  readonly auth: AuthService;
  readonly keys: JwtKeyRing;
  readonly nodeId: string;
  readonly roomLog: RoomLog;
  readonly directory: RoomDirectory;
  readonly wallet: Wallet;
  readonly payments: Payments;
  /** Player limits, time-outs, self-exclusions and operator locks (docs/RESPONSIBLE-GAMING.md). */
  readonly protection: ResponsibleGaming;
  readonly risk: RiskService;
  /** Bonuses: grants, the welcome claim, conversion, expiry (docs/BONUSES.md). */
  readonly bonuses: Bonuses;
  readonly riskMonitor: RiskMonitor;
  readonly riskSignals: RiskSignals;
  /** Counters shared by every node (Redis in production): login throttling, and reality checks sent once. */
  readonly throttle: ThrottleStore;
  readonly sandbox: SandboxPaymentProvider;
  readonly rounds: RoundStore;
  /** Every configured table (roulette, live, blackjack, hold'em), for the operator's list. */
  readonly tables: readonly TableRef[];
  /** Every metric of this process, served at /metrics. */
  readonly registry: Registry;
  /** Times the stages of each action's path (`croupier_action_stage_seconds`). */
  readonly stages: StageObserver;
  /** The append-only log of operator and dealer actions (docs/SECURITY.md). */
  readonly audit: AuditTrail;
  readiness(): Promise<ReadinessReport>;
  close(): Promise<void>;
}

export function createLogger(config: Config): Logger {
  return pino({ level: config.logLevel, base: { service: "croupier", pid: process.pid } });
}

/** The logger of one area: every line carries `area`, at the area's level (logLevels) or logLevel. */
export function areaLogger(root: Logger, config: Config, area: LogArea): Logger {
  return root.child({ area }, { level: logLevelOf(config, area) });
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

/** The outside world refused to start (a busy port, an unreachable database or Redis): one line that names the option. */
export class StartupError extends Error {
  override readonly name = "StartupError";
}

function hostOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port === "" ? "(default port)" : parsed.port}`;
}

/** Opens and migrates the database; an unreachable PostgreSQL is a StartupError naming databaseUrl. */
async function openMigrated(config: Config): Promise<{ db: SqlDb; migration: Awaited<ReturnType<typeof migrate>> }> {
  const db = await openDb(config);
  try {
    return { db, migration: await migrate(db) };
  } catch (error) {
    await db.close().catch(() => undefined);
    const code = (error as { code?: string }).code;
    if (
      config.databaseUrl !== null &&
      (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "ETIMEDOUT" || code === "EAI_AGAIN" || code === "28P01" || code === "3D000")
    ) {
      throw new StartupError(
        `cannot use the database of databaseUrl (DATABASE_URL) at ${hostOf(config.databaseUrl)}: ${(error as Error).message} (${code}). Start PostgreSQL there, or fix DATABASE_URL (unset it for the embedded database)`,
      );
    }
    throw error;
  }
}

/** Redis must answer before anything relies on it: an unreachable one is a StartupError naming redisUrl. */
async function checkRedis(redis: Redis, url: string): Promise<void> {
  try {
    await withTimeout(redis.ping(), readinessTimeoutMs * 2);
  } catch (error) {
    redis.disconnect();
    throw new StartupError(
      `cannot reach Redis of redisUrl (REDIS_URL) at ${hostOf(url)}: ${(error as Error).message.replace(/\.+$/, "")}. Start Redis there, or fix REDIS_URL`,
    );
  }
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

interface RedisSide {
  readonly redis: Redis;
  readonly scope: string;
  readonly rawBus: RedisBus;
  readonly bus: Bus;
}

/**
 * This deployment's place on the Redis server: its scope (claimed, so a second deployment configured
 * onto the same one refuses to start), the raw bus the room log publishes on from Lua, and the signed
 * bus everything else uses (messages not signed with this deployment's secret are dropped).
 */
async function openRedisSide(config: Config, redis: Redis, db: SqlDb, metrics: Metrics, log: Logger): Promise<RedisSide> {
  const deployment = await readDeployment(db);
  const scope = redisScope(config.redisKeyPrefix, config.deploymentId ?? deployment.id, redisDbOf(redis));
  await claimRedisScope(redis, scope, deployment.id);
  const rawBus = new RedisBus(redis, scope);
  let warnedAtMs = -Infinity;
  const bus = new SignedBus(rawBus, deployment.busSecret, {
    onRefused: (channel) => {
      metrics.busMessageRefused();
      if (systemClock.nowMs() - warnedAtMs < busRefusedWarnIntervalMs) return;
      warnedAtMs = systemClock.nowMs();
      log.warn(
        { channel, scope },
        "dropped a bus message without a valid signature: another deployment, or someone without the secret, publishes on this deployment's channels",
      );
    },
  });
  return { redis, scope, rawBus, bus };
}

function roomStores(config: Config, side: RedisSide | null, nodeId: string): { roomLog: RoomLog; lease: RoomLease } {
  if (side === null) {
    const lease = new MemoryRoomLease(systemClock);
    return { lease, roomLog: new MemoryRoomLog(lease, config, nodeId) };
  }
  return { lease: new RedisRoomLease(side.redis, side.scope), roomLog: new RedisRoomLog(side.redis, side.rawBus, side.scope, config) };
}

/**
 * The stream events are exported to: NATS JetStream or Kafka, by the URL's scheme (loadConfig allows
 * no other); after a failure it is left alone for one publish timeout (ExportBreaker).
 */
function eventExportOf(config: Config, url: string): EventExport {
  const stream =
    new URL(url).protocol === "kafka:"
      ? new KafkaEventExport({ url, topic: config.eventExportTopic, publishTimeoutMs: config.eventExportTimeoutMs })
      : new JetStreamEventExport({
          url,
          stream: config.eventExportStream,
          subjectPrefix: config.eventExportSubjectPrefix,
          publishTimeoutMs: config.eventExportTimeoutMs,
        });
  return new ExportBreaker(stream, systemClock, config.eventExportTimeoutMs);
}

/** Payments through the sandbox provider (the only one so far), with its outbox relay (started by `serve`). */
function buildPayments(
  config: Config,
  db: SqlDb,
  ledger: LedgerStore,
  wallet: Wallet,
  bus: Bus,
  events: EventExport | undefined,
  logger: Logger,
  restrictions: (userId: string) => Promise<AccountRestrictions>,
  signals: RiskSignals,
): { payments: Payments; sandbox: SandboxPaymentProvider } {
  const log = areaLogger(logger, config, "payments");
  if (config.redisUrl !== null && config.paymentsSandboxWebhookSecret === null) {
    log.warn("paymentsSandboxWebhookSecret is unset: each node generates its own, so a card token or webhook from one node fails on another");
  }
  const sandbox = new SandboxPaymentProvider({
    secret: config.paymentsSandboxWebhookSecret ?? loadOrCreateSandboxSecret(join(config.dataDir, "sandbox-payments.secret")),
    webhookDelayMs: config.paymentsSandboxWebhookDelayMs,
    webhookToleranceMs: config.paymentsWebhookToleranceMs,
    webhookUrl: config.paymentsSandboxWebhookUrl,
    clock: systemClock,
    log,
  });
  const payments = new Payments({
    store: createSqlPaymentsStore(db),
    requestKeys: createSqlRequestKeyStore(db),
    wallet,
    ledger,
    provider: sandbox,
    bus,
    clock: systemClock,
    restrictions,
    ...(events === undefined ? {} : { events }),
    onMoneyRequest: (r) =>
      signals.emit({ kind: r.kind, userId: r.userId, atMs: systemClock.nowMs(), currency: r.currency, amountMinor: r.amountMinor.toString() }),
    log: { warn: (context, message) => log.warn(context, message), error: (context, message) => log.error(context, message) },
    limits: config,
  });
  return { payments, sandbox };
}

/** Reality checks for the sessions whose sockets this node holds (docs/RESPONSIBLE-GAMING.md). */
/** The bonus terms of the configuration (checked by loadConfig). */
function bonusOptionsOf(config: Config): BonusOptions {
  return {
    welcome: {
      amountMinor: BigInt(config.bonusWelcomeAmountMinor),
      currency: config.bonusWelcomeCurrency,
      wageringMultiplier: config.bonusWelcomeWageringMultiplier,
      maxBetMinor: BigInt(config.bonusWelcomeMaxBetMinor),
      days: config.bonusWelcomeDays,
    },
    weights: parseGameWeights(config.bonusGameWeights) ?? defaultGameWeights,
    amountMinorMax: BigInt(config.bonusAmountMinorMax),
    jobIntervalMs: config.bonusJobIntervalMs,
  };
}

function buildRealityChecks(services: Services, gateway: WsGateway, logger: Logger): RealityChecks {
  const log = areaLogger(logger, services.config, "server");
  return new RealityChecks(
    {
      sessions: () => gateway.sessions(),
      sessionStartedMs: (sessionId) => sessionStartedMs(services.db, sessionId),
      results: (userId, sinceMs) => playResults(services.db, userId, sinceMs),
      once: async (key, ttlMs) => (await services.throttle.recordFailure(key, ttlMs)) === 1,
      rooms: services.directory,
      sessionLimits: async (userIds) => {
        const nowMs = systemClock.nowMs();
        const limits = await services.protection.sessionLimits(userIds);
        return new Map(
          [...limits].flatMap(([userId, state]) => {
            const minutes = limitAt(state, nowMs).amountMinor;
            return minutes === null ? [] : [[userId, Number(minutes)] as const];
          }),
        );
      },
      endSession: (sessionId) => services.auth.endSession(sessionId, "session_limit"),
      clock: systemClock,
      onError: (error) => log.warn({ err: error }, "reality check failed; the next tick tries again"),
    },
    services.config,
  );
}

export interface AdminServices {
  readonly db: SqlDb;
  /** The audit log: what an administrator does from the command line is recorded like an operator's action. */
  readonly audit: AuditTrail;
  createAccount(input: NewAccount): Promise<Outcome<User>>;
  close(): Promise<void>;
}

/**
 * What `migrate` and `user create` need: the database, migrated, and nothing else — no Redis, no
 * signing keys, no sandbox secret written into the folder the command runs from. In embedded mode
 * the data folder is locked first, as for `serve`.
 */
export async function buildAdminServices(config: Config, logger: Logger, command: string): Promise<AdminServices> {
  const lock = config.databaseUrl === null ? lockDataDir(config.dataDir, `croupier ${command}`) : null;
  let opened: SqlDb;
  try {
    const { db, migration } = await openMigrated(config);
    areaLogger(logger, config, "server").info({ applied: migration.applied, schemaVersion: migration.current }, "database migrated");
    opened = db;
  } catch (error) {
    lock?.release();
    throw error;
  }
  const hasher = new Argon2PasswordHasher({ memoryKib: config.argon2MemoryKib, iterations: config.argon2Iterations });
  const log = areaLogger(logger, config, "server");
  return {
    db: opened,
    audit: new AuditTrail(createSqlAuditLog(opened), systemClock, (error, entry) =>
      log.error({ err: error, audit: entry }, "audit log write failed; the entry is in this line"),
    ),
    createAccount: (input) => registerAccount({ store: new SqlAccountStore(opened), hasher, limits: { ...config, passwordLengthMax } }, input),
    async close() {
      await opened.close();
      lock?.release();
    },
  };
}

/**
 * Everything but the network listener: used by `serve`. In embedded mode the
 * data folder is locked first (`command` names this process to a second one that finds it locked).
 */
export async function buildServices(config: Config, logger: Logger = createLogger(config), command = "serve"): Promise<Services> {
  const lock = config.databaseUrl === null ? lockDataDir(config.dataDir, `croupier ${command}`) : null;
  try {
    return await buildUnlocked(config, logger, () => lock?.release());
  } catch (error) {
    lock?.release();
    throw error;
  }
}

async function buildUnlocked(config: Config, logger: Logger, unlock: () => void): Promise<Services> {
  const mode = config.databaseUrl === null ? "embedded" : "production";
  const roles = rolesOf(config);
  const registry = new Registry();
  const metrics = createPromMetrics(registry, backgroundFailures);
  registerNodeRoles(registry, roles);
  const { db, migration } = await openMigrated(config);
  const serverLog = areaLogger(logger, config, "server");
  const stopFailureLog = onBackgroundFailure((task, error) => serverLog.error({ err: error, task }, "background task failed"));
  serverLog.info({ applied: migration.applied, schemaVersion: migration.current }, "database migrated");

  const redis =
    config.redisUrl === null
      ? null
      : new Redis(config.redisUrl, {
          maxRetriesPerRequest: 2,
          enableOfflineQueue: true,
          // Commands issued in one turn of the event loop leave in one write: every action appends to its
          // room's log, and thousands of appends a second were as many syscalls on each side.
          enableAutoPipelining: true,
        });
  const redisLog = areaLogger(logger, config, "redis");
  redis?.on("error", (error) => redisLog.warn({ err: error }, "redis connection error"));
  if (redis !== null && config.redisUrl !== null)
    await checkRedis(redis, config.redisUrl).catch(async (error: unknown) => {
      await db.close();
      throw error;
    });
  const side =
    redis === null
      ? null
      : await openRedisSide(config, redis, db, metrics, redisLog).catch(async (error: unknown) => {
          redis.disconnect();
          await db.close();
          throw error;
        });
  if (side !== null) serverLog.info({ redisScope: side.scope }, "redis scope claimed");
  const bus: Bus = side === null ? new MemoryBus() : side.bus;
  const throttle: ThrottleStore = side === null ? new MemoryThrottleStore(systemClock, config.throttleKeysMax) : new RedisThrottleStore(side.redis, side.scope);

  const keys = await JwtKeyRing.open(config.jwtKeysDir, systemClock, config.accessTokenTtlSeconds * 1000, true);
  const store = new SqlAccountStore(db);
  const guard = new SessionGuard(store, bus, systemClock, { sessionRevocationCacheMs: config.sessionRevocationCacheMs, sessionCacheEntriesMax });
  await guard.start();
  // Wager and loss limits are judged at the bet, on every node, for the players who have one.
  const betLimits = new BetLimits({ store: createSqlBetLimitStore(db), bus, clock: systemClock });
  await betLimits.start();
  const protection = new ResponsibleGaming({
    store: createSqlResponsibleGamingStore(db),
    accounts: store,
    guard,
    clock: systemClock,
    limits: config,
    onBetLimitChanged: (userId) => betLimits.announce(userId),
  });
  // Every node reports play to the risk engine and enforces its limits at the bet (docs/RISK.md).
  const riskSignals = new RiskSignals(bus, systemClock);
  // With a stream to export to, rounds, slot spins and risk actions queue their events in the outbox as they commit (docs/EVENTS.md).
  const exportEvents = config.eventExportUrl !== null;
  const riskStore = new SqlRiskStore(db, { exportEvents });
  const riskGate = new RiskGate({ store: riskStore, bus, throttle, clock: systemClock });
  await riskGate.start();
  const riskRules = riskRulesOf(config);
  const risk = new RiskService({ store: riskStore, gate: riskGate, clock: systemClock, rules: riskRules, unlock: (userId) => protection.unlock(userId) });
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
    loginGate: (userId) => protection.loginRefusal(userId),
    onLogin: (login) => riskSignals.emit({ kind: "login", ...login, atMs: systemClock.nowMs() }),
  });

  const nodeId = `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const { roomLog, lease } = roomStores(config, side, nodeId);
  // One wallet per process: the ledger store batches every money call of this process together.
  const ledger = createSqlLedgerStore(
    db,
    {
      batchOpsMax: config.ledgerBatchOpsMax,
      batchWaitMs: config.ledgerBatchWaitMs,
      batchesInFlightMax: config.ledgerBatchesInFlightMax,
      queueOpsMax: config.ledgerQueueOpsMax,
      exportRounds: exportEvents,
    },
    metrics,
  );
  const wallet = createWallet(ledger);
  // Only the payments role's outbox relay exports; other nodes never connect to the stream.
  const events = config.eventExportUrl !== null && roles.has("payments") ? eventExportOf(config, config.eventExportUrl) : undefined;
  const { payments, sandbox } = buildPayments(config, db, ledger, wallet, bus, events, logger, (userId) => protection.restrictions(userId), riskSignals);
  registerOutboxMetrics(
    registry,
    () => createSqlPaymentsStore(db).outboxBacklog(),
    () => systemClock.nowMs(),
  );
  const rounds = new SqlRoundStore(db, { exportEvents });
  const audit = new AuditTrail(createSqlAuditLog(db), systemClock, (error, entry) =>
    serverLog.error({ err: error, audit: entry }, "audit log write failed; the entry is in this line"),
  );
  const tableConfig: RouletteTableConfig = { ...defaultRouletteTable, bettingMs: config.rouletteBettingMs, resultsMs: config.rouletteResultsMs };
  const tables = new Map<string, RouletteTableConfig>(config.rouletteTables.split(",").map((id) => [id.trim(), tableConfig]));
  const latencyOverrides = liveLatencyOverrides(config);
  // Each live table's video has its own delay: liveStreamLatencyMsByTable overrides the default per room.
  const liveTerms = (id: string, kind: "live" | "liveblackjack") => ({
    dealerAbsentMsMax: config.liveDealerAbsentMsMax,
    dealerReplaceMsMax: config.liveDealerReplaceMsMax,
    streamLatencyMs: latencyOverrides.get(`${kind}:${id.trim()}`) ?? config.liveStreamLatencyMs,
    streamUrl: config.liveStreamUrlTemplate.replaceAll("{table}", id.trim()),
  });
  const liveTables = new Map<string, RouletteTableConfig>(
    config.liveTables.split(",").map((id) => [
      id.trim(),
      {
        ...tableConfig,
        bettingMs: config.liveBettingMsMax,
        live: liveTerms(id, "live"),
      },
    ]),
  );
  const holdemConfig: HoldemTableConfig = {
    ...defaultHoldemTable,
    turnMs: config.holdemTurnMs,
    betweenHandsMs: config.holdemBetweenHandsMs,
    turnTimeoutsMax: config.holdemTurnTimeoutsMax,
  };
  const holdemTables = new Map<string, HoldemTableConfig>(config.holdemTables.split(",").map((id) => [id.trim(), holdemConfig]));
  const blackjackConfig: BlackjackTableConfig = {
    ...defaultBlackjackTable,
    bettingMs: config.blackjackBettingMs,
    turnMs: config.blackjackTurnMs,
    resultsMs: config.blackjackResultsMs,
    absentRoundsMax: config.blackjackAbsentRoundsMax,
    rules: { ...defaultBlackjackTable.rules, decks: config.blackjackDecks, cutCardCardsFromEnd: config.blackjackCutCardFromEnd },
  };
  const blackjackTables = new Map<string, BlackjackTableConfig>(config.blackjackTables.split(",").map((id) => [id.trim(), blackjackConfig]));
  const liveBlackjackTables = new Map<string, BlackjackTableConfig>(
    config.liveBlackjackTables
      .split(",")
      .map((id) => [id.trim(), { ...blackjackConfig, bettingMs: config.liveBlackjackBettingMs, live: liveTerms(id, "liveblackjack") }]),
  );
  const jackpotTerms = {
    contributionBasisPoints: config.slotsJackpotContributionBps,
    triggerNumerator: config.slotsJackpotTriggerOneIn > 0 ? 1 : 0,
    triggerDenominator: Math.max(1, config.slotsJackpotTriggerOneIn),
  };
  const jackpotPool: JackpotPool = { gameId: crownJewels.id, jackpotId: crownJewels.id, currency: "EUR" };
  const slotsRoom = slotsRoomBehavior({
    gameId: crownJewels.id,
    currency: "EUR",
    slot: compileSlot({ ...crownJewels, jackpot: jackpotTerms }),
    jackpot: { jackpotId: jackpotPool.jackpotId, seedMinor: BigInt(config.slotsJackpotSeedMinor) },
  });
  // Game recall records both roulette kinds as roulette: an id used by both is not theirs alone.
  const behaviors = new Map<string, RoomBehavior>(
    [
      lobbyBehavior,
      userChannelBehavior,
      sandboxBehavior,
      rouletteTableBehavior(tables, "roulette"),
      slotsRoom,
      blackjackTableBehavior(blackjackTables),
      rouletteTableBehavior(liveTables, "live"),
      blackjackTableBehavior(liveBlackjackTables, "liveblackjack"),
      holdemTableBehavior(holdemTables),
    ].map((b) => [b.kind, b as RoomBehavior]),
  );
  const tableRefs = (
    [
      ["roulette", tables],
      ["live", liveTables],
      ["blackjack", blackjackTables],
      ["liveblackjack", liveBlackjackTables],
      ["holdem", holdemTables],
    ] as const
  ).flatMap(([kind, ids]) => [...ids.keys()].map((tableId): TableRef => ({ kind, tableId })));
  // Shared tables spread over the nodes that host rooms (slot machines and user channels stay where their player is).
  const spreadRooms = (
    [
      ["roulette", tables],
      ["live", liveTables],
      ["blackjack", blackjackTables],
      ["liveblackjack", liveBlackjackTables],
      ["holdem", holdemTables],
    ] as const
  ).flatMap(([kind, ids]) => [...ids.keys()].map((id) => `${kind}:${id}`));
  // Every node knows which players have an active bonus; their bets alone pay the bonus side's reads (docs/BONUSES.md).
  const bonusStore = createSqlBonusStore(db);
  const bonusBets: BonusBets = new BonusBets({ store: bonusStore, wallet, bus, clock: systemClock, onComplete: (bonusId) => bonuses.settle(bonusId) });
  await bonusBets.start();
  const bonuses = new Bonuses(
    {
      store: bonusStore,
      wallet,
      clock: systemClock,
      announce: (userId) => bonusBets.announce(userId),
      refusal: (userId) => protection.loginRefusal(userId),
    },
    bonusOptionsOf(config),
  );
  const effects = createTableEffectRunner({
    wallet,
    rng: new CryptoRng(),
    rounds,
    clock: systemClock,
    metrics,
    betLimits,
    bonuses: bonusBets,
    risk: { admit: (userId, game, stakeMinor) => riskGate.admit(userId, game, stakeMinor), emit: (signal) => riskSignals.emit(signal) },
  });
  const directory = new RoomDirectory(
    nodeId,
    behaviors,
    roomLog,
    lease,
    bus,
    systemClock,
    { ...config, actionIdsRememberedMax, roomActionQueueMax, pendingRequestsMax },
    effects,
    { hostsRooms: roles.has("tables"), spreadRooms },
    metrics.actionStage,
    reportingFaults(areaLogger(logger, config, "rooms"), metrics),
  );
  await directory.start();
  // One jobs node publishes (the leader), through the lobby's owner wherever it is.
  const tickerLeader = new JobLeader(lease, "jackpot-ticker", nodeId, config.leaseTtlMs);
  const jackpotTicker = new JackpotTicker(
    { rooms: directory, wallet, metrics, nodeId, clock: systemClock, leads: () => tickerLeader.leads() },
    { room: jackpotLobbyRoom, intervalMs: config.jackpotTickerIntervalMs, pools: [jackpotPool] },
  );
  if (roles.has("jobs")) jackpotTicker.start();
  // One jobs node expires bonuses and finishes grants and conversions left waiting.
  const bonusLeader = new JobLeader(lease, "bonuses", nodeId, config.leaseTtlMs);
  if (roles.has("jobs")) bonuses.startJobs(() => bonusLeader.leads());
  // One jobs node runs the rules (the leader); the others only publish signals and enforce limits.
  const riskLeader = new JobLeader(lease, "risk-engine", nodeId, config.leaseTtlMs);
  const riskLog = areaLogger(logger, config, "risk");
  const riskMetrics = registerRiskMetrics(registry, () => riskSignals.dropped);
  const riskMonitor = new RiskMonitor({
    bus,
    clock: systemClock,
    store: riskStore,
    gate: riskGate,
    rules: riskRules,
    leads: () => riskLeader.leads(),
    leadCheckMs: Math.max(250, Math.floor(config.leaseTtlMs / 3)),
    lock: (userId, by, reason) => protection.lock(userId, by, reason),
    onAction: (a) => {
      riskMetrics.action(a.rule, a.action);
      riskLog.warn({ userId: a.userId, rule: a.rule, action: a.action, actionId: a.id, score: a.score }, "risk action");
    },
    onError: (error) => riskLog.error({ err: error }, "risk action failed"),
  });
  if (roles.has("jobs") && config.riskEngineEnabled) await riskMonitor.start();

  return {
    config,
    logger,
    mode,
    roles,
    db,
    redis,
    redisScope: side?.scope ?? null,
    bus,
    auth,
    keys,
    nodeId,
    roomLog,
    directory,
    wallet,
    rounds,
    registry,
    payments,
    protection,
    risk,
    bonuses,
    riskMonitor,
    riskSignals,
    throttle,
    sandbox,
    tables: tableRefs,
    stages: metrics.actionStage,
    audit,
    async readiness() {
      const checks: Record<string, string> = {};
      const dbOk = await check("database", () => db.query("select 1"), checks);
      const redisOk = redis === null ? true : await check("redis", () => redis.ping(), checks);
      return { ready: dbOk && redisOk, checks };
    },
    async close() {
      stopFailureLog();
      jackpotTicker.stop();
      await tickerLeader.release().catch(() => undefined);
      bonuses.stopJobs();
      await bonusLeader.release().catch(() => undefined);
      await bonusBets.stop();
      await riskMonitor.stop();
      await riskLeader.release().catch(() => undefined);
      riskSignals.flush();
      await riskGate.stop();
      await betLimits.stop();
      await directory.stop();
      await payments.stop();
      await events?.close();
      sandbox.close();
      await ledger.close();
      await rounds.close();
      await roomLog.close();
      await guard.stop();
      await bus.close();
      await throttle.close();
      redis?.disconnect();
      await db.close();
      unlock();
    },
  };
}

export interface RunningServer {
  readonly url: string;
  /** Where /metrics is served when metricsPort is set (else at `url`). */
  readonly metricsUrl: string | null;
  readonly services: Services;
  readonly http: FastifyInstance;
  readonly gateway: WsGateway;
  close(): Promise<void>;
}

export interface StartOptions {
  /** A worker of `serve --workers`: its /metrics answers for every worker of the node (through the primary). */
  readonly clusterWorker?: boolean;
}

/**
 * The readiness of a node: its stores', then one check per role. A draining node (SIGTERM) is not
 * ready, so balancers stop sending it work; a gateway at wsConnectionsMax is not ready for more sockets.
 */
function roleReadiness(
  base: ReadinessReport,
  roles: ReadonlySet<NodeRole>,
  state: { draining: boolean; wsConnections: number; wsConnectionsMax: number },
): ReadinessReport {
  const checks: Record<string, string> = { ...base.checks };
  for (const role of roles) checks[role] = state.draining ? "draining" : "ok";
  if (roles.has("gateway") && !state.draining && state.wsConnections >= state.wsConnectionsMax) checks.gateway = `full: ${state.wsConnections} sockets`;
  return { ready: base.ready && Object.entries(checks).every(([name, check]) => !roles.has(name as NodeRole) || check === "ok"), roles: [...roles], checks };
}

/** `croupier serve`: the services plus the HTTP and WebSocket listener. */
export async function startServer(config: Config, logger: Logger = createLogger(config), options: StartOptions = {}): Promise<RunningServer> {
  const sandboxEnabled = sandboxPaymentsEnabled(config);
  if (sandboxEnabled && config.databaseUrl !== null) {
    areaLogger(logger, config, "payments").warn(
      "the sandbox payment provider is enabled in production mode (paymentsSandboxEnabled): any valid test card number mints money; never on a deployment with real money",
    );
  }
  const services = await buildServices(config, logger);
  const tls =
    config.tlsCertFile !== null && config.tlsKeyFile !== null ? { cert: readFileSync(config.tlsCertFile), key: readFileSync(config.tlsKeyFile) } : null;
  const metrics = createHttpMetrics(services.registry);
  const serverLog = areaLogger(logger, config, "server");
  const { roles } = services;
  let draining = false;
  const http = await buildHttpServer({
    auth: services.auth,
    logger: areaLogger(logger, config, "http"),
    metrics,
    jwks: () => services.keys.jwks(),
    readiness: async () =>
      roleReadiness(await services.readiness(), roles, { draining, wsConnections: gateway.connectionCount, wsConnectionsMax: config.wsConnectionsMax }),
    serves: { api: roles.has("gateway"), webhooks: roles.has("payments") },
    limits: config,
    trustProxy: config.trustProxy,
    tls,
    version,
    ...(options.clusterWorker === true ? { metricsText: workerMetrics(services.registry) } : {}),
    metricsAccess: { token: config.metricsToken, separate: config.metricsPort !== null },
    audit: services.audit,
    protection: services.protection,
    risk: services.risk,
    bonuses: services.bonuses,
    money: {
      wallet: services.wallet,
      payments: services.payments,
      tokenizer: sandboxEnabled ? services.sandbox : null,
      clock: systemClock,
      webhookBodyBytesMax: config.httpBodyBytesMax,
      signatureHeader,
    },
  });
  if (roles.has("gateway")) {
    registerRoundRoutes(http, services.auth, services.rounds);
    registerCertificationRoutes(http, services.auth, new FsCertificationReports(config.certificationDir ?? resolve(config.dataDir, "certification")));
    registerTableRoutes(http, { auth: services.auth, directory: services.directory, log: services.roomLog, tables: services.tables, audit: services.audit });
  }
  // The gateway counts its rooms and members when Prometheus asks; it exists once the metrics do.
  let census: () => ReturnType<WsGateway["census"]> = () => new Map();
  const gateway = new WsGateway({
    auth: services.auth,
    directory: services.directory,
    log: services.roomLog,
    bus: services.bus,
    clock: systemClock,
    logger: areaLogger(logger, config, "ws"),
    roomsLogger: areaLogger(logger, config, "rooms"),
    metrics: createGatewayMetrics(metrics.registry, () => census()),
    limits: config,
    stages: services.stages,
    audit: services.audit,
    onConnection: (c) => services.riskSignals.emit({ kind: "connection", ...c, atMs: systemClock.nowMs() }),
  });
  census = () => gateway.census();
  if (roles.has("gateway")) await gateway.attach(http.server);
  try {
    await http.listen({ port: config.port, host: config.host });
  } catch (error) {
    await gateway.close();
    await http.close();
    await services.close();
    const code = (error as { code?: string }).code;
    if (code === "EADDRINUSE")
      throw new StartupError(`port ${config.port} on ${config.host} is in use by another process: stop it, or choose another port with --port (PORT)`);
    if (code === "EACCES")
      throw new StartupError(`port ${config.port} on ${config.host} needs privileges this process lacks: choose a port above 1023 with --port (PORT)`);
    throw error;
  }
  const address = http.server.address();
  const port = typeof address === "object" && address !== null ? address.port : config.port;
  const shownHost = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  const url = `${tls ? "https" : "http"}://${shownHost}:${port}`;
  const metricsServer =
    config.metricsPort === null
      ? null
      : buildMetricsServer({
          logger: areaLogger(logger, config, "http"),
          metrics,
          metricsAccess: { token: config.metricsToken, separate: true },
          ...(options.clusterWorker === true ? { metricsText: workerMetrics(services.registry) } : {}),
        });
  const metricsUrl = metricsServer === null ? null : await metricsServer.listen({ port: config.metricsPort ?? 0, host: config.metricsHost });
  // The sandbox calls this very process; a wildcard listen address is reached on the loopback.
  const selfHost = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  if (config.paymentsSandboxWebhookUrl === null)
    services.sandbox.setWebhookUrl(`${tls ? "https" : "http"}://${selfHost}:${port}/v1/payments/webhooks/${services.sandbox.name}`);
  if (roles.has("payments")) services.payments.start();
  const realityChecks = buildRealityChecks(services, gateway, logger);
  if (roles.has("gateway")) realityChecks.start();
  if (tls === null) serverLog.warn("no tlsCertFile/tlsKeyFile configured: serving plain HTTP; put TLS in front of this in production");
  serverLog.info(
    { url, mode: services.mode, roles: [...roles], dataDir: services.mode === "embedded" ? config.dataDir : undefined },
    `Croupier listening on ${url} (${services.mode} mode)`,
  );

  const reloadTimer = setInterval(
    () => void services.keys.reload().catch((error: unknown) => serverLog.error({ err: error }, "key reload failed")),
    keyReloadIntervalMs,
  );
  reloadTimer.unref();
  const purgeRounds = () =>
    void purgeExpiredRounds(services.rounds, systemClock, config.roundRetentionDays)
      .then((purged) => {
        if (purged > 0) logger.info({ purged, retentionDays: config.roundRetentionDays }, "expired rounds purged from game recall");
      })
      .catch((error: unknown) => logger.error({ err: error }, "round retention purge failed"));
  const retentionTimer = roles.has("jobs") ? setInterval(purgeRounds, roundPurgeIntervalMs) : undefined;
  retentionTimer?.unref();
  if (roles.has("jobs")) purgeRounds();
  return {
    url,
    metricsUrl,
    services,
    http,
    gateway,
    async close() {
      draining = true;
      clearInterval(reloadTimer);
      clearInterval(retentionTimer);
      realityChecks.stop();
      await gateway.close();
      await http.close();
      await metricsServer?.close();
      await services.close();
    },
  };
}
