import { findCurrency, parseAmount } from "../../engine/money/index.js";
import { defaultBlackjackRules, type BlackjackAction, type BlackjackEvent, type BlackjackRules, type BlackjackState, type BlackjackStatus } from "../../engine/blackjack/index.js";
import type { ErrorName } from "../../protocol/errors.js";
import type { LogEntryInput } from "../ports/room-log.js";
import type { ActionRequest, Actor, BehaviorOutcome, RoomBehavior, RoomContext } from "../rooms/room-behavior.js";
import { roomSubject } from "../rooms/room-behavior.js";
import { bigintsToStrings, decodeBigints, encodeBigints } from "./json-bigint.js";
import type { BatchResult, ReserveResult, TableEffect } from "./table-effects.js";

export interface BlackjackTableConfig {
  readonly currency: string;
  readonly rules: BlackjackRules;
  readonly bettingMs: number;
  /** A player who does not act in time stands (or declines insurance). */
  readonly turnMs: number;
  readonly resultsMs: number;
}

export const defaultBlackjackTable: BlackjackTableConfig = { currency: "EUR", rules: defaultBlackjackRules, bettingMs: 10_000, turnMs: 15_000, resultsMs: 4_000 };

interface Hold { readonly holdId: string; readonly seat: number; readonly amountMinor: string; readonly reason: "bet" | "double" | "split" | "insurance" }

interface TableState {
  readonly tableId: string;
  readonly seats: readonly (string | null)[];
  readonly phase: "waiting" | "betting" | "playing" | "settling" | "results";
  readonly seq: number;
  readonly roundId: string | null;
  readonly deadlineMs: number | null;
  readonly holds: readonly Hold[];
  /** The engine's state (bigints encoded); holds the shoe and the hole card, so it is server-only. */
  readonly engine: unknown;
  readonly returns: Readonly<Record<number, string>>;
}

/** Applies an engine action; the host runs it with the RNG boundary (the engine shuffles with it). */
export interface BlackjackApplyEffect { readonly type: "blackjack.apply"; readonly state: unknown; readonly action: unknown; readonly rules: unknown }
export interface BlackjackApplyResult { readonly status: BlackjackStatus; readonly state: unknown; readonly events: readonly BlackjackEvent[] }

function refuse(error: ErrorName, ...details: string[]): BehaviorOutcome<TableState> {
  return { ok: false, error, details };
}

/** Engine events as room events: money as decimal strings; the hole card is announced without its value. */
function toEntries(events: readonly BlackjackEvent[], roundId: string): LogEntryInput[] {
  return events.map((event) => ({ kind: `blackjack.${event.type}`, data: { roundId, ...(bigintsToStrings(event) as Record<string, unknown>) } }));
}

/**
 * A multi-seat blackjack table (`blackjack:<tableId>`): players sit, bet in a timed betting phase,
 * play their hands in turn with a turn timer (a timeout stands), double, split and insure (each extra
 * stake reserved in the ledger before the engine applies it), and every hold is settled exactly once.
 */
