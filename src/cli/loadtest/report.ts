/**
 * The end of a load test: latency percentiles per action from the merged HDR histograms, errors by
 * code, the delivery check of the reconnect storms, and the money reconciliation — for every player,
 * what it observed (deposit − stakes + payouts + refunds, on top of its balance before the run) must
 * equal the ledger's view (available + held of its cash purse).
 */
import { formatAmount, type Currency } from "../../engine/money/index.js";
import { actions, mergeEncoded, summarize, type Action, type LatencySummary } from "./metrics.js";
import type { RunOutcome } from "./driver.js";
import type { LoadtestOptions } from "./options.js";
import type { PlayerResult } from "./worker.js";
import type { StageSummary } from "./stages.js";
import type { AbuseReport } from "./abuse-audit.js";

export interface Difference {
  readonly username: string;
  readonly expected: string;
  readonly ledger: string;
  readonly difference: string;
  readonly note: string;
}

export interface Report {
  readonly run: {
    readonly scenario: string;
    readonly players: number;
    readonly urls: readonly string[];
    readonly processes: number;
    readonly sourceAddresses: readonly string[];
    readonly durationMs: number;
    readonly rampUpMs: number;
    readonly thinkTimeMs: number;
    readonly startedAt: string;
    readonly interrupted: boolean;
  };
  readonly players: { readonly started: number; readonly completed: number; readonly failed: number; readonly failures: Readonly<Record<string, number>> };
  readonly throughput: {
    readonly setupMs: number;
    readonly steadyMs: number;
    readonly operations: number;
    readonly steadyOpsPerSecond: number;
    readonly peakOpsPerSecond: number;
    readonly bets: number;
    readonly betsPerSecond: number;
  };
  readonly latency: Partial<Record<Action, LatencySummary>>;
  readonly errors: { readonly total: number; readonly rate: number; readonly rateMax: number; readonly byCode: Readonly<Record<string, number>> };
  readonly counters: Readonly<Record<string, number>>;
  readonly delivery: {
    readonly players: number;
    readonly drops: number;
    readonly resumes: number;
    readonly received: number;
    readonly lost: number;
    readonly duplicated: number;
    readonly resets: number;
    readonly behindAtEnd: number;
    readonly ok: boolean;
  };
  readonly reconciliation: {
    readonly ok: boolean;
    readonly players: number;
    readonly playersWithoutBalance: number;
    readonly currency: string;
    readonly deposits: string;
    readonly stakes: string;
    readonly payouts: string;
    readonly refunds: string;
    readonly stakesFromPayouts: string;
    readonly betsUncertain: number;
    readonly roundsUnresolved: number;
    readonly differences: readonly Difference[];
  };
  readonly processCrashes: readonly string[];
  /** Where the servers spent each action's time, from their /metrics before and after the run. */
  readonly stages: StageReport;
  /** The abuse scenario's verdict (the risk engine against bots and normal players); null in other scenarios. */
  readonly abuse: AbuseReport | null;
  readonly ok: boolean;
}

export interface StageReport {
  readonly nodes: number;
  readonly of: number;
  readonly stages: readonly StageSummary[];
  /**
   * CPU per action over the steady phase: the servers' (summed over the `nodes` whose /metrics were
   * read; null when none was) and the load driver's. Unlike latency and throughput, a busy machine
   * barely changes it: it is what an action costs.
   */
  readonly cpu?: { readonly nodes: number; readonly serverMsPerAction: number | null; readonly driverMsPerAction: number } | null;
}

function sumBy(players: readonly PlayerResult[], key: keyof NonNullable<PlayerResult["money"]>): bigint {
  return players.reduce((s, p) => s + BigInt(p.money?.[key] ?? "0"), 0n);
}

