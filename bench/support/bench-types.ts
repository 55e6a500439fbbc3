/** What every benchmark module returns to bench/run.ts. */
export interface BenchMetric {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The target as text, for example "<= 120". */
  readonly target?: string;
  readonly ok?: boolean;
  /** The same figure for the baseline system, measured in the same run. */
  readonly baseline?: number;
  /** value / baseline. */
  readonly ratio?: number;
  readonly note?: string;
}

export interface BenchResult {
  readonly name: string;
  readonly metrics: BenchMetric[];
  /** Lines printed under the table: what was measured, on what, and what could not be. */
  readonly notes?: string[];
}

export interface BenchOptions {
  readonly short?: boolean;
}