export function blackjackTableBehavior(tables: ReadonlyMap<string, BlackjackTableConfig>): RoomBehavior<TableState> {
  const configOf = (tableId: string) => tables.get(tableId) ?? defaultBlackjackTable;

  function engineStep(state: TableState, action: BlackjackAction, then: (result: BlackjackApplyResult) => BehaviorOutcome<TableState>): BehaviorOutcome<TableState> {
    const config = configOf(state.tableId);
    return { ok: true, effect: { type: "blackjack.apply", state: state.engine, action: encodeBigints(action), rules: encodeBigints(config.rules) } satisfies BlackjackApplyEffect, resume: (raw) => then(raw as BlackjackApplyResult) };
  }

  /** After an engine step: a settled round goes to settlement; otherwise the turn timer restarts. */
  function afterStep(state: TableState, result: BlackjackApplyResult, extraHolds: readonly Hold[], ctx: RoomContext): BehaviorOutcome<TableState> {
    const config = configOf(state.tableId);
    const engine = decodeBigints(result.state) as BlackjackState;
    const returns: Record<number, string> = { ...state.returns };
    for (const event of result.events) {
      if (event.type === "hand_settled" || event.type === "insurance_settled") returns[event.seat] = (BigInt(returns[event.seat] ?? "0") + event.returnMinor).toString();
    }
    const next: TableState = { ...state, engine: result.state, holds: [...state.holds, ...extraHolds], returns,
      phase: engine.phase === "settled" ? "settling" : "playing", deadlineMs: engine.phase === "settled" ? ctx.nowMs : ctx.nowMs + config.turnMs };
    return { ok: true, state: next, events: toEntries(result.events, state.roundId ?? "") };
  }

  function settle(state: TableState, ctx: RoomContext): BehaviorOutcome<TableState> {
    const config = configOf(state.tableId);
    // The whole return of a seat is paid on its main hold; its extra holds (double, split, insurance) post with no win.
    const items = state.holds.map((hold) => ({ holdId: hold.holdId, winMinor: hold.reason === "bet" ? state.returns[hold.seat] ?? "0" : "0" }));
    return {
      ok: true, effect: { type: "wallet.settle", gameId: "blackjack", currency: config.currency, items } satisfies TableEffect,
      resume: (raw) => {
        if ((raw as BatchResult).statuses.some((s) => s !== "ok")) return { ok: true, state: { ...state, deadlineMs: ctx.nowMs + 500 }, events: [] };
        return {
          ok: true, state: { ...state, phase: "results", deadlineMs: ctx.nowMs + config.resultsMs },
          events: [{ kind: "blackjack.round_paid", data: { roundId: state.roundId, returns: state.returns } }],
        };
      },
    };
  }

  function tick(state: TableState, ctx: RoomContext): BehaviorOutcome<TableState> {
    const config = configOf(state.tableId);
    if (state.deadlineMs !== null && ctx.nowMs + 5 < state.deadlineMs) return { ok: true, state, events: [] };
    switch (state.phase) {
      case "waiting": return { ok: true, state: { ...state, deadlineMs: null }, events: [] };
      case "results":
      case "betting": {
        if (state.phase === "betting" && state.holds.length > 0) {
          const betsMinor = state.seats.map((_, seat) => BigInt(state.holds.find((h) => h.seat === seat && h.reason === "bet")?.amountMinor ?? "0"));
          return engineStep(state, { type: "deal", betsMinor }, (result) => (result.status === "ok" ? afterStep({ ...state, returns: {} }, result, [], ctx) : refuse("ACTION_REJECTED", result.status)));
        }
        return openBetting(state, ctx, config);
      }
      case "playing": {
        // The turn timer ran out: stand for the seat on turn, or decline insurance for every undecided seat.
        const engine = decodeBigints(state.engine) as BlackjackState;
        if (engine.phase === "insurance") {
          const seat = engine.seats.findIndex((s) => s.hands.length > 0 && !s.insuranceDecided);
          return engineStep(state, { type: "insurance", seat, take: false }, (r) => afterStep(state, r, [], ctx));
        }
        const seat = engine.turn?.seat ?? 0;
        return engineStep(state, { type: "stand", seat }, (r) => afterStep(state, r, [], ctx));
      }
      case "settling": return settle(state, ctx);
    }
  }

  function openBetting(state: TableState, ctx: RoomContext, config: BlackjackTableConfig): BehaviorOutcome<TableState> {
    if (state.seats.every((s) => s === null)) return { ok: true, state: { ...state, phase: "waiting", deadlineMs: null, holds: [], roundId: null }, events: [] };
    const seq = state.seq + 1;
    const roundId = `${state.tableId}:${seq}:${ctx.nowMs.toString(36)}`;
    const next: TableState = { ...state, seq, roundId, phase: "betting", deadlineMs: ctx.nowMs + config.bettingMs, holds: [], returns: {} };
    return { ok: true, state: next, barrier: true, events: [{ kind: "blackjack.betting_opened", data: { roundId, closesAt: next.deadlineMs } }] };
  }

  function seatOf(state: TableState, actor: Actor): number {
    return state.seats.indexOf(actor.userId);
  }

  function playerAction(state: TableState, action: ActionRequest, actor: Actor, ctx: RoomContext): BehaviorOutcome<TableState> {
    const config = configOf(state.tableId);
    const seat = seatOf(state, actor);
    if (seat < 0) return refuse("ACTION_REJECTED", "sit down first");
    if (state.phase !== "playing") return refuse("ACTION_REJECTED", "no hand is being played");
    const move = action.kind as "hit" | "stand" | "double" | "split" | "insurance";
    const engineAction: BlackjackAction = move === "insurance" ? { type: "insurance", seat, take: action.take === true } : { type: move, seat };
    return engineStep(state, engineAction, (result) => {
      if (result.status !== "ok") return refuse("ACTION_REJECTED", result.status);
      const added = result.events.filter((e): e is Extract<BlackjackEvent, { type: "stake_added" }> => e.type === "stake_added");
      if (added.length === 0) return afterStep(state, result, [], ctx);
      // The extra stake is reserved before the step counts; refused funds leave the hand as it was.
      const stake = added[0] as Extract<BlackjackEvent, { type: "stake_added" }>;
      const amountMinor = stake.amountMinor.toString();
      const hold: Hold = { holdId: `${state.roundId}:${seat}:${state.holds.length}`, seat, amountMinor, reason: stake.reason };
      return {
        ok: true,
        effect: { type: "wallet.reserve", game: "blackjack", playerId: actor.userId, currency: config.currency, amountMinor, holdId: hold.holdId, roundId: state.roundId ?? "" } satisfies TableEffect,
        resume: (raw) => ((raw as ReserveResult).status === "ok" ? afterStep(state, result, [hold], ctx) : refuse("WALLET_INSUFFICIENT_FUNDS", (raw as ReserveResult).status)),
      };
    });
  }

  function bet(state: TableState, action: ActionRequest, actor: Actor): BehaviorOutcome<TableState> {
    const config = configOf(state.tableId);
    const seat = seatOf(state, actor);
    if (seat < 0) return refuse("ACTION_REJECTED", "sit down first");
    if (state.phase !== "betting" || action.roundId !== state.roundId) return refuse("BET_ROUND_CLOSED", "bets go to the open betting phase");
    if (state.holds.some((h) => h.seat === seat)) return refuse("BET_LIMIT", "one bet per seat and round");
    const currency = findCurrency(config.currency);
    const amount = typeof action.amount === "string" && currency !== null ? parseAmount(action.amount, currency) : "amount_malformed";
    if (typeof amount !== "bigint") return refuse("BET_INVALID", `amount: ${amount}`);
    if (amount < config.rules.betMinMinor || amount > config.rules.betMaxMinor) return refuse("BET_LIMIT", `bets from ${config.rules.betMinMinor} to ${config.rules.betMaxMinor} minor units`);
    const hold: Hold = { holdId: `${state.roundId}:${seat}:bet`, seat, amountMinor: amount.toString(), reason: "bet" };
    return {
      ok: true,
      effect: { type: "wallet.reserve", game: "blackjack", playerId: actor.userId, currency: config.currency, amountMinor: hold.amountMinor, holdId: hold.holdId, roundId: state.roundId ?? "" } satisfies TableEffect,
      resume: (raw) => ((raw as ReserveResult).status === "ok"
        ? { ok: true, state: { ...state, holds: [...state.holds, hold] }, events: [{ kind: "blackjack.bet_placed", data: { roundId: state.roundId, seat, amountMinor: hold.amountMinor } }], result: { holdId: hold.holdId, availableMinor: (raw as ReserveResult).availableMinor } }
        : refuse("WALLET_INSUFFICIENT_FUNDS", (raw as ReserveResult).status)),
    };
  }

  return {
    kind: "blackjack",
    canJoin: (room) => tables.has(roomSubject(room)),
    initial: (room) => {
      const tableId = roomSubject(room);
      return { tableId, seats: Array.from({ length: configOf(tableId).rules.seatsMax }, () => null), phase: "waiting", seq: 0, roundId: null, deadlineMs: null, holds: [], engine: null, returns: {} };
    },
    apply(state, action, actor, ctx) {
      switch (action.kind) {
        case "tick": return actor.userId === "system" ? tick(state, ctx) : refuse("ACTION_REJECTED", "tick is the server's");
        case "sit": {
          const seat = Number(action.seat);
          if (!Number.isInteger(seat) || seat < 0 || seat >= state.seats.length) return refuse("ACTION_REJECTED", "no such seat");
          if (state.seats[seat] !== null || seatOf(state, actor) >= 0) return refuse("ACTION_REJECTED", "seat taken, or you already sit");
          const seats = state.seats.map((s, i) => (i === seat ? actor.userId : s));
          const seated = { ...state, seats };
          const started = state.phase === "waiting" ? openBetting(seated, ctx, configOf(state.tableId)) : { ok: true as const, state: seated, events: [] };
          if (!started.ok || !("state" in started)) return started;
          return { ...started, events: [{ kind: "blackjack.seat_taken", data: { seat, userId: actor.userId } }, ...started.events] };
        }
        case "leave_seat": {
          const seat = seatOf(state, actor);
          if (seat < 0) return refuse("ACTION_REJECTED", "you do not sit here");
          if (state.holds.some((h) => h.seat === seat)) return refuse("ACTION_REJECTED", "finish the round first");
          return { ok: true, state: { ...state, seats: state.seats.map((s) => (s === actor.userId ? null : s)) }, events: [{ kind: "blackjack.seat_left", data: { seat } }] };
        }
        case "bet": return bet(state, action, actor);
        case "hit": case "stand": case "double": case "split": case "insurance": return playerAction(state, action, actor, ctx);
        default: return refuse("ACTION_REJECTED", `unknown blackjack action "${action.kind}"`);
      }
    },
    deadline: (state) => state.deadlineMs,
    snapshot(state) {
      const engine = state.engine === null ? null : (decodeBigints(state.engine) as BlackjackState);
      const view = engine === null ? null : {
        phase: engine.phase, turn: engine.turn,
        dealer: engine.holeCardRevealed ? engine.dealer : engine.dealer.slice(0, 1),
        seats: engine.seats.map((s) => ({ hands: s.hands.map((h) => ({ cards: h.cards, stakeMinor: h.stakeMinor.toString(), done: h.done })) })),
      };
      return { public: { tableId: state.tableId, seats: state.seats, phase: state.phase, roundId: state.roundId, deadline: state.deadlineMs, hand: view }, server: state };
    },
    restore: (snapshot) => snapshot.server as TableState,
  };
}
