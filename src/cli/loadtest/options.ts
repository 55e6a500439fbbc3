/**
 * The options of `croupier loadtest`, parsed once from argv, checked, and frozen. Durations take a
 * unit (`60s`, `500ms`, `2m`); money is a decimal string in the currency's major unit, as on the wire.
 */
import { ConfigError, parseCommandArgs, type ArgOptions } from "../../config/config.js";
import { findCurrency, parseAmount } from "../../engine/money/index.js";

export const scenarios = ["roulette", "slots", "blackjack", "holdem", "chat", "reconnect", "mix", "abuse"] as const;
export type Scenario = (typeof scenarios)[number];

/** One process of this machine holds at most ~20,000 open files; keep each driver well under it. */
export const socketsPerProcessMax = 15_000;
/** Above this many players per source address, the ephemeral port range (~28,000) gets tight. */
export const playersPerSourceAddressMax = 25_000;

export interface LoadtestOptions {
  readonly urls: readonly string[];
  readonly players: number;
  readonly scenario: Scenario;
  readonly durationMs: number;
  readonly rampUpMs: number;
  readonly thinkTimeMs: number;
  readonly processes: number;
  readonly sourceAddresses: readonly string[];
  readonly depositMinor: bigint;
  readonly deposit: string;
  readonly currency: string;
  readonly outDir: string | null;
  /** Bearer token for the nodes' /metrics, when they require one (for the stage breakdown). */
  readonly metricsToken: string | null;
  readonly password: string;
  readonly accountPrefix: string;
  readonly reuseAccounts: boolean;
  readonly errorRateMax: number;
  /** How long, after the duration, players wait for the rounds they bet in to settle before the audit. */
  readonly settleWaitMs: number;
  /** Longest the setup (accounts, deposits, connections) may run past the ramp-up before play starts anyway. */
  readonly setupWaitMs: number;
  readonly progress: "auto" | "bar" | "lines" | "off";
  /** Roulette table ids (the server's rouletteTables); player i sits at table i mod n. */
  readonly tables: readonly string[];
  /** Blackjack table ids (the server's blackjackTables), filled seat by seat, 7 a table. */
  readonly blackjackTables: readonly string[];
  /** Hold'em table ids (the server's holdemTables), filled seat by seat, 6 a table. */
  readonly holdemTables: readonly string[];
  /** The abuse scenario: how many of the players are micro-betting bots (0 in other scenarios). */
  readonly abusers: number;
  /**
   * The abuse scenario: the operator account that reads the risk engine's actions and scores after the
   * run. Its password is read from standard input (`--operator-password-stdin`, as `croupier user
   * create --password-stdin`), never from argv, where `ps` and the shell's history would show it.
   */
  readonly operator: string | null;
}

