import { background } from "../background.js";
import { FlaggedPlayers } from "../flagged-players.js";
import type { Bus } from "../ports/bus.js";
import type { Clock } from "../ports/clock.js";
import type { RoundRecord } from "../ports/round-store.js";
import type { PlayerPurse, Wallet } from "../wallet/index.js";
import { countedStake, purseFor, rouletteRoundCounted, weightOf, type RouletteCover } from "../../engine/bonus/index.js";
import { shown } from "../responsible-gaming/deposit-gate.js";
import type { BonusRecord, BonusStore } from "../ports/bonus-store.js";

export const bonusesChannel = "bonuses.active";

/** What the bet side decided for a bonus player's stake: refused above the max bet, or the purse it is taken from. */
export type BonusBetPlan =
  | { readonly refused: true; readonly status: "bonus_max_bet"; readonly reason: string }
  | { readonly refused: false; readonly purse: PlayerPurse; readonly bonus: BonusRecord; readonly weight: number };

/** Games whose wagering is counted when the round closes, from its bets (so a hedged round counts nothing), not at the bet. */
const countedAtClose: ReadonlySet<string> = new Set(["roulette"]);

/**
 * The bonus side of a bet, on every node (docs/BONUSES.md). Every node knows which players have an
 * active bonus (reloaded every `refreshMs`, and at once when a node announces a change on the bus):
 * anyone else's bet passes by a set lookup, with no I/O. For a bonus player: the max bet, the purse the
 * stake is taken from, and the wagering it adds once taken. None of it is ever in the game's way: a
 * failure to read or record is reported and the bet goes on as a cash bet.
 */
export class BonusBets {
  private readonly active: FlaggedPlayers;

  constructor(
    private readonly deps: {
      readonly store: BonusStore;
      readonly wallet: Pick<Wallet, "balances">;
      readonly bus: Bus;
      readonly clock: Clock;
      /** A bonus's wagering is complete: convert it (never awaited by a bet). */
      readonly onComplete: (bonusId: string) => Promise<unknown>;
    },
    refreshMs = 10_000,
  ) {
    this.active = new FlaggedPlayers(
      { bus: deps.bus, clock: deps.clock, load: () => deps.store.activeUsers() },
      bonusesChannel,
      "bonus.active-reload",
      refreshMs,
    );
  }

  start(): Promise<void> {
    return this.active.start();
  }

  stop(): Promise<void> {
    return this.active.stop();
  }

  /** After a bonus of `userId` was granted or ended: this node knows at once, the others as the bus tells them. */
  announce(userId: string): Promise<void> {
    return this.active.announce(userId);
  }

  has(userId: string): boolean {
    return this.active.has(userId);
  }

  /**
   * Before the ledger: null for a player without an active bonus (no I/O), or at a game whose stakes do
   * not count (bonus money never plays there: the stake is cash, unlimited by the bonus). Otherwise the
   * max bet, and the purse: cash when it covers the stake, else the bonus purse when it does. A bonus
   * whose wagering is already complete is being converted: its purse is not used.
   */
  prepare(bet: {
    readonly userId: string;
    readonly game: string;
    readonly currency: string;
    readonly stakeMinor: bigint;
  }): null | Promise<BonusBetPlan | null> {
    if (!this.active.has(bet.userId)) return null;
    return this.plan(bet).catch((error: unknown) => {
      background(Promise.reject(error), "bonus.bet");
      return null;
    });
  }

