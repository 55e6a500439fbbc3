/**
 * The slots scenario: each player spins its own machine (`slots:<userId>`) with think time, at a
 * random stake within the machine's limits and the player's money. Each spin is one atomic
 * stake-and-win ledger operation, so what the player observes is exact: the spin's stake and its
 * total win (base game plus any free spins), from the ack or, if the ack is lost, from the private
 * `slots.spin` event, counted once per spin id. A spin whose answer never came (the SDK's retries ran
 * out on a timeout or `ROOM_UNAVAILABLE`) is sent again with the same action id once the run ends, as
 * docs/PROTOCOL.md tells a client to: applied once either way, it then answers what it did.
 */
import type { RoomEvent } from "../../client/index.js";
import { formatAmount } from "../../engine/money/index.js";
import { crownJewels } from "../../engine/slots/index.js";
import { randomUUID } from "node:crypto";
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
  /** Spins sent whose outcome is not known yet (their ack failed in a retryable way): action id and stake. */
  private readonly uncertain = new Map<string, string>();
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
    await this.resolveUncertain(room);
    await sleep(quietMs);
    this.player.money.betsUncertain += this.uncertain.size;
  }

  /** Sends each spin whose answer never came again, same action id: its ack or event tells what it did. */
  private async resolveUncertain(room: string): Promise<void> {
    const userId = this.player.client.welcome?.userId;
    for (const [actionId, stake] of [...this.uncertain]) {
      try {
        const ack = await this.player.client.act(room, { kind: "spin", stake }, { actionId });
        const result = ack.result as SpinSeen | undefined;
        if (result !== undefined) this.observe(result);
        // A duplicate without a result (the owner that applied it is gone): its event told the outcome.
        const spinId = `slots:${userId ?? ""}:${actionId}`;
        for (let waited = 0; !this.counted.has(spinId) && waited < quietMs; waited += 50) await sleep(50);
        if (this.counted.has(spinId)) this.uncertain.delete(actionId);
        else this.player.ctx.metrics.count("spins.duplicateNeverSeen");
      } catch (error) {
        // Refused this time (no funds now, say): it was never applied, so nothing is uncertain.
        if (!retryableUnknown(codeOf(error))) this.uncertain.delete(actionId);
      }
    }
  }

  private async spin(room: string): Promise<void> {
    const player = this.player;
    const stakeMinor = this.stakeMinMinor * BigInt(between(this.pace.stakeUnitsMin, this.pace.stakeUnitsMax));
    if (stakeMinor > player.availableMinor) {
      player.ctx.metrics.count("spins.skippedNoMoney");
      return;
    }
    player.availableMinor -= stakeMinor;
    const actionId = randomUUID();
    const stake = formatAmount(stakeMinor, player.ctx.currency);
    try {
      const ack = await player.timed("spin", () => player.client.act(room, { kind: "spin", stake }, { actionId }));
      const result = ack.result as SpinSeen | undefined;
      if (result !== undefined) this.observe(result);
      else {
        // A duplicate ack without a result: the private event tells (or told) the outcome.
        player.ctx.metrics.count("spins.ackWithoutResult");
        player.availableMinor += stakeMinor;
      }
    } catch (error) {
      if (retryableUnknown(codeOf(error))) this.uncertain.set(actionId, stake);
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

/** Errors after which a spin may or may not have been applied: the client cannot tell until it asks again. */
function retryableUnknown(code: string): boolean {
  return code === "CLIENT_TIMEOUT" || code === "CLIENT_DISCONNECTED" || code === "CROUPIER_ERR_ROOM_UNAVAILABLE";
}
