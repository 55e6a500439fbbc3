/**
 * The certification report as one self-contained HTML page: tables and inline SVG charts, no scripts,
 * fonts or other external assets, so it can be archived and opened anywhere.
 */
import type { FamilyVerdict, JudgedDecision, NistJudgement, OutcomeTestResult } from "../engine/certify/index.js";
import type { CertifiedGame, GameCheck } from "./certify.worker.js";

// The report's shape lives here, beside its rendering, so the command and the renderer do not import each other.
export interface CertifyOptions {
  readonly games: readonly CertifiedGame[];
  /** Rounds per game; with `rngFile` a cap (the run ends earlier if the stream runs out). */
  readonly rounds: number;
  readonly seed: string | null;
  /** A lab's captured raw byte stream to certify instead of a generator. */
  readonly rngFile: string | null;
  /** Family-wise level of the whole run. */
  readonly alpha: number;
  readonly out: string;
  readonly workers: number;
  readonly nistSequences: number;
  readonly nistBits: number;
}

/** A test's measurement; `decision` is the id of its entry in the game's `decisions` (null: the test could not run). */
export interface TestReport extends OutcomeTestResult {
  readonly sequence: string;
  readonly decision: string | null;
}

export interface FitReport extends TestReport {
  readonly labels: readonly string[];
  readonly observed: readonly number[];
  readonly expected: readonly number[];
}

export interface NistReport extends NistJudgement {
  readonly test: string;
  readonly proportionDecision: string | null;
  readonly uniformityDecision: string | null;
}

export interface GameReport {
  readonly game: CertifiedGame;
  /** Rounds actually played (with a captured stream, as many as it held up to the cap). */
  readonly rounds: number;
  readonly workers: number;
  readonly seconds: number;
  readonly roundsPerSecond: number;
  readonly outcomeTests: readonly TestReport[];
  readonly fits: readonly FitReport[];
  /** Counts of each value of the uniform sequences, beside the count each should expect. */
  readonly histograms: readonly { readonly name: string; readonly observed: readonly number[]; readonly expected: number }[];
  readonly nist: { readonly sequences: number; readonly bits: number; readonly verdicts: readonly NistReport[] };
  readonly rtp: RtpReport | null;
  readonly convergence: readonly { readonly rounds: number; readonly rtp: number }[];
  /** Invariants (not statistics): any failure fails the run whatever α is. */
  readonly checks: readonly GameCheck[];
  readonly facts: Readonly<Record<string, number>>;
  /** This game's decisions, with their rank, threshold and adjusted p-value over the whole run. */
  readonly decisions: readonly JudgedDecision[];
  readonly passed: boolean;
}

export interface RtpReport {
  readonly rounds: string;
  readonly stakeMinor: string;
  readonly returnMinor: string;
  readonly rtp: number;
  readonly standardError: number;
  readonly ci99: readonly [number, number];
  readonly theoretical: { readonly exact: string; readonly value: number } | null;
  /** The z-test against the exact RTP; null when there is none (blackjack: simulation is the measurement). */
  readonly test: { readonly z: number; readonly pValue: number; readonly decision: string } | null;
}

export interface CertifyReport {
  readonly tool: "croupier certify";
  readonly startedAt: string;
  readonly rng: string;
  readonly options: Omit<CertifyOptions, "out">;
  readonly games: readonly GameReport[];
  /** The rule and level; the decisions themselves are in each game. */
  readonly family: Omit<FamilyVerdict, "decisions"> & { readonly decisions: number };
  readonly passed: boolean;
}

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (value: number, digits = 4): string => `${(value * 100).toFixed(digits)}%`;
const fmt = (value: number): string => (value === 0 ? "0" : Math.abs(value) < 1e-3 ? value.toExponential(2) : value.toFixed(4));
const verdict = (ok: boolean | null): string =>
  ok === null ? `<span class="na">n/a</span>` : ok ? `<span class="ok">pass</span>` : `<span class="fail">FAIL</span>`;

interface Bar {
  readonly label: string;
  readonly value: number;
  readonly expected?: number;
}

