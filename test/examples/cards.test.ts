// The README's card-table script runs against a real server: a blackjack round and a hold'em hand
// between its two players, played to the end through the SDK, then each player's game recall.
import { describe, expect, it } from "vitest";
import { migratedDataDir, runExample, serveCroupier } from "../support/process.js";

describe("examples/cards.ts", () => {
  it("plays a blackjack round and a hold'em hand, cashes out and recalls both", async () => {
    const server = await serveCroupier([
      "--data-dir",
      migratedDataDir("croupier-cards-"),
      "--blackjack-betting-ms",
      "1500",
      "--blackjack-turn-ms",
      "5000",
      "--holdem-turn-ms",
      "5000",
      "--holdem-between-hands-ms",
      "1000",
      "--payments-sandbox-webhook-delay-ms",
      "50",
      "--log-level",
      "warn",
    ]);
    try {
      const output = await runExample("cards.ts", server.url);
      expect(output.code, output.text).toBe(0);
      expect(output.text).toMatch(/alice: bet 10\.00 in blackjack round/);
      expect(output.text).toMatch(/alice: blackjack paid \d+\.\d\d EUR/);
      expect(output.text).toMatch(/hold'em hand \d+ complete/);
      // Cards by name ("As 7h"), not by their wire integers.
      expect(output.text).toMatch(/dealt hole cards [2-9TJQKA][cdhs] [2-9TJQKA][cdhs]\n/);
      expect(output.text.match(/(alice|bob): left hold'em with \d+\.\d\d EUR/g)).toHaveLength(2);
      // Each player's recall holds their rounds, settled.
      expect(output.text).toMatch(/alice: recalled blackjack round \S+: settled, staked 10\.00, paid \d+\.\d\d/);
      expect(output.text).toMatch(/alice: recalled holdem round \S+: settled/);
      expect(output.text).toMatch(/bob: recalled holdem round \S+: settled/);
      // Money adds up: each final balance is the deposit plus what the games moved.
      for (const name of ["alice", "bob"]) {
        const final = new RegExp(`${name}: final balance (\\d+)\\.(\\d\\d) EUR`).exec(output.text);
        expect(final, output.text).not.toBeNull();
        let net = 0n;
        for (const m of output.text.matchAll(new RegExp(`${name}: recalled \\S+ round \\S+: settled, staked (\\d+)\\.(\\d\\d), paid (\\d+)\\.(\\d\\d)`, "g"))) {
          net += BigInt(m[3]! + m[4]!) - BigInt(m[1]! + m[2]!);
        }
        expect([name, BigInt(final![1]! + final![2]!)]).toEqual([name, 20_000n + net]);
      }
    } finally {
      await server.stop();
    }
  }, 120_000);
});
