// The game scenarios of `croupier loadtest` (slots, blackjack, hold'em, and the mix of all six) against a
// real embedded server with short timers: a few players for a few seconds, every one of them reconciled.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningServer } from "../../src/main.js";
import { createShared, startTestServer, type Shared } from "../support/server.js";
import { loadtest, readReport } from "../support/loadtest.js";
import { ifAssigned } from "../support/fixtures.js";

const fastTables = [
  "--roulette-betting-ms",
  "1500",
  "--roulette-results-ms",
  "500",
  "--payments-sandbox-webhook-delay-ms",
  "100",
  "--blackjack-betting-ms",
  "1200",
  "--blackjack-turn-ms",
  "1000",
  // A seated player leaves when the round after its last one opens: after the results pause, 4 s by default.
  "--blackjack-results-ms",
  "500",
  "--holdem-turn-ms",
  "1000",
  "--holdem-between-hands-ms",
  "300",
];

describe("croupier loadtest game scenarios against an embedded server", () => {
  let shared: Shared;
  let server: RunningServer;

  beforeAll(async () => {
    shared = await createShared("embedded");
    server = await startTestServer(shared, fastTables);
  });
  afterAll(async () => {
    await ifAssigned(server)?.close();
    await ifAssigned(shared)?.dispose();
  });

  async function run(scenario: string, players: number, duration: string): Promise<ReturnType<typeof readReport>["json"]> {
    const out = mkdtempSync(join(tmpdir(), `croupier-loadtest-${scenario}-`));
    const result = await loadtest([
      "--url",
      server.url,
      "--scenario",
      scenario,
      "--players",
      String(players),
      "--duration",
      duration,
      "--ramp-up",
      "1s",
      "--think-time",
      "300ms",
      "--deposit",
      "100.00",
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
    expect(json.reconciliation.players).toBe(players);
    expect(json.players.failed).toBe(0);
    return json;
  }

  it("slots: 4 players spin their own machines; every spin's stake and win reconcile", async () => {
    const json = await run("slots", 4, "5s");
    expect(json.latency.spin?.count).toBeGreaterThan(20);
    expect(json.throughput.bets).toBe(json.latency.spin?.count);
    expect(BigInt(json.reconciliation.stakes.replace(".", ""))).toBeGreaterThan(0n);
  }, 90_000);

  it("blackjack: 4 players sit, bet, hit or stand, are paid, and leave their seats", async () => {
    const json = await run("blackjack", 4, "8s");
    expect(json.latency.sit?.count).toBe(4);
    expect(json.latency.bet?.count).toBeGreaterThanOrEqual(4);
    expect(json.latency.play?.count).toBeGreaterThan(0);
    expect(json.latency.leave?.count).toBe(4);
    expect(json.reconciliation.roundsUnresolved).toBe(0);
  }, 90_000);

  it("holdem: 4 players buy in, check, call or fold through hands, and cash out", async () => {
    const json = await run("holdem", 4, "8s");
    expect(json.latency.sit?.count).toBe(4);
    expect(json.latency.play?.count).toBeGreaterThan(4);
    expect(json.latency.leave?.count).toBe(4);
    expect(json.reconciliation.roundsUnresolved).toBe(0);
    expect(json.reconciliation.stakes).toBe("160.00");
  }, 90_000);

  it("mix: 20 players over all six scenarios reconcile and lose no events", async () => {
    const json = await run("mix", 20, "8s");
    for (const action of ["bet", "spin", "sit", "chat", "note"] as const) expect(json.latency[action]?.count).toBeGreaterThan(0);
    expect(json.delivery.ok).toBe(true);
  }, 120_000);
});