function reconcile(players: readonly PlayerResult[], currency: Currency): Report["reconciliation"] {
  const audited = players.filter((p) => p.money !== null);
  const money = (minor: bigint): string => formatAmount(minor, currency);
  const differences: Difference[] = [];
  for (const p of audited) {
    const m = p.money as NonNullable<PlayerResult["money"]>;
    const expected = BigInt(m.baselineMinor) + BigInt(m.depositedMinor) - BigInt(m.stakesMinor) + BigInt(m.payoutsMinor) + BigInt(m.refundsMinor);
    if (p.ledger === null) {
      differences.push({
        username: p.username,
        expected: money(expected),
        ledger: "unknown",
        difference: "unknown",
        note: `no ledger view: ${p.failure ?? "audit failed"}`,
      });
      continue;
    }
    const ledger = BigInt(p.ledger.totalMinor);
    const notes = [
      BigInt(p.ledger.balanceMinor) !== ledger ? `balance ${money(BigInt(p.ledger.balanceMinor))} is not available + held` : "",
      BigInt(p.ledger.heldMinor) !== 0n ? `held ${money(BigInt(p.ledger.heldMinor))}` : "",
      m.roundsUnresolved !== "0" ? `${m.roundsUnresolved} rounds unresolved` : "",
      m.betsUncertain !== "0" ? `${m.betsUncertain} bets uncertain` : "",
      m.resets !== "0" ? `${m.resets} resets of the table room` : "",
      p.ledgerSource === "operator" ? "ledger read by the operator (the account was locked)" : "",
      p.failure ?? "",
    ].filter((n) => n !== "");
    if (ledger !== expected || BigInt(p.ledger.balanceMinor) !== ledger) {
      differences.push({
        username: p.username,
        expected: money(expected),
        ledger: money(ledger),
        difference: money(ledger - expected),
        note: notes.join("; "),
      });
    }
  }
  if (audited.length === 0)
    differences.push({
      username: "-",
      expected: "-",
      ledger: "-",
      difference: "-",
      note: "no player got as far as reading its balance: nothing was reconciled",
    });
  return {
    ok: differences.length === 0,
    players: audited.length,
    playersWithoutBalance: players.filter((p) => p.started && p.money === null).length,
    currency: currency.code,
    deposits: money(sumBy(audited, "depositedMinor")),
    stakes: money(sumBy(audited, "stakesMinor")),
    payouts: money(sumBy(audited, "payoutsMinor")),
    refunds: money(sumBy(audited, "refundsMinor")),
    stakesFromPayouts: money(sumBy(audited, "stakesFromPayoutsMinor")),
    betsUncertain: Number(sumBy(audited, "betsUncertain")),
    roundsUnresolved: Number(sumBy(audited, "roundsUnresolved")),
    differences,
  };
}

/** Events lost or duplicated must be 0; reconnect rooms also end with every member at the same offset. */
function deliveryOf(players: readonly PlayerResult[]): Report["delivery"] {
  const tracked = players.flatMap((p) => (p.delivery !== null && p.delivery.firstOffset >= 0 ? [{ scenario: p.scenario, delivery: p.delivery }] : []));
  const heads = new Map<string, number>();
  for (const p of tracked) if (p.scenario === "reconnect") heads.set(p.delivery.room, Math.max(heads.get(p.delivery.room) ?? 0, p.delivery.lastOffset));
  let behindAtEnd = 0;
  for (const p of tracked) if (p.scenario === "reconnect") behindAtEnd += (heads.get(p.delivery.room) ?? 0) - p.delivery.lastOffset;
  const total = (key: "drops" | "resumes" | "received" | "lost" | "duplicated" | "resets"): number => tracked.reduce((s, p) => s + p.delivery[key], 0);
  const lost = total("lost");
  const duplicated = total("duplicated");
  return {
    players: tracked.length,
    drops: total("drops"),
    resumes: total("resumes"),
    received: total("received"),
    lost,
    duplicated,
    resets: total("resets"),
    behindAtEnd,
    ok: lost === 0 && duplicated === 0 && behindAtEnd === 0,
  };
}

function merged(outcome: RunOutcome, field: "errors" | "counters"): Record<string, number> {
  const total: Record<string, number> = {};
  for (const m of outcome.metrics) for (const [k, n] of Object.entries(m[field])) total[k] = (total[k] ?? 0) + n;
  return total;
}

