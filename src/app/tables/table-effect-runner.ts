import { uniformInt } from "../../engine/rng/uniform.js";
import type { Rng } from "../../engine/rng/rng.js";
import type { RoundStore } from "../ports/round-store.js";
import type { Wallet } from "../wallet/index.js";
import { effectRunner, type EffectRunner } from "../rooms/room-behavior.js";
import type { RecoverEffect, RecoverResult, RoundRecord, SweepEffect, SweepResult, TableEffects } from "./table-effects.js";
import { silentMetrics, type Metrics } from "../ports/metrics.js";
import type { Clock } from "../ports/clock.js";
import type { RiskSignal } from "../../engine/risk/index.js";
import type { RiskRefusal } from "../risk/risk-gate.js";
import type { BetLimits } from "../responsible-gaming/bet-limits.js";
import type { BonusBetPlan, BonusBets } from "../bonuses/bonus-bets.js";
import type { PlayerPurse, WalletResult } from "../wallet/index.js";

/**
 * A hold'em hand's risk signal, from its closed record (the outcome names who folded and the pots'
 * winners by seat; the bets name each seat's player): who put chips in, folded, won, and whether it
 * reached a showdown. Other games' records give none.
 */
export function handSignal(record: RoundRecord): RiskSignal | null {
  if (record.game !== "holdem" || record.status !== "closed" || record.bets === undefined || record.bets.length < 2) return null;
  const outcome = record.outcome as
    { players?: { seat: number; folded: boolean }[]; pots?: { awards: { seat: number }[] }[]; showdown?: unknown[] } | undefined;
  const winners = new Set((outcome?.pots ?? []).flatMap((p) => p.awards.map((a) => a.seat)));
  const folded = new Set((outcome?.players ?? []).filter((p) => p.folded).map((p) => p.seat));
  const players = record.bets.map((b) => {
    const seat = (b.detail as { seat?: number } | null)?.seat ?? -1;
    return { userId: b.userId, folded: folded.has(seat), won: winners.has(seat) };
  });
  return {
    kind: "hand",
    userId: players[0]?.userId ?? "",
    atMs: record.atMs,
    tableId: record.tableId,
    players,
    showdown: (outcome?.showdown?.length ?? 0) > 0,
  };
}

/** The risk engine at the bet: limits judged before the ledger is asked, and a signal for each bet (docs/RISK.md). */
export interface BetRisk {
  admit(userId: string, game: string, stakeMinor: bigint): RiskRefusal | Promise<RiskRefusal>;
  emit(signal: RiskSignal): void;
}

/**
 * Runs table effects against the wallet, the RNG boundary and the round store. Every ledger call is
 * keyed by its hold, so running an effect twice (a retry, a new owner after a failover) moves money once.
 */
