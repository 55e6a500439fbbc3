/**
 * The effects table behaviors ask their host to run. All values are JSON-safe (amounts are decimal
 * strings of minor units) because they also travel inside snapshots.
 */
export interface ReserveEffect {
  readonly type: "wallet.reserve";
  readonly playerId: string;
  readonly currency: string;
  readonly amountMinor: string;
  readonly holdId: string;
  readonly roundId: string;
}

export interface SettleItem { readonly holdId: string; readonly winMinor: string }

export interface SettleEffect { readonly type: "wallet.settle"; readonly gameId: string; readonly currency: string; readonly items: readonly SettleItem[] }
export interface VoidEffect { readonly type: "wallet.void"; readonly currency: string; readonly holdIds: readonly string[] }
export interface DrawEffect { readonly type: "rng.uniform"; readonly n: number }

export interface RoundRecord {
  readonly roundId: string;
  readonly tableId: string;
  readonly game: string;
  readonly status: "open" | "closed" | "settled" | "voided";
  readonly atMs: number;
  readonly outcome?: unknown;
  readonly verification?: unknown;
  readonly voidReason?: string;
  readonly bets?: readonly { readonly betId: string; readonly userId: string; readonly currency: string; readonly stakeMinor: string; readonly detail: unknown; readonly placedAtMs: number }[];
  readonly payouts?: readonly { readonly betId: string; readonly payoutMinor: string }[];
}

export interface RecordEffect { readonly type: "round.record"; readonly record: RoundRecord }

export type TableEffect = ReserveEffect | SettleEffect | VoidEffect | DrawEffect | RecordEffect;

/** What a reservation answered: the ledger status and, when it worked, the player's available balance. */
export interface ReserveResult { readonly status: string; readonly availableMinor?: string }
/** Settlement and void answer the statuses in item order; anything but "ok" is retried by the next tick. */
export interface BatchResult { readonly statuses: readonly string[] }
