/**
 * The blackjack scenario: sit at a table (7 seats; tables fill one after the other), bet in each
 * betting phase after a think time, decline insurance, and play by a simple rule (hit below 17,
 * else stand). What the player observes of its money comes from the table's public events, which
 * every seated player sees in order: its stake from `blackjack.bet_placed` (and `stake_added`, for
 * doubles, splits and insurance, which this rule never takes), its return from
 * `blackjack.round_paid`, sent after every hold of the round is settled. At the end it waits for
 * its last round to be paid, then leaves the seat.
 */
import type { RoomEvent } from "../../client/index.js";
import { defaultBlackjackRules, handTotal } from "../../engine/blackjack/index.js";
import { formatAmount } from "../../engine/money/index.js";
import { between, jittered } from "./random.js";
import { codeOf, sleep, type SimulatedPlayer, followRoom } from "./player.js";
import { actUntilAccepted, findSeat, tableFor } from "./seated-table.js";

const seatsPerTable = defaultBlackjackRules.seatsMax;
const stakeUnitsMax = 5;
const aceRank = 12;
/** Bets are sent at least this long before the betting phase closes (by the synced clock). */
const closeMarginMs = 300;
const standFrom = 17;

interface Betting {
  readonly roundId: string;
  readonly closesAt: number;
}

export class BlackjackSession {
  private room = "";
  private seat = -1;
  private betting: Betting | null = null;
  private bettingChanged: () => void = () => undefined;
  /** This seat's stake per round, until the round is paid. */
  private readonly openStakes = new Map<string, bigint>();
  /** This seat's cards per hand in the current round, and whether it is on turn (and in which hand). */
  private hands: number[][] = [];
  private turnHand: number | null = null;
  private dealerCardsSeen = 0;
  private acting = false;
  /** Cards of the hand on turn when this player last acted on it: it decides again only on a new card. */
  private actedAtCards = -1;

  constructor(
    private readonly player: SimulatedPlayer,
    private readonly ordinal: number,
  ) {}

  async run(): Promise<void> {
    const { client, ctx } = this.player;
    const tables = ctx.plan.blackjackTables;
    const choice = await findSeat(this.player, "blackjack", tables, tableFor(tables, this.ordinal, seatsPerTable), this.ordinal % seatsPerTable, (state) =>
      Array.isArray(state.seats) ? (state.seats as (string | null)[]) : [],
    );
    if (choice === null) {
      ctx.metrics.count("blackjack.noSeat");
      return;
    }
    this.room = choice.room;
    this.seat = choice.seat;
    followRoom(
      this.player,
      () => this.room,
      (e) => this.onEvent(e),
    );
    if (!choice.alreadySeated) {
      // As at hold'em: a sit the table refuses for now, or that a round opening made stale, is tried again.
      const deadline = Date.now() + ctx.plan.settleWaitMs;
      const sat = await actUntilAccepted(
        this.player,
        this.room,
        { kind: "sit", seat: this.seat },
        "sit",
        (e) => e.kind === "blackjack.betting_opened",
        deadline,
      );
      if (!sat) {
        ctx.metrics.count("blackjack.noSeat");
        return;
      }
    }
    const state = choice.snapshot;
    if (state.phase === "betting" && typeof state.roundId === "string" && typeof state.deadline === "number")
      this.betting = { roundId: state.roundId, closesAt: state.deadline };
    while (!ctx.stopped()) {
      const betting = this.betting;
      if (betting === null) {
        await Promise.race([new Promise<void>((resolve) => (this.bettingChanged = resolve)), ctx.stopping]);
        continue;
      }
      await Promise.race([sleep(Math.min(jittered(ctx.plan.thinkTimeMs), Math.max(0, betting.closesAt - closeMarginMs - client.serverNow()))), ctx.stopping]);
      if (ctx.stopped()) break;
      if (this.betting === betting && client.serverNow() < betting.closesAt - closeMarginMs) await this.bet(betting);
      this.betting = null;
    }
    await this.finish();
  }

