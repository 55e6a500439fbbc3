/**
 * What a driver process measures: an HDR histogram of latencies (microseconds) per action, errors
 * counted by registry code, and a few counters. Histograms cross process boundaries in HDR's
 * compressed base64 form, so the parent merges them without losing precision.
 */
import * as hdr from "hdr-histogram-js";

export const actions = ["register", "login", "deposit", "connect", "join", "bet", "spin", "sit", "play", "leave", "chat", "note", "resume"] as const;
export type Action = (typeof actions)[number];

/** One hour in microseconds: anything slower is recorded as this (and is an error anyway). */
const latencyUsMax = 3_600_000_000;

export function newHistogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: latencyUsMax, numberOfSignificantValueDigits: 3 });
}

export interface MetricsSnapshot {
  /** Compressed HDR histograms per action, microseconds. */
  readonly histograms: Partial<Record<Action, string>>;
  readonly errors: Record<string, number>;
  readonly counters: Record<string, number>;
}

export class Metrics {
  private readonly histograms = new Map<Action, hdr.Histogram>();
  /** Bet/spin/play/chat/note latencies since the last `takeWindow()`, for the live p99. */
  private window = newHistogram();
  readonly errors = new Map<string, number>();
  readonly counters = new Map<string, number>();

  record(action: Action, startedMs: number, endedMs: number): void {
    const us = Math.min(latencyUsMax, Math.max(1, Math.round((endedMs - startedMs) * 1_000)));
    let histogram = this.histograms.get(action);
    if (histogram === undefined) this.histograms.set(action, (histogram = newHistogram()));
    histogram.recordValue(us);
    if (action === "bet" || action === "spin" || action === "play" || action === "chat" || action === "note") this.window.recordValue(us);
    this.count(`ops.${action}`);
  }

  error(code: string): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  count(name: string, by = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + by);
  }

  errorTotal(): number {
    let total = 0;
    for (const n of this.errors.values()) total += n;
    return total;
  }

  /** The live window's histogram (encoded) and a fresh window. */
  takeWindow(): string {
    const encoded = hdr.encodeIntoCompressedBase64(this.window);
    this.window.destroy();
    this.window = newHistogram();
    return encoded;
  }

  snapshot(): MetricsSnapshot {
    const histograms: Partial<Record<Action, string>> = {};
    for (const [action, h] of this.histograms) histograms[action] = hdr.encodeIntoCompressedBase64(h);
    return { histograms, errors: Object.fromEntries(this.errors), counters: Object.fromEntries(this.counters) };
  }
}

export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

export function summarize(histogram: hdr.Histogram): LatencySummary {
  const ms = (us: number): number => Math.round(us) / 1_000;
  return {
    count: histogram.totalCount,
    p50Ms: ms(histogram.getValueAtPercentile(50)),
    p90Ms: ms(histogram.getValueAtPercentile(90)),
    p99Ms: ms(histogram.getValueAtPercentile(99)),
    p999Ms: ms(histogram.getValueAtPercentile(99.9)),
    maxMs: ms(histogram.maxValue),
    meanMs: ms(histogram.mean),
  };
}

/** Adds encoded histograms into one (the caller destroys it). */
export function mergeEncoded(encoded: readonly string[]): hdr.Histogram {
  const total = newHistogram();
  for (const text of encoded) {
    const h = hdr.decodeFromCompressedBase64(text);
    total.add(h);
    h.destroy();
  }
  return total;
}
