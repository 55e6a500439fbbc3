import { findCurrency, parseAmount } from "../../engine/money/index.js";
// The engine's `apply` and `newTable` are renamed so this file's own `apply` (the behavior method) stays unambiguous.
import { apply as applyHoldem, newTable as newHoldemTableRaw, defaultHoldemRules, legalActions, type HoldemAction, type HoldemEvent, type HoldemRules, type HoldemState, type HoldemStatus } from "../../engine/holdem/index.js";
import type { ErrorName } from "../../protocol/errors.js";
import type { LogEntryInput } from "../ports/room-log.js";
import type { ActionRequest, Actor, BehaviorOutcome, RoomBehavior, RoomContext } from "../rooms/room-behavior.js";
import { roomSubject } from "../rooms/room-behavior.js";
import { bigintsToStrings, decodeBigints, encodeBigints } from "./json-bigint.js";
import type { BatchResult, ReserveResult, TableEffect } from "./table-effects.js";

export interface HoldemTableConfig {
  readonly currency: string;
  readonly rules: HoldemRules;
  /** Time a player has to act; then the hand checks for them if it can, else folds. */
  readonly turnMs: number;
  /** Pause after a hand before the next one starts (with at least two players). */
  readonly betweenHandsMs: number;
}

export const defaultHoldemTable: HoldemTableConfig = { currency: "EUR", rules: defaultHoldemRules, turnMs: 20_000, betweenHandsMs: 3_000 };

/** Starts a hand: the host shuffles a fresh deck with the RNG boundary (the engine itself draws nothing). */
export interface HoldemDealEffect { readonly type: "holdem.deal"; readonly state: unknown }
export interface HoldemApplyResult { readonly status: HoldemStatus; readonly state: unknown; readonly events: readonly HoldemEvent[] }

interface Sitting { readonly userId: string; readonly holdId: string; readonly buyInMinor: string }

interface TableState {
  readonly tableId: string;
  readonly sittings: readonly (Sitting | null)[];
  readonly seq: number;
  readonly engine: unknown;
  readonly deadlineMs: number | null;
}

function refuse(error: ErrorName, ...details: string[]): BehaviorOutcome<TableState> {
  return { ok: false, error, details };
}

const decode = (engine: unknown) => decodeBigints(engine) as HoldemState;

/**
 * A no-limit hold'em cash table (`holdem:<tableId>`). Sitting down reserves the buy-in in the ledger:
 * the chips on the table are that hold. Leaving settles the hold with the player's final stack as the
 * win, so the house keeps exactly the rake. Hole cards are private events to their seat's player; the
 * board is revealed to everyone at one server moment (`revealAt`). A player who does not act in time
 * checks if they can, else folds.
 */
