// `croupier loadtest --scenario abuse` as an operator runs it: the real command in a child process
// against a real embedded server with the default risk rules, but 18 s between a rule's steps (30 s by
// default) so that the run is short: a bot at 214 spins a minute is alerted about 11 s in, limited at
// about 29 s (then refused beyond 30 bets a minute), locked at about 47 s, when its last minute holds
// enough bets for the score to see it too. Bots must be limited and locked, no normal player locked,
// and every player's money must reconcile, the locked ones' read by the operator. First, the audit on
// its own: a locked bot's balance and its cut-off spins settled from the operator's history.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningServer } from "../../src/main.js";
import { createShared, startTestServer, type Shared } from "../support/server.js";
import { loadtest, readReport } from "../support/loadtest.js";
import { call } from "../support/http.js";
import { newPlayer, newStaff } from "../support/ws-client.js";
import { auditAbuse, type OperatorApi } from "../../src/cli/loadtest/abuse-audit.js";
import { normalObserved } from "../../src/cli/loadtest/abuse.scenario.js";
import type { PlayerResult } from "../../src/cli/loadtest/worker.js";
import { findCurrency, type Currency } from "../../src/engine/money/index.js";
import { ifAssigned } from "../support/fixtures.js";

const flags = ["--risk-step-after-ms", "18000", "--payments-sandbox-webhook-delay-ms", "100"];
const staffPassword = "correct horse battery";

describe("the abuse audit", () => {
  it("reads a locked bot's balance from its history and counts exactly the cut-off spins the ledger holds", async () => {
    const money = {
      baselineMinor: "0",
      depositedMinor: "10000",
      stakesMinor: "100",
      payoutsMinor: "50",
      refundsMinor: "0",
      stakesFromPayoutsMinor: "0",
      bets: "10",
      betsUncertain: "2",
      roundsUnresolved: "0",
      resets: "0",
    };
    const bot: PlayerResult = {
      index: 1,
      username: "bot-1",
      userId: "u1",
      url: "http://x",
      scenario: "abuse",
      stage: "connected",
      started: true,
      failure: null,
      money,
      ledger: null,
      delivery: null,
      ledgerSource: null,
      abuse: {
        ...normalObserved(),
        abuser: true,
        firstSpinAtMs: Date.parse("2026-12-03T08:00:00.000Z"),
        lockSeenAtMs: Date.parse("2026-12-03T08:01:12.000Z"),
        uncertainSpinIds: ["slots:u1:a-11", "slots:u1:a-12"],
      },
    };
    const human: PlayerResult = {
      ...bot,
      index: 0,
      username: "human-0",
      userId: "u0",
      money: { ...money, betsUncertain: "0" },
      ledger: { totalMinor: "9950", availableMinor: "9950", heldMinor: "0", balanceMinor: "9950" },
      ledgerSource: "player",
      abuse: normalObserved(),
    };
    const at = (s: number) => new Date(Date.parse("2026-12-03T08:00:00.000Z") + s * 1_000).toISOString();
    const responses: Record<string, unknown> = {
      // Newest first; a-11 was paid (its stake and its win), a-12 never reached the ledger.
      "/v1/operator/players/u1/history?currency=EUR&purse=cash&limit=200": {
        entries: [
          { kind: "bet_win", amount: "0.30", reference: "slots:u1:a-11" },
          { kind: "bet_stake", amount: "-0.10", reference: "slots:u1:a-11" },
          { kind: "bet_stake", amount: "-1.00", reference: "earlier" },
          { kind: "bet_win", amount: "0.50", reference: "earlier" },
          { kind: "deposit", amount: "100.00", reference: "deposit:1" },
        ],
        nextCursor: null,
      },
      "/v1/operator/risk/actions?userId=u1": {
        actions: [
          { id: "3", rule: "betRate", action: "lock", score: 0.97, at: at(71.6), reversed: null },
          { id: "2", rule: "betRate", action: "limit", score: 0.45, at: at(41.3), reversed: null },
          { id: "1", rule: "betRate", action: "alert", score: 0.002, at: at(11.2), reversed: null },
        ],
        next: null,
      },
      "/v1/operator/players/u1/risk": { score: 0.01 },
      "/v1/operator/risk/actions?userId=u0": { actions: [], next: null },
      "/v1/operator/players/u0/risk": { score: 0.0001 },
    };
    const api = {
      get: async (path: string) => {
        if (!(path in responses)) throw new Error(`unexpected ${path}`);
        return responses[path];
      },
    } as unknown as OperatorApi;
    const { players, report } = await auditAbuse(api, [human, bot], findCurrency("EUR") as Currency);
    const audited = players.find((p) => p.username === "bot-1")!;
    expect(audited.ledgerSource).toBe("operator");
    expect(audited.ledger).toEqual({ totalMinor: "9970", availableMinor: "9970", heldMinor: "0", balanceMinor: "9970" });
    expect(audited.money).toMatchObject({ stakesMinor: "110", payoutsMinor: "80", bets: "11", betsUncertain: "0" });
    expect(players.find((p) => p.username === "human-0")).toEqual(human);
    expect(report.cutSpins).toEqual({ resolvedFromLedger: 1, notPlaced: 1 });
    expect(report.perAbuser[0]).toMatchObject({ limitAfterMs: 41_300, lockAfterMs: 71_600, lockSeenAfterMs: 72_000, score: 0.97 });
    expect(report.verdict).toBe(
      "abuse: 1/1 abusers limited within 60 s, 1/1 locked within 120 s, 0 normal players locked; rules precision 1.00 recall 1.00; score precision 1.00 recall 1.00",
    );
    expect(report.ok).toBe(true);
  });
});

