import type { GameWeights } from "../../engine/bonus/index.js";

export const bonusStatuses = ["pending", "active", "converted", "expired", "cancelled"] as const;
export type BonusStatus = (typeof bonusStatuses)[number];
export type BonusKind = "welcome" | "manual";
/** How a bonus ended: its wagering was complete, its time ran out, an operator cancelled it. */
export type BonusEnd = "converted" | "expired" | "cancelled";

/** One bonus as stored (docs/BONUSES.md). Amounts in minor units of `currency`. */
export interface BonusRecord {
  readonly id: string;
  readonly userId: string;
  readonly currency: string;
  readonly kind: BonusKind;
  /** pending: recorded, its grant not yet confirmed by the ledger; active: bettable and wagering. */
  readonly status: BonusStatus;
  readonly amountMinor: bigint;
  readonly wageringRequiredMinor: bigint;
  readonly wageredMinor: bigint;
  readonly maxBetMinor: bigint;
  readonly weights: GameWeights;
  readonly expiresMs: number;
  readonly grantedBy: string;
  readonly createdMs: number;
  readonly activatedMs: number | null;
  readonly endedMs: number | null;
  readonly endReason: string | null;
  /** The amount the last money step (conversion or forfeit) is moving, set before the ledger call. */
  readonly closingMinor: bigint | null;
  /** What the last money step moved (0 when nothing was left); null while it is still to be done. */
  readonly closedMinor: bigint | null;
  readonly closedMs: number | null;
}

export interface NewBonus {
  readonly userId: string;
  readonly currency: string;
  readonly kind: BonusKind;
  readonly amountMinor: bigint;
  readonly wageringRequiredMinor: bigint;
  readonly maxBetMinor: bigint;
  readonly weights: GameWeights;
  readonly expiresMs: number;
  readonly grantedBy: string;
  /** Unique: the same request (a retried operator grant, a second welcome claim) finds the bonus it made. */
  readonly requestKey: string;
  readonly createdMs: number;
}

export type CreateResult =
  | { readonly status: "created" | "existing"; readonly bonus: BonusRecord }
  /** The player has a bonus in this currency that is not closed yet. */
  | { readonly status: "open_exists" }
  /** A welcome bonus: this account already had one. */
  | { readonly status: "welcome_taken" }
  /** A welcome bonus: another account that shares a device with this one already had one. */
  | { readonly status: "device_linked"; readonly linkedUserId: string }
  | { readonly status: "player_not_found" };

/** A stake that counted (or not) towards a bonus's wagering; `ref` is the bet's hold or round, so a retry counts once. */
export interface BonusWager {
  readonly bonusId: string;
  readonly ref: string;
  readonly game: string;
  readonly stakeMinor: bigint;
  readonly countedMinor: bigint;
  readonly reason: string;
  readonly atMs: number;
}

export interface BonusStore {
  /**
   * Records a pending bonus. For a welcome bonus, judged and inserted under one lock every welcome claim
   * takes, so two accounts on one device claiming at once are judged one after the other.
   */
  create(bonus: NewBonus): Promise<CreateResult>;
  find(id: string): Promise<BonusRecord | null>;
  /** The player's active bonus in `currency`, if any. */
  active(userId: string, currency: string): Promise<BonusRecord | null>;
  /** The player's bonuses, newest first. */
  listForUser(userId: string, limit: number): Promise<readonly BonusRecord[]>;
  list(query: { readonly status?: BonusStatus; readonly limit: number }): Promise<readonly BonusRecord[]>;
  /** Players who have an active bonus (every node keeps this set). */
  activeUsers(): Promise<readonly string[]>;
  /** pending -> active, once the grant is in the ledger. */
  activate(id: string, nowMs: number): Promise<void>;
  /** active -> converted / expired / cancelled; null when it was not active (already ended). */
  end(id: string, status: BonusEnd, reason: string, nowMs: number): Promise<BonusRecord | null>;
  /** Sets (or, with null, clears) the amount the closing money step moves; only while it is not closed. */
  setClosing(id: string, amountMinor: bigint | null): Promise<void>;
  /** The last money step is done. */
  close(id: string, amountMinor: bigint, nowMs: number): Promise<void>;
  /**
   * Counts a stake towards an active bonus (once per ref) and answers the wagering after it; null when
   * the bonus is no longer active.
   */
  addWager(wager: BonusWager): Promise<{ readonly wageredMinor: bigint; readonly requiredMinor: bigint } | null>;
  /** Bonuses the jobs must look at: pending ones, active ones expired or fully wagered, ended ones not closed. */
  due(nowMs: number, limit: number): Promise<readonly BonusRecord[]>;
}