/** Vertical bars with an optional expected-value tick on each; labels thinned to stay readable. */
function barChart(title: string, bars: readonly Bar[], width = 640, height = 180): string {
  const top = Math.max(1, ...bars.map((bar) => Math.max(bar.value, bar.expected ?? 0))) * 1.08;
  const left = 40;
  const bottom = height - 22;
  const step = (width - left - 4) / Math.max(1, bars.length);
  const y = (value: number) => bottom - (value / top) * (bottom - 14);
  const labelEvery = Math.ceil(bars.length / 26);
  const parts = bars.map((bar, i) => {
    const x = left + i * step;
    const rect = `<rect x="${(x + step * 0.1).toFixed(1)}" y="${y(bar.value).toFixed(1)}" width="${(step * 0.8).toFixed(1)}" height="${(bottom - y(bar.value)).toFixed(1)}" class="bar"><title>${escape(bar.label)}: ${bar.value.toLocaleString("en")}${bar.expected === undefined ? "" : ` (expected ${bar.expected.toFixed(1)})`}</title></rect>`;
    const tick =
      bar.expected === undefined
        ? ""
        : `<line x1="${x.toFixed(1)}" x2="${(x + step).toFixed(1)}" y1="${y(bar.expected).toFixed(1)}" y2="${y(bar.expected).toFixed(1)}" class="expected"/>`;
    const label =
      i % labelEvery === 0 ? `<text x="${(x + step / 2).toFixed(1)}" y="${height - 8}" class="axis" text-anchor="middle">${escape(bar.label)}</text>` : "";
    return rect + tick + label;
  });
  return `<figure><svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escape(title)}">
<text x="${left}" y="10" class="title">${escape(title)}</text>
<line x1="${left}" x2="${width - 4}" y1="${bottom}" y2="${bottom}" class="axisline"/>
<text x="${left - 4}" y="${y(top / 1.08) + 4}" class="axis" text-anchor="end">${Math.round(top / 1.08).toLocaleString("en")}</text>
${parts.join("\n")}</svg></figure>`;
}

/** RTP after each checkpoint, with the exact RTP and the final 99% interval as reference lines. */
function convergenceChart(game: GameReport, width = 640, height = 220): string {
  const points = game.convergence;
  if (points.length < 2 || game.rtp === null) return "";
  const exact = game.rtp.theoretical?.value ?? null;
  const values = [...points.map((p) => p.rtp), game.rtp.ci99[0], game.rtp.ci99[1], ...(exact === null ? [] : [exact])];
  const settled = points.slice(Math.floor(points.length / 10)).map((p) => p.rtp);
  const lo = Math.min(...settled, ...values.slice(points.length)) - 0.002;
  const hi = Math.max(...settled, ...values.slice(points.length)) + 0.002;
  const left = 56;
  const bottom = height - 24;
  const maxRounds = points[points.length - 1]?.rounds ?? 1;
  const x = (rounds: number) => left + (rounds / maxRounds) * (width - left - 8);
  const y = (rtp: number) => bottom - ((Math.min(hi, Math.max(lo, rtp)) - lo) / (hi - lo)) * (bottom - 16);
  const path = points.map((p, i) => `${i === 0 ? "M" : "L"}${x(p.rounds).toFixed(1)},${y(p.rtp).toFixed(1)}`).join(" ");
  const band = `<rect x="${left}" y="${y(game.rtp.ci99[1]).toFixed(1)}" width="${width - left - 8}" height="${(y(game.rtp.ci99[0]) - y(game.rtp.ci99[1])).toFixed(1)}" class="band"/>`;
  const exactLine =
    exact === null
      ? ""
      : `<line x1="${left}" x2="${width - 8}" y1="${y(exact).toFixed(1)}" y2="${y(exact).toFixed(1)}" class="exact"/><text x="${width - 10}" y="${(y(exact) - 4).toFixed(1)}" class="axis" text-anchor="end">exact ${pct(exact)}</text>`;
  return `<figure><svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="RTP convergence">
<text x="${left}" y="10" class="title">RTP convergence (band: final 99% confidence interval)</text>
${band}${exactLine}
<path d="${path}" class="line"/>
<text x="${left - 4}" y="${y(hi) + 4}" class="axis" text-anchor="end">${pct(hi, 2)}</text>
<text x="${left - 4}" y="${y(lo)}" class="axis" text-anchor="end">${pct(lo, 2)}</text>
<text x="${width - 8}" y="${height - 6}" class="axis" text-anchor="end">${maxRounds.toLocaleString("en")} rounds</text>
</svg></figure>`;
}

