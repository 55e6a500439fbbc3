/**
 * The roulette scenario: join a table, bet on every open round (several bets a round, one think time
 * apart, random types and amounts within the table's limits and the player's money), and keep what
 * the player observed: stakes from acks, its own payouts and refunds from the private parts
 * of `round.settled` and `round.voided`. After the duration it waits for its rounds to settle, then the ledger is asked.
 */
import type { RoomEvent } from "../../client/index.js";
import { formatAmount } from "../../engine/money/index.js";
import { defaultRouletteLimits, validPocketSets, type InsideBetType } from "../../engine/roulette/index.js";
import { between, jittered, pick } from "./random.js";
import { codeOf, sleep, type SimulatedPlayer, followRoom } from "./player.js";

/**
 * A bet is sent only if it should reach the table before the round closes (by the synced clock): at
 * least this long before, and more when bets are slow — twice the recent bet latency of this process —
 * but never more than half the betting window, so slow bets cannot shut every player out for good.
 */
const closeMarginMsMin = 300;
let betLatencyMsAverage = 0;

function closeMarginMs(bettingWindowMs: number): number {
  return Math.min(closeMarginMsMin + 2 * betLatencyMsAverage, Math.max(closeMarginMsMin, bettingWindowMs / 2));
}

function observeBetLatency(ms: number): void {
  betLatencyMsAverage += (ms - betLatencyMsAverage) * 0.1;
}

const betsPerActionMax = 3;
/** Stakes per bet, in multiples of the table minimum (1.00 EUR by default). */
const stakeUnitsMax = 5;

interface OpenRound {
  readonly id: string;
  readonly closesAt: number;
  readonly windowMs: number;
}
interface Hold {
  readonly roundId: string;
  readonly stakeMinor: bigint;
}

const evenMoney = ["red", "black", "odd", "even", "low", "high"] as const;
const inside: readonly InsideBetType[] = ["straight", "split", "street", "corner", "six_line"];

function randomBet(amount: string): Record<string, unknown> {
  const family = between(0, 9);
  if (family < 5) return { type: pick(evenMoney), amount };
  if (family < 7) return { type: pick(["dozen", "column"] as const), index: between(1, 3), amount };
  const type = pick(inside);
  return { type, numbers: [...pick(validPocketSets(type))], amount };
}

export class RouletteSession {
  private round: OpenRound | null = null;
  private roundChanged: () => void = () => undefined;
  /** Acked stakes per hold, until its payout or the round's void. */
  private readonly holds = new Map<string, Hold>();
  /** Rounds this player staked in, by stake total, until settled or voided. */
  private readonly openStakes = new Map<string, bigint>();
  private readonly minStakeMinor = defaultRouletteLimits.perBet.red.minMinor;

  constructor(
    private readonly player: SimulatedPlayer,
    private readonly room: string,
  ) {}

  async run(): Promise<void> {
    const { client, ctx } = this.player;
    followRoom(
      this.player,
      () => this.room,
      (e) => this.onEvent(e),
    );
    const joined = await this.player.timed("join", () => client.join(this.room));
    const state = (joined.snapshot as { state?: { round?: { id: string; phase: string; closesAt: number } | null } } | undefined)?.state;
    if (state?.round?.phase === "betting")
      this.round = { id: state.round.id, closesAt: state.round.closesAt, windowMs: state.round.closesAt - client.serverNow() };
    while (!ctx.stopped()) {
      await Promise.race([sleep(jittered(ctx.plan.thinkTimeMs)), ctx.stopping]);
      if (ctx.stopped()) break;
      const round = this.round;
      if (round === null || client.serverNow() > round.closesAt - closeMarginMs(round.windowMs)) {
        if (round !== null) ctx.metrics.count("bets.skippedNearClose");
        await Promise.race([new Promise<void>((resolve) => (this.roundChanged = resolve)), ctx.stopping]);
        continue;
      }
      await this.bet(round);
    }
    await this.awaitSettlement();
  }

