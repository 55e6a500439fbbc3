import { readFileSync } from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { resolve } from "node:path";
import {
  envNames,
  flagName,
  logAreas,
  logLevels,
  nodeRoles,
  optionSpecs,
  type LogArea,
  type LogLevel,
  type NodeRole,
  type OptionKey,
  type OptionSpec,
} from "./options.js";

export { logAreas, nodeRoles, type LogArea, type LogLevel, type NodeRole } from "./options.js";

/**
 * `liveStreamLatencyMsByTable` as a map from room (`live:<id>`, `liveblackjack:<id>`) to milliseconds;
 * throws a ConfigError naming a malformed entry.
 */
export function liveLatencyOverrides(config: Pick<Config, "liveStreamLatencyMsByTable">): ReadonlyMap<string, number> {
  const overrides = new Map<string, number>();
  if (config.liveStreamLatencyMsByTable === null) return overrides;
  for (const part of config.liveStreamLatencyMsByTable.split(",")) {
    const match = /^\s*((?:live|liveblackjack):[A-Za-z0-9_.-]{1,64})=([0-9]{1,5})\s*$/.exec(part);
    if (match === null || Number(match[2]) > 60_000)
      throw new ConfigError(`invalid liveStreamLatencyMsByTable entry "${part}": expected live:<id>=ms or liveblackjack:<id>=ms, 0 to 60000`);
    overrides.set(match[1] as string, Number(match[2]));
  }
  return overrides;
}

/**
 * The one module that reads flags, environment and the optional JSON config file. Precedence:
 * flag, then environment, then file, then default. The result is validated against the closed
 * schema in options.ts, frozen and passed down; nothing else reads process.env.
 */
type Spec = typeof optionSpecs;
/** The value type of an option, from its spec's type (and `values`, for an enum). */
type ValueOf<S> = S extends { readonly type: "integer" }
  ? number
  : S extends { readonly type: "boolean" }
    ? boolean
    : S extends { readonly type: "enum"; readonly values: readonly (infer V)[] }
      ? V
      : string;
/** An option whose default is null may stay unset. */
type Nullable<S, T> = S extends { readonly default: null } ? T | null : T;

/**
 * Every option's value, its type derived from options.ts (one table, not written twice). The one
 * option resolved at load: `jwtKeysDir` defaults to dataDir/keys, so it is always a path here.
 */
export type Config = Omit<{ readonly [K in OptionKey]: Nullable<Spec[K], ValueOf<Spec[K]>> }, "jwtKeysDir"> & { readonly jwtKeysDir: string };

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

type Raw = Partial<Record<OptionKey, unknown>>;

function expectedForm(spec: OptionSpec): string {
  switch (spec.type) {
    case "integer":
      return `an integer from ${spec.min} to ${spec.max}`;
    case "boolean":
      return "true or false";
    case "url":
      return "a URL such as postgres://host:5432/db or redis://host:6379";
    case "enum":
      return `one of ${spec.values?.join(", ")}`;
    default:
      return "a non-empty string";
  }
}

function coerce(key: OptionKey, value: unknown, source: string): string | number | boolean | null {
  const spec: OptionSpec = optionSpecs[key];
  const fail = (): never => {
    throw new ConfigError(`invalid ${key} from ${source}: got ${JSON.stringify(value)}, expected ${expectedForm(spec)}`);
  };
  if (value === null) return spec.default === null ? null : fail();
  switch (spec.type) {
    case "integer": {
      const n = typeof value === "number" ? value : typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
      if (!Number.isSafeInteger(n) || n < (spec.min ?? 0) || n > (spec.max ?? Number.MAX_SAFE_INTEGER)) fail();
      return n;
    }
    case "boolean":
      if (value === true || value === "true" || value === "1") return true;
      if (value === false || value === "false" || value === "0") return false;
      return fail();
    case "enum":
      if (typeof value !== "string" || !spec.values?.includes(value)) fail();
      return value as string;
    case "url":
      if (typeof value !== "string" || !URL.canParse(value)) fail();
      return value as string;
    default:
      if (typeof value !== "string" || value.length === 0) fail();
      return value as string;
  }
}

function isOptionKey(key: string): key is OptionKey {
  return Object.hasOwn(optionSpecs, key);
}