const pFmt = (p: number): string => (p === 0 ? "0" : p >= 0.001 ? p.toFixed(4) : p.toExponential(2));

/** Raw p, adjusted p and verdict of one decision (by id), or "not applied" for a test that made none. */
function decisionCells(game: GameReport, id: string | null): string {
  const d = id === null ? undefined : game.decisions.find((x) => x.id === id);
  if (d === undefined) return `<td>—</td><td>—</td><td><span class="na">not applied</span></td>`;
  return `<td>${pFmt(d.pValue)}</td><td>${pFmt(d.adjustedP)}</td><td>${d.rejected ? `<span class="fail">REJECTED</span>` : `<span class="ok">accept</span>`}</td>`;
}

function gameSection(game: GameReport): string {
  const rtp = game.rtp;
  const rtpRows =
    rtp === null
      ? `<p>No RTP for this game: players play each other and the house takes rake. Checked instead: ${game.checks.map((c) => escape(c.name)).join("; ")}.</p>`
      : `<table><tr><th>rounds</th><th>staked</th><th>returned</th><th>RTP</th><th>99% interval</th><th>exact</th><th>z</th><th>raw p</th><th>adjusted p</th><th></th></tr>
<tr><td>${Number(rtp.rounds).toLocaleString("en")}</td><td>${escape(rtp.stakeMinor)}</td><td>${escape(rtp.returnMinor)}</td><td>${pct(rtp.rtp)}</td><td>${pct(rtp.ci99[0])} – ${pct(rtp.ci99[1])}</td><td>${rtp.theoretical === null ? "none (simulated; a measurement, not a decision)" : escape(rtp.theoretical.exact)}</td><td>${rtp.test === null ? "—" : rtp.test.z.toFixed(3)}</td>${decisionCells(game, rtp.test?.decision ?? null)}</tr></table>`;
  const tests = [...game.outcomeTests, ...game.fits]
    .map((t) => `<tr><td>${escape(t.name)}</td><td>${escape(t.sequence)}</td><td>${fmt(t.statistic)}</td>${decisionCells(game, t.decision)}</tr>`)
    .join("\n");
  const nist = game.nist.verdicts
    .map(
      (v) =>
        `<tr><td>${escape(v.test)}</td><td>${v.passed}/${v.sequences}</td><td>${v.proportionRange.map((x) => x.toFixed(4)).join(" – ")}</td>${decisionCells(game, v.proportionDecision)}${decisionCells(game, v.uniformityDecision)}</tr>`,
    )
    .join("\n");
  const histograms = game.histograms.map((h) =>
    barChart(
      `${h.name}: counts (line: expected)`,
      h.observed.map((value, i) => ({ label: String(i), value, expected: h.expected })),
    ),
  );
  const fits = game.fits.map((f) =>
    barChart(
      `${f.sequence} (line: expected)`,
      f.observed.map((value, i) => ({ label: f.labels[i] ?? String(i), value, expected: f.expected[i] ?? 0 })),
    ),
  );
  const pValueCharts = game.nist.verdicts.map((v) =>
    barChart(
      `${v.test}: p-values in ten bins`,
      v.histogram.map((value, i) => ({ label: `.${i}`, value, expected: v.sequences / 10 })),
      300,
      130,
    ),
  );
  const facts = Object.entries(game.facts)
    .map(([k, v]) => `${escape(k)} = ${v.toLocaleString("en")}`)
    .join(", ");
  return `<section><h2>${escape(game.game)} — ${game.passed ? `<span class="ok">PASS</span>` : `<span class="fail">FAIL</span>`}</h2>
<p>${game.rounds.toLocaleString("en")} rounds on ${game.workers} workers in ${game.seconds.toFixed(1)} s (${Math.round(game.roundsPerSecond).toLocaleString("en")} rounds/s). ${game.decisions.length} decisions, ${game.decisions.filter((d) => d.rejected).length} rejected.${facts ? ` ${facts}.` : ""}</p>
<h3>Return to player</h3>${rtpRows}${convergenceChart(game)}
<h3>Empirical tests on mapped outcomes</h3>
<table><tr><th>test</th><th>on</th><th>statistic</th><th>raw p</th><th>adjusted p</th><th></th></tr>${tests}</table>
<div class="charts">${[...histograms, ...fits].join("\n")}</div>
<h3>NIST SP 800-22 on the raw bit stream</h3>
<p>${game.nist.sequences.toLocaleString("en")} sequences of ${game.nist.bits.toLocaleString("en")} bits. Two decisions per test: the number of failing sequences (p &lt; 0.01) against Binomial(m, 0.01), exact two-sided; the uniformity of the p-values (chi-square over ten bins, from 55 sequences). NIST's 3σ interval is shown for reference.</p>
<table><tr><th>test</th><th>passed</th><th>NIST interval</th><th>proportion raw p</th><th>adjusted p</th><th></th><th>uniformity raw p</th><th>adjusted p</th><th></th></tr>${nist}</table>
<div class="charts">${pValueCharts.join("\n")}</div>
${game.checks.length === 0 ? "" : `<h3>Game checks (invariants: any failure fails the run)</h3><table>${game.checks.map((c) => `<tr><td>${escape(c.name)}</td><td>${escape(c.detail)}</td><td>${verdict(c.passed)}</td></tr>`).join("")}</table>`}
</section>`;
}

