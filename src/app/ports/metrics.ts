/**
 * What the use cases report for operators to see. The Prometheus adapter turns these into metrics
 * (src/adapters/prometheus); `silentMetrics` is the implementation that records nothing, for tools
 * and tests that do not scrape.
 */
export interface Metrics {
  ledgerBatch(ops: number, commitMs: number): void;
  ledgerRepeat(): void;
  bet(game: string, outcome: "placed" | "refused"): void;
  roundEnded(game: string, outcome: "settled" | "voided", bets: number): void;
  roundPhase(game: string, phase: "betting" | "settling", ms: number): void;
  /** A progressive jackpot's pool as last seen committed (after a spin, or read by the lobby ticker). */
  jackpotTotal(game: string, currency: string, totalMinor: bigint): void;
  /** A jackpot paid (counted once per winning spin, not on replays). */
  jackpotWon(game: string, currency: string): void;
  /** A bus message dropped because its signature did not hold (another deployment, or a forger). */
  busMessageRefused(): void;
}

export const silentMetrics: Metrics = Object.freeze({
  ledgerBatch: () => undefined,
  ledgerRepeat: () => undefined,
  bet: () => undefined,
  roundEnded: () => undefined,
  roundPhase: () => undefined,
  jackpotTotal: () => undefined,
  jackpotWon: () => undefined,
  busMessageRefused: () => undefined,
});
