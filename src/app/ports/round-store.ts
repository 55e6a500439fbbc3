/**
 * A round as its table records it (the `round.record` effect, src/app/tables/table-effects.ts): each
 * record of a round moves it on (open, closed, settled or voided), with the bets and payouts known then.
 */
export interface RoundRecord {
  readonly roundId: string;
  readonly tableId: string;
  readonly game: string;
  readonly status: "open" | "closed" | "settled" | "voided";
  readonly atMs: number;
  readonly outcome?: unknown;
  readonly verification?: unknown;
  readonly voidReason?: string;
  readonly bets?: readonly {
    readonly betId: string;
    readonly userId: string;
    readonly currency: string;
    readonly stakeMinor: string;
    readonly detail: unknown;
    readonly placedAtMs: number;
  }[];
  readonly payouts?: readonly { readonly betId: string; readonly payoutMinor: string }[];
}

export interface RecalledBet {
  readonly betId: string;
  readonly userId: string;
  readonly currency: string;
  readonly stakeMinor: bigint;
  readonly payoutMinor: bigint | null;
  readonly detail: unknown;
  readonly placedAt: Date;
}

export interface RecalledRound {
  readonly roundId: string;
  readonly tableId: string;
  readonly game: string;
  readonly status: RoundRecord["status"];
  readonly outcome: unknown;
  readonly verification: unknown;
  readonly voidReason: string | null;
  readonly openedAt: Date;
  readonly closedAt: Date | null;
  readonly settledAt: Date | null;
  readonly bets: readonly RecalledBet[];
}

/** Game recall: each round and its bets as the table's owner records them. Writes are idempotent. */
export interface RoundStore {
  /** Writes the records in one transaction, in order (a later record of a round overrides its status). */
  record(...records: RoundRecord[]): Promise<void>;
  find(roundId: string): Promise<RecalledRound | null>;
  /**
   * Reveals a server seed under the SHA-256 committed before play (idempotent). Rounds whose
   * verification names that hash show the seed from now on (`verification.serverSeed`).
   */
  revealSeed(serverSeedHash: string, serverSeed: string, at: Date): Promise<void>;
  /**
   * The highest nonce recorded in a round `userId` bet in whose verification names `serverSeedHash`;
   * null when none does. A slot machine restored after a failover checks its nonce against it, so a
   * spin paid by an owner that stopped before writing its state is never drawn again. `since`: only
   * bets placed from then on (the machine's last written spin, less a margin), so the read stays short
   * for a player with years of rounds.
   */
  highestNonce(userId: string, serverSeedHash: string, since?: Date): Promise<number | null>;
  /** Rounds in which `userId` placed a bet, newest first. */
  listForUser(userId: string, limit: number, beforeRoundOpenedAt?: Date): Promise<readonly RecalledRound[]>;
  /** Ids of at most `limit` rounds of a table that never ended (open or closed), oldest first. */
  unfinished(game: string, tableId: string, limit: number): Promise<readonly string[]>;
  /** Deletes at most `limit` ended (settled or voided) rounds opened before `cutoff`, with their bets; returns how many. */
  purgeEndedBefore(cutoff: Date, limit: number): Promise<number>;
}
