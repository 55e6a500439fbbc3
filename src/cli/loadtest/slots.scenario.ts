/**
 * The slots scenario: each player spins its own machine (`slots:<userId>`) with think time, at a
 * random stake within the machine's limits and the player's money. Each spin is one atomic
 * stake-and-win ledger operation, so what the player observes is exact: the spin's stake and its
 * total win (base game plus any free spins), from the ack or, if the ack is lost, from the private
 * `slots.spin` event, counted once per spin id.
 */
import type { RoomEvent } from "../../client/index.js";
import { formatAmount } from "../../engine/money/index.js";
import { crownJewels } from "../../engine/slots/index.js";
import { between, jittered } from "./random.js";
import { codeOf, sleep, type SimulatedPlayer, followRoom } from "./player.js";

/** How a player spins: the mean pause between spins (±50%) and its stakes, in multiples of the machine's minimum. */
export interface SlotsPace {
  readonly thinkTimeMs: number;
  readonly stakeUnitsMin: number;
  readonly stakeUnitsMax: number;
}

/** Stakes in multiples of the machine's minimum (0.10 EUR on Crown Jewels, a multiple of its 10 lines). */
const stakeUnitsMax = 10;
/** After the duration, time for the events of the last spins to arrive. */
const quietMs = 500;

/** A spin as its ack or its private event tells it; a progressive jackpot's win is paid on top of `totalWinMinor`. */
export interface SpinSeen {
  readonly spinId: string;
  readonly stakeMinor: string;
  readonly totalWinMinor: string;
  readonly jackpotWinMinor?: string;
  readonly availableMinor?: string;
}

export class SlotsSession {
  /** Spins counted, by id: the ack and the event both tell of a spin; it moves money once. */
  private readonly counted = new Set<string>();
  /** Spins sent whose outcome is not known yet (their ack failed in a retryable way). */
  private uncertain = 0;
  private readonly stakeMinMinor = crownJewels.stake.minMinor;

  private readonly pace: SlotsPace;

  constructor(
    private readonly player: SimulatedPlayer,
    pace?: SlotsPace,
  ) {
    this.pace = pace ?? { thinkTimeMs: player.ctx.plan.thinkTimeMs, stakeUnitsMin: 1, stakeUnitsMax };
  }

  async run(): Promise<void> {
    const { client, ctx } = this.player;
    const userId = client.welcome?.userId;
    if (userId === undefined) throw new Error("no welcome: the player is not connected");
    const room = `slots:${userId}`;
    followRoom(
      this.player,
      () => room,
      (e) => this.onEvent(room, e),
    );
    await this.player.timed("join", () => client.join(room));
    while (!ctx.stopped()) {
      await Promise.race([sleep(jittered(this.pace.thinkTimeMs)), ctx.stopping]);
      if (ctx.stopped()) break;
      await this.spin(room);
    }
    await sleep(quietMs);
    this.player.money.betsUncertain += this.uncertain;
  }

  private async spin(room: string): Promise<void> {
    const player = this.player;
    const stakeMinor = this.stakeMinMinor * BigInt(between(this.pace.stakeUnitsMin, this.pace.stakeUnitsMax));
    if (stakeMinor > player.availableMinor) {
      player.ctx.metrics.count("spins.skippedNoMoney");
      return;
    }
    player.availableMinor -= stakeMinor;
    try {
      const ack = await player.timed("spin", () => player.client.act(room, { kind: "spin", stake: formatAmount(stakeMinor, player.ctx.currency) }));
      const result = ack.result as SpinSeen | undefined;
      if (result !== undefined) this.observe(result);
      else {
        // A duplicate ack without a result: the private event tells (or told) the outcome.
        player.ctx.metrics.count("spins.ackWithoutResult");
        player.availableMinor += stakeMinor;
      }
    } catch (error) {
      const code = codeOf(error);
      if (code === "CLIENT_TIMEOUT" || code === "CLIENT_DISCONNECTED" || code === "CROUPIER_ERR_ROOM_UNAVAILABLE") this.uncertain++;
      player.availableMinor += stakeMinor;
    }
  }

  private onEvent(room: string, e: RoomEvent): void {
    if (e.room !== room || e.kind !== "slots.spin") return;
    this.observe(e.data as SpinSeen);
  }

  private observe(spin: SpinSeen): void {
    const money = this.player.money;
    if (this.counted.has(spin.spinId)) return;
    this.counted.add(spin.spinId);
    money.stakesMinor += BigInt(spin.stakeMinor);
    money.payoutsMinor += BigInt(spin.totalWinMinor) + BigInt(spin.jackpotWinMinor ?? "0");
    money.bets++;
    if (spin.availableMinor !== undefined) this.player.availableMinor = BigInt(spin.availableMinor);
  }
}
