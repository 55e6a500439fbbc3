/**
 * Reports `croupier certify` wrote (report.json and report.html in a folder per run), as the operator
 * console lists them. The reports are files a certification lab archives; this only reads them.
 */
export interface CertificationReportSummary {
  /** The run's folder name under the reports folder. */
  readonly id: string;
  readonly startedAt: string;
  readonly rng: string;
  readonly passed: boolean;
  readonly alpha: number;
  /** Decisions of the whole run and how many were rejected at the family-wise level. */
  readonly decisions: number;
  readonly rejected: number;
  readonly games: readonly {
    readonly game: string;
    readonly rounds: number;
    readonly passed: boolean;
    readonly rtp: number | null;
    readonly theoreticalRtp: number | null;
  }[];
  readonly hasHtml: boolean;
}

export interface CertificationReports {
  /** The newest `limit` readable reports, newest first (a folder without a readable report.json is skipped). */
  list(limit: number): Promise<readonly CertificationReportSummary[]>;
  /** The run's report.html; null when the run or its page does not exist. */
  html(id: string): Promise<string | null>;
}