export function createTableEffectRunner(deps: {
  wallet: Wallet;
  rng: Rng;
  rounds: RoundStore;
  clock: Clock;
  metrics?: Metrics;
  risk?: BetRisk;
  /** Players' wager and loss limits (docs/RESPONSIBLE-GAMING.md). */
  betLimits?: Pick<BetLimits, "judge" | "forget" | "paid">;
  /** Players' active bonuses: max bet, the purse a stake is taken from, wagering (docs/BONUSES.md). */
  bonuses?: Pick<BonusBets, "prepare" | "taken" | "roundClosed">;
}): EffectRunner {
  const metrics = deps.metrics ?? silentMetrics;
  /** The bonus side's plan for a bet: null (no I/O) for a player without an active bonus. */
  async function bonusPlan(userId: string, game: string, currency: string, amountMinor: string): Promise<BonusBetPlan | null> {
    return (await deps.bonuses?.prepare({ userId, game, currency, stakeMinor: BigInt(amountMinor) })) ?? null;
  }
  /**
   * Runs a bet on the purse the bonus side chose. A retry whose first attempt took the other purse (the
   * balances moved in between) conflicts with its own key: it is replayed on that purse instead.
   */
  async function onPurse(plan: BonusBetPlan | null, run: (purse: { purse?: PlayerPurse }) => Promise<WalletResult>): Promise<WalletResult> {
    if (plan === null || plan.refused) return run({});
    const result = await run({ purse: plan.purse });
    return result.status === "idempotency_key_conflict" ? run({ purse: plan.purse === "cash" ? "bonus" : "cash" }) : result;
  }
  /**
   * What may refuse a bet before the ledger is asked: a risk limit (the attempt is still reported to the
   * risk engine), then the player's own wager and loss limits. Null: go on.
   */
  async function betCheck(bet: {
    userId: string;
    game: string;
    tableId: string;
    currency: string;
    amountMinor: string;
    ref: string;
    winMinor: bigint;
  }): Promise<{ readonly status: string; readonly reason: string } | null> {
    const { userId, game, tableId, currency, amountMinor } = bet;
    const risk = deps.risk;
    const verdict = risk === undefined ? null : await risk.admit(userId, game, BigInt(amountMinor));
    if (verdict?.refused === true) {
      risk?.emit({ kind: "bet", userId, atMs: deps.clock.nowMs(), game, tableId, currency, amountMinor, limited: true });
      metrics.bet(game, "refused");
      return { status: "risk_limited", reason: verdict.reason };
    }
    const limits =
      deps.betLimits === undefined
        ? null
        : await deps.betLimits.judge({ userId, currency, ref: bet.ref, stakeMinor: BigInt(amountMinor), winMinor: bet.winMinor });
    if (limits?.refused === true) {
      metrics.bet(game, "refused");
      return { status: limits.status, reason: limits.reason };
    }
    return null;
  }
  function betPlaced(userId: string, game: string, tableId: string, currency: string, amountMinor: string): void {
    deps.risk?.emit({ kind: "bet", userId, atMs: deps.clock.nowMs(), game, tableId, currency, amountMinor, limited: false });
  }
  // When each round entered its current phase, to report phase durations (bounded: one entry per live round).
  const phaseStart = new Map<string, number>();
  function observe(record: RoundRecord): void {
    const since = phaseStart.get(record.roundId);
    if (record.status === "open") phaseStart.set(record.roundId, record.atMs);
    if (record.status === "closed") {
      if (since !== undefined) metrics.roundPhase(record.game, "betting", record.atMs - since);
      phaseStart.set(record.roundId, record.atMs);
    }
    if (record.status === "settled" || record.status === "voided") {
      if (since !== undefined && record.status === "settled") metrics.roundPhase(record.game, "settling", record.atMs - since);
      metrics.roundEnded(record.game, record.status, record.payouts?.length ?? 0);
      phaseStart.delete(record.roundId);
    }
    if (phaseStart.size > 10_000) phaseStart.delete(phaseStart.keys().next().value as string);
  }
  return effectRunner<TableEffects>({
    "rng.uniform": (effect) => uniformInt(deps.rng, effect.n),
    "rng.seed": () => Array.from({ length: 8 }, () => deps.rng.nextUint32().toString(16).padStart(8, "0")).join(""),
    "fairness.reveal": async (effect) => {
      await deps.rounds.revealSeed(effect.serverSeedHash, effect.serverSeed, new Date(effect.atMs));
      return null;
    },
    "fairness.nonce": (effect) =>
      deps.rounds.highestNonce(effect.userId, effect.serverSeedHash, effect.sinceMs === undefined ? undefined : new Date(effect.sinceMs)),
    "wallet.reserve": async (effect) => {
      const bonus = await bonusPlan(effect.playerId, effect.game, effect.currency, effect.amountMinor);
      if (bonus?.refused === true) {
        metrics.bet(effect.game, "refused");
        return { status: bonus.status, reason: bonus.reason };
      }
      const refused = await betCheck({
        userId: effect.playerId,
        game: effect.game,
        tableId: effect.roundId,
        currency: effect.currency,
        amountMinor: effect.amountMinor,
        ref: effect.holdId,
        winMinor: 0n,
      });
      if (refused !== null) return refused;
      const result = await onPurse(bonus, (purse) =>
        deps.wallet.reserveBet({
          playerId: effect.playerId,
          currency: effect.currency,
          amount: BigInt(effect.amountMinor),
          holdId: effect.holdId,
          key: `reserve:${effect.holdId}`,
          roundId: effect.roundId,
          ...purse,
        }),
      );
      metrics.bet(effect.game, result.status === "ok" ? "placed" : "refused");
      if (result.status !== "ok") await deps.betLimits?.forget([effect.holdId]);
      if (result.status === "ok") await deps.bonuses?.taken(bonus, { ref: effect.holdId, game: effect.game, stakeMinor: BigInt(effect.amountMinor) });
      if (result.status === "ok" && !result.replayed) betPlaced(effect.playerId, effect.game, effect.roundId, effect.currency, effect.amountMinor);
      return result.status === "ok" ? { status: "ok", availableMinor: (result.account.balance - result.account.held).toString() } : { status: result.status };
    },
    "wallet.settle": async (effect) => {
      const results = await Promise.all(
        effect.items.map((item) =>
          deps.wallet.settleBet({
            holdId: item.holdId,
            key: `settle:${item.holdId}`,
            currency: effect.currency,
            gameId: effect.gameId,
            win: BigInt(item.winMinor),
          }),
        ),
      );
      await deps.betLimits?.paid(
        effect.items.filter((_, i) => results[i]?.status === "ok").map((item) => ({ ref: item.holdId, winMinor: BigInt(item.winMinor) })),
      );
      return { statuses: results.map((r) => r.status) };
    },
    "wallet.void": async (effect) => {
      const results = await Promise.all(effect.holdIds.map((holdId) => deps.wallet.voidBet({ holdId, key: `void:${holdId}`, currency: effect.currency })));
      await deps.betLimits?.forget(effect.holdIds.filter((_, i) => results[i]?.status === "ok"));
      return { statuses: results.map((r) => r.status) };
    },
    "wallet.sweep": (effect) => sweepRound(deps.wallet, effect),
    "rounds.recover": (effect) => recoverRounds(deps.wallet, deps.rounds, effect),
    "wallet.instant": async (effect) => {
      const bonus = await bonusPlan(effect.playerId, effect.game, effect.currency, effect.stakeMinor);
      if (bonus?.refused === true) {
        metrics.bet(effect.game, "refused");
        return { status: bonus.status, reason: bonus.reason };
      }
      const refused = await betCheck({
        userId: effect.playerId,
        game: effect.game,
        tableId: effect.gameId,
        currency: effect.currency,
        amountMinor: effect.stakeMinor,
        ref: effect.roundId,
        winMinor: BigInt(effect.winMinor),
      });
      if (refused !== null) return refused;
      const jackpot = effect.jackpot;
      // Paid: only now does the round exist in game recall (a refused bet leaves no trace of its draw),
      // written in the bet's own ledger transaction.
      const records = (applied: { readonly jackpot?: { readonly win?: bigint } }): RoundRecord[] => [
        ...(effect.record === undefined ? [] : [effect.record]),
        {
          roundId: effect.roundId,
          tableId: effect.gameId,
          game: effect.game,
          status: "settled",
          atMs: deps.clock.nowMs(),
          payouts: [{ betId: "spin", payoutMinor: (BigInt(effect.winMinor) + (applied.jackpot?.win ?? 0n)).toString() }],
        },
      ];
      const result = await onPurse(bonus, (purse) =>
        deps.wallet.instantBet({
          playerId: effect.playerId,
          currency: effect.currency,
          gameId: effect.gameId,
          stake: BigInt(effect.stakeMinor),
          win: BigInt(effect.winMinor),
          key: `instant:${effect.roundId}`,
          roundId: effect.roundId,
          records,
          ...purse,
          ...(jackpot === undefined
            ? {}
            : {
                jackpot: { jackpotId: jackpot.jackpotId, contribution: BigInt(jackpot.contributionMinor), won: jackpot.won, seed: BigInt(jackpot.seedMinor) },
              }),
        }),
      );
      metrics.bet(effect.game, result.status === "ok" ? "placed" : "refused");
      // The spin's win was known when it was judged: nothing is left to record for its limits.
      await (result.status === "ok" ? deps.betLimits?.paid([{ ref: effect.roundId, winMinor: 0n }]) : deps.betLimits?.forget([effect.roundId]));
      if (result.status !== "ok") return { status: result.status };
      await deps.bonuses?.taken(bonus, { ref: effect.roundId, game: effect.game, stakeMinor: BigInt(effect.stakeMinor) });
      if (!result.replayed) betPlaced(effect.playerId, effect.game, effect.gameId, effect.currency, effect.stakeMinor);
      const jackpotWin = result.jackpot?.winMinor;
      if (result.jackpot !== undefined) {
        metrics.jackpotTotal(effect.gameId, effect.currency, result.jackpot.poolMinor);
        if (jackpotWin !== undefined && !result.replayed) metrics.jackpotWon(effect.gameId, effect.currency);
      }
      // A replay (a retry of a bet the ledger already holds) answers the outcome recorded with it the first time.
      const found = result.replayed ? await deps.rounds.find(effect.roundId) : null;
      const recorded = found?.outcome ? { outcome: found.outcome, verification: found.verification } : undefined;
      metrics.roundEnded(effect.game, "settled", 1);
      return {
        status: "ok",
        availableMinor: (result.account.balance - result.account.held).toString(),
        ...(result.jackpot === undefined ? {} : { jackpotTotalMinor: result.jackpot.poolMinor.toString() }),
        ...(jackpotWin === undefined ? {} : { jackpotWinMinor: jackpotWin.toString() }),
        ...(result.replayed ? { replayed: true } : {}),
        ...(recorded === undefined ? {} : { recorded }),
      };
    },
    "round.record": async (effect) => {
      await deps.rounds.record(effect.record);
      observe(effect.record);
      // A closed roulette round's bets count towards wagering, hedges excepted (docs/BONUSES.md).
      await deps.bonuses?.roundClosed(effect.record);
      if (deps.risk !== undefined) {
        const hand = handSignal(effect.record);
        if (hand !== null) deps.risk.emit(hand);
      }
      return null;
    },
  });
}