function readFile(path: string): Raw {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${path} must hold a JSON object`);
  }
  for (const key of Object.keys(parsed)) {
    if (!isOptionKey(key)) throw new ConfigError(`unknown key "${key}" in config file ${path}; known keys: ${Object.keys(optionSpecs).join(", ")}`);
  }
  return parsed;
}

/** The configuration flags as parseArgs options: `--config` and the kebab-case of every option, each read as text. */
export const configArgOptions: ArgOptions = Object.fromEntries([
  ["config", { type: "string" }],
  ...Object.keys(optionSpecs).map((key) => [flagName(key), { type: "string" }] as const),
]);

const booleanFlags = new Set(
  Object.entries(optionSpecs)
    .filter(([, spec]: [string, OptionSpec]) => spec.type === "boolean")
    .map(([key]) => `--${flagName(key)}`),
);

/**
 * A boolean option may stand alone (`--trust-proxy`) or take its value (`--trust-proxy false`,
 * `--trust-proxy=false`); parseArgs knows only the last form, so the others are spelled that way.
 */
function spellBooleans(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!booleanFlags.has(arg)) out.push(arg);
    else if (argv[i + 1] === "true" || argv[i + 1] === "false") out.push(`${arg}=${argv[++i] as string}`);
    else out.push(`${arg}=true`);
  }
  return out;
}

/** The configuration flags of a command line: the raw values of options given, and the config file. */
export interface ConfigFlags {
  readonly raw: Raw;
  readonly configFile: string | null;
}

/**
 * Parses a command's own flags (`own`, parseArgs options) together with the configuration flags, strictly:
 * an unknown flag, a missing value or (unless allowed) a stray argument is a ConfigError.
 */
export function parseCommandLine(
  argv: readonly string[],
  own: ArgOptions = {},
  messages: ArgsMessages = {},
): { readonly own: ArgValues; readonly flags: ConfigFlags; readonly positionals: readonly string[] } {
  const { values, positionals } = parseCommandArgs(
    spellBooleans(argv),
    { ...configArgOptions, ...own },
    { unknown: (flag) => `unknown flag ${flag}; see croupier serve --help`, ...messages },
  );
  const raw: Raw = {};
  for (const key of Object.keys(optionSpecs) as OptionKey[]) {
    const value = values[flagName(key)];
    if (value !== undefined) raw[key] = value;
  }
  const ownValues = Object.fromEntries(
    Object.keys(own)
      .filter((name) => values[name] !== undefined)
      .map((name) => [name, values[name]]),
  );
  return { own: ownValues, flags: { raw, configFile: typeof values.config === "string" ? values.config : null }, positionals };
}

/** Parses `--key value`, `--key=value` and bare boolean `--key` flags. */
export function parseFlags(argv: readonly string[]): ConfigFlags {
  return parseCommandLine(argv).flags;
}

/** The configuration from flags (a command line, or flags parsed with a command's own), environment, file and defaults. */
export function loadConfig(argv: readonly string[] | ConfigFlags, env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const flags = isArgv(argv) ? parseFlags(argv) : argv;
  const configFile = flags.configFile ?? env.CROUPIER_CONFIG ?? null;
  const file = configFile === null ? {} : readFile(configFile);
  const values: Record<string, unknown> = {};
  for (const key of Object.keys(optionSpecs) as OptionKey[]) {
    const fromEnv = envNames(key)
      .map((name) => ({ name, value: env[name] }))
      .find((e) => e.value !== undefined && e.value !== "");
    if (flags.raw[key] !== undefined) values[key] = coerce(key, flags.raw[key], `flag --${flagName(key)}`);
    else if (fromEnv !== undefined) values[key] = coerce(key, fromEnv.value, `environment ${fromEnv.name}`);
    else if (file[key] !== undefined) values[key] = coerce(key, file[key], `config file key ${key}`);
    else values[key] = optionSpecs[key].default;
  }
  values.dataDir = resolve(values.dataDir as string);
  values.jwtKeysDir = values.jwtKeysDir === null ? resolve(values.dataDir as string, "keys") : resolve(values.jwtKeysDir as string);
  checkAgreement(values as unknown as Config);
  return Object.freeze(values) as unknown as Config;
}

/** Parses `ws=debug,rooms=info`; throws a ConfigError naming the bad area or level. */
export function parseLogLevels(text: string): Readonly<Partial<Record<LogArea, LogLevel>>> {
  const levels: Partial<Record<LogArea, LogLevel>> = {};
  for (const part of text
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "")) {
    const [area, level, extra] = part.split("=").map((p) => p.trim());
    if (level === undefined || extra !== undefined) throw new ConfigError(`invalid logLevels entry "${part}": expected area=level, e.g. ws=debug`);
    if (!(logAreas as readonly string[]).includes(area as string))
      throw new ConfigError(`invalid logLevels entry "${part}": unknown area "${area}"; areas: ${logAreas.join(", ")}`);
    if (!(logLevels as readonly string[]).includes(level))
      throw new ConfigError(`invalid logLevels entry "${part}": unknown level "${level}" for area ${area}; levels: ${logLevels.join(", ")}`);
    if (levels[area as LogArea] !== undefined) throw new ConfigError(`invalid logLevels: area ${area} is given twice`);
    levels[area as LogArea] = level as LogLevel;
  }
  return Object.freeze(levels);
}

/** The level of one area: its own from logLevels, else logLevel. */
export function logLevelOf(config: Pick<Config, "logLevel" | "logLevels">, area: LogArea): LogLevel {
  return (config.logLevels === null ? undefined : parseLogLevels(config.logLevels)[area]) ?? config.logLevel;
}

/** Parses `gateway,tables`; throws a ConfigError naming an unknown or repeated role. */
export function parseRoles(text: string): ReadonlySet<NodeRole> {
  const parts = text.split(",").map((p) => p.trim());
  const roles = new Set<NodeRole>();
  for (const part of parts) {
    if (!(nodeRoles as readonly string[]).includes(part)) throw new ConfigError(`invalid roles entry "${part}": roles are ${nodeRoles.join(", ")}`);
    if (roles.has(part as NodeRole)) throw new ConfigError(`invalid roles: ${part} is given twice`);
    roles.add(part as NodeRole);
  }
  return roles;
}

export function rolesOf(config: Pick<Config, "roles">): ReadonlySet<NodeRole> {
  return parseRoles(config.roles);
}

export function hasRole(config: Pick<Config, "roles">, role: NodeRole): boolean {
  return rolesOf(config).has(role);
}

/** Limits that only make sense together. */
function checkAgreement(config: Config): void {
  const roles = parseRoles(config.roles);
  if (config.redisUrl === null && roles.size < nodeRoles.length) {
    throw new ConfigError(
      `roles ${config.roles} need REDIS_URL (and DATABASE_URL): a node alone must run every role, nodes of different roles talk through Redis`,
    );
  }
  if (roles.has("gateway") && !roles.has("payments") && config.paymentsSandboxWebhookUrl === null) {
    throw new ConfigError(
      "a gateway without the payments role needs paymentsSandboxWebhookUrl: the sandbox's webhooks must reach a payments node, not this one",
    );
  }
  if (config.logLevels !== null) parseLogLevels(config.logLevels);
  if ((config.tlsCertFile === null) !== (config.tlsKeyFile === null)) {
    throw new ConfigError("tlsCertFile and tlsKeyFile must be set together");
  }
  if (config.loginBackoffBaseMs > config.loginBackoffMsMax) {
    throw new ConfigError(`loginBackoffBaseMs (${config.loginBackoffBaseMs}) must not exceed loginBackoffMsMax (${config.loginBackoffMsMax})`);
  }
  if (config.refreshTokenTtlSeconds <= config.accessTokenTtlSeconds) {
    throw new ConfigError("refreshTokenTtlSeconds must exceed accessTokenTtlSeconds");
  }
  for (const key of ["rouletteTables", "blackjackTables", "liveTables", "liveBlackjackTables", "holdemTables"] as const) {
    for (const id of config[key].split(",")) {
      if (!/^[A-Za-z0-9_.-]{1,64}$/.test(id.trim())) throw new ConfigError(`invalid ${key} entry "${id}": expected ids of 1-64 letters, digits, _ . -`);
    }
  }
  liveLatencyOverrides(config);
  if (config.blackjackCutCardFromEnd > config.blackjackDecks * 52) {
    throw new ConfigError(
      `blackjackCutCardFromEnd (${config.blackjackCutCardFromEnd}) must not exceed the shoe: blackjackDecks × 52 = ${config.blackjackDecks * 52}`,
    );
  }
  if (config.deploymentId !== null && !/^[A-Za-z0-9_.-]{1,64}$/.test(config.deploymentId)) {
    throw new ConfigError(`invalid deploymentId "${config.deploymentId}": expected 1-64 letters, digits, _ . -`);
  }
  if (config.edgeBufferEntriesMax > config.roomLogEntriesMax) {
    throw new ConfigError(`edgeBufferEntriesMax (${config.edgeBufferEntriesMax}) must not exceed roomLogEntriesMax (${config.roomLogEntriesMax})`);
  }
  if (config.actionTimeoutMs <= config.leaseTtlMs) {
    throw new ConfigError("actionTimeoutMs must exceed leaseTtlMs, so a request can outlive one owner's failover");
  }
  if (config.ledgerQueueOpsMax < config.ledgerBatchOpsMax) {
    throw new ConfigError(`ledgerQueueOpsMax (${config.ledgerQueueOpsMax}) must be at least ledgerBatchOpsMax (${config.ledgerBatchOpsMax})`);
  }
  if (config.outboxLeaseMs <= config.paymentsProviderTimeoutMs) {
    throw new ConfigError("outboxLeaseMs must exceed paymentsProviderTimeoutMs, so a node still waiting for the provider keeps its outbox entry");
  }
  if (config.paymentsSandboxWebhookSecret !== null && config.paymentsSandboxWebhookSecret.length < 16) {
    throw new ConfigError("paymentsSandboxWebhookSecret must have at least 16 characters");
  }
  if (config.metricsToken !== null && config.metricsToken.length < 16) {
    throw new ConfigError("metricsToken must have at least 16 characters");
  }
  if (config.metricsPort !== null && config.metricsPort !== 0 && config.metricsPort === config.port) {
    throw new ConfigError("metricsPort must differ from port: it is a listener of its own");
  }
  if (!/^[A-Z]{3}$/.test(config.bonusWelcomeCurrency)) {
    throw new ConfigError(`bonusWelcomeCurrency must be an ISO 4217 code such as EUR; got "${config.bonusWelcomeCurrency}"`);
  }
  if (
    !/^\s*([a-z][a-z0-9_-]{0,31}=\d{1,3}\s*)(,\s*[a-z][a-z0-9_-]{0,31}=\d{1,3}\s*)*$/.test(config.bonusGameWeights) ||
    config.bonusGameWeights.split(",").some((p) => Number(p.split("=")[1]) > 100)
  ) {
    throw new ConfigError(`bonusGameWeights must be game=percent pairs (0-100), comma-separated, e.g. slots=100,roulette=10; got "${config.bonusGameWeights}"`);
  }
  if (config.bonusWelcomeAmountMinor > config.bonusAmountMinorMax) {
    throw new ConfigError(`bonusWelcomeAmountMinor (${config.bonusWelcomeAmountMinor}) must not exceed bonusAmountMinorMax (${config.bonusAmountMinorMax})`);
  }
  if (config.databaseUrl !== null && !/^postgres(ql)?:$/.test(new URL(config.databaseUrl).protocol)) {
    throw new ConfigError(
      `databaseUrl (DATABASE_URL) must be a PostgreSQL URL (postgres://user:password@host:5432/database); got a ${new URL(config.databaseUrl).protocol}// URL. Croupier speaks only PostgreSQL; leave it unset for the embedded database`,
    );
  }
  if (config.redisUrl !== null && !/^rediss?:$/.test(new URL(config.redisUrl).protocol)) {
    throw new ConfigError(`redisUrl (REDIS_URL) must be a redis:// or rediss:// URL; got a ${new URL(config.redisUrl).protocol}// URL`);
  }
  if (config.redisUrl !== null && config.databaseUrl === null) {
    throw new ConfigError("redisUrl needs databaseUrl: several nodes must share one PostgreSQL, not each their own embedded database");
  }
  if (config.eventExportUrl !== null && !/^(nats|kafka):$/.test(new URL(config.eventExportUrl).protocol)) {
    throw new ConfigError(
      `eventExportUrl must be a nats://host:4222 (JetStream) or kafka://host:9092 URL; got a ${new URL(config.eventExportUrl).protocol}// URL`,
    );
  }
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(config.eventExportTopic)) {
    throw new ConfigError(`eventExportTopic must be a Kafka topic name (1-249 letters, digits, . _ -); got "${config.eventExportTopic}"`);
  }
}

