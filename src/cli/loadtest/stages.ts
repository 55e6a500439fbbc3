/**
 * Where an action's time goes, as the servers saw it: the load test reads each node's
 * `croupier_action_stage_seconds` histograms before and after the run, and reports the difference per
 * stage (count, mean, and p50/p99 interpolated within the buckets, as Prometheus' histogram_quantile does).
 */
import { actionStages, type ActionStage } from "../../app/ports/metrics.js";

const metricName = "croupier_action_stage_seconds";

export interface StageHistogram {
  /** Cumulative counts by upper bound in seconds (`+Inf` as Infinity), ascending. */
  readonly buckets: readonly (readonly [number, number])[];
  readonly sum: number;
  readonly count: number;
}
export type StageHistograms = ReadonlyMap<ActionStage, StageHistogram>;

export interface StageSummary {
  readonly stage: ActionStage;
  readonly count: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

const labelOf = (labels: string, name: string): string | undefined => new RegExp(`${name}="([^"]*)"`).exec(labels)?.[1];

/** Parses the stage histograms out of a Prometheus text exposition, summed over any other labels (workers). */
export function parseStageHistograms(text: string): StageHistograms {
  const buckets = new Map<ActionStage, Map<number, number>>();
  const sums = new Map<ActionStage, { sum: number; count: number }>();
  for (const line of text.split("\n")) {
    if (!line.startsWith(metricName)) continue;
    const match = /^(\w+)\{([^}]*)\}\s+(\S+)/.exec(line);
    if (match === null) continue;
    const [, name, labels = "", raw] = match;
    const stage = labelOf(labels, "stage") as ActionStage | undefined;
    if (stage === undefined || !actionStages.includes(stage)) continue;
    const value = Number(raw);
    if (!Number.isFinite(value)) continue;
    const totals = sums.get(stage) ?? { sum: 0, count: 0 };
    sums.set(stage, totals);
    if (name === `${metricName}_bucket`) {
      const le = labelOf(labels, "le");
      const bound = le === "+Inf" ? Infinity : Number(le);
      const byBound = buckets.get(stage) ?? new Map<number, number>();
      byBound.set(bound, (byBound.get(bound) ?? 0) + value);
      buckets.set(stage, byBound);
    } else if (name === `${metricName}_sum`) totals.sum += value;
    else if (name === `${metricName}_count`) totals.count += value;
  }
  const result = new Map<ActionStage, StageHistogram>();
  for (const [stage, totals] of sums) {
    const sorted = [...(buckets.get(stage) ?? new Map<number, number>()).entries()].sort((a, b) => a[0] - b[0]);
    result.set(stage, { buckets: sorted, sum: totals.sum, count: totals.count });
  }
  return result;
}

/** after − before, stage by stage, summed over nodes (each pair is one node's two readings). */
export function stageDifference(pairs: readonly { readonly before: StageHistograms; readonly after: StageHistograms }[]): StageHistograms {
  const result = new Map<ActionStage, { buckets: Map<number, number>; sum: number; count: number }>();
  for (const { before, after } of pairs) {
    for (const [stage, later] of after) {
      const earlier = before.get(stage);
      const into = result.get(stage) ?? { buckets: new Map<number, number>(), sum: 0, count: 0 };
      result.set(stage, into);
      into.sum += later.sum - (earlier?.sum ?? 0);
      into.count += later.count - (earlier?.count ?? 0);
      for (const [bound, n] of later.buckets) {
        const was = earlier?.buckets.find(([b]) => b === bound)?.[1] ?? 0;
        into.buckets.set(bound, (into.buckets.get(bound) ?? 0) + n - was);
      }
    }
  }
  return new Map([...result].map(([stage, h]) => [stage, { buckets: [...h.buckets.entries()].sort((a, b) => a[0] - b[0]), sum: h.sum, count: h.count }]));
}

/** The q-quantile in milliseconds, linear within its bucket (the last finite bound when it falls in +Inf). */
export function quantileMs(histogram: StageHistogram, q: number): number {
  const total = histogram.buckets.at(-1)?.[1] ?? 0;
  if (total <= 0) return 0;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const [bound, cumulative] of histogram.buckets) {
    if (cumulative >= rank) {
      if (bound === Infinity) return lowerBound * 1000;
      const inBucket = cumulative - lowerCount;
      const fraction = inBucket === 0 ? 1 : (rank - lowerCount) / inBucket;
      return (lowerBound + (bound - lowerBound) * fraction) * 1000;
    }
    lowerBound = bound;
    lowerCount = cumulative;
  }
  return lowerBound * 1000;
}

export function summarizeStages(histograms: StageHistograms): StageSummary[] {
  return actionStages.flatMap((stage) => {
    const h = histograms.get(stage);
    if (h === undefined || h.count <= 0) return [];
    return [{ stage, count: h.count, meanMs: (h.sum / h.count) * 1000, p50Ms: quantileMs(h, 0.5), p99Ms: quantileMs(h, 0.99) }];
  });
}

/** A node's /metrics text; null when it cannot be read (not served, or behind a token). */
async function scrapeMetrics(url: string, token?: string): Promise<string | null> {
  try {
    const response = await fetch(new URL("/metrics", url), {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(5_000),
    });
    return response.ok ? await response.text() : null;
  } catch {
    return null;
  }
}

/** Reads a node's stage histograms; null when /metrics cannot be read (not served, or behind a token). */
export async function scrapeStages(url: string, token?: string): Promise<StageHistograms | null> {
  const text = await scrapeMetrics(url, token);
  return text === null ? null : parseStageHistograms(text);
}

/** The CPU seconds a node's process has used (`croupier_process_cpu_seconds_total`), summed over its workers. */
export function parseCpuSeconds(text: string): number | null {
  let total: number | null = null;
  for (const line of text.split("\n")) {
    const match = /^croupier_process_cpu_seconds_total(?:\{[^}]*\})?\s+(\S+)/.exec(line);
    if (match === null) continue;
    const value = Number(match[1]);
    if (Number.isFinite(value)) total = (total ?? 0) + value;
  }
  return total;
}

export async function scrapeCpuSeconds(url: string, token?: string): Promise<number | null> {
  const text = await scrapeMetrics(url, token);
  return text === null ? null : parseCpuSeconds(text);
}
