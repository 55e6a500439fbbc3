// The load test's stage breakdown: Prometheus text in, per-stage counts and quantiles out.
import { describe, expect, it } from "vitest";
import { parseCpuSeconds, parseStageHistograms, quantileMs, stageDifference, summarizeStages } from "../../src/cli/loadtest/stages.js";
import { match } from "../support/matchers.js";

const exposition = (n: number, worker = "") => `# HELP croupier_action_stage_seconds time an action spends in each stage
# TYPE croupier_action_stage_seconds histogram
croupier_action_stage_seconds_bucket{${worker}le="0.001",stage="append"} ${n}
croupier_action_stage_seconds_bucket{${worker}le="0.01",stage="append"} ${2 * n}
croupier_action_stage_seconds_bucket{${worker}le="+Inf",stage="append"} ${2 * n}
croupier_action_stage_seconds_sum{${worker}stage="append"} ${n * 0.011}
croupier_action_stage_seconds_count{${worker}stage="append"} ${2 * n}
croupier_action_stage_seconds_bucket{${worker}le="+Inf",stage="nonsense"} 5
croupier_ledger_commit_seconds_count 3
`;

describe("stage histograms", () => {
  it("parses one stage, summing workers, and ignores other metrics and unknown stages", () => {
    const parsed = parseStageHistograms(exposition(10, 'worker="1",') + exposition(5, 'worker="2",'));
    expect([...parsed.keys()]).toEqual(["append"]);
    expect(parsed.get("append")).toEqual({
      buckets: [
        [0.001, 15],
        [0.01, 30],
        [Infinity, 30],
      ],
      sum: 15 * 0.011,
      count: 30,
    });
  });

  it("reports the difference over a run, and quantiles interpolated within buckets", () => {
    const before = parseStageHistograms(exposition(10));
    const after = parseStageHistograms(exposition(60));
    const diff = stageDifference([{ before, after }]);
    const append = diff.get("append");
    expect(append?.count).toBe(100);
    expect(append?.buckets).toEqual([
      [0.001, 50],
      [0.01, 100],
      [Infinity, 100],
    ]);
    // Half the actions are at or under 1 ms: the median is the bucket's bound; p99 is 99% into the next.
    expect(quantileMs(append as NonNullable<typeof append>, 0.5)).toBeCloseTo(1, 6);
    expect(quantileMs(append as NonNullable<typeof append>, 0.99)).toBeCloseTo(1 + 9 * 0.98, 6);
    expect(summarizeStages(diff)).toEqual([
      { stage: "append", count: 100, meanMs: match.closeTo(5.5, 6), p50Ms: match.closeTo(1, 6), p99Ms: match.closeTo(9.82, 6) },
    ]);
  });

  it("reads a node's CPU seconds, summed over its workers, and nothing where the metric is absent", () => {
    const text = `# HELP croupier_process_cpu_seconds_total Total user and system CPU time spent in seconds.
# TYPE croupier_process_cpu_seconds_total counter
croupier_process_cpu_seconds_total{worker="0"} 12.5
croupier_process_cpu_seconds_total{worker="1"} 2.25
croupier_process_cpu_user_seconds_total 99`;
    expect(parseCpuSeconds(text)).toBe(14.75);
    expect(parseCpuSeconds("croupier_process_cpu_seconds_total 3\n")).toBe(3);
    expect(parseCpuSeconds(exposition(1))).toBeNull();
  });
});
