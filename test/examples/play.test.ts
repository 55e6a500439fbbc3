// The README's play script runs against a real server and plays slots and roulette to the end.
import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serveCroupier } from "../support/process.js";

const script = fileURLToPath(new URL("../../examples/play.ts", import.meta.url));

describe("examples/play.ts", () => {
  it("registers, deposits, spins and plays two roulette rounds", async () => {
    const server = await serveCroupier(["--data-dir", mkdtempSync(join(tmpdir(), "croupier-play-")), "--roulette-betting-ms", "2500", "--roulette-results-ms", "300", "--payments-sandbox-webhook-delay-ms", "50", "--log-level", "warn"]);
    try {
      const output = await new Promise<{ code: number | null; text: string }>((resolve) => {
        const child = spawn(process.execPath, ["--import", "tsx", script, server.url], { stdio: ["ignore", "pipe", "pipe"] });
        let text = "";
        child.stdout.on("data", (d) => (text += d));
        child.stderr.on("data", (d) => (text += d));
        child.on("close", (code) => resolve({ code, text }));
      });
      expect(output.code, output.text).toBe(0);
      expect(output.text).toMatch(/spin 5: won/);
      expect(output.text.match(/the ball lands on \d+/g)).toHaveLength(2);
      expect(output.text).toMatch(/final balance: \d+\.\d\d EUR/);
    } finally {
      await server.stop();
    }
  }, 120_000);
});