  private async bet(round: OpenRound): Promise<void> {
    const player = this.player;
    const count = between(1, betsPerActionMax);
    const bets: Record<string, unknown>[] = [];
    let totalMinor = 0n;
    for (let i = 0; i < count; i++) {
      const stakeMinor = this.minStakeMinor * BigInt(between(1, stakeUnitsMax));
      if (totalMinor + stakeMinor > player.availableMinor) break;
      totalMinor += stakeMinor;
      bets.push(randomBet(formatAmount(stakeMinor, player.ctx.currency)));
    }
    if (bets.length === 0) {
      player.ctx.metrics.count("bets.skippedNoMoney");
      return;
    }
    player.availableMinor -= totalMinor; // reserved until the ack says what is left
    const sentAt = performance.now();
    try {
      const ack = await player.timed("bet", () => player.client.act(this.room, { kind: "bet", roundId: round.id, bets }));
      observeBetLatency(performance.now() - sentAt);
      const result = ack.result as { roundId: string; holdId: string; stakeMinor: string; availableMinor: string } | undefined;
      // A "duplicate" ack (a retry found the bet applied) may carry no result: the stake is what was sent.
      const stakeMinor = result === undefined ? totalMinor : BigInt(result.stakeMinor);
      if (result !== undefined) {
        player.availableMinor = BigInt(result.availableMinor);
        if (!this.holds.has(result.holdId)) this.observeStake(result.holdId, round.id, stakeMinor);
      } else {
        player.ctx.metrics.count("bets.ackWithoutResult");
        this.observeStake(`unknown:${ack.actionId}`, round.id, stakeMinor);
      }
    } catch (error) {
      const code = codeOf(error);
      // A bet whose every attempt failed in a retryable way may or may not be placed: its payout will tell.
      if (code === "CLIENT_TIMEOUT" || code === "CLIENT_DISCONNECTED" || code === "CROUPIER_ERR_ROOM_UNAVAILABLE") player.money.betsUncertain++;
      else player.availableMinor += totalMinor;
    }
  }

  private observeStake(holdId: string, roundId: string, stakeMinor: bigint): void {
    const money = this.player.money;
    this.holds.set(holdId, { roundId, stakeMinor });
    this.openStakes.set(roundId, (this.openStakes.get(roundId) ?? 0n) + stakeMinor);
    money.stakesMinor += stakeMinor;
    money.bets++;
  }

  private onEvent(e: RoomEvent): void {
    if (e.room !== this.room) return;
    const data = (e.data ?? {}) as Record<string, unknown>;
    switch (e.kind) {
      case "round.opened":
        this.player.ctx.metrics.count("roulette.roundsOpenedSeen");
        this.round = { id: String(data.roundId), closesAt: Number(data.closesAt), windowMs: Number(data.closesAt) - e.ts };
        this.roundChanged();
        return;
      case "round.closed":
        if (this.round?.id === data.roundId) this.round = null;
        return;
      // The player's own payouts (or refunds) ride in the round's end event, visible to it alone.
      case "round.settled":
        for (const p of (data.payouts ?? []) as Array<{ holdId: string; stakeMinor: string; returnMinor: string }>)
          this.onReturn(String(data.roundId), p.holdId, BigInt(p.stakeMinor), BigInt(p.returnMinor), "payout");
        this.onRoundEnd(String(data.roundId));
        return;
      case "round.voided":
        for (const r of (data.refunds ?? []) as Array<{ holdId: string; stakeMinor: string }>)
          this.onReturn(String(data.roundId), r.holdId, BigInt(r.stakeMinor), BigInt(r.stakeMinor), "refund");
        this.onRoundEnd(String(data.roundId));
        return;
      default:
        return;
    }
  }

  private onReturn(roundId: string, holdId: string, stakeMinor: bigint, returnMinor: bigint, kind: "payout" | "refund"): void {
    const money = this.player.money;
    if (!this.holds.has(holdId)) {
      // Its ack never arrived (or arrived as a duplicate without a result): the payout proves the stake.
      const unknown = [...this.holds.entries()].find(([id, h]) => id.startsWith("unknown:") && h.roundId === roundId && h.stakeMinor === stakeMinor);
      if (unknown !== undefined) this.holds.delete(unknown[0]);
      else {
        money.stakesFromPayoutsMinor += stakeMinor;
        this.observeStake(holdId, roundId, stakeMinor);
      }
    } else this.holds.delete(holdId);
    if (kind === "payout") money.payoutsMinor += returnMinor;
    else money.refundsMinor += returnMinor;
    this.player.availableMinor += returnMinor;
  }

  private onRoundEnd(roundId: string): void {
    if (this.round?.id === roundId) this.round = null;
    this.openStakes.delete(roundId);
    for (const [holdId, hold] of this.holds) if (hold.roundId === roundId) this.holds.delete(holdId);
  }

  /** Waits (bounded) for every round this player staked in to settle or void. */
  private async awaitSettlement(): Promise<void> {
    const deadline = Date.now() + this.player.ctx.plan.settleWaitMs;
    while (this.openStakes.size > 0 && Date.now() < deadline) await sleep(100);
    this.player.money.roundsUnresolved = this.openStakes.size;
  }
}