export const loadtestUsage = `croupier loadtest [options]   drive simulated players over real WebSockets and reconcile their money

  --url URL              server base URL (http://host:port); repeat to spread players across nodes
                         (default http://127.0.0.1:8080)
  --players N            simulated players (default 100)
  --scenario S           roulette | slots | blackjack | holdem | chat | reconnect | mix | abuse
                         (default roulette)
                           roulette   join a table, bet on every open round, track stakes, payouts, refunds
                           slots      spin the player's own machine; track each spin's stake and win
                           blackjack  sit, bet each round, hit below 17 and stand, decline insurance,
                                      track stakes and the round's returns; leave the seat at the end
                           holdem     sit with the minimum buy-in, check or call (sometimes fold),
                                      cash out between hands at the end; track buy-in and cash-out
                           chat       join a sandbox room and chat within the chat rate limit
                           reconnect  drop the socket again and again; events lost or duplicated must be 0
                           mix        35% roulette, 15% slots, 10% blackjack, 10% holdem, 15% chat,
                                      15% reconnect
                           abuse      normal slot players (a spin every 2-6 s, 0.10-2.00) and micro-betting
                                      bots (two devices, 0.10 at 214 spins a minute); after the run an
                                      operator reads the risk engine's actions and scores: the bots must
                                      be limited within 60 s and locked within 120 s, no normal player
                                      locked; prints the rules' and the score's precision and recall
  --duration T           how long players play once every player is ready (default 60s)
  --ramp-up T            players start getting ready (register, log in, deposit, connect) evenly over
                         this time (default 10s); play is timed from when all are ready
  --setup-wait T         longest the setup may run past the ramp-up before the duration starts anyway
                         (default 5m)
  --think-time T         mean pause between a player's actions, with ±50% jitter (default 500ms)
  --processes K          driver child processes (default: enough for at most ${socketsPerProcessMax.toLocaleString("en-US")} sockets each)
  --source-addresses A,B bind outgoing sockets to these local addresses, round-robin (on Linux all of
                         127.0.0.0/8 is loopback: 127.0.0.1,127.0.0.2,... gives more ephemeral ports)
  --deposit AMOUNT       deposited by each player through the sandbox provider (default 100.00)
  --currency C           currency of the deposit and the bets (default EUR)
  --out DIR              write loadtest-report.json and loadtest-report.md into DIR
  --metrics-token T      bearer token for the nodes' /metrics, if they require one (the report's
                         stage breakdown reads croupier_action_stage_seconds there)
  --password P           password of the generated accounts (default loadtest-Password-1)
  --reuse-accounts PFX   account name prefix; runs with the same prefix reuse the accounts (default: a new
                         random prefix each run)
  --max-error-rate R     exit non-zero when errors / operations exceeds R (default 0.01)
  --settle-wait T        after the duration, how long to wait for open rounds to settle (default 60s)
  --progress MODE        auto | bar | lines | off (default auto: a bar on a terminal, lines otherwise)
  --tables 1,2,3         roulette table ids, as the server's --roulette-tables (default 1,2,3)
  --blackjack-tables 1,2 blackjack table ids, as the server's --blackjack-tables (default 1,2); 7 seats
                         each: players beyond the seats watch without playing (counted, not failed)
  --holdem-tables 1,2    hold'em table ids, as the server's --holdem-tables (default 1,2); 6 seats each,
                         filled table by table so that hands start
  --abusers N            abuse: how many players are bots (default 10% of --players, at least 1)
  --operator LOGIN       abuse (required): an operator account (croupier user create --role operator)
                         that reads the risk actions, scores and locked players' balances
  --operator-password-stdin
                         abuse (required): read that operator's password from standard input

Exit code: 0 when the reconciliation is ok and the error rate is within --max-error-rate (abuse: and
the verdict holds), 1 otherwise, 2 for bad options.`;

/** Parses `500ms`, `10s`, `2m`, `1h` (a bare number is seconds). */
export function parseDurationMs(name: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (match === null) throw new ConfigError(`--${name} must be a duration such as 500ms, 10s or 2m, not "${text}"`);
  const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[(match[2] ?? "s") as "ms" | "s" | "m" | "h"];
  return Math.round(Number(match[1]) * unitMs);
}

const loadtestArgOptions: ArgOptions = {
  ...Object.fromEntries(
    [
      "abusers",
      "operator",
      "players",
      "scenario",
      "duration",
      "ramp-up",
      "think-time",
      "processes",
      "source-addresses",
      "deposit",
      "currency",
      "out",
      "metrics-token",
      "password",
      "reuse-accounts",
      "max-error-rate",
      "settle-wait",
      "setup-wait",
      "progress",
      "tables",
      "blackjack-tables",
      "holdem-tables",
    ].map((name) => [name, { type: "string" }] as const),
  ),
  url: { type: "string", multiple: true },
  "operator-password-stdin": { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

/** Every flag's values, in order (booleans as "true"). */
function collect(argv: readonly string[]): Map<string, string[]> {
  const { values } = parseCommandArgs(argv, loadtestArgOptions, { usage: loadtestUsage });
  return new Map(
    Object.entries(values)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => [name, [value ?? []].flat().map(String)]),
  );
}

function integer(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`--${name} must be an integer from ${min} to ${max}, not "${text}"`);
  return n;
}

function tableIds(name: string, text: string): readonly string[] {
  const ids = text
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t !== "");
  if (ids.length === 0 || !ids.every((t) => /^[A-Za-z0-9_.-]{1,64}$/.test(t))) throw new ConfigError(`--${name} must be a comma-separated list of table ids`);
  return Object.freeze(ids);
}

function scenarioOf(text: string): Scenario {
  if (!(scenarios as readonly string[]).includes(text)) throw new ConfigError(`--scenario must be one of ${scenarios.join(", ")}, not "${text}"`);
  return text as Scenario;
}

function urlOf(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`--url "${text}" is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new ConfigError(`--url must be http:// or https://, not "${text}"`);
  return url.origin;
}

