// `croupier loadtest` as an operator runs it: the real command in a child process against real servers,
// embedded and production mode, with its report files and its reconciliation verdict; plus the option
// checks and a proof that the reconciliation catches money the players did not see move.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebSocket } from "ws";
import type { RunningServer } from "../../src/main.js";
import { CroupierClient } from "../../src/client/index.js";
import { findCurrency, type Currency } from "../../src/engine/money/index.js";
import { parseDurationMs, parseLoadtestOptions } from "../../src/cli/loadtest/options.js";
import { isAbuser } from "../../src/cli/loadtest/abuse.scenario.js";
import { WalletApi } from "../../src/cli/loadtest/wallet-api.js";
import { ConfigError } from "../../src/config/config.js";
import { redisUrl, serviceAvailable } from "../support/services.js";
import { createShared, startTestServer, type Shared } from "../support/server.js";
import { runCroupier, serveCroupier, type ServingProcess } from "../support/process.js";
import { loadtest, readReport } from "../support/loadtest.js";
import { ifAssigned } from "../support/fixtures.js";

const roundFlags = ["--roulette-betting-ms", "1500", "--roulette-results-ms", "500", "--payments-sandbox-webhook-delay-ms", "100"];
const eur = findCurrency("EUR") as Currency;

describe("croupier loadtest options", () => {
  it.each([
    ["500ms", 500],
    ["10s", 10_000],
    ["2m", 120_000],
    ["1.5s", 1_500],
    ["7", 7_000],
  ])("reads the duration %s", (text, ms) => {
    expect(parseDurationMs("duration", text)).toBe(ms);
  });

  it.each([
    [["--scenario", "poker"], "--scenario must be one of roulette, slots, blackjack, holdem, chat, reconnect, mix, abuse"],
    [["--scenario", "abuse", "--players", "10"], "--scenario abuse needs --operator LOGIN"],
    [["--scenario", "abuse", "--players", "10", "--operator", "op"], "pass --operator-password-stdin"],
    [
      ["--scenario", "abuse", "--players", "10", "--abusers", "10", "--operator", "op", "--operator-password-stdin"],
      "--abusers must be an integer from 1 to 9",
    ],
    [["--scenario", "abuse", "--players", "1", "--operator", "op", "--operator-password-stdin"], "needs at least 2 players"],
    [["--scenario", "abuse", "--operator", "op", "--operator-password-stdin=secret"], "--operator-password-stdin takes no value"],
    [["--operator-password", "secret"], "unknown option --operator-password"],
    [["--abusers", "2"], "--abusers is an option of --scenario abuse"],
    [["--blackjack-tables", " , "], "--blackjack-tables must be a comma-separated list"],
    [["--holdem-tables", "a b"], "--holdem-tables must be a comma-separated list"],
    [["--players", "20000", "--processes", "1"], "at most 15000 fit under the open-file limit"],
    [["--deposit", "1.005"], "is not a positive amount of EUR"],
    [["--url", "ftp://x"], "--url must be http:// or https://"],
    [["--duration", "soon"], "must be a duration"],
    [["--bogus", "1"], "unknown option --bogus"],
    [["--tables", ","], "--tables must be a comma-separated list"],
  ])("refuses %j", (argv, message) => {
    expect(() => parseLoadtestOptions(argv, "x")).toThrow(ConfigError);
    expect(() => parseLoadtestOptions(argv, "x")).toThrow(message);
  });

  it("spreads players over enough processes and keeps repeated --url flags", () => {
    const options = parseLoadtestOptions(
      ["--players", "40000", "--url", "http://127.0.0.1:1", "--url", "http://127.0.0.1:2/", "--source-addresses", "127.0.0.1,127.0.0.2"],
      "x",
    );
    expect(options.processes).toBe(3);
    expect(options.urls).toEqual(["http://127.0.0.1:1", "http://127.0.0.1:2"]);
    expect(options.depositMinor).toBe(10_000n);
    expect(options.tables).toEqual(["1", "2", "3"]);
    expect(options.blackjackTables).toEqual(["1", "2"]);
    expect(options.holdemTables).toEqual(["1", "2"]);
    expect(Object.isFrozen(options)).toBe(true);
  });

  it("takes the abuse scenario's bots (10% of the players by default, at least 1) and operator, spread over the players", () => {
    const abuse = (argv: string[]) => parseLoadtestOptions(["--scenario", "abuse", "--operator", "ops", "--operator-password-stdin", ...argv], "x");
    expect([abuse(["--players", "60"]).abusers, abuse(["--players", "5"]).abusers, abuse(["--players", "10", "--abusers", "3"]).abusers]).toEqual([6, 1, 3]);
    expect(abuse([]).operator).toBe("ops");
    expect(parseLoadtestOptions([], "x")).toMatchObject({ abusers: 0, operator: null });
    const bots = (players: number, abusers: number) => Array.from({ length: players }, (_, i) => i).filter((i) => isAbuser(players, abusers, i));
    expect(bots(10, 2)).toEqual([4, 9]);
    expect(bots(60, 6)).toEqual([9, 19, 29, 39, 49, 59]);
    for (const [players, abusers] of [
      [7, 3],
      [100, 10],
      [3, 2],
      [1_000, 1],
    ] as const)
      expect(bots(players, abusers)).toHaveLength(abusers);
  });

  it("lists every scenario in --help, and exits 2 on an unknown one", async () => {
    const help = await runCroupier(["loadtest", "--help"]);
    expect(help.code).toBe(0);
    for (const scenario of ["roulette", "slots", "blackjack", "holdem", "chat", "reconnect", "mix", "abuse"])
      expect(help.stdout).toMatch(new RegExp(`^ {27}${scenario} `, "m"));
    const refused = await runCroupier(["loadtest", "--scenario", "baccarat"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--scenario must be one of");
  });
});

describe("croupier loadtest against an embedded server", () => {
  let shared: Shared;
  let server: RunningServer;

  beforeAll(async () => {
    shared = await createShared("embedded");
    server = await startTestServer(shared, roundFlags);
  });
  afterAll(async () => {
    await ifAssigned(server)?.close();
    await ifAssigned(shared)?.dispose();
  });

  it("plays roulette with 20 players from 2 processes and 2 source addresses, reports, and reconciles", async () => {
    const out = mkdtempSync(join(tmpdir(), "croupier-loadtest-"));
    const result = await loadtest([
      "--url",
      server.url,
      "--players",
      "20",
      "--duration",
      "8s",
      "--ramp-up",
      "2s",
      "--think-time",
      "400ms",
      "--processes",
      "2",
      "--source-addresses",
      "127.0.0.1,127.0.0.2",
      "--deposit",
      "50.00",
      "--out",
      out,
      "--settle-wait",
      "20s",
      "--max-error-rate",
      "0.05",
    ]);
    if (result.code !== 0) console.log(result.stdout, result.stderr);
    expect(result.stderr).toContain("actions/s");
    expect(result.stdout.split("\n").filter((l) => l.startsWith("reconciliation:"))).toEqual(["reconciliation: ok"]);
    expect(result.code).toBe(0);
    const { json, markdown } = readReport(out);
    expect(json.ok).toBe(true);
    expect(json.reconciliation.players).toBe(20);
    expect(json.reconciliation.deposits).toBe("1000.00");
    expect(json.players.failed).toBe(0);
    expect(json.throughput.bets).toBeGreaterThan(20);
    for (const action of ["register", "login", "deposit", "connect", "join", "bet"] as const) {
      expect(json.latency[action]?.count).toBeGreaterThan(0);
      expect(json.latency[action]!.p99Ms).toBeGreaterThanOrEqual(json.latency[action]!.p50Ms);
    }
    expect(json.latency.bet!.count).toBe(json.throughput.bets);
    expect(markdown).toContain("## Latency (HDR histograms)");
    expect(markdown).toContain("reconciliation: ok");
    // The server's own view of each bet's path, read from its /metrics before and after the run.
    expect(json.stages.nodes).toBe(1);
    const stage = (name: string) => json.stages.stages.find((s) => s.stage === name);
    for (const name of ["parse", "route", "prepare", "queue", "batch", "append", "ledger_queue", "ledger_commit", "ack", "total"])
      expect(stage(name)?.count, name).toBeGreaterThan(0);
    // Every acknowledged or refused bet went through the gateway once.
    expect(stage("total")?.count).toBeGreaterThanOrEqual(json.throughput.bets);
    expect(stage("total")!.p99Ms).toBeGreaterThanOrEqual(stage("append")!.p50Ms);
    expect(result.stdout).toContain("where the time went");
    // What an action cost over the steady phase: the server's CPU (read from its /metrics) and the drivers'.
    expect(json.stages.cpu?.nodes).toBe(1);
    expect(json.stages.cpu?.serverMsPerAction).toBeGreaterThan(0);
    expect(json.stages.cpu?.driverMsPerAction).toBeGreaterThan(0);
    expect(result.stdout).toContain("CPU per action in the steady phase: servers");
    expect(markdown).toContain("## Where an action's time went");
  }, 90_000);

  it("fails the reconciliation, with the difference, when money moves that the players did not see", async () => {
    const prefix = `lttamper${Date.now().toString(36)}`;
    const out = mkdtempSync(join(tmpdir(), "croupier-loadtest-"));
    // Once player 0's own deposit shows (so its starting balance is taken), someone else deposits 7.00
    // into its account behind its back.
    const client = new CroupierClient({ url: server.url, WebSocket });
    await client.register(`${prefix}-0`, "loadtest-Password-1"); // the load test reuses it
    const sideDeposit = async (): Promise<void> => {
      const { accessToken } = await client.login(`${prefix}-0`, "loadtest-Password-1");
      const wallet = new WalletApi(
        server.url,
        (url, init) => fetch(url, init),
        () => accessToken,
      );
      while ((await wallet.ledgerView(eur)).totalMinor < 10_000n) await new Promise((r) => setTimeout(r, 100));
      const deposit = await wallet.startDeposit("7.00", "EUR", await wallet.tokenizeTestCard(), `side-${prefix}`);
      for (let i = 0; i < 100 && (await wallet.deposit(deposit.id)).status === "pending"; i++) await new Promise((r) => setTimeout(r, 100));
      expect((await wallet.deposit(deposit.id)).status).toBe("credited");
    };
    const result = await loadtest(
      ["--url", server.url, "--players", "3", "--duration", "8s", "--ramp-up", "0s", "--reuse-accounts", prefix, "--out", out, "--settle-wait", "20s"],
      sideDeposit,
    );
    expect(result.code).toBe(1);
    const lines = result.stdout.split("\n");
    expect(lines.filter((l) => l.startsWith("reconciliation:"))).toEqual(["reconciliation: FAILED"]);
    expect(lines[lines.indexOf("reconciliation: FAILED") + 1]).toMatch(
      new RegExp(`^  ${prefix}-0: observed \\d+\\.\\d\\d, ledger \\d+\\.\\d\\d, difference 7\\.00`),
    );
    const { json } = readReport(out);
    expect(json.reconciliation.differences).toHaveLength(1);
    expect(json.reconciliation.differences[0]?.difference).toBe("7.00");
  }, 90_000);
});

const production = serviceAvailable("postgres") && serviceAvailable("redis");

describe.skipIf(!production)("croupier loadtest against two production-mode nodes (PostgreSQL, Redis)", () => {
  let shared: Shared;
  const nodes: ServingProcess[] = [];

  beforeAll(async () => {
    shared = await createShared("production");
    const env = {
      DATABASE_URL: shared.databaseUrl as string,
      REDIS_URL: redisUrl,
      CROUPIER_REDIS_KEY_PREFIX: shared.redisKeyPrefix,
      CROUPIER_DATA_DIR: shared.dataDir,
      LOG_LEVEL: "warn",
    };
    // One after the other: the first creates the shared keys and the sandbox secret in the data folder.
    nodes.push(await serveCroupier(roundFlags, env));
    nodes.push(await serveCroupier(roundFlags, env));
  }, 90_000);
  afterAll(async () => {
    for (const node of nodes) await node.stop("SIGTERM");
    await ifAssigned(shared)?.dispose();
  });

  it("spreads a mix of 20 players over both nodes: bets reconcile, reconnect storms lose and duplicate nothing", async () => {
    const out = mkdtempSync(join(tmpdir(), "croupier-loadtest-"));
    const result = await loadtest([
      "--url",
      nodes[0]!.url,
      "--url",
      nodes[1]!.url,
      "--players",
      "20",
      "--scenario",
      "mix",
      "--duration",
      "10s",
      "--ramp-up",
      "2s",
      "--think-time",
      "400ms",
      "--out",
      out,
      "--settle-wait",
      "20s",
      "--max-error-rate",
      "0.05",
    ]);
    if (result.code !== 0) console.log(result.stdout, result.stderr);
    expect(result.stdout.split("\n").filter((l) => l.startsWith("reconciliation:"))).toEqual(["reconciliation: ok"]);
    expect(result.code).toBe(0);
    const { json } = readReport(out);
    expect(new Set(Object.values(json.run.urls))).toEqual(new Set([nodes[0]!.url, nodes[1]!.url]));
    expect(json.reconciliation.players).toBe(20);
    expect(json.throughput.bets).toBeGreaterThan(10);
    expect(json.delivery.players).toBeGreaterThanOrEqual(6);
    expect(json.delivery.drops).toBeGreaterThan(0);
    expect(json.delivery.resumes).toBeGreaterThanOrEqual(json.delivery.drops);
    expect(json.delivery.lost + json.delivery.duplicated + json.delivery.behindAtEnd).toBe(0);
    expect(json.latency.resume?.count).toBeGreaterThan(0);
  }, 120_000);
});