describe("croupier loadtest --scenario abuse against an embedded server", () => {
  let shared: Shared;
  let server: RunningServer;
  let operator: { userId: string; token: string; username: string };

  beforeAll(async () => {
    shared = await createShared("embedded");
    server = await startTestServer(shared, flags);
    operator = await newStaff(server, ["operator", "player"]);
  });
  afterAll(async () => {
    await ifAssigned(server)?.close();
    await ifAssigned(shared)?.dispose();
  });

  it("refuses, before any player starts, an operator whose password is wrong or who is not an operator", async () => {
    const wrong = await loadtest(
      ["--url", server.url, "--scenario", "abuse", "--players", "2", "--operator", operator.username, "--operator-password-stdin"],
      undefined,
      { stdin: "not the password\n" },
    );
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(`--operator ${operator.username} cannot read the risk engine`);
    const player = await newPlayer(server.url, "notop");
    const forbidden = await loadtest(
      ["--url", server.url, "--scenario", "abuse", "--players", "2", "--operator", player.username, "--operator-password-stdin"],
      undefined,
      { stdin: `${staffPassword}\n` },
    );
    expect(forbidden.code).toBe(2);
    expect(forbidden.stderr).toContain("CROUPIER_ERR_AUTH_FORBIDDEN");
  }, 60_000);

  it("limits and locks 2 two-device micro-betting bots among 8 normal players, locks no normal player, and reconciles everyone", async () => {
    const out = mkdtempSync(join(tmpdir(), "croupier-loadtest-abuse-"));
    const result = await loadtest(
      [
        "--url",
        server.url,
        "--scenario",
        "abuse",
        "--players",
        "10",
        "--abusers",
        "2",
        "--duration",
        "55s",
        "--ramp-up",
        "1s",
        "--operator",
        operator.username,
        "--operator-password-stdin",
        "--out",
        out,
        "--settle-wait",
        "5s",
      ],
      undefined,
      { stdin: `${staffPassword}\n` },
    );
    if (result.code !== 0) console.log(result.stdout, result.stderr);
    const lines = result.stdout.split("\n");
    expect(lines.filter((l) => l.startsWith("reconciliation:"))).toEqual(["reconciliation: ok"]);
    const verdict = lines.filter((l) => l.startsWith("abuse:"));
    expect(verdict).toHaveLength(1);
    expect(verdict[0]).toMatch(
      /^abuse: 2\/2 abusers limited within 60 s, 2\/2 locked within 120 s, 0 normal players locked; rules precision 1\.00 recall 1\.00; score precision \d\.\d\d recall \d\.\d\d$/,
    );
    expect(result.code).toBe(0);

    const { json, markdown } = readReport(out);
    const abuse = json.abuse!;
    expect(json.ok).toBe(true);
    expect([abuse.abusers, abuse.normal, abuse.normalLocked, abuse.normalLimited]).toEqual([2, 8, 0, 0]);
    expect(abuse.unjudged).toEqual([]);
    expect(abuse.rules).toMatchObject({ truePositives: 2, falsePositives: 0, falseNegatives: 0, trueNegatives: 8, precision: 1, recall: 1 });
    // The score informs: the bots' is high when the engine locks them, the normal players' low.
    expect(abuse.score).toMatchObject({ truePositives: 2, falsePositives: 0, precision: 1, recall: 1 });
    for (const a of abuse.perAbuser) {
      expect(a.limitAfterMs).toBeGreaterThan(18_000);
      expect(a.limitAfterMs).toBeLessThanOrEqual(60_000);
      expect(a.lockAfterMs! - a.limitAfterMs!).toBeGreaterThanOrEqual(18_000);
      expect(a.lockAfterMs).toBeLessThanOrEqual(120_000);
      // The lock's time is the server's wall clock, the bot's sighting its own process's clock, measured
      // from the bot's first spin: a loaded machine and clock drift between processes put a few seconds
      // of slack between them, never the lock seen long before it was taken.
      expect(a.lockSeenAfterMs).toBeGreaterThanOrEqual(a.lockAfterMs! - 5_000);
      expect(a.actions).toEqual(expect.arrayContaining(["betRate:alert", "betRate:limit", "betRate:lock"]));
      expect(a.riskLimited).toBeGreaterThan(0);
      expect(a.paid).toBeGreaterThan(60);
      expect(a.score).toBeGreaterThanOrEqual(0.5);
    }
    // Refusals and the lock's cut are expected, counted apart from errors.
    expect(json.errors.total).toBe(0);
    expect(json.counters["abuse.riskLimited"]).toBeGreaterThan(0);
    expect(json.latency.login?.count).toBe(12); // every player once, each bot's second device once more
    // Every player is reconciled; the locked bots' balances come from the operator's history.
    expect(json.reconciliation.players).toBe(10);
    expect(json.reconciliation.betsUncertain).toBe(0);
    expect(abuse.ledgersReadByOperator).toBe(2);
    expect(abuse.scores.normalMax).toBeLessThan(0.5);
    expect(markdown).toContain("## Abuse: the risk engine against bots and normal players");
    expect(markdown).toContain(verdict[0]);

    // The bots stay locked; the ledger proves its balances from their transfers.
    const check = await call<{ ok: boolean }>(server.url, "GET", "/v1/operator/ledger/check", { token: operator.token });
    expect(check.body.ok).toBe(true);
  }, 120_000);
});
