import { findCurrency, parseAmount } from "../../engine/money/index.js";
import { bookableContribution } from "../../engine/slots/index.js";
import type { ErrorName } from "../../protocol/errors.js";
import type { ActionRequest, Actor, BehaviorOutcome, RoomBehavior, RoomContext } from "../rooms/room-behavior.js";
import { roomSubject } from "../rooms/room-behavior.js";
import type { InstantEffect, InstantResult, RoundRecord, SlotSpinDraw, SlotSpinEffect, SlotSpinSummary } from "./table-effects.js";

export interface SlotsRoomConfig {
  readonly gameId: string;
  readonly currency: string;
  /** The progressive pool every paid spin feeds (the engine's contribution share) and a trigger wins. */
  readonly jackpot?: { readonly jackpotId: string; readonly seedMinor: bigint };
}

interface SlotsState {
  readonly userId: string;
  readonly spins: number;
  readonly lastSpin: SlotSpinSummary | null;
  /** The fraction of a minor unit of contribution not yet booked (× jackpotContributionScale); absent is "0". */
  readonly jackpotCarryScaled?: string;
}

function refuse(error: ErrorName, ...details: string[]): BehaviorOutcome<SlotsState> {
  return { ok: false, error, details };
}

/**
 * `slots:<userId>`: one player's slot machine. A spin is drawn by the RNG boundary (the whole
 * free-spin feature it may trigger is played out at once), then staked and paid in one atomic ledger
 * operation keyed by the action id; only a paid spin is recorded, answered or sent as an event, so a
 * refused spin (no funds) reveals nothing and its retry draws afresh. Events are private to the player. Per-player rooms keep one
 * player's spins in order while different players' spins run in parallel and batch in the ledger.
 */
export function slotsRoomBehavior(config: SlotsRoomConfig): RoomBehavior<SlotsState> {
  function spin(state: SlotsState, action: ActionRequest, actor: Actor, ctx: RoomContext): BehaviorOutcome<SlotsState> {
    if (actor.userId !== state.userId) return refuse("ROOM_FORBIDDEN", "only the player spins their machine");
    const currency = findCurrency(config.currency);
    if (currency === null || typeof action.stake !== "string") return refuse("BET_INVALID", "stake must be a decimal string");
    const stakeMinor = parseAmount(action.stake, currency);
    if (typeof stakeMinor !== "bigint") return refuse("BET_INVALID", `stake ${stakeMinor}`);
    // Keyed by the action id: a retry after a failover finds the recorded outcome and the ledger's answer.
    const spinId = `slots:${state.userId}:${ctx.actionId ?? state.spins + 1}`;
    return {
      ok: true,
      effect: { type: "slots.spin", gameId: config.gameId, roundId: spinId, playerId: state.userId, currency: config.currency, stakeMinor: stakeMinor.toString(), atMs: ctx.nowMs } satisfies SlotSpinEffect,
      resume: (raw) => {
        const draw = raw as SlotSpinDraw | { status: string };
        if ("status" in draw) return refuse("BET_LIMIT", draw.status);
        const drawn = draw.summary;
        const record: RoundRecord = {
          roundId: spinId, tableId: config.gameId, game: "slots", status: "closed", atMs: ctx.nowMs, outcome: drawn, verification: draw.verification,
          bets: [{ betId: "spin", userId: state.userId, currency: config.currency, stakeMinor: drawn.stakeMinor, detail: { game: config.gameId }, placedAtMs: ctx.nowMs }],
        };
        // The carry comes from the state before this spin, so a retried spin books the same amount (same ledger request).
        const contribution = bookableContribution(BigInt(state.jackpotCarryScaled ?? "0"), BigInt(drawn.jackpotContributionScaled ?? "0"));
        const jackpot = config.jackpot === undefined ? undefined
          : { jackpotId: config.jackpot.jackpotId, contributionMinor: contribution.minor.toString(), won: drawn.jackpotTriggered === true, seedMinor: config.jackpot.seedMinor.toString() };
        return {
          ok: true,
          effect: {
            type: "wallet.instant", game: "slots", gameId: config.gameId, playerId: state.userId, currency: config.currency, stakeMinor: drawn.stakeMinor,
            winMinor: drawn.totalWinMinor, roundId: spinId, ...(jackpot === undefined ? {} : { jackpot }), record,
          } satisfies InstantEffect,
          resume: (paid) => {
            const result = paid as InstantResult;
            if (result.status === "insufficient_funds" || result.status === "account_not_found") return refuse("WALLET_INSUFFICIENT_FUNDS", result.status);
            if (result.status !== "ok") return refuse("BET_INVALID", `wallet: ${result.status}`);
            const money = {
              availableMinor: result.availableMinor,
              ...(result.jackpotTotalMinor === undefined ? {} : { jackpotTotalMinor: result.jackpotTotalMinor }),
              ...(result.jackpotWinMinor === undefined ? {} : { jackpotWinMinor: result.jackpotWinMinor }),
            };
            const carry = jackpot === undefined ? {} : { jackpotCarryScaled: contribution.carryScaled.toString() };
            return {
              ok: true, state: { ...state, spins: state.spins + 1, lastSpin: drawn, ...carry },
              events: [{ kind: "slots.spin", to: state.userId, data: { spinId, ...drawn, ...money, at: ctx.nowMs } }],
              result: { spinId, ...drawn, ...money },
            };
          },
        };
      },
    };
  }

  return {
    kind: "slots",
    canJoin: (room, actor) => roomSubject(room) === actor.userId,
    initial: (room) => ({ userId: roomSubject(room), spins: 0, lastSpin: null }),
    apply: (state, action, actor, ctx) => (action.kind === "spin" ? spin(state, action, actor, ctx) : refuse("ACTION_REJECTED", `unknown slots action "${action.kind}"`)),
    snapshot: (state) => ({ public: { game: config.gameId, currency: config.currency }, private: { [state.userId]: { spins: state.spins, lastSpin: state.lastSpin } }, server: state }),
    restore: (snapshot) => snapshot.server as SlotsState,
  };
}