const sweepPageHolds = 1_000;

/** Voids the holds still pending under a reference (but those in `keep`), a page at a time; each void is keyed by its hold. */
async function sweepRound(wallet: Wallet, effect: SweepEffect): Promise<SweepResult> {
  const keep = new Set(effect.keep ?? []);
  let voided = 0;
  for (;;) {
    const holds = await wallet.pendingHolds(effect.roundId, sweepPageHolds);
    const orphans = holds.filter((holdId) => !keep.has(holdId));
    const results = await Promise.all(orphans.map((holdId) => wallet.voidBet({ holdId, key: `void:${holdId}`, currency: effect.currency })));
    if (results.some((r) => r.status !== "ok")) return { status: "failed", voided };
    voided += orphans.length;
    // A full page of kept holds only would come back the same: stop there.
    if (holds.length < sweepPageHolds || orphans.length === 0) return { status: "ok", voided };
  }
}

/** A page of a table's unfinished rounds at a time; the rest wait for the table's next fresh start. */
const recoverRoundsMax = 100;

async function recoverRounds(wallet: Wallet, rounds: RoundStore, effect: RecoverEffect): Promise<RecoverResult> {
  const recovered: { roundId: string; refunded: number }[] = [];
  const mine = effect.rounds;
  const ours = (roundId: string): boolean => (mine === undefined ? true : "prefix" in mine ? roundId.startsWith(mine.prefix) : !roundId.includes(mine.without));
  for (const roundId of (await rounds.unfinished(effect.game, effect.tableId, recoverRoundsMax)).filter(ours)) {
    const swept = await sweepRound(wallet, { type: "wallet.sweep", currency: effect.currency, roundId });
    if (swept.status !== "ok") continue;
    await rounds.record({ roundId, tableId: effect.tableId, game: effect.game, status: "voided", atMs: effect.atMs, voidReason: effect.reason });
    recovered.push({ roundId, refunded: swept.voided });
  }
  return { rounds: recovered };
}
