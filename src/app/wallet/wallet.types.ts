import type { AccountBalance, LedgerFailureStatus } from "../../engine/ledger/index.js";
import type { RecordsOnApply } from "../ports/ledger-store.js";

/** What every money-moving wallet call answers. Failures wrote nothing and recorded no key. */
export type WalletResult =
  | {
      readonly status: "ok";
      /** True when this repeats the recorded answer of an earlier call with the same key. */
      readonly replayed: boolean;
      /** The player-side account the call moved (cash, bonus or withdrawals pending), after it. */
      readonly account: AccountBalance;
      /** Every non-system account it touched (a jackpot win adds the pool), after it. */
      readonly balances: readonly AccountBalance[];
      /** For an instant bet that named a progressive jackpot: the pool after it, and what it won (absent if it did not). */
      readonly jackpot?: { readonly poolMinor: bigint; readonly winMinor?: bigint };
    }
  | { readonly status: LedgerFailureStatus };

/** Which of a player's accounts a bet uses. */
export type PlayerPurse = "cash" | "bonus";

export interface JackpotWin {
  readonly jackpotId: string;
  readonly amount: bigint;
}

export interface ReserveBetInput {
  readonly playerId: string;
  readonly currency: string;
  readonly amount: bigint;
  /** Chosen by the game, e.g. `${roundId}:${seat}`; settle and void name it. */
  readonly holdId: string;
  readonly key: string;
  readonly roundId: string;
  readonly purse?: PlayerPurse;
}

export interface SettleBetInput {
  readonly holdId: string;
  readonly key: string;
  readonly currency: string;
  /** The game whose house account takes the stake and pays `win`. */
  readonly gameId: string;
  /** Paid from the house; 0n for a lost bet. */
  readonly win: bigint;
  readonly jackpotWin?: JackpotWin;
}

export interface VoidBetInput {
  readonly holdId: string;
  readonly key: string;
  readonly currency: string;
}

/** A progressive jackpot an instant bet feeds and may win (see InstantJackpot in the ledger). */
export interface ProgressiveJackpot {
  readonly jackpotId: string;
  /** Moved from the game's house to the pool with the stake; 0n for none. */
  readonly contribution: bigint;
  /** The bet won the pool: it is paid whatever the pool holds when the ledger commits it. */
  readonly won: boolean;
  /** The pool is topped up from the house to at least this after every bet; 0n for never. */
  readonly seed: bigint;
}

export interface InstantBetInput {
  readonly playerId: string;
  readonly currency: string;
  readonly gameId: string;
  readonly stake: bigint;
  readonly win: bigint;
  /** A fixed amount from a pool; a progressive jackpot uses `jackpot` instead. */
  readonly jackpotWin?: JackpotWin;
  readonly jackpot?: ProgressiveJackpot;
  readonly key: string;
  readonly roundId: string;
  readonly purse?: PlayerPurse;
  /** The round's game-recall records, written with the bet in one transaction when it is applied (see LedgerStore.submit). */
  readonly records?: RecordsOnApply;
}

export interface MoneyMovementInput {
  readonly playerId: string;
  readonly currency: string;
  readonly amount: bigint;
  readonly key: string;
  /** The provider's payment id, a withdrawal id, an operator ticket. */
  readonly reference: string;
}

export interface BonusMoveInput extends MoneyMovementInput {
  readonly kind: "bonus_grant" | "bonus_conversion" | "bonus_forfeit";
}

export interface DepositInput extends MoneyMovementInput {
  /** The payment provider whose clearing account the money comes from. */
  readonly provider: string;
}

export interface WithdrawalPayoutInput extends MoneyMovementInput {
  readonly provider: string;
}

export interface PlayerBalance {
  readonly accountId: bigint;
  readonly purse: PlayerPurse | "withdrawals_pending";
  readonly currency: string;
  readonly balance: bigint;
  readonly held: bigint;
  readonly available: bigint;
}
