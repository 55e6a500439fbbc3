/**
 * Every configuration option of Croupier, once: its key, type, default, where it can come from and
 * what it means. Flags are the kebab-case of the key; environment variables are CROUPIER_ plus the
 * SNAKE_CASE of the key (and a few conventional aliases such as PORT and DATABASE_URL). Limits carry
 * their unit last in the name.
 */
export type OptionType = "integer" | "string" | "boolean" | "url" | "path" | "enum";

export interface OptionSpec {
  readonly type: OptionType;
  readonly default: string | number | boolean | null;
  readonly description: string;
  readonly env?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  readonly values?: readonly string[];
  readonly secret?: boolean;
}

export const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof logLevels)[number];
/**
 * The areas whose log level `logLevels` can set apart from `logLevel`; every log line carries its
 * `area`. server: start, stop, keys, workers; http: requests and HTTP errors; ws: connections and
 * refused frames; rooms: joins, leaves and refused actions; payments: the provider, webhooks and the
 * outbox; redis: the Redis connection.
 */
export const logAreas = ["server", "http", "ws", "rooms", "payments", "redis", "risk"] as const;
export type LogArea = (typeof logAreas)[number];

/**
 * What a node does (`roles`). gateway: sockets and the player/operator HTTP API; tables: may own rooms
 * (take room leases); payments: provider webhooks and the outbox relay; jobs: retention, the jackpot
 * ticker and other background work. Every node serves /healthz, /readyz and /metrics.
 */
export const nodeRoles = ["gateway", "tables", "payments", "jobs"] as const;
export type NodeRole = (typeof nodeRoles)[number];