/** Every decision of the run in Holm order. */
function decisionsTable(report: CertifyReport): string {
  const all = report.games.flatMap((game) => game.decisions).sort((a, b) => a.rank - b.rank);
  return `<table><tr><th>rank</th><th>game</th><th>kind</th><th>test</th><th>on</th><th>raw p</th><th>threshold α/(m−rank+1)</th><th>adjusted p</th><th></th></tr>
${all.map((d) => `<tr><td>${d.rank}</td><td>${escape(d.scope)}</td><td>${escape(d.kind)}</td><td>${escape(d.test)}</td><td>${escape(d.on)}</td><td>${pFmt(d.pValue)}</td><td>${d.threshold.toExponential(2)}</td><td>${pFmt(d.adjustedP)}</td><td>${d.rejected ? `<span class="fail">REJECTED</span>` : `<span class="ok">accept</span>`}</td></tr>`).join("\n")}</table>`;
}

export function renderReportHtml(report: CertifyReport): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Croupier certification ${escape(report.startedAt)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#1d1d1f;padding:0 1rem}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border-bottom:1px solid #ddd;padding:.25rem .6rem;text-align:left}
.ok{color:#137333;font-weight:600}.fail{color:#c5221f;font-weight:700}.na{color:#777}
.charts{display:flex;flex-wrap:wrap;gap:.5rem}figure{margin:0}
.bar{fill:#4e79a7}.expected{stroke:#e15759;stroke-width:1.5}.axis{font-size:10px;fill:#555}.axisline{stroke:#999}
.title{font-size:12px;font-weight:600;fill:#1d1d1f}.line{fill:none;stroke:#4e79a7;stroke-width:1.5}.band{fill:#f28e2b;opacity:.2}.exact{stroke:#e15759;stroke-dasharray:4 3}
section{border-top:2px solid #1d1d1f;margin-top:2rem}
</style></head><body>
<h1>Croupier certification report — ${report.passed ? `<span class="ok">PASSED</span>` : `<span class="fail">FAILED</span>`}</h1>
<p>Started ${escape(report.startedAt)}. Generator: ${escape(report.rng)}. ${report.options.rounds.toLocaleString("en")} rounds per game on ${report.options.workers} workers.
How to read this report: docs/FAIRNESS.md.</p>
<p><strong>Rule.</strong> ${escape(report.family.rule)} ${report.family.rejected} of ${report.family.decisions} decisions rejected.</p>
<table><tr><th>game</th><th>rounds</th><th>decisions</th><th>rejected</th><th>smallest adjusted p</th><th>RTP</th><th>checks</th><th>verdict</th></tr>
${report.games.map((g) => `<tr><td>${escape(g.game)}</td><td>${g.rounds.toLocaleString("en")}</td><td>${g.decisions.length}</td><td>${g.decisions.filter((d) => d.rejected).length}</td><td>${pFmt(Math.min(1, ...g.decisions.map((d) => d.adjustedP)))}</td><td>${g.rtp === null ? "—" : pct(g.rtp.rtp)}</td><td>${g.checks.length === 0 ? "—" : `${g.checks.filter((c) => c.passed).length}/${g.checks.length}`}</td><td>${verdict(g.passed)}</td></tr>`).join("\n")}
</table>
${report.games.map(gameSection).join("\n")}
<section><h2>All decisions, smallest raw p-value first</h2>${decisionsTable(report)}</section>
</body></html>
`;
}
