import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FsCertificationReports } from "../../src/adapters/node/certification-reports.fs.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(runs: Record<string, Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), "croupier-cert-"));
  dirs.push(dir);
  for (const [run, files] of Object.entries(runs)) {
    mkdirSync(join(dir, run), { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, run, name), text);
  }
  return dir;
}

const report = (startedAt: string, passed: boolean) =>
  JSON.stringify({
    tool: "croupier certify",
    startedAt,
    rng: "CryptoRng",
    passed,
    family: { alpha: 0.01, decisions: 27, rejected: passed ? 0 : 1, rule: "holm" },
    games: [{ game: "roulette", rounds: 1000, passed, rtp: { rtp: 0.97, theoretical: { exact: "36/37", value: 0.972972 } } }],
  });

describe("certification reports in a folder", () => {
  it("lists readable runs newest first with each game's verdict, and skips what is not a report", async () => {
    const reports = new FsCertificationReports(
      folder({
        old: { "report.json": report("2026-11-01T00:00:00.000Z", true), "report.html": "<h1>old</h1>" },
        new: { "report.json": report("2026-12-01T00:00:00.000Z", false) },
        writing: { "report.json": '{"startedAt":' },
        empty: {},
      }),
    );
    const listed = await reports.list(10);
    expect(listed.map((r) => r.id)).toEqual(["new", "old"]);
    expect(listed[0]).toMatchObject({
      passed: false,
      rejected: 1,
      decisions: 27,
      hasHtml: false,
      games: [{ game: "roulette", rounds: 1000, passed: false, rtp: 0.97, theoreticalRtp: 0.972972 }],
    });
    expect(listed[1]?.hasHtml).toBe(true);
    expect(await reports.list(1)).toHaveLength(1);
    expect(await reports.html("old")).toBe("<h1>old</h1>");
    expect(await reports.html("new")).toBeNull();
  });

  it("reads nothing outside its folder, and a missing folder lists nothing", async () => {
    const dir = folder({ inner: { "report.json": report("2026-12-01T00:00:00.000Z", true), "report.html": "x" } });
    const reports = new FsCertificationReports(join(dir, "inner"));
    expect(await reports.html("..")).toBeNull();
    expect(await reports.html("../inner")).toBeNull();
    expect(await new FsCertificationReports(join(dir, "absent")).list(5)).toEqual([]);
  });
});