  private async plan(bet: {
    readonly userId: string;
    readonly game: string;
    readonly currency: string;
    readonly stakeMinor: bigint;
  }): Promise<BonusBetPlan | null> {
    const bonus = await this.deps.store.active(bet.userId, bet.currency);
    if (bonus === null) return null;
    const weight = weightOf(bonus.weights, bet.game);
    if (weight === 0) return null;
    if (bet.stakeMinor > bonus.maxBetMinor) {
      return { refused: true, status: "bonus_max_bet", reason: `bonus max bet ${shown(bonus.maxBetMinor, bet.currency)} ${bet.currency} while wagering` };
    }
    const purses = (await this.deps.wallet.balances(bet.userId)).filter((b) => b.currency === bet.currency);
    const cash = purses.find((b) => b.purse === "cash")?.available ?? 0n;
    const bonusAvailable = bonus.wageredMinor >= bonus.wageringRequiredMinor ? 0n : (purses.find((b) => b.purse === "bonus")?.available ?? 0n);
    return { refused: false, purse: purseFor(bet.stakeMinor, cash, bonusAvailable), bonus, weight };
  }

  /**
   * The ledger took the bet (or replayed it: a retry counts once, by its ref). Adds stake × weight to
   * the bonus's wagering, except at games counted when their round closes.
   */
  async taken(plan: BonusBetPlan | null, bet: { readonly ref: string; readonly game: string; readonly stakeMinor: bigint }): Promise<void> {
    if (plan === null || plan.refused || countedAtClose.has(bet.game)) return;
    await this.count(plan.bonus, {
      ref: bet.ref,
      game: bet.game,
      stakeMinor: bet.stakeMinor,
      countedMinor: countedStake(bet.stakeMinor, plan.weight),
      reason: "counted",
    });
  }

  /**
   * A roulette round closed (its number drawn, its bets final): each bonus player's bets in it count
   * once, as one bet, unless they hedge (docs/BONUSES.md). Nobody with a bonus at the table: no I/O.
   */
  async roundClosed(record: RoundRecord): Promise<void> {
    if (!countedAtClose.has(record.game) || record.status !== "closed" || record.bets === undefined) return;
    const rounds = new Map<string, { currency: string; stakeMinor: bigint; bets: RouletteCover[] }>();
    for (const bet of record.bets) {
      if (!this.active.has(bet.userId)) continue;
      const round = rounds.get(bet.userId) ?? { currency: bet.currency, stakeMinor: 0n, bets: [] };
      round.stakeMinor += BigInt(bet.stakeMinor);
      round.bets.push(...coversOf(bet.detail));
      rounds.set(bet.userId, round);
    }
    for (const [userId, round] of rounds) {
      try {
        const bonus = await this.deps.store.active(userId, round.currency);
        if (bonus === null) continue;
        const judged = rouletteRoundCounted(round, bonus.maxBetMinor, weightOf(bonus.weights, record.game));
        await this.count(bonus, {
          ref: `round:${record.roundId}`,
          game: record.game,
          stakeMinor: round.stakeMinor,
          countedMinor: judged.countedMinor,
          reason: judged.reason,
        });
      } catch (error) {
        background(Promise.reject(error), "bonus.wagering");
      }
    }
  }

  private async count(bonus: BonusRecord, wager: { ref: string; game: string; stakeMinor: bigint; countedMinor: bigint; reason: string }): Promise<void> {
    try {
      if (wager.stakeMinor <= 0n) return;
      const after = await this.deps.store.addWager({ bonusId: bonus.id, ...wager, atMs: this.deps.clock.nowMs() });
      if (after !== null && after.wageredMinor >= after.requiredMinor) background(this.deps.onComplete(bonus.id), "bonus.convert");
    } catch (error) {
      background(Promise.reject(error), "bonus.wagering");
    }
  }
}

/** A recalled roulette bet's detail: the bets of one action, each with its type and pockets. */
function coversOf(detail: unknown): RouletteCover[] {
  if (!Array.isArray(detail)) return [];
  return detail.flatMap((d: unknown) => {
    const { type, pockets } = (d ?? {}) as { type?: unknown; pockets?: unknown };
    return typeof type === "string" && Array.isArray(pockets) ? [{ type, pockets: pockets.filter((p): p is number => typeof p === "number") }] : [];
  });
}
