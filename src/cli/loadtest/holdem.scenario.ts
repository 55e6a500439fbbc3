/**
 * The hold'em scenario: sit at a table (6 seats; tables fill one after the other, so hands start)
 * with the minimum buy-in, and on each turn check when it can, else call (or fold, one time in
 * four). At the end it cashes out between hands. The buy-in is one hold and the cash-out settles it
 * with the final stack as the win, so what the player observes is: the buy-in (its sit ack) as the
 * stake and the stack of its `holdem.left` event as the payout. A player that could not cash out
 * before the audit still has its buy-in held, which the ledger counts as its own: it observes no
 * stake, and the report counts the table as unresolved.
 */
import type { RoomEvent } from "../../client/index.js";
import { defaultHoldemRules } from "../../engine/holdem/index.js";
import { formatAmount } from "../../engine/money/index.js";
import { unit } from "./random.js";
import { type SimulatedPlayer, followRoom } from "./player.js";
import { actUntilAccepted, findSeat, tableFor } from "./seated-table.js";

const seatsPerTable = defaultHoldemRules.seatCount;
const foldShare = 0.25;

interface SeatView {
  readonly userId?: string | null;
}

export class HoldemSession {
  private room = "";
  private seat = -1;
  private buyInMinor = 0n;
  private seated = false;
  private cashOutMinor: bigint | null = null;
  private acting = false;

  constructor(
    private readonly player: SimulatedPlayer,
    private readonly ordinal: number,
  ) {}

  async run(): Promise<void> {
    const { ctx } = this.player;
    const tables = ctx.plan.holdemTables;
    const buyInMinor = defaultHoldemRules.buyInMinMinor;
    if (this.player.availableMinor < buyInMinor) {
      ctx.metrics.count("holdem.noMoney");
      return;
    }
    const choice = await findSeat(this.player, "holdem", tables, tableFor(tables, this.ordinal, seatsPerTable), this.ordinal % seatsPerTable, (state) =>
      Array.isArray(state.seats) ? (state.seats as (SeatView | null)[]).map((s) => (s === null ? null : (s.userId ?? ""))) : [],
    );
    if (choice === null) {
      ctx.metrics.count("holdem.noSeat");
      return;
    }
    this.room = choice.room;
    this.seat = choice.seat;
    followRoom(
      this.player,
      () => this.room,
      (e) => this.onEvent(e),
    );
    if (choice.alreadySeated) {
      // Seated by an earlier run whose buy-in is still held: this run cashes it out, so it counts as a stake here.
      const seatView = (choice.snapshot.seats as ((SeatView & { stackMinor?: string }) | null)[])[this.seat];
      ctx.metrics.count("holdem.alreadySeated");
      this.player.failure = `already seated at ${this.room} with stack ${seatView?.stackMinor ?? "?"}: not reconcilable`;
      return;
    }
    // Sitting down is refused while a hand is played: wait for its end and try again.
    const deadline = Date.now() + ctx.plan.settleWaitMs;
    const sat = await actUntilAccepted(
      this.player,
      this.room,
      { kind: "sit", seat: this.seat, buyIn: formatAmount(buyInMinor, ctx.currency) },
      "sit",
      (e) => e.kind === "holdem.hand_completed",
      deadline,
    );
    if (!sat) return;
    this.seated = true;
    this.buyInMinor = buyInMinor;
    this.player.availableMinor -= buyInMinor;
    this.player.money.bets++;
    await ctx.stopping;
    await this.cashOut();
  }

  private onEvent(e: RoomEvent): void {
    if (e.room !== this.room) return;
    const data = (e.data ?? {}) as Record<string, unknown>;
    if (Number(data.seat) !== this.seat) return;
    if (e.kind === "holdem.turn") this.play(BigInt(String(data.toCallMinor)));
    else if (e.kind === "holdem.left") this.cashOutMinor = BigInt(String(data.stackMinor));
  }

  private play(toCallMinor: bigint): void {
    if (this.acting || !this.seated) return;
    const kind = toCallMinor === 0n ? "check" : unit() < foldShare ? "fold" : "call";
    this.acting = true;
    // A refusal (the turn timer acted first) is counted by `timed`, then forgotten.
    void this.player
      .timed("play", () => this.player.client.act(this.room, { kind }))
      .catch(() => undefined)
      .finally(() => (this.acting = false));
  }

  /** Leaves between hands (bounded by --settle-wait); the `holdem.left` event carries the stack paid out. */
  private async cashOut(): Promise<void> {
    const { money, ctx } = this.player;
    const deadline = Date.now() + ctx.plan.settleWaitMs;
    const left = await actUntilAccepted(this.player, this.room, { kind: "leave" }, "leave", (e) => e.kind === "holdem.hand_completed", deadline, 250).catch(
      () => false,
    );
    while (left && this.cashOutMinor === null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    if (this.cashOutMinor === null) {
      money.roundsUnresolved++;
      return;
    }
    money.stakesMinor += this.buyInMinor;
    money.payoutsMinor += this.cashOutMinor;
    this.player.availableMinor += this.cashOutMinor;
    this.seated = false;
  }
}