export function parseLoadtestOptions(argv: readonly string[], randomPrefix: string): LoadtestOptions {
  const values = collect(argv);
  const one = (name: string): string | undefined => values.get(name)?.at(-1);
  const players = integer("players", one("players"), 100, 1, 1_000_000);
  const currency = (one("currency") ?? "EUR").toUpperCase();
  const unit = findCurrency(currency);
  if (unit === null) throw new ConfigError(`--currency ${currency} is not a known currency`);
  const deposit = one("deposit") ?? "100.00";
  const depositMinor = parseAmount(deposit, unit);
  if (typeof depositMinor !== "bigint" || depositMinor <= 0n) throw new ConfigError(`--deposit "${deposit}" is not a positive amount of ${currency}`);
  const sourceAddresses = (one("source-addresses") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const processes = integer("processes", one("processes"), Math.max(1, Math.ceil(players / socketsPerProcessMax)), 1, 256);
  if (players / processes > socketsPerProcessMax)
    throw new ConfigError(
      `--processes ${processes} would put ${Math.ceil(players / processes)} sockets in one process; at most ${socketsPerProcessMax} fit under the open-file limit`,
    );
  const addresses = Math.max(1, sourceAddresses.length) * Math.max(1, values.get("url")?.length ?? 1);
  if (players / addresses > playersPerSourceAddressMax)
    throw new ConfigError(`${players} players over ${addresses} source/destination pairs exceeds the ephemeral port range; add --source-addresses`);
  const errorRateMax = Number(one("max-error-rate") ?? "0.01");
  if (!(errorRateMax >= 0 && errorRateMax <= 1)) throw new ConfigError("--max-error-rate must be a number from 0 to 1");
  const progress = one("progress") ?? "auto";
  if (!["auto", "bar", "lines", "off"].includes(progress)) throw new ConfigError("--progress must be auto, bar, lines or off");
  const tables = tableIds("tables", one("tables") ?? "1,2,3");
  const reuse = one("reuse-accounts");
  const accountPrefix = reuse ?? `lt${randomPrefix}`;
  if (!/^[A-Za-z0-9_.-]{1,20}$/.test(accountPrefix)) throw new ConfigError("--reuse-accounts must be 1-20 of A-Z a-z 0-9 _ . -");
  const scenario = scenarioOf(one("scenario") ?? "roulette");
  const abuse = abuseOptions(scenario, players, one);
  return Object.freeze({
    urls: Object.freeze((values.get("url") ?? ["http://127.0.0.1:8080"]).map(urlOf)),
    players,
    scenario,
    durationMs: parseDurationMs("duration", one("duration") ?? "60s"),
    rampUpMs: parseDurationMs("ramp-up", one("ramp-up") ?? "10s"),
    thinkTimeMs: parseDurationMs("think-time", one("think-time") ?? "500ms"),
    processes,
    sourceAddresses: Object.freeze(sourceAddresses),
    depositMinor,
    deposit,
    currency,
    outDir: one("out") ?? null,
    metricsToken: one("metrics-token") ?? null,
    password: one("password") ?? "loadtest-Password-1",
    accountPrefix,
    reuseAccounts: reuse !== undefined,
    errorRateMax,
    settleWaitMs: parseDurationMs("settle-wait", one("settle-wait") ?? "60s"),
    setupWaitMs: parseDurationMs("setup-wait", one("setup-wait") ?? "5m"),
    progress: progress as LoadtestOptions["progress"],
    tables,
    blackjackTables: tableIds("blackjack-tables", one("blackjack-tables") ?? "1,2"),
    holdemTables: tableIds("holdem-tables", one("holdem-tables") ?? "1,2"),
    ...abuse,
  });
}

/** The abuse scenario's own options, refused with any other scenario. */
function abuseOptions(scenario: Scenario, players: number, one: (name: string) => string | undefined): Pick<LoadtestOptions, "abusers" | "operator"> {
  if (scenario !== "abuse") {
    for (const name of ["abusers", "operator", "operator-password-stdin"])
      if (one(name) !== undefined) throw new ConfigError(`--${name} is an option of --scenario abuse`);
    return { abusers: 0, operator: null };
  }
  if (players < 2) throw new ConfigError("--scenario abuse needs at least 2 players: abusers and normal players");
  const abusers = integer("abusers", one("abusers"), Math.max(1, Math.floor(players / 10)), 1, players - 1);
  const operator = one("operator");
  if (operator === undefined || operator === "")
    throw new ConfigError("--scenario abuse needs --operator LOGIN: an operator account reads the risk actions after the run");
  if (one("operator-password-stdin") === undefined)
    throw new ConfigError("--operator reads the operator's password from standard input: pass --operator-password-stdin");
  return { abusers, operator };
}