export function buildReport(
  options: LoadtestOptions,
  outcome: RunOutcome,
  currency: Currency,
  startedAtMs: number,
  stages: StageReport = { nodes: 0, of: options.urls.length, stages: [] },
  abuse: AbuseReport | null = null,
): Report {
  const latency: Partial<Record<Action, LatencySummary>> = {};
  for (const action of actions) {
    const encoded = outcome.metrics.map((m) => m.histograms[action]).filter((h): h is string => h !== undefined);
    if (encoded.length === 0) continue;
    const histogram = mergeEncoded(encoded);
    latency[action] = summarize(histogram);
    histogram.destroy();
  }
  const byCode = merged(outcome, "errors");
  const counters = merged(outcome, "counters");
  const errorTotal = Object.values(byCode).reduce((s, n) => s + n, 0);
  const operations = Object.entries(counters)
    .filter(([k]) => k.startsWith("ops."))
    .reduce((s, [, n]) => s + n, 0);
  const failures: Record<string, number> = {};
  for (const p of outcome.players) if (p.failure !== null) failures[p.failure.split(":")[0] as string] = (failures[p.failure.split(":")[0] as string] ?? 0) + 1;
  const reconciliation = reconcile(outcome.players, currency);
  const delivery = deliveryOf(outcome.players);
  const rate = errorTotal / Math.max(1, operations + errorTotal);
  // Every money-moving play: roulette and blackjack bets, slot spins (a hold'em buy-in is a "sit").
  const bets = (counters["ops.bet"] ?? 0) + (counters["ops.spin"] ?? 0);
  return {
    run: {
      scenario: options.scenario,
      players: options.players,
      urls: options.urls,
      processes: options.processes,
      sourceAddresses: options.sourceAddresses,
      durationMs: options.durationMs,
      rampUpMs: options.rampUpMs,
      thinkTimeMs: options.thinkTimeMs,
      startedAt: new Date(startedAtMs).toISOString(),
      interrupted: outcome.interrupted,
    },
    players: {
      started: outcome.players.filter((p) => p.started).length,
      completed: outcome.players.filter((p) => p.stage === "connected" && p.failure === null).length,
      failed: outcome.players.filter((p) => p.failure !== null).length,
      failures,
    },
    throughput: {
      setupMs: outcome.setupMs,
      steadyMs: outcome.steadyMs,
      operations,
      steadyOpsPerSecond: round1((outcome.steadyOps * 1_000) / outcome.steadyMs),
      peakOpsPerSecond: round1(outcome.peakOpsPerSecond),
      bets,
      betsPerSecond: round1((outcome.steadyBets * 1_000) / outcome.steadyMs),
    },
    latency,
    errors: { total: errorTotal, rate, rateMax: options.errorRateMax, byCode },
    counters,
    delivery,
    reconciliation,
    processCrashes: outcome.processCrashes,
    stages,
    abuse,
    ok:
      reconciliation.ok &&
      rate <= options.errorRateMax &&
      delivery.ok &&
      outcome.processCrashes.length === 0 &&
      (options.scenario !== "abuse" || abuse?.ok === true),
  };
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

function latencyRows(report: Report): string[][] {
  return Object.entries(report.latency).map(([action, s]) => [
    action,
    String(s.count),
    ...[s.p50Ms, s.p90Ms, s.p99Ms, s.p999Ms, s.maxMs].map((v) => v.toFixed(1)),
  ]);
}

const latencyHeader = ["action", "count", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms"];

/** The terminal summary; the reconciliation verdict is exactly one line, followed by the differences. */
export function textReport(report: Report): string {
  const r = report.run;
  const widths = latencyHeader.map((h, i) => Math.max(h.length, ...latencyRows(report).map((row) => (row[i] as string).length)));
  const fmt = (row: string[]): string => row.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join("  ");
  const e = report.errors;
  const d = report.delivery;
  const m = report.reconciliation;
  const lines = [
    `croupier loadtest: ${r.scenario}, ${r.players} players over ${r.urls.length} URL(s) from ${r.processes} process(es), ${r.durationMs / 1_000}s after a ${r.rampUpMs / 1_000}s ramp-up${r.interrupted ? " (interrupted)" : ""}`,
    `players: ${report.players.started} started, ${report.players.failed} failed${
      report.players.failed > 0
        ? ` (${Object.entries(report.players.failures)
            .map(([k, n]) => `${k} ${n}`)
            .join(", ")})`
        : ""
    }`,
    `throughput: setup ${(report.throughput.setupMs / 1_000).toFixed(1)} s, then ${(report.throughput.steadyMs / 1_000).toFixed(1)} s with every player in: ${report.throughput.steadyOpsPerSecond} actions/s (peak ${report.throughput.peakOpsPerSecond}), ${report.throughput.betsPerSecond} bets/s; ${report.throughput.operations} operations, ${report.throughput.bets} bets in all`,
    "",
    fmt(latencyHeader),
    ...latencyRows(report).map(fmt),
    "",
    `errors: ${e.total} (${(e.rate * 100).toFixed(2)}% of operations, limit ${(e.rateMax * 100).toFixed(2)}%)${
      e.total > 0
        ? ": " +
          Object.entries(e.byCode)
            .map(([k, n]) => `${k} ${n}`)
            .join(", ")
        : ""
    }`,
    d.players > 0
      ? `delivery: ${d.lost} lost, ${d.duplicated} duplicated, ${d.behindAtEnd} behind at the end, ${d.resets} resets; ${d.drops} drops, ${d.resumes} resumes, ${d.received} events received by ${d.players} players${d.ok ? "" : " — FAILED"}`
      : "",
    ...report.processCrashes,
    ...stageLines(report.stages).map((row, i) => (i === 0 ? row : `  ${row}`)),
    `money (${m.currency}, ${m.players} players${m.playersWithoutBalance > 0 ? `; ${m.playersWithoutBalance} more never read their starting balance, so moved no money` : ""}): deposits ${m.deposits}, stakes ${m.stakes}, payouts ${m.payouts}, refunds ${m.refunds}${m.stakesFromPayouts !== "0.00" && m.stakesFromPayouts !== "0" ? `, stakes known only from payouts ${m.stakesFromPayouts}` : ""}${m.betsUncertain > 0 ? `, ${m.betsUncertain} bets uncertain` : ""}${m.roundsUnresolved > 0 ? `, ${m.roundsUnresolved} rounds unresolved` : ""}`,
    m.ok ? "reconciliation: ok" : "reconciliation: FAILED",
    ...m.differences
      .slice(0, 50)
      .map((x) => `  ${x.username}: observed ${x.expected}, ledger ${x.ledger}, difference ${x.difference}${x.note === "" ? "" : ` (${x.note})`}`),
    ...(m.differences.length > 50 ? [`  ... and ${m.differences.length - 50} more in the JSON report`] : []),
    ...(report.abuse === null ? [] : abuseLines(report.abuse)),
  ];
  return lines.filter((l, i) => l !== "" || lines[i - 1] !== "").join("\n");
}

export function markdownReport(report: Report): string {
  const r = report.run;
  const table = (header: string[], rows: string[][]): string =>
    [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((row) => `| ${row.join(" | ")} |`)].join("\n");
  const m = report.reconciliation;
  const d = report.delivery;
  return [
    `# Load test: ${r.scenario}, ${r.players} players`,
    "",
    `Started ${r.startedAt}; ${r.durationMs / 1_000} s after a ${r.rampUpMs / 1_000} s ramp-up; think time ${r.thinkTimeMs} ms; ${r.processes} driver process(es); URLs ${r.urls.join(", ")}${r.sourceAddresses.length > 0 ? `; source addresses ${r.sourceAddresses.join(", ")}` : ""}${r.interrupted ? "; interrupted" : ""}.`,
    "",
    `**Result: ${report.ok ? "ok" : "FAILED"}** — reconciliation ${m.ok ? "ok" : "FAILED"}, error rate ${(report.errors.rate * 100).toFixed(2)}% (limit ${(report.errors.rateMax * 100).toFixed(2)}%)${d.players > 0 ? `, delivery ${d.ok ? "ok" : "FAILED"}` : ""}${report.abuse === null ? "" : `, abuse ${report.abuse.ok ? "ok" : "FAILED"}`}.`,
    "",
    "## Throughput",
    "",
    "Setup is from the first player's start until every player is playing (or has given up); steady is the --duration after it.",
    "",
    table(
      ["players started", "players failed", "setup s", "steady s", "actions/s (steady)", "actions/s (peak)", "bets/s (steady)", "operations", "bets"],
      [
        [
          report.players.started,
          report.players.failed,
          (report.throughput.setupMs / 1_000).toFixed(1),
          (report.throughput.steadyMs / 1_000).toFixed(1),
          report.throughput.steadyOpsPerSecond,
          report.throughput.peakOpsPerSecond,
          report.throughput.betsPerSecond,
          report.throughput.operations,
          report.throughput.bets,
        ].map(String),
      ],
    ),
    "",
    "## Latency (HDR histograms)",
    "",
    table(latencyHeader, latencyRows(report)),
    "",
    "## Errors by code",
    "",
    report.errors.total === 0
      ? "None."
      : table(
          ["code", "count"],
          Object.entries(report.errors.byCode).map(([k, n]) => [k, String(n)]),
        ),
    "",
    ...(d.players > 0
      ? [
          "## Delivery",
          "",
          table(
            ["players", "drops", "resumes", "events received", "lost", "duplicated", "behind at end", "resets"],
            [[d.players, d.drops, d.resumes, d.received, d.lost, d.duplicated, d.behindAtEnd, d.resets].map(String)],
          ),
          "",
        ]
      : []),
    "## Money reconciliation",
    "",
    `For each of ${m.players} players: balance before + deposit − stakes + payouts + refunds (as observed) = available + held (ledger).`,
    "",
    table(
      ["currency", "deposits", "stakes", "payouts", "refunds", "stakes known only from payouts", "bets uncertain", "rounds unresolved"],
      [[m.currency, m.deposits, m.stakes, m.payouts, m.refunds, m.stakesFromPayouts, String(m.betsUncertain), String(m.roundsUnresolved)]],
    ),
    "",
    m.ok ? "reconciliation: ok" : "reconciliation: FAILED",
    "",
    ...(m.differences.length > 0
      ? [
          table(
            ["player", "observed", "ledger", "difference", "note"],
            m.differences.map((x) => [x.username, x.expected, x.ledger, x.difference, x.note]),
          ),
          "",
        ]
      : []),
    ...(report.abuse === null ? [] : abuseMarkdown(report.abuse)),
    ...(report.stages.stages.length > 0
      ? [
          "## Where an action's time went (servers' stage histograms)",
          "",
          stageNote(report.stages),
          "",
          table(
            ["stage", "actions", "mean ms", "p50 ms", "p99 ms"],
            report.stages.stages.map((x) => [x.stage, String(x.count), x.meanMs.toFixed(2), x.p50Ms.toFixed(2), x.p99Ms.toFixed(2)]),
          ),
          "",
          ...cpuLines(report.stages).flatMap((line) => [line, ""]),
        ]
      : []),
    ...(report.processCrashes.length > 0 ? ["## Driver process crashes", "", ...report.processCrashes.map((c) => `- ${c}`), ""] : []),
  ].join("\n");
}

function stageNote(stages: StageReport): string {
  return `From croupier_action_stage_seconds on ${stages.nodes} of ${stages.of} node(s), the difference over the run; p50 and p99 are interpolated within the histogram's buckets.`;
}

/** The stage breakdown as text lines: a heading, then one line per stage. */
function stageLines(stages: StageReport): string[] {
  if (stages.stages.length === 0) return stages.nodes === 0 ? [`stages: /metrics not readable on any node (see --metrics-token)`] : [];
  const rows = stages.stages.map((x) => [x.stage, String(x.count), x.meanMs.toFixed(2), x.p50Ms.toFixed(2), x.p99Ms.toFixed(2)]);
  const header = ["stage", "actions", "mean ms", "p50 ms", "p99 ms"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const fmt = (row: string[]) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join("  ");
  return [`where the time went (servers' stage histograms, ${stages.nodes} of ${stages.of} node(s)):`, fmt(header), ...rows.map(fmt), ...cpuLines(stages)];
}

function cpuLines(stages: StageReport): string[] {
  const cpu = stages.cpu;
  if (cpu === undefined || cpu === null) return [];
  const server = cpu.serverMsPerAction === null ? "not read" : `${cpu.serverMsPerAction.toFixed(3)} ms (${cpu.nodes} of ${stages.of} node(s))`;
  return [`CPU per action in the steady phase: servers ${server}, load drivers ${cpu.driverMsPerAction.toFixed(3)} ms`];
}

const seconds = (ms: number | null): string => (ms === null ? "-" : `${(ms / 1_000).toFixed(1)} s`);
const fixed = (n: number | null, digits = 2): string => (n === null ? "n/a" : n.toFixed(digits));

function abuserRows(abuse: AbuseReport): string[][] {
  return abuse.perAbuser.map((a) => [
    a.username,
    seconds(a.limitAfterMs),
    seconds(a.lockAfterMs),
    seconds(a.lockSeenAfterMs),
    String(a.attempts),
    String(a.paid),
    String(a.riskLimited),
    String(a.cutByLock),
    fixed(a.score, 3),
    a.actions.join(" "),
  ]);
}
const abuserHeader = ["abuser", "limit after", "lock after", "4003 after", "spins sent", "paid", "RISK_LIMITED", "cut by lock", "score", "actions"];

function confusionText(name: string, c: AbuseReport["rules"]): string {
  return `${name}: precision ${fixed(c.precision)}, recall ${fixed(c.recall)} (${c.truePositives} abusers caught, ${c.falsePositives} normal players caught, ${c.falseNegatives} abusers missed, ${c.trueNegatives} normal players left alone)`;
}

function scoreRange(abuse: AbuseReport): string {
  const s = abuse.scores;
  return `scores: abusers ${fixed(s.abusersMin, 3)}–${fixed(s.abusersMax, 3)}, normal players at most ${s.normalMax === null ? "n/a" : s.normalMax < 0.001 ? s.normalMax.toExponential(1) : s.normalMax.toFixed(3)}`;
}

function ledgerNote(abuse: AbuseReport): string {
  return `money of ${abuse.ledgersReadByOperator} locked players: balance read by the operator (the sum of their cash transfers), reconciled with the others`;
}

/** The abuse verdict for the terminal: one `abuse:` line (ok or FAILED after it), then the figures behind it. */
function abuseLines(abuse: AbuseReport): string[] {
  const widths = abuserHeader.map((h, i) => Math.max(h.length, ...abuserRows(abuse).map((r) => (r[i] as string).length)));
  const fmt = (row: string[]): string =>
    `  ${row
      .map((c, i) => (i === 0 || i === row.length - 1 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
      .join("  ")
      .trimEnd()}`;
  return [
    abuse.verdict + (abuse.ok ? "" : " — FAILED"),
    `  from each abuser's first spin to the risk engine's first limit and lock (server clock), and to its sockets closing with 4003:`,
    fmt(abuserHeader),
    ...abuserRows(abuse).map(fmt),
    `  ${confusionText("rules (a limit or a lock)", abuse.rules)}`,
    `  ${confusionText(`score (>= ${abuse.scoreThreshold}, the highest of the end of the run and the actions')`, abuse.score)}`,
    `  ${scoreRange(abuse)}`,
    ...(abuse.ledgersReadByOperator > 0 ? [`  ${ledgerNote(abuse)}`] : []),
    ...(abuse.cutSpins.resolvedFromLedger + abuse.cutSpins.notPlaced > 0
      ? [
          `  spins without an answer (cut by the lock): ${abuse.cutSpins.resolvedFromLedger} found in the ledger and counted, ${abuse.cutSpins.notPlaced} never placed`,
        ]
      : []),
    ...abuse.normalFlagged.map(
      (n) => `  normal player flagged: ${n.username} score ${fixed(n.score, 3)}${n.actions.length > 0 ? `, ${n.actions.join(" ")}` : ""}`,
    ),
    ...abuse.unjudged.map((u) => `  not judged: ${u}`),
  ];
}

function abuseMarkdown(abuse: AbuseReport): string[] {
  const table = (header: string[], rows: string[][]): string =>
    [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((row) => `| ${row.join(" | ")} |`)].join("\n");
  return [
    "## Abuse: the risk engine against bots and normal players",
    "",
    `${abuse.abusers} abusers (two devices, 0.10 at 214 spins a minute) among ${abuse.normal} normal players (a spin every 2–6 s, 0.10–2.00). An abuser must be limited within ${abuse.limitWithinMs / 1_000} s of its first spin and locked within ${abuse.lockWithinMs / 1_000} s; no normal player may be locked.`,
    "",
    `**${abuse.verdict}** — ${abuse.ok ? "ok" : "FAILED"}`,
    "",
    table(abuserHeader, abuserRows(abuse)),
    "",
    table(
      ["", "precision", "recall", "abusers caught", "normal caught", "abusers missed", "normal left alone"],
      [
        ["rules (a limit or a lock)", abuse.rules],
        [`score ≥ ${abuse.scoreThreshold}`, abuse.score],
      ].map(([name, c]) => {
        const x = c as AbuseReport["rules"];
        return [
          name as string,
          fixed(x.precision),
          fixed(x.recall),
          String(x.truePositives),
          String(x.falsePositives),
          String(x.falseNegatives),
          String(x.trueNegatives),
        ];
      }),
    ),
    "",
    "The score of a player is the highest of its risk file's score read at the end of the run and the scores stored with its risk actions.",
    `${scoreRange(abuse)}.`,
    ...(abuse.ledgersReadByOperator > 0 ? ["", `${ledgerNote(abuse)}.`] : []),
    ...(abuse.cutSpins.resolvedFromLedger + abuse.cutSpins.notPlaced > 0
      ? [
          "",
          `Spins cut off by the lock before their answer: ${abuse.cutSpins.resolvedFromLedger} found in the ledger's history (counted), ${abuse.cutSpins.notPlaced} never placed.`,
        ]
      : []),
    ...(abuse.normalFlagged.length > 0
      ? [
          "",
          table(
            ["normal player flagged", "score", "actions"],
            abuse.normalFlagged.map((n) => [n.username, fixed(n.score, 3), n.actions.join(" ")]),
          ),
        ]
      : []),
    ...(abuse.unjudged.length > 0 ? ["", ...abuse.unjudged.map((u) => `- not judged: ${u}`)] : []),
    "",
  ];
}