/**
 * Whether the sandbox payment provider serves. It mints play money from any valid test card, so a
 * production deployment (DATABASE_URL) must say so explicitly either way; embedded mode (a laptop, a
 * demo) has it on unless told otherwise. Asked by `serve`, not at load: admin commands need no answer.
 */
export function sandboxPaymentsEnabled(config: Pick<Config, "paymentsSandboxEnabled" | "databaseUrl">): boolean {
  if (config.paymentsSandboxEnabled !== null) return config.paymentsSandboxEnabled;
  if (config.databaseUrl === null) return true;
  throw new ConfigError(
    "production mode (DATABASE_URL set) needs paymentsSandboxEnabled set explicitly: false for real money, true only for a staging deployment where test cards may mint money",
  );
}

/** The effective configuration with secrets masked, for --print-config. */
export function printableConfig(config: Config): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    const spec: OptionSpec | undefined = isOptionKey(key) ? optionSpecs[key] : undefined;
    out[key] = spec?.secret === true && value !== null ? maskSecret(String(value)) : value;
  }
  return out;
}

function maskSecret(value: string): string {
  if (!URL.canParse(value)) return "****";
  const url = new URL(value);
  if (url.password !== "") url.password = "****";
  return url.toString();
}

export function optionsHelp(): string {
  const lines = Object.entries(optionSpecs).map(([key, spec]: [string, OptionSpec]) => {
    const envs = envNames(key as OptionKey).join(", ");
    const def = spec.default === null ? "unset" : String(spec.default);
    return `  --${flagName(key)} <${spec.type}>\n      ${spec.description} (default ${def}; env ${envs})`;
  });
  return ["  --config <path>\n      JSON config file with any of the keys below (env CROUPIER_CONFIG)", ...lines].join("\n");
}