export function holdemTableBehavior(tables: ReadonlyMap<string, HoldemTableConfig>): RoomBehavior<TableState> {
  const configOf = (tableId: string) => tables.get(tableId) ?? defaultHoldemTable;

  function entries(state: TableState, events: readonly HoldemEvent[], ctx: RoomContext): LogEntryInput[] {
    return events.map((event) => {
      const data = bigintsToStrings(event) as Record<string, unknown>;
      if (event.type === "hole_cards") return { kind: "holdem.hole_cards", to: state.sittings[event.recipientSeat]?.userId ?? "nobody", data };
      if (event.type === "board_dealt") return { kind: "holdem.board_dealt", data, revealAt: ctx.nowMs + ctx.revealLeadMs };
      return { kind: `holdem.${event.type}`, data };
    });
  }

  /** Applies an engine action (pure: the engine draws no randomness outside a deal). */
  function step(state: TableState, action: HoldemAction, ctx: RoomContext): BehaviorOutcome<TableState> {
    const config = configOf(state.tableId);
    const engine = decode(state.engine);
    return afterStep(state, applyHoldem(engine, action), ctx, config);
  }

  function afterStep(state: TableState, result: { status: HoldemStatus; state: HoldemState; events: readonly HoldemEvent[] }, ctx: RoomContext, config: HoldemTableConfig): BehaviorOutcome<TableState> {
    if (result.status !== "ok") return refuse("ACTION_REJECTED", result.status);
    const between = result.state.phase === "between_hands";
    const seated = result.state.seats.filter((s) => s !== null && s.stackMinor > 0n).length;
    const deadlineMs = !between ? ctx.nowMs + config.turnMs : seated >= 2 ? ctx.nowMs + config.betweenHandsMs : null;
    const next: TableState = { ...state, engine: encodeBigints(result.state), deadlineMs };
    return { ok: true, state: next, events: entries(state, result.events, ctx), barrier: result.events.some((e) => e.type === "hand_started") };
  }

  function tick(state: TableState, ctx: RoomContext): BehaviorOutcome<TableState> {
    const config = configOf(state.tableId);
    if (state.deadlineMs === null || ctx.nowMs + 5 < state.deadlineMs) return { ok: true, state, events: [] };
    const engine = decode(state.engine);
    if (engine.phase === "between_hands") {
      if (engine.seats.filter((s) => s !== null && s.stackMinor > 0n).length < 2) return { ok: true, state: { ...state, deadlineMs: null }, events: [] };
      return {
        ok: true, effect: { type: "holdem.deal", state: state.engine } satisfies HoldemDealEffect,
        resume: (raw) => {
          const dealt = raw as HoldemApplyResult;
          return afterStep(state, { status: dealt.status, state: decode(dealt.state), events: dealt.events }, ctx, config);
        },
      };
    }
    // The player on turn ran out of time.
    const legal = legalActions(engine);
    if (legal === null) return { ok: true, state: { ...state, deadlineMs: ctx.nowMs + config.turnMs }, events: [] };
    return step(state, legal.canCheck ? { type: "check", seat: legal.seat } : { type: "fold", seat: legal.seat }, ctx);
  }

  function sit(state: TableState, action: ActionRequest, actor: Actor, ctx: RoomContext): BehaviorOutcome<TableState> {
    const config = configOf(state.tableId);
    const seat = Number(action.seat);
    if (!Number.isInteger(seat) || seat < 0 || seat >= state.sittings.length) return refuse("ACTION_REJECTED", "no such seat");
    if (state.sittings.some((s) => s?.userId === actor.userId)) return refuse("ACTION_REJECTED", "you already sit at this table");
    if (state.sittings[seat] !== null) return refuse("ACTION_REJECTED", "seat_taken");
    const currency = findCurrency(config.currency);
    const buyIn = typeof action.buyIn === "string" && currency !== null ? parseAmount(action.buyIn, currency) : "amount_malformed";
    if (typeof buyIn !== "bigint") return refuse("BET_INVALID", `buyIn: ${buyIn}`);
    if (buyIn < config.rules.buyInMinMinor || buyIn > config.rules.buyInMaxMinor) return refuse("BET_LIMIT", `buy-in from ${config.rules.buyInMinMinor} to ${config.rules.buyInMaxMinor} minor units`);
    const engine = decode(state.engine);
    if (engine.phase !== "between_hands") return refuse("ACTION_REJECTED", "sit down between hands");
    const seq = state.seq + 1;
    const sitting: Sitting = { userId: actor.userId, holdId: `${state.tableId}:sit:${seq}`, buyInMinor: buyIn.toString() };
    return {
      ok: true,
      effect: { type: "wallet.reserve", game: "holdem", playerId: actor.userId, currency: config.currency, amountMinor: sitting.buyInMinor, holdId: sitting.holdId, roundId: sitting.holdId } satisfies TableEffect,
      resume: (raw) => {
        if ((raw as ReserveResult).status !== "ok") return refuse("WALLET_INSUFFICIENT_FUNDS", (raw as ReserveResult).status);
        const seatedState: TableState = { ...state, seq, sittings: state.sittings.map((s, i) => (i === seat ? sitting : s)) };
        const result = applyHoldem(engine, { type: "sit", seat, stackMinor: buyIn });
        // The engine agreed to everything checked above; a refusal here would be a broken invariant.
        if (result.status !== "ok") throw new Error(`holdem sit refused after reservation: ${result.status}`);
        return afterStep(seatedState, result, ctx, config);
      },
    };
  }

  function leave(state: TableState, actor: Actor, ctx: RoomContext): BehaviorOutcome<TableState> {
    const config = configOf(state.tableId);
    const seat = state.sittings.findIndex((s) => s?.userId === actor.userId);
    if (seat < 0) return refuse("ACTION_REJECTED", "you do not sit here");
    const engine = decode(state.engine);
    if (engine.phase !== "between_hands") return refuse("ACTION_REJECTED", "leave between hands");
    const stack = engine.seats[seat]?.stackMinor ?? 0n;
    const sitting = state.sittings[seat] as Sitting;
    return {
      ok: true,
      // Cash-out: the buy-in hold posts to the house, which pays back the final stack.
      effect: { type: "wallet.settle", gameId: "holdem", currency: config.currency, items: [{ holdId: sitting.holdId, winMinor: stack.toString() }] } satisfies TableEffect,
      resume: (raw) => {
        if ((raw as BatchResult).statuses.some((s) => s !== "ok")) return refuse("SERVICE_UNAVAILABLE", "cash-out did not commit; retry");
        const result = applyHoldem(engine, { type: "leave", seat });
        if (result.status !== "ok") throw new Error(`holdem leave refused after cash-out: ${result.status}`);
        return afterStep({ ...state, sittings: state.sittings.map((s, i) => (i === seat ? null : s)) }, result, ctx, config);
      },
    };
  }

  function play(state: TableState, action: ActionRequest, actor: Actor, ctx: RoomContext): BehaviorOutcome<TableState> {
    const seat = state.sittings.findIndex((s) => s?.userId === actor.userId);
    if (seat < 0) return refuse("ACTION_REJECTED", "you do not sit here");
    const kind = action.kind as "fold" | "check" | "call" | "all_in" | "raise";
    if (kind === "raise") {
      const currency = findCurrency(configOf(state.tableId).currency);
      const to = typeof action.to === "string" && currency !== null ? parseAmount(action.to, currency) : "amount_malformed";
      if (typeof to !== "bigint") return refuse("BET_INVALID", `to: ${to}`);
      return step(state, { type: "raise", seat, toMinor: to }, ctx);
    }
    return step(state, { type: kind, seat }, ctx);
  }

  return {
    kind: "holdem",
    canJoin: (room) => tables.has(roomSubject(room)),
    initial: (room) => {
      const tableId = roomSubject(room);
      const rules = configOf(tableId).rules;
      return { tableId, sittings: Array.from({ length: rules.seatCount }, () => null), seq: 0, engine: encodeBigints(newHoldemTable(rules)), deadlineMs: null };
    },
    apply(state, action, actor, ctx) {
      switch (action.kind) {
        case "tick": return actor.userId === "system" ? tick(state, ctx) : refuse("ACTION_REJECTED", "tick is the server's");
        case "sit": return sit(state, action, actor, ctx);
        case "leave": return leave(state, actor, ctx);
        case "fold": case "check": case "call": case "all_in": case "raise": return play(state, action, actor, ctx);
        default: return refuse("ACTION_REJECTED", `unknown holdem action "${action.kind}"`);
      }
    },
    deadline: (state) => state.deadlineMs,
    snapshot(state) {
      const engine = decode(state.engine);
      const seats = engine.seats.map((s, i) => (s === null ? null : { userId: state.sittings[i]?.userId ?? null, stackMinor: s.stackMinor.toString(), inHand: s.inHand, folded: s.folded, allIn: s.allIn, streetBetMinor: s.streetBetMinor.toString() }));
      const mine: Record<string, unknown> = {};
      engine.seats.forEach((s, i) => {
        const userId = state.sittings[i]?.userId;
        if (s !== null && userId !== undefined && s.inHand && s.holeCards.length > 0) mine[userId] = { holeCards: s.holeCards };
      });
      return {
        public: { tableId: state.tableId, phase: engine.phase, board: engine.board, button: engine.button, toAct: engine.toAct, currentBetMinor: engine.currentBetMinor.toString(), hand: engine.handNumber, seats, deadline: state.deadlineMs },
        private: mine, server: state,
      };
    },
    restore: (snapshot) => snapshot.server as TableState,
  };
}

function newHoldemTable(rules: HoldemRules): HoldemState {
  return newHoldemTableRaw(rules, Array.from({ length: rules.seatCount }, () => null));
}
