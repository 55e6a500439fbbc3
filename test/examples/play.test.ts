// The README's play script runs against a real server and plays slots and roulette to the end.
import { describe, expect, it } from "vitest";
import { migratedDataDir, runExample, serveCroupier } from "../support/process.js";

describe("examples/play.ts", () => {
  it("registers, deposits, spins and plays two roulette rounds", async () => {
    const server = await serveCroupier([
      "--data-dir",
      migratedDataDir("croupier-play-"),
      "--roulette-betting-ms",
      "2500",
      "--roulette-results-ms",
      "300",
      "--payments-sandbox-webhook-delay-ms",
      "50",
      "--log-level",
      "warn",
    ]);
    try {
      const output = await runExample("play.ts", server.url);
      expect(output.code, output.text).toBe(0);
      // Money as decimals, never a float's rendering ("49.5").
      expect(output.text).toMatch(/spin 5: won \d+\.\d\d EUR, balance \d+\.\d\d EUR/);
      expect(output.text.match(/the ball lands on \d+/g)).toHaveLength(2);
      expect(output.text).toMatch(/final balance: \d+\.\d\d EUR/);
    } finally {
      await server.stop();
    }
  }, 120_000);
});
