import type { LedgerOp, LedgerOutcome, Payout } from "../../engine/ledger/index.js";
import { findCurrency } from "../../engine/money/index.js";
import type { AccountAddress, HistoryPage, LedgerCheck, LedgerStore, RecordsOnApply } from "../ports/ledger-store.js";
import type {
  BonusMoveInput,
  DepositInput,
  InstantBetInput,
  JackpotWin,
  MoneyMovementInput,
  PlayerBalance,
  PlayerPurse,
  ReserveBetInput,
  SettleBetInput,
  VoidBetInput,
  WalletResult,
  WithdrawalPayoutInput,
} from "./wallet.types.js";

export interface WalletOptions {
  /** Account ids remembered by address, so a bet does not look its accounts up each time. */
  readonly accountCacheEntriesMax: number;
}

export const walletDefaults: WalletOptions = Object.freeze({ accountCacheEntriesMax: 100_000 });

/** The wallet's owners for system accounts. Player accounts are owned by the user id. */
export const systemOwners = Object.freeze({
  game: (gameId: string) => `game:${gameId}`,
  jackpot: (jackpotId: string) => `jackpot:${jackpotId}`,
  payments: (provider: string) => `payments:${provider}`,
  /** The house account bonuses are granted from and forfeited to (one per currency): their cost apart from any game's result. */
  bonuses: () => "bonuses",
});

export interface Wallet {
  reserveBet(input: ReserveBetInput): Promise<WalletResult>;
  settleBet(input: SettleBetInput): Promise<WalletResult>;
  voidBet(input: VoidBetInput): Promise<WalletResult>;
  instantBet(input: InstantBetInput): Promise<WalletResult>;
  deposit(input: DepositInput): Promise<WalletResult>;
  requestWithdrawal(input: MoneyMovementInput): Promise<WalletResult>;
  rejectWithdrawal(input: MoneyMovementInput): Promise<WalletResult>;
  payWithdrawal(input: WithdrawalPayoutInput): Promise<WalletResult>;
  /** A bonus's money step (docs/BONUSES.md): grant (bonus house -> bonus purse), conversion (bonus purse -> cash), forfeit (bonus purse -> bonus house). */
  moveBonus(input: BonusMoveInput): Promise<WalletResult>;
  balances(playerId: string): Promise<readonly PlayerBalance[]>;
  /** A progressive jackpot's pool balance as committed (0n before its first bet): the ledger is the truth. */
  jackpotTotal(jackpotId: string, currency: string): Promise<bigint>;
  history(
    playerId: string,
    currency: string,
    page: { beforeTransferId?: bigint; limit: number },
    purse?: PlayerPurse,
  ): Promise<HistoryPage | { status: "account_not_found" }>;
  check(): Promise<LedgerCheck>;
  /** Ids of a round's holds still pending (reserved but neither settled nor voided), at most `limit`. */
  pendingHolds(roundId: string, limit: number): Promise<readonly string[]>;
}

/**
 * The in-process wallet the games, the HTTP layer and the payments code call. It names accounts by
 * owner (a player, a game, a jackpot, a payment provider), opens them on first use, and hands the
 * ledger operations with bigint amounts already parsed (src/engine/money parses wire strings).
 */
