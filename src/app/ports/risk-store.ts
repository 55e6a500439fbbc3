import type { RiskActionKind, RuleHistory } from "../../engine/risk/index.js";

/** One action on a player, by the risk engine (`rule` names the rule) or an operator (`rule` is `operator`). */
export interface RiskAction {
  readonly id: string;
  readonly userId: string;
  readonly rule: string;
  readonly action: RiskActionKind;
  readonly evidence: Readonly<Record<string, unknown>>;
  /** The player's risk score when the action was taken, 0..1; null when none was computed. */
  readonly score: number | null;
  readonly atMs: number;
  readonly reversed: { readonly atMs: number; readonly by: string; readonly reason: string } | null;
}

/** What a player's play is held to beyond the tables' own limits. */
export interface RiskLimit {
  readonly userId: string;
  /** Bets a minute across all the player's devices; null: no cap. */
  readonly betsPerMinuteMax: number | null;
  /** Largest stake of one bet, minor units of any currency; null: no cap. */
  readonly stakeMinorMax: bigint | null;
  /** Game kinds (`slots`, `roulette`, ...) the player may not bet at. */
  readonly gamesBlocked: readonly string[];
  readonly setBy: string;
  readonly reason: string;
  /** The risk action that set it, if the risk engine did. */
  readonly actionId: string | null;
  readonly atMs: number;
}

/** A player as an operator inspects them: sessions and devices from the accounts, money and bets from their tables. */
export interface RiskProfile {
  readonly sessions: readonly { readonly id: string; readonly deviceId: string; readonly createdMs: number; readonly revokedMs: number | null }[];
  /** Other accounts that had a session on one of this player's devices in the last 24 hours. */
  readonly linkedAccounts: readonly { readonly userId: string; readonly deviceId: string }[];
  readonly recentBets: readonly {
    readonly roundId: string;
    readonly game: string;
    readonly currency: string;
    readonly stakeMinor: bigint;
    readonly payoutMinor: bigint | null;
    readonly atMs: number;
  }[];
  readonly betsLastMinute: number;
  readonly microBetsLastMinute: number;
  readonly devicesLastHour: number;
  readonly depositsLastHour: number;
  readonly withdrawalsLastDay: number;
}

export interface RiskActionQuery {
  readonly userId?: string;
  /** Only actions not reversed. */
  readonly open?: boolean;
  readonly action?: RiskActionKind;
  readonly beforeId?: string;
  readonly limit: number;
}

export interface RiskStore {
  recordAction(input: Omit<RiskAction, "id" | "reversed">): Promise<RiskAction>;
  actions(query: RiskActionQuery): Promise<readonly RiskAction[]>;
  action(id: string): Promise<RiskAction | null>;
  /** How far `rule` has escalated for the player since `sinceMs`: its actions not reversed, and the last one's time. */
  history(userId: string, rule: string, sinceMs: number): Promise<RuleHistory>;
  /** Marks an action reversed; null when there is no such action, the action unchanged when it was reversed already. */
  reverse(id: string, by: string, reason: string, atMs: number): Promise<RiskAction | null>;
  setLimit(limit: RiskLimit): Promise<void>;
  /** Removes the player's limit; `onlyActionId` removes it only if that action set it (a later operator's limit stays). */
  clearLimit(userId: string, onlyActionId?: string): Promise<boolean>;
  limit(userId: string): Promise<RiskLimit | null>;
  /** Every limit in force: the few players who have one, which every node keeps in memory. */
  limits(): Promise<readonly RiskLimit[]>;
  profile(userId: string, nowMs: number, microStakeMinorMax: bigint): Promise<RiskProfile>;
  userExists(userId: string): Promise<boolean>;
}