export const optionSpecs = {
  roles: {
    type: "string",
    default: nodeRoles.join(","),
    description: `what this node does, comma-separated: ${nodeRoles.join(", ")} (docs/OPERATIONS.md, "Roles")`,
  },
  port: { type: "integer", default: 8080, min: 0, max: 65535, env: ["PORT"], description: "TCP port for HTTP and WebSocket" },
  host: { type: "string", default: "0.0.0.0", env: ["HOST"], description: "address to listen on" },
  dataDir: { type: "path", default: "./data", description: "folder for the embedded database and generated keys" },
  databaseUrl: { type: "url", default: null, secret: true, env: ["DATABASE_URL"], description: "PostgreSQL URL; unset means the embedded database in dataDir" },
  redisUrl: { type: "url", default: null, secret: true, env: ["REDIS_URL"], description: "Redis URL; unset means the in-memory bus (one process)" },
  redisKeyPrefix: {
    type: "string",
    default: "croupier:",
    description: "prefix of every Redis key and channel; the deployment id and the Redis DB number follow it (<prefix><deploymentId>:<db>:)",
  },
  deploymentId: {
    type: "string",
    default: null,
    description:
      "names this deployment in its Redis keys and channels; unset means the id drawn once into its database. A deployment refuses to start on a Redis scope another one holds",
  },
  logLevel: { type: "enum", default: "info", values: logLevels, env: ["LOG_LEVEL"], description: "log level" },
  logLevels: {
    type: "string",
    default: null,
    env: ["LOG_LEVELS"],
    description: `log levels per area on top of logLevel, e.g. ws=debug,rooms=info,payments=warn; areas: ${logAreas.join(", ")}`,
  },
  tlsCertFile: { type: "path", default: null, description: "PEM certificate; with tlsKeyFile enables HTTPS/WSS (TLS 1.3 minimum)" },
  tlsKeyFile: { type: "path", default: null, secret: true, description: "PEM private key for tlsCertFile" },
  jwtKeysDir: { type: "path", default: null, description: "folder of Ed25519 signing keys (JWK files); default dataDir/keys" },
  jwtIssuer: { type: "string", default: "croupier", description: "iss claim of access tokens" },
  accessTokenTtlSeconds: { type: "integer", default: 900, min: 30, max: 86_400, description: "lifetime of an access token" },
  refreshTokenTtlSeconds: { type: "integer", default: 2_592_000, min: 300, max: 31_536_000, description: "lifetime of a refresh token" },
  sessionRevocationCacheMs: {
    type: "integer",
    default: 5_000,
    min: 0,
    max: 60_000,
    description: "longest a node trusts its cached view that a session is live",
  },
  httpBodyBytesMax: { type: "integer", default: 65_536, min: 1_024, max: 10_485_760, description: "largest accepted HTTP request body" },
  dbPoolConnectionsMax: { type: "integer", default: 16, min: 1, max: 1_000, description: "PostgreSQL connections per process" },
  dbStatementTimeoutMs: { type: "integer", default: 10_000, min: 100, max: 600_000, description: "statement timeout on PostgreSQL" },
  passwordLengthMin: { type: "integer", default: 10, min: 8, max: 128, description: "shortest accepted password (characters)" },
  argon2MemoryKib: { type: "integer", default: 19_456, min: 8_192, max: 1_048_576, description: "argon2id memory cost" },
  argon2Iterations: { type: "integer", default: 2, min: 1, max: 20, description: "argon2id time cost" },
  loginFailuresFree: { type: "integer", default: 5, min: 1, max: 1_000, description: "failed logins per account before back-off starts" },
  loginIpFailuresFree: { type: "integer", default: 50, min: 1, max: 100_000, description: "failed logins per client address before back-off starts" },
  loginBackoffBaseMs: { type: "integer", default: 1_000, min: 1, max: 3_600_000, description: "first back-off; doubles with each further failure" },
  loginBackoffMsMax: { type: "integer", default: 900_000, min: 1, max: 86_400_000, description: "longest back-off" },
  loginFailureWindowMs: { type: "integer", default: 900_000, min: 1_000, max: 86_400_000, description: "how long a failed login counts" },
  registrationsPerAddressMax: {
    type: "integer",
    default: 20,
    min: 1,
    max: 10_000_000,
    description: "accounts one client address may register per registrationWindowMs (shared by every node through the ThrottleStore)",
  },
  registrationWindowMs: {
    type: "integer",
    default: 3_600_000,
    min: 1_000,
    max: 604_800_000,
    description: "the window registrationsPerAddressMax counts over; it restarts with each attempt",
  },
  throttleKeysMax: { type: "integer", default: 100_000, min: 100, max: 10_000_000, description: "throttle entries kept in memory (embedded mode)" },
  frameBytesMax: { type: "integer", default: 16_384, min: 512, max: 1_048_576, description: "largest WebSocket frame accepted (closes with 1009 above it)" },
  messagesPerSecondMax: { type: "integer", default: 20, min: 1, max: 10_000, description: "frames per second per connection; 4x this closes it (4009)" },
  roomsPerConnectionMax: { type: "integer", default: 16, min: 1, max: 1_000, description: "rooms one connection may be in" },
  sendQueueBytesMax: {
    type: "integer",
    default: 1_048_576,
    min: 16_384,
    max: 67_108_864,
    description: "bytes queued for a slow client before it is cut off (4008)",
  },
  roomMembersMax: { type: "integer", default: 20_000, min: 1, max: 1_000_000, description: "members of one room on one node" },
  presenceMembersMax: { type: "integer", default: 50, min: 0, max: 10_000, description: "rooms up to this size list their members in presence" },
  roomLogEntriesMax: { type: "integer", default: 10_000, min: 100, max: 1_000_000, description: "entries of history kept per room" },
  roomLogAgeMsMax: { type: "integer", default: 3_600_000, min: 1_000, max: 604_800_000, description: "age of history kept per room" },
  roomIdleMsMax: {
    type: "integer",
    default: 86_400_000,
    min: 60_000,
    max: 2_592_000_000,
    description: "an untouched room's log and snapshot expire after this (Redis)",
  },
  edgeBufferEntriesMax: { type: "integer", default: 1_000, min: 10, max: 100_000, description: "recent entries per room each node keeps for fast replays" },
  revealLeadMs: { type: "integer", default: 150, min: 0, max: 10_000, description: "how far ahead of the broadcast a synchronized reveal is scheduled" },
  leaseTtlMs: { type: "integer", default: 3_000, min: 200, max: 60_000, description: "room ownership lease; a dead owner's rooms move within about 1.5x this" },
  roomWriteBatchWaitMs: {
    type: "integer",
    default: 2,
    min: 0,
    max: 1_000,
    description:
      "longest an action judged by a room waits, while other actions are still being prepared, before their events and snapshot are written together",
  },
  actionTimeoutMs: { type: "integer", default: 5_000, min: 100, max: 60_000, description: "how long a node waits for a room's owner to answer" },
  chatCharsMax: { type: "integer", default: 300, min: 1, max: 4_096, description: "longest chat message" },
  chatMessagesPerMinuteMax: { type: "integer", default: 20, min: 1, max: 10_000, description: "chat messages per user per room per minute" },
  authTimeoutMs: { type: "integer", default: 10_000, min: 100, max: 120_000, description: "time a new socket has to send its hello" },
  wsConnectionsMax: { type: "integer", default: 19_000, min: 1, max: 1_000_000, description: "sockets per process (keep under the open-file limit)" },
  wsUnauthenticatedMax: {
    type: "integer",
    default: 1_000,
    min: 1,
    max: 1_000_000,
    description: "sockets per process still waiting for their hello; above it the oldest of them is closed (4011)",
  },
  wsUnauthenticatedPerAddressMax: {
    type: "integer",
    default: 64,
    min: 1,
    max: 1_000_000,
    description: "sockets from one client address still waiting for their hello; above it that address's oldest is closed (4011)",
  },
  presenceIntervalMs: { type: "integer", default: 1_000, min: 50, max: 60_000, description: "how often presence counts are exchanged and sent" },
  sandboxRoomsEnabled: { type: "boolean", default: true, description: "allow sandbox:* developer rooms" },
  certificationDir: {
    type: "path",
    default: null,
    description: "folder of `croupier certify` runs (one folder each, with report.json) the operator console lists; default dataDir/certification",
  },
  roundRetentionDays: {
    type: "integer",
    default: 1_825,
    min: 1,
    max: 36_500,
    description: "how long game recall keeps an ended round and its bets (then they are purged, hourly)",
  },
  rouletteTables: { type: "string", default: "1,2,3", description: "ids of the shared roulette tables (rooms roulette:<id>), comma-separated" },
  rouletteBettingMs: { type: "integer", default: 15_000, min: 500, max: 600_000, description: "how long each roulette round takes bets" },
  rouletteResultsMs: { type: "integer", default: 5_000, min: 0, max: 600_000, description: "pause between a settled roulette round and the next" },
  liveTables: { type: "string", default: "1", description: "ids of the live-dealer roulette tables (rooms live:<id>), comma-separated" },
  liveBettingMsMax: {
    type: "integer",
    default: 30_000,
    min: 1_000,
    max: 600_000,
    description: "longest a live table takes bets before betting closes on its own",
  },
  liveDealerAbsentMsMax: {
    type: "integer",
    default: 30_000,
    min: 1_000,
    max: 600_000,
    description: "a live round whose dealer is silent this long is voided and refunded",
  },
  liveStreamLatencyMsByTable: {
    type: "string",
    default: null,
    description:
      "per live table stream latency overriding liveStreamLatencyMs, as room=ms pairs, e.g. live:1=3000,liveblackjack:1=4500 (each table's video has its own delay)",
  },
  liveStreamLatencyMs: {
    type: "integer",
    default: 0,
    min: 0,
    max: 60_000,
    description:
      "how long after the dealer acts the players' video shows it: live results and cues carry revealAt that much later, and live betting windows close that much later",
  },
  liveDealerReplaceMsMax: {
    type: "integer",
    default: 60_000,
    min: 0,
    max: 600_000,
    description: "live blackjack: how long a hand whose dealer went silent waits for another dealer to take the table over before it is voided and refunded",
  },
  liveBlackjackTables: { type: "string", default: "1", description: "ids of the live-dealer blackjack tables (rooms liveblackjack:<id>), comma-separated" },
  liveBlackjackBettingMs: {
    type: "integer",
    default: 15_000,
    min: 500,
    max: 600_000,
    description: "how long a live blackjack round takes bets (on the video's clock: the server adds liveStreamLatencyMs)",
  },
  liveStreamUrlTemplate: {
    type: "string",
    default: "https://video.example.invalid/live/{table}",
    description: "video stream address of a live table; {table} becomes its id",
  },
  holdemTables: { type: "string", default: "1,2", description: "ids of the no-limit hold'em tables (rooms holdem:<id>), comma-separated" },
  holdemTurnMs: {
    type: "integer",
    default: 20_000,
    min: 500,
    max: 600_000,
    description: "time a hold'em player has to act; then the hand checks or folds for them",
  },
  holdemBetweenHandsMs: { type: "integer", default: 3_000, min: 0, max: 600_000, description: "pause between hold'em hands" },
  holdemTurnTimeoutsMax: {
    type: "integer",
    default: 3,
    min: 1,
    max: 1_000,
    description: "consecutive turns the timer plays for a hold'em player before they are stood up and cashed out between hands",
  },
  blackjackTables: { type: "string", default: "1,2", description: "ids of the blackjack tables (rooms blackjack:<id>), comma-separated" },
  blackjackBettingMs: { type: "integer", default: 10_000, min: 500, max: 600_000, description: "how long a blackjack round takes bets once a player sits" },
  blackjackTurnMs: { type: "integer", default: 15_000, min: 500, max: 600_000, description: "time a blackjack player has to act; then the hand stands" },
  blackjackResultsMs: {
    type: "integer",
    default: 4_000,
    min: 200,
    max: 600_000,
    description: "how long a blackjack round's results show before the next round opens",
  },
  blackjackDecks: { type: "integer", default: 6, min: 1, max: 8, description: "decks in a blackjack shoe" },
  blackjackCutCardFromEnd: {
    type: "integer",
    default: 78,
    min: 52,
    max: 416,
    description:
      "the blackjack cut card sits this many cards before the end of the shoe (at least one deck, at most the whole shoe: then every round gets a new shoe)",
  },
  blackjackAbsentRoundsMax: {
    type: "integer",
    default: 3,
    min: 1,
    max: 1_000,
    description: "consecutive blackjack rounds a seated player sits out or lets the turn timer act before they are stood up",
  },
  slotsJackpotContributionBps: {
    type: "integer",
    default: 100,
    min: 0,
    max: 10_000,
    description: "share of every paid slot stake fed to the progressive jackpot, in basis points (100 = 1%)",
  },
  slotsJackpotTriggerOneIn: {
    type: "integer",
    default: 5_000_000,
    min: 0,
    max: 9_007_199_254_740_991,
    description: "a paid slot spin wins the jackpot with probability 1 in this; 0 never triggers it",
  },
  slotsJackpotSeedMinor: {
    type: "integer",
    default: 100_000,
    min: 0,
    max: 1_000_000_000_000,
    description: "the house tops the jackpot pool up to this after every spin and win, in minor units (100000 = 1000.00 EUR)",
  },
  jackpotTickerIntervalMs: {
    type: "integer",
    default: 250,
    min: 50,
    max: 60_000,
    description: "how often the jobs node running the jackpot ticker publishes changed jackpot totals into lobby:main",
  },
  ledgerBatchOpsMax: { type: "integer", default: 200, min: 1, max: 10_000, description: "most ledger operations committed in one transaction" },
  ledgerBatchWaitMs: {
    type: "integer",
    default: 2,
    min: 0,
    max: 1_000,
    description: "longest a ledger operation waits for companions before its batch starts",
  },
  ledgerBatchesInFlightMax: {
    type: "integer",
    default: 4,
    min: 1,
    max: 64,
    description: "ledger batches committing at once, each on its own connection (embedded: 1)",
  },
  ledgerQueueOpsMax: {
    type: "integer",
    default: 50_000,
    min: 1,
    max: 10_000_000,
    description: "ledger operations waiting for a batch; beyond it money calls answer WALLET_BUSY",
  },
  withdrawalAmountMinorMin: {
    type: "integer",
    default: 1_000,
    min: 1,
    max: 1_000_000_000_000,
    description: "smallest withdrawal, in minor units of its currency (1000 = 10.00 EUR or 1000 JPY)",
  },
  withdrawalsPerPeriodMax: { type: "integer", default: 3, min: 1, max: 10_000, description: "withdrawal requests one player may make per withdrawalPeriodMs" },
  rgIncreaseCoolingOffMs: {
    type: "integer",
    default: 86_400_000,
    min: 0,
    max: 2_592_000_000,
    description: "how long a player's higher (or removed) deposit limit waits before it applies; a lower one applies at once (docs/RESPONSIBLE-GAMING.md)",
  },
  realityCheckIntervalMs: {
    type: "integer",
    default: 3_600_000,
    min: 1_000,
    max: 86_400_000,
    description: "how often a logged-in player's user: room gets a reality check (time since login, net result of their bets)",
  },
  riskEngineEnabled: {
    type: "boolean",
    default: true,
    description: "run the risk engine's rules on a jobs node (docs/RISK.md); limits already set are enforced either way",
  },
  riskBetsPerMinuteMax: {
    type: "integer",
    default: 120,
    min: 1,
    max: 100_000,
    description: "risk rule betRate: bets a minute across a player's devices before it fires (measured over 20 s)",
  },
  riskMicroStakeMinorMax: {
    type: "integer",
    default: 10,
    min: 1,
    max: 1_000_000_000,
    description: "risk rule microStakes: a stake of at most this many minor units is a micro stake",
  },
  riskDepositsPerHourMax: {
    type: "integer",
    default: 10,
    min: 1,
    max: 100_000,
    description: "risk rule depositVelocity: deposits started in an hour before it fires",
  },
  riskDepositMinorPerDayMax: {
    type: "integer",
    default: 1_000_000,
    min: 1,
    max: 9_000_000_000_000_000,
    description: "risk rule depositAmount: minor units deposited in 24 h (per currency) before it fires",
  },
  riskWithdrawalsPerDayMax: {
    type: "integer",
    default: 5,
    min: 1,
    max: 100_000,
    description: "risk rule withdrawalFrequency: withdrawals requested in 24 h before it fires",
  },
  riskAccountsPerDeviceMax: {
    type: "integer",
    default: 3,
    min: 1,
    max: 100_000,
    description: "risk rule deviceLinks: accounts seen on one device id in 24 h before it fires",
  },
  riskAccountsPerAddressMax: {
    type: "integer",
    default: 20,
    min: 1,
    max: 100_000,
    description: "risk rule addressLinks: accounts seen from one client address in 24 h before it fires (loopback never counts)",
  },
  riskCollusionHandsMin: {
    type: "integer",
    default: 10,
    min: 2,
    max: 100_000,
    description:
      "risk rule collusion: hold'em hands in an hour one player folded to the same winner at one table, without a showdown, before it fires (also half the hands they played together)",
  },
  riskStepAfterMs: {
    type: "integer",
    default: 30_000,
    min: 1_000,
    max: 86_400_000,
    description: "how long a rule that keeps firing waits before its next step (alert, then limit, then lock)",
  },
  riskLimitBetsPerMinute: {
    type: "integer",
    default: 30,
    min: 1,
    max: 100_000,
    description: "the bet rate a risk limit step allows a player, across all their devices",
  },
  bonusWelcomeAmountMinor: {
    type: "integer",
    default: 1_000,
    min: 0,
    max: 100_000_000,
    description:
      "the welcome bonus a player may claim once (POST /v1/bonuses/welcome), in minor units of bonusWelcomeCurrency (1000 = 10.00 EUR); 0 turns the welcome bonus off",
  },
  bonusWelcomeCurrency: { type: "string", default: "EUR", description: "currency of the welcome bonus" },
  bonusWelcomeWageringMultiplier: {
    type: "integer",
    default: 35,
    min: 0,
    max: 200,
    description: "the welcome bonus converts to cash once stakes × game weight add up to its amount × this",
  },
  bonusWelcomeMaxBetMinor: {
    type: "integer",
    default: 500,
    min: 1,
    max: 1_000_000_000_000,
    description: "largest stake while the welcome bonus is being wagered, in minor units (500 = 5.00 EUR)",
  },
  bonusWelcomeDays: {
    type: "integer",
    default: 30,
    min: 1,
    max: 365,
    description: "days before an unconverted welcome bonus expires (what is left of it goes back to the house)",
  },
  bonusGameWeights: {
    type: "string",
    default: "slots=100,roulette=10,blackjack=10,liveblackjack=10,holdem=0",
    description:
      "percent of a stake that counts towards a bonus's wagering, per game (a game left out counts 0 and bonus money does not play there); recorded on each bonus when granted",
  },
  bonusAmountMinorMax: {
    type: "integer",
    default: 1_000_000,
    min: 1,
    max: 1_000_000_000_000,
    description: "largest bonus an operator may grant, in minor units (1000000 = 10,000.00 EUR)",
  },
  bonusJobIntervalMs: {
    type: "integer",
    default: 10_000,
    min: 100,
    max: 3_600_000,
    description:
      "how often the jobs node expires bonuses past their time and finishes grants and conversions left waiting (stakes still held on the bonus purse)",
  },
  withdrawalPeriodMs: { type: "integer", default: 86_400_000, min: 1_000, max: 2_592_000_000, description: "the window withdrawalsPerPeriodMax counts over" },
  paymentsSandboxEnabled: {
    type: "boolean",
    default: null,
    description:
      "serve the sandbox payment provider (test cards: any valid test number mints play money); unset means on in embedded mode, and in production mode (DATABASE_URL) serve refuses to start until it is set explicitly",
  },
  paymentsSandboxWebhookSecret: {
    type: "string",
    default: null,
    secret: true,
    description: "HMAC-SHA256 secret of sandbox webhooks; unset means one generated and kept in dataDir",
  },
  paymentsSandboxWebhookUrl: { type: "url", default: null, description: "where the sandbox delivers its webhooks; unset means this server's own endpoint" },
  paymentsSandboxWebhookDelayMs: {
    type: "integer",
    default: 500,
    min: 0,
    max: 600_000,
    description: "how late the sandbox delivers a webhook (then again, out of order, at 2x and 3x)",
  },
  paymentsWebhookToleranceMs: {
    type: "integer",
    default: 300_000,
    min: 1_000,
    max: 3_600_000,
    description: "largest age (or clock skew) of a webhook timestamp before it is refused as a replay",
  },
  paymentsProviderTimeoutMs: { type: "integer", default: 10_000, min: 100, max: 120_000, description: "longest a call to the payment provider may take" },
  outboxPollIntervalMs: {
    type: "integer",
    default: 1_000,
    min: 10,
    max: 600_000,
    description: "how often the outbox relay looks for effects still to deliver",
  },
  outboxLeaseMs: {
    type: "integer",
    default: 30_000,
    min: 1_000,
    max: 3_600_000,
    description: "how long a node owns an outbox entry it is delivering before another may retry it",
  },
  outboxAttemptsMax: { type: "integer", default: 20, min: 1, max: 1_000, description: "deliveries of one outbox entry before it is parked for an operator" },
  metricsToken: {
    type: "string",
    default: null,
    secret: true,
    description: "bearer token /metrics demands (Authorization: Bearer <token>, 16+ characters); unset means /metrics is open to whoever reaches its listener",
  },
  metricsPort: {
    type: "integer",
    default: null,
    min: 0,
    max: 65535,
    description: "serve /metrics only on this port (on metricsHost), not on the public port; unset means on the public port",
  },
  metricsHost: { type: "string", default: "127.0.0.1", description: "address the metricsPort listener binds to (e.g. an internal network's)" },
  eventExportUrl: {
    type: "url",
    default: null,
    secret: true,
    description:
      "stream the payments nodes' outbox exports events to (docs/EVENTS.md): NATS JetStream (nats://host:4222) or Kafka (kafka://host:9092); unset: no export (payment events go only to the in-process bus)",
  },
  eventExportStream: { type: "string", default: "CROUPIER_EVENTS", description: "JetStream stream of exported events, created if missing" },
  eventExportSubjectPrefix: { type: "string", default: "croupier.events", description: "subject of an exported event: this, a dot, and its type" },
  eventExportTopic: {
    type: "string",
    default: "croupier.events",
    description: "Kafka topic of exported events (kafka:// eventExportUrl); each message is keyed by the event's id",
  },
  eventExportTimeoutMs: {
    type: "integer",
    default: 2_000,
    min: 100,
    max: 60_000,
    description: "longest an export waits for the stream's acknowledgement before the outbox retries it later",
  },
  trustProxy: { type: "boolean", default: false, description: "take the client address from X-Forwarded-For" },
  shutdownGraceMs: { type: "integer", default: 10_000, min: 0, max: 600_000, description: "time to finish requests on SIGTERM" },
} as const satisfies Record<string, OptionSpec>;

export type OptionKey = keyof typeof optionSpecs;

export function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export function envNames(key: OptionKey): string[] {
  const spec: OptionSpec = optionSpecs[key];
  return [`CROUPIER_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`, ...(spec.env ?? [])];
}