export function createWallet(store: LedgerStore, options: Partial<WalletOptions> = {}): Wallet {
  const config = { ...walletDefaults, ...options };
  const cache = new Map<string, bigint>();

  async function accountId(address: AccountAddress): Promise<bigint> {
    const cacheKey = `${address.kind}|${address.currency}|${address.owner}`;
    const cached = cache.get(cacheKey);
    if (cached !== undefined) return cached;
    const { id } = await store.openAccount(address);
    // Ids never change, so an entry is never stale; the oldest goes when the cache is full.
    if (cache.size >= config.accountCacheEntriesMax) cache.delete(cache.keys().next().value as string);
    cache.set(cacheKey, id);
    return id;
  }

  const player = (playerId: string, currency: string, purse: PlayerPurse = "cash") =>
    accountId({ owner: playerId, kind: purse === "cash" ? "player_cash" : "player_bonus", currency });
  const house = (gameId: string, currency: string) => accountId({ owner: systemOwners.game(gameId), kind: "house", currency });
  const pending = (playerId: string, currency: string) => accountId({ owner: playerId, kind: "withdrawals_pending", currency });
  const pool = (jackpotId: string, currency: string) => accountId({ owner: systemOwners.jackpot(jackpotId), kind: "jackpot_pool", currency });
  const clearing = (provider: string, currency: string) => accountId({ owner: systemOwners.payments(provider), kind: "payment_clearing", currency });

  async function payouts(gameId: string, currency: string, win: bigint, jackpot: JackpotWin | undefined): Promise<Payout[]> {
    const list: Payout[] = [];
    // A zero win is no transfer; a negative one is passed on so the ledger refuses it as amount_invalid.
    if (win !== 0n) list.push({ fromAccountId: await house(gameId, currency), amount: win });
    if (jackpot !== undefined) {
      list.push({ fromAccountId: await pool(jackpot.jackpotId, currency), amount: jackpot.amount });
    }
    return list;
  }

  /** Refuses an unknown currency before any account is opened in it. */
  async function submit(currency: string, build: () => Promise<LedgerOp>, records?: RecordsOnApply): Promise<WalletResult & { ledgerJackpot?: LedgerJackpot }> {
    if (findCurrency(currency) === null) return { status: "currency_unknown" };
    return toResult(await store.submit(await build(), records));
  }

  async function move(kind: "withdrawal_request" | "withdrawal_reject", input: MoneyMovementInput): Promise<WalletResult> {
    return submit(input.currency, async () => {
      const cash = await player(input.playerId, input.currency);
      const held = await pending(input.playerId, input.currency);
      const [debitAccountId, creditAccountId] = kind === "withdrawal_request" ? [cash, held] : [held, cash];
      return {
        type: "transfer",
        kind,
        key: input.key,
        currency: input.currency,
        debitAccountId,
        creditAccountId,
        amount: input.amount,
        reference: input.reference,
      };
    });
  }

  return {
    reserveBet: (input) =>
      submit(input.currency, async () => ({
        type: "reserve",
        key: input.key,
        currency: input.currency,
        holdId: input.holdId,
        accountId: await player(input.playerId, input.currency, input.purse),
        amount: input.amount,
        reference: input.roundId,
      })),
    settleBet: (input) =>
      submit(input.currency, async () => ({
        type: "settle",
        key: input.key,
        currency: input.currency,
        holdId: input.holdId,
        houseAccountId: await house(input.gameId, input.currency),
        payouts: await payouts(input.gameId, input.currency, input.win, input.jackpotWin),
      })),
    voidBet: (input) => submit(input.currency, async () => ({ type: "void", key: input.key, currency: input.currency, holdId: input.holdId })),
    async instantBet(input) {
      const jackpot = input.jackpot;
      const poolId = jackpot === undefined || findCurrency(input.currency) === null ? null : await pool(jackpot.jackpotId, input.currency);
      const result = await submit(
        input.currency,
        async () => ({
          type: "instant",
          key: input.key,
          currency: input.currency,
          accountId: await player(input.playerId, input.currency, input.purse),
          houseAccountId: await house(input.gameId, input.currency),
          stake: input.stake,
          payouts: await payouts(input.gameId, input.currency, input.win, input.jackpotWin),
          reference: input.roundId,
          ...(jackpot === undefined || poolId === null
            ? {}
            : { jackpot: { poolAccountId: poolId, contribution: jackpot.contribution, won: jackpot.won, seed: jackpot.seed } }),
        }),
        input.records,
      );
      if (result.status !== "ok" || poolId === null) return result;
      const { ledgerJackpot, ...paid } = result;
      if (ledgerJackpot === undefined) throw new Error("ledger invariant violated: a jackpot bet did not report its pool");
      return { ...paid, jackpot: { poolMinor: ledgerJackpot.pool, ...(ledgerJackpot.win === undefined ? {} : { winMinor: ledgerJackpot.win }) } };
    },
    deposit: (input) =>
      submit(input.currency, async () => ({
        type: "transfer",
        kind: "deposit",
        key: input.key,
        currency: input.currency,
        debitAccountId: await clearing(input.provider, input.currency),
        creditAccountId: await player(input.playerId, input.currency),
        amount: input.amount,
        reference: input.reference,
      })),
    requestWithdrawal: (input) => move("withdrawal_request", input),
    rejectWithdrawal: (input) => move("withdrawal_reject", input),
    payWithdrawal: (input) =>
      submit(input.currency, async () => ({
        type: "transfer",
        kind: "withdrawal_payout",
        key: input.key,
        currency: input.currency,
        debitAccountId: await pending(input.playerId, input.currency),
        creditAccountId: await clearing(input.provider, input.currency),
        amount: input.amount,
        reference: input.reference,
      })),
    moveBonus: (input) =>
      submit(input.currency, async () => {
        const bonus = await player(input.playerId, input.currency, "bonus");
        const other =
          input.kind === "bonus_conversion"
            ? await player(input.playerId, input.currency, "cash")
            : await accountId({ owner: systemOwners.bonuses(), kind: "house", currency: input.currency });
        const [debitAccountId, creditAccountId] = input.kind === "bonus_grant" ? [other, bonus] : [bonus, other];
        return {
          type: "transfer",
          kind: input.kind,
          key: input.key,
          currency: input.currency,
          debitAccountId,
          creditAccountId,
          amount: input.amount,
          reference: input.reference,
        };
      }),
    async balances(playerId) {
      const purses = { player_cash: "cash", player_bonus: "bonus", withdrawals_pending: "withdrawals_pending" } as const;
      return (await store.accountsOf(playerId)).flatMap((a) => {
        const purse = a.kind in purses ? purses[a.kind as keyof typeof purses] : null;
        return purse === null ? [] : [{ accountId: a.id, purse, currency: a.currency, balance: a.balance, held: a.held, available: a.balance - a.held }];
      });
    },
    async jackpotTotal(jackpotId, currency) {
      return (await store.findAccount({ owner: systemOwners.jackpot(jackpotId), kind: "jackpot_pool", currency }))?.balance ?? 0n;
    },
    async history(playerId, currency, page, purse = "cash") {
      const account = await store.findAccount({ owner: playerId, kind: purse === "cash" ? "player_cash" : "player_bonus", currency });
      if (account === null) return { status: "account_not_found" };
      return store.history(account.id, page);
    },
    check: () => store.check(),
    pendingHolds: (roundId, limit) => store.pendingHolds(roundId, limit),
  };
}

type LedgerJackpot = Extract<LedgerOutcome, { status: "ok" }>["jackpot"];

function toResult(outcome: LedgerOutcome): WalletResult & { ledgerJackpot?: LedgerJackpot } {
  if (outcome.status !== "ok") return outcome;
  const account = outcome.balances[0];
  if (account === undefined) throw new Error("ledger invariant violated: an accepted operation touched no player-side account");
  return {
    status: "ok",
    replayed: outcome.replayed,
    account,
    balances: outcome.balances,
    ...(outcome.jackpot === undefined ? {} : { ledgerJackpot: outcome.jackpot }),
  };
}
