import { useEffect, useState } from "preact/hooks";
import type { Session } from "../shared/session.js";
import { timeOf } from "../shared/format.js";
import { Card, ErrorLine, useAction } from "../shared/ui.js";

interface GameRun {
  game: string;
  rounds: number;
  passed: boolean;
  rtp: number | null;
  theoreticalRtp: number | null;
}
interface Report {
  id: string;
  startedAt: string;
  rng: string;
  passed: boolean;
  alpha: number;
  decisions: number;
  rejected: number;
  games: GameRun[];
  hasHtml: boolean;
}

const percent = (value: number | null) => (value === null ? "–" : `${(value * 100).toFixed(3)} %`);

/** The `croupier certify` runs in the reports folder: each run's verdict per game, and its full HTML report to save. */
export function Certification({ session }: { session: Session }) {
  const [reports, setReports] = useState<Report[] | null>(null);
  const { error, run } = useAction();
  useEffect(() => {
    void run(async () => setReports((await session.api<{ reports: Report[] }>("GET", "/v1/operator/certification")).reports));
  }, []);
  const save = (report: Report) =>
    run(async () => {
      const url = URL.createObjectURL(await session.file(`/v1/operator/certification/${encodeURIComponent(report.id)}/report.html`));
      const link = document.createElement("a");
      link.href = url;
      link.download = `certification-${report.id}.html`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    });
  return (
    <Card title="Certification reports" class="wide">
      <ErrorLine error={error} />
      {reports !== null && reports.length === 0 && (
        <p class="hint" data-testid="no-reports">
          No reports yet. Run <code>croupier certify --game all --out &lt;dataDir&gt;/certification/&lt;name&gt;</code> (or set <code>certificationDir</code>)
          and they are listed here.
        </p>
      )}
      <table class="list stack" data-testid="reports">
        <thead>
          <tr>
            <th>Run</th>
            <th>Started</th>
            <th>RNG</th>
            <th>Games (rounds · RTP measured / exact)</th>
            <th>Verdict</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(reports ?? []).map((r) => (
            <tr key={r.id} data-id={r.id}>
              <td>{r.id}</td>
              <td>{timeOf(r.startedAt)}</td>
              <td>{r.rng}</td>
              <td>
                <ul class="plain">
                  {r.games.map((g) => (
                    <li key={g.game}>
                      <span class={g.passed ? "pos" : "neg"}>{g.passed ? "✔" : "✘"}</span> {g.game}: {g.rounds.toLocaleString("en")} · {percent(g.rtp)} /{" "}
                      {percent(g.theoreticalRtp)}
                    </li>
                  ))}
                </ul>
              </td>
              <td data-testid="verdict">
                <strong class={r.passed ? "pos" : "neg"}>{r.passed ? "passed" : "FAILED"}</strong>
                <br />
                <span class="hint">
                  {r.rejected} of {r.decisions} decisions rejected at α = {r.alpha}
                </span>
              </td>
              <td>{r.hasHtml && <button onClick={() => save(r)}>Save report</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