  private async bet(betting: Betting): Promise<void> {
    const player = this.player;
    const amountMinor = defaultBlackjackRules.betMinMinor * BigInt(between(1, stakeUnitsMax));
    if (amountMinor > player.availableMinor) {
      player.ctx.metrics.count("bets.skippedNoMoney");
      return;
    }
    try {
      const ack = await player.timed("bet", () =>
        player.client.act(this.room, { kind: "bet", roundId: betting.roundId, amount: formatAmount(amountMinor, player.ctx.currency) }),
      );
      const result = ack.result as { availableMinor?: string } | undefined;
      if (result?.availableMinor !== undefined) player.availableMinor = BigInt(result.availableMinor);
    } catch (error) {
      // The stake is known from the table's event if the bet was placed after all.
      const code = codeOf(error);
      if (code === "CLIENT_TIMEOUT" || code === "CLIENT_DISCONNECTED") player.ctx.metrics.count("bets.unanswered");
    }
  }

  private onEvent(e: RoomEvent): void {
    if (e.room !== this.room) return;
    const data = (e.data ?? {}) as Record<string, unknown>;
    const roundId = String(data.roundId);
    switch (e.kind) {
      case "blackjack.betting_opened":
        this.betting = { roundId, closesAt: Number(data.closesAt) };
        this.hands = [];
        this.turnHand = null;
        this.dealerCardsSeen = 0;
        this.bettingChanged();
        return;
      case "blackjack.bet_placed":
      case "blackjack.stake_added":
        if (Number(data.seat) === this.seat) this.observeStake(roundId, BigInt(String(data.amountMinor)));
        return;
      case "blackjack.dealer_card_dealt":
        // The first dealer card of a round is the upcard: an ace offers insurance, which this player declines.
        if (this.dealerCardsSeen++ === 0 && Number(data.card) >> 2 === aceRank && this.openStakes.has(roundId) && !this.acting)
          this.send({ kind: "insurance", take: false });
        return;
      case "blackjack.card_dealt":
        if (Number(data.seat) !== this.seat) return;
        (this.hands[Number(data.hand)] ??= []).push(Number(data.card));
        if (this.turnHand === Number(data.hand)) this.decide();
        return;
      case "blackjack.turn":
        this.turnHand = Number(data.seat) === this.seat ? Number(data.hand) : null;
        this.actedAtCards = -1;
        if (this.turnHand !== null) this.decide();
        return;
      case "blackjack.round_paid":
        this.onPaid(roundId, data.returns as Record<string, string> | undefined);
        return;
      default:
        return;
    }
  }

  private observeStake(roundId: string, amountMinor: bigint): void {
    const money = this.player.money;
    if (!this.openStakes.has(roundId)) money.bets++;
    this.openStakes.set(roundId, (this.openStakes.get(roundId) ?? 0n) + amountMinor);
    money.stakesMinor += amountMinor;
  }

  private onPaid(roundId: string, returns: Record<string, string> | undefined): void {
    this.turnHand = null;
    if (!this.openStakes.has(roundId)) return;
    this.openStakes.delete(roundId);
    const returnMinor = BigInt(returns?.[String(this.seat)] ?? "0");
    this.player.money.payoutsMinor += returnMinor;
    this.player.availableMinor += returnMinor;
  }

  /**
   * Hit below 17, stand from 17; a hand at 21 or bust is done by itself. One play at a time, and
   * again only once the card of the last hit is seen (its event may come before or after the ack).
   */
  private decide(): void {
    const hand = this.turnHand;
    if (hand === null || this.acting) return;
    const cards = this.hands[hand] ?? [];
    if (cards.length === this.actedAtCards) return;
    const { total } = handTotal(cards);
    if (total >= 21) return;
    this.actedAtCards = cards.length;
    this.send({ kind: total < standFrom ? "hit" : "stand" });
  }

  /** A refusal (the turn timer acted first) is counted by `timed`, then forgotten. */
  private send(action: { readonly kind: string; readonly [key: string]: unknown }): void {
    this.acting = true;
    void this.player
      .timed("play", () => this.player.client.act(this.room, action))
      .catch(() => undefined)
      .finally(() => {
        this.acting = false;
        this.decide();
      });
  }

  /** Waits (bounded) for the rounds it staked in to be paid, then leaves the seat between rounds. */
  private async finish(): Promise<void> {
    const deadline = Date.now() + this.player.ctx.plan.settleWaitMs;
    while (this.openStakes.size > 0 && Date.now() < deadline) await sleep(100);
    this.player.money.roundsUnresolved = this.openStakes.size;
    // The seat's holds of a paid round clear when the next betting phase opens: leave then.
    const left = await actUntilAccepted(this.player, this.room, { kind: "leave_seat" }, "leave", (e) => e.kind === "blackjack.betting_opened", deadline).catch(
      () => false,
    );
    if (!left) this.player.ctx.metrics.count("blackjack.seatKept");
  }
}
