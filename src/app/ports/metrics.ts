/**
 * What the use cases report for operators to see. The Prometheus adapter turns these into metrics
 * (src/adapters/prometheus); `silentMetrics` is the implementation that records nothing, for tools
 * and tests that do not scrape.
 */
/**
 * The stages of a player's action on its way through the system, each timed where it happens:
 * - `parse`: the gateway reads and checks the frame;
 * - `route`: from the gateway to the room's owner and back, the owner's own time excluded (0 when
 *   the owner is the same node; a bus round trip otherwise);
 * - `prepare`: an action's work before the room's queue (a table reserving the stake);
 * - `queue`: waiting in the room's queue for the actions before it;
 * - `effects`: the effects run in order for it (ledger calls, draws, records);
 * - `batch`: waiting for companions to share its log write;
 * - `append`: the room log write that holds its events;
 * - `ledger_queue` / `ledger_commit`: a money call waiting for its batch, and the batch's commit;
 * - `ack`: the reply encoded and written to the socket;
 * - `total`: from the frame read to the reply written, as the gateway sees it.
 */
export const actionStages = ["parse", "route", "prepare", "queue", "effects", "batch", "append", "ledger_queue", "ledger_commit", "ack", "total"] as const;
export type ActionStage = (typeof actionStages)[number];
export type StageObserver = (stage: ActionStage, ms: number) => void;

export interface Metrics {
  /** One stage of one action's path (see `actionStages`). */
  actionStage: StageObserver;
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
  /** An unexpected exception (a bug) answered INTERNAL, by area (`rooms`, …). */
  internalError(area: string): void;
}

export const silentStages: StageObserver = () => undefined;

export const silentMetrics: Metrics = Object.freeze({
  actionStage: silentStages,
  ledgerBatch: () => undefined,
  ledgerRepeat: () => undefined,
  bet: () => undefined,
  roundEnded: () => undefined,
  roundPhase: () => undefined,
  jackpotTotal: () => undefined,
  jackpotWon: () => undefined,
  busMessageRefused: () => undefined,
  internalError: () => undefined,
});