/**
 * Command lines, read by `node:util`'s `parseArgs` in strict mode for every command (`serve`,
 * `migrate`, `keys`, `user`, `certify`, `verify`, `loadtest`): an unknown flag, a flag without its
 * value and a stray argument are errors, each reported as a ConfigError (exit code 2) in our words.
 */
export type ArgOptions = NonNullable<ParseArgsConfig["options"]>;
export type ArgValues = Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;

export interface ArgsMessages {
  /** Appended to every error after a blank line: the command's usage. */
  readonly usage?: string;
  /** What an unknown flag is called; default `unknown option --x`. */
  readonly unknown?: (flag: string) => string;
  readonly allowPositionals?: boolean;
}

const parseArgsCodes = new Set(["ERR_PARSE_ARGS_UNKNOWN_OPTION", "ERR_PARSE_ARGS_INVALID_OPTION_VALUE", "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL"]);

/** Parses `argv` against `options` (strict); `--flag value` and `--flag=value` both work, as before. */
export function parseCommandArgs(
  argv: readonly string[],
  options: ArgOptions,
  messages: ArgsMessages = {},
): { readonly values: ArgValues; readonly positionals: readonly string[] } {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: messages.allowPositionals ?? false });
    return { values, positionals };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== "string" || !parseArgsCodes.has(code)) throw error;
    throw new ConfigError(describe(code, (error as Error).message, messages) + (messages.usage === undefined ? "" : `\n\n${messages.usage}`));
  }
}

/** Our words for parseArgs's error, naming the flag or argument it quotes (`'-h, --help'` names --help). */
function describe(code: string, message: string, messages: ArgsMessages): string {
  const quoted = /'(?:-[^-'], )?([^'\s]+)/.exec(message)?.[1] ?? "";
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") return `unexpected argument "${quoted}"`;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return (messages.unknown ?? ((flag) => `unknown option ${flag}`))(quoted);
  if (message.includes("does not take an argument")) return `${quoted} takes no value`;
  return `${quoted} needs a value (write --flag=value for a value that starts with -)`;
}

function isArgv(value: readonly string[] | ConfigFlags): value is readonly string[] {
  return Array.isArray(value);
}
