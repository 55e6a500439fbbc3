import { FlaggedPlayers } from "../flagged-players.js";
import type { Bus } from "../ports/bus.js";
import type { Clock } from "../ports/clock.js";
import { shown } from "./deposit-gate.js";
import type { BetLimitStore, JudgedBet } from "../ports/bet-limit-store.js";

export const betLimitsChannel = "rg.bet-limits";

/** A bet a wager or loss limit refused, with the limit and the room left, as the player is told. */
export type BetLimitRefusal =
  { readonly refused: true; readonly status: "rg_wager_limit" | "rg_loss_limit"; readonly reason: string } | { readonly refused: false };

const admitted: BetLimitRefusal = Object.freeze({ refused: false });
const rememberedMax = 100_000;

/**
 * Wager and loss limits at the bet, on every node (docs/RESPONSIBLE-GAMING.md). Every node knows
 * which players have such a limit (reloaded every `refreshMs`, and at once when a node announces a
 * change on the bus): a bet of anyone else is admitted by a set lookup, with no I/O. A limited
 * player's bet is judged and recorded in the database under the player's lock, so racing bets on
 * any node are counted one after another; a bet the ledger then refuses is forgotten, and a paid
 * one has its win recorded (the loss limit counts stakes less wins).
 */
export class BetLimits {
  private readonly limited: FlaggedPlayers;
  /** Bets judged here and not yet paid or forgotten, so a settlement asks the database only about them. */
  private readonly judged = new Set<string>();
  constructor(
    private readonly deps: { readonly store: BetLimitStore; readonly bus: Bus; readonly clock: Clock },
    refreshMs = 10_000,
  ) {
    this.limited = new FlaggedPlayers(
      { bus: deps.bus, clock: deps.clock, load: () => deps.store.betLimitedUsers() },
      betLimitsChannel,
      "rg.bet-limits-reload",
      refreshMs,
    );
  }

  start(): Promise<void> {
    return this.limited.start();
  }

  stop(): Promise<void> {
    return this.limited.stop();
  }

  /** After a wager or loss limit of `userId` changed: this node knows at once, the others as the bus tells them. */
  announce(userId: string): Promise<void> {
    return this.limited.announce(userId);
  }

  judge(bet: JudgedBet): BetLimitRefusal | Promise<BetLimitRefusal> {
    if (!this.limited.has(bet.userId)) return admitted;
    return this.deps.store.judgeBet(bet, this.deps.clock.nowMs()).then((verdict): BetLimitRefusal => {
      if (verdict.status === "ok") {
        if (this.judged.size >= rememberedMax) this.judged.delete(this.judged.values().next().value as string);
        this.judged.add(bet.ref);
        return admitted;
      }
      const reason = `${verdict.period} ${verdict.kind} limit ${shown(verdict.limitMinor, bet.currency)} ${bet.currency}; ${shown(verdict.remainingMinor, bet.currency)} ${bet.currency} left`;
      return { refused: true, status: verdict.kind === "wager" ? "rg_wager_limit" : "rg_loss_limit", reason };
    });
  }

  /** The ledger refused, or the round voided, these bets: they count for nothing. */
  async forget(refs: readonly string[]): Promise<void> {
    const mine = refs.filter((r) => this.judged.delete(r));
    await this.deps.store.forget(mine);
  }

  /** These bets were paid: a loss limit counts their wins. */
  async paid(wins: readonly { readonly ref: string; readonly winMinor: bigint }[]): Promise<void> {
    const mine = wins.filter((w) => this.judged.delete(w.ref));
    await this.deps.store.paid(mine.filter((w) => w.winMinor > 0n));
  }
}
