import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { CertificationReports, CertificationReportSummary } from "../../app/ports/certification-reports.js";

/** A run folder's name as `croupier certify --out` makes it, and nothing that could leave the folder. */
const runIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

interface ReportJson {
  startedAt?: unknown;
  rng?: unknown;
  passed?: unknown;
  family?: { alpha?: unknown; decisions?: unknown; rejected?: unknown };
  games?: { game?: unknown; rounds?: unknown; passed?: unknown; rtp?: { rtp?: unknown; theoretical?: { value?: unknown } | null } | null }[];
}

const num = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);

function summarize(id: string, report: ReportJson, hasHtml: boolean): CertificationReportSummary | null {
  if (typeof report.startedAt !== "string" || typeof report.passed !== "boolean" || !Array.isArray(report.games)) return null;
  return {
    id,
    startedAt: report.startedAt,
    rng: typeof report.rng === "string" ? report.rng : "",
    passed: report.passed,
    alpha: num(report.family?.alpha) ?? 0,
    decisions: num(report.family?.decisions) ?? 0,
    rejected: num(report.family?.rejected) ?? 0,
    games: report.games.map((game) => ({
      game: String(game.game),
      rounds: num(game.rounds) ?? 0,
      passed: game.passed === true,
      rtp: num(game.rtp?.rtp),
      theoreticalRtp: num(game.rtp?.theoretical?.value),
    })),
    hasHtml,
  };
}

/** Reads the certification runs under one folder (dataDir/certification by default): `<run>/report.json`, `<run>/report.html`. */
export class FsCertificationReports implements CertificationReports {
  constructor(private readonly dir: string) {}

  async list(limit: number): Promise<readonly CertificationReportSummary[]> {
    const runs = await readdir(this.dir, { withFileTypes: true }).catch(() => []);
    const found = await Promise.all(
      runs
        .filter((run) => run.isDirectory() && runIdPattern.test(run.name))
        .map(async (run) => {
          const files = await readdir(join(this.dir, run.name)).catch(() => [] as string[]);
          if (!files.includes("report.json")) return null;
          try {
            return summarize(
              run.name,
              JSON.parse(await readFile(join(this.dir, run.name, "report.json"), "utf8")) as ReportJson,
              files.includes("report.html"),
            );
          } catch {
            return null; // a run still writing, or not a report: not listed
          }
        }),
    );
    return found
      .filter((report) => report !== null)
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
      .slice(0, limit);
  }

  async html(id: string): Promise<string | null> {
    if (!runIdPattern.test(id)) return null;
    return readFile(join(this.dir, id, "report.html"), "utf8").catch(() => null);
  }
}
