import { findCurrency, parseAmount } from "../../engine/money/index.js";
import {
  betTypes,
  pocketCount,
  redNumbers,
  settle,
  spin as spinWheel,
  validateBets,
  defaultRouletteLimits,
  type RouletteBet,
  type RouletteBetRequest,
  type RouletteBetType,
  type RouletteLimits,
} from "../../engine/roulette/index.js";
import { decodeBigints, encodeBigints } from "./json-bigint.js";
import type { ActionRequest, Actor, PrepareOutcome, Refusal, RoomBehavior, RoomContext } from "../rooms/room-behavior.js";
import { roomSubject } from "../rooms/room-behavior.js";
import type { RecordEffect, ReserveEffect, ReserveResult, RoundRecord, TableOutcome } from "./table-effects.js";
import { withLeadingEvents } from "./round-records.js";
import {
  chainEvent,
  chainSpent,
  dealerEntered,
  drawShared,
  newChain,
  publicChain,
  roundCommitment,
  takeSeed,
  type ChainSeedRef,
  type FairChain,
  type Verification,
} from "./fairness.js";
import { refuse, tableAsker, walletRefusal, withActions } from "./table-kit.js";
import { tableActionSchemas } from "../../protocol/table-actions.schemas.js";
import { cueEvent, liveClosesAt, liveRevealAt, type LiveTableTerms } from "./live-table.js";

export interface RouletteTableConfig {
  readonly currency: string;
  readonly bettingMs: number;
  readonly resultsMs: number;
  /** A betting phase that should have closed longer ago than this (its owner was gone) is voided. */
  readonly lateCloseMsMax: number;
  readonly limits: RouletteLimits;
  /** Live-dealer tables: the dealer drives the round; without the dealer for this long a round is voided. */
  readonly live?: LiveTableTerms;
}

export const defaultRouletteTable: RouletteTableConfig = {
  currency: "EUR",
  bettingMs: 15_000,
  resultsMs: 5_000,
  lateCloseMsMax: 2_000,
  limits: defaultRouletteLimits,
};

interface PlacedBet {
  readonly betId: string;
  readonly userId: string;
  readonly holdId: string;
  readonly stakeMinor: string;
  readonly bets: readonly { readonly type: string; readonly pockets: readonly number[]; readonly stakeMinor: string }[];
  readonly placedAtMs: number;
}

/** `closed` exists at live tables only: betting is over and the dealer has not entered the result yet. */
type Phase = "betting" | "closed" | "revealing" | "results" | "voiding";

interface Round {
  readonly id: string;
  readonly phase: Phase;
  readonly openedAtMs: number;
  readonly closesAtMs: number;
  readonly revealAtMs: number | null;
  readonly nextAtMs: number | null;
  readonly number: number | null;
  readonly bets: readonly PlacedBet[];
  readonly voidReason: string | null;
  /** The round's seed in the table's hash chain; absent in rounds opened before chains (drawn from the CSPRNG). */
  readonly seed?: ChainSeedRef;
}

export interface RouletteTableState {
  readonly tableId: string;
  readonly seq: number;
  readonly round: Round | null;
  readonly history: readonly number[];
  /** Live tables: when the dealer last acted (every dealer action, including heartbeats, counts). */
  readonly dealerSeenMs?: number;
  /** Closed by an operator: the current round finishes, no new one opens. */
  readonly closed?: boolean;
  /** Limits in force (an operator's, else the table's configured ones) and those for the next round. */
  readonly limits?: RouletteLimits;
  readonly nextLimits?: RouletteLimits;
  /** The committed hash chain the rounds draw from (server-only: it holds the secret terminal seed). */
  readonly fair?: FairChain;
}

type ValidatedBets = Extract<ReturnType<typeof validateBets>, { status: "ok" }>;

const historyMax = 12;
const tickSlackMs = 5;
const lostReason = "the table's state was lost (Redis restarted without its data); every stake is returned";

/** A bet's hold, named after the round, the player and the player's action id. */
function holdIdOf(roundId: string, userId: string, actionId: string): string {
  return `${roundId}:${userId}:${actionId}`;
}

function color(n: number): "green" | "red" | "black" {
  return n === 0 ? "green" : redNumbers.has(n) ? "red" : "black";
}

/**
 * Round ids: `<tableId>:<seq>:<opened, base 36>` for `roulette:<id>`, and `live~` before it for `live:<id>`.
 * Both kinds record as roulette table `<id>` in game recall, so the mark keeps their round ids apart
 * (table ids never hold a `~`), and with them each kind's unfinished rounds (`startRound`).
 */
const liveRoundMark = "live~";

function openRound(state: RouletteTableState & { fair: FairChain }, nowMs: number, config: RouletteTableConfig, kind: "roulette" | "live"): RouletteTableState {
  const seq = state.seq + 1;
  const { nextLimits, ...rest } = state;
  const taken = takeSeed(state.fair);
  return {
    ...rest,
    seq,
    fair: taken.chain,
    ...(nextLimits === undefined ? {} : { limits: nextLimits }),
    round: {
      id: `${kind === "live" ? liveRoundMark : ""}${state.tableId}:${seq}:${nowMs.toString(36)}`,
      phase: "betting",
      openedAtMs: nowMs,
      closesAtMs: config.live === undefined ? nowMs + config.bettingMs : liveClosesAt(config.live, nowMs, config.bettingMs),
      revealAtMs: null,
      nextAtMs: null,
      number: null,
      bets: [],
      voidReason: null,
      seed: taken.ref,
    },
  };
}

/** A round's accepted bets as game recall stores them. */
function recalledBets(round: Round, currency: string): NonNullable<RoundRecord["bets"]> {
  return round.bets.map((b) => ({ betId: b.betId, userId: b.userId, currency, stakeMinor: b.stakeMinor, detail: b.bets, placedAtMs: b.placedAtMs }));
}

/** The round's public commitment (its seed's hash, client seed and nonce), or null for a round from before chains. */
function commitmentOf(state: RouletteTableState, round: Round) {
  return state.fair === undefined || round.seed === undefined || round.seed.chainId !== state.fair.id
    ? null
    : roundCommitment(state.fair, round.seed, round.id);
}

/** Draws the round's pocket from its committed seed (null: a round from before chains). */
function drawPocket(state: RouletteTableState, round: Round): { value: number; verification: Verification } | null {
  return state.fair === undefined || round.seed === undefined ? null : drawShared(state.fair, round.seed, round.id, spinWheel);
}

function record(state: RouletteTableState, round: Round, status: RoundRecord["status"], nowMs: number, extra: Partial<RoundRecord> = {}): RecordEffect {
  return { type: "round.record", record: { roundId: round.id, tableId: state.tableId, game: "roulette", status, atMs: nowMs, ...extra } };
}

/** Parses the wire form of a bet (`amount` as a decimal string) into the engine's request. */
function toRequests(raw: unknown, currency: string): RouletteBetRequest[] | string {
  if (!Array.isArray(raw) || raw.length === 0) return "bets must be a non-empty array";
  const unit = findCurrency(currency);
  if (unit === null) return `unknown currency ${currency}`;
  const requests: RouletteBetRequest[] = [];
  for (const [i, item] of raw.entries()) {
    if (typeof item !== "object" || item === null) return `bet ${i} is not an object`;
    const { type, numbers, index, amount } = item as Record<string, unknown>;
    if (typeof amount !== "string") return `bet ${i}: amount must be a decimal string`;
    const stakeMinor = parseAmount(amount, unit);
    if (typeof stakeMinor !== "bigint") return `bet ${i}: amount ${stakeMinor}`;
    requests.push({ type, numbers, index, stakeMinor } as RouletteBetRequest);
  }
  return requests;
}

/**
 * A shared European roulette table (`roulette:<tableId>`): timed rounds that open for bets, close,
 * reveal one result to everyone at one server moment, settle every bet through the ledger and open
 * the next round. Pure: stakes are reserved, numbers drawn and rounds recorded by effects the host runs.
 */
export function rouletteTableBehavior(
  tables: ReadonlyMap<string, RouletteTableConfig>,
  kind: "roulette" | "live" = "roulette",
): RoomBehavior<RouletteTableState> {
  const ask = tableAsker<RouletteTableState>();
  const configOf = (tableId: string): RouletteTableConfig => tables.get(tableId) ?? defaultRouletteTable;
  const limitsOf = (state: RouletteTableState): RouletteLimits => state.limits ?? configOf(state.tableId).limits;

  /** A bet as the table would take it now: the refusal, or its stake and the hold that will carry it. */
  function judgeBet(
    state: RouletteTableState,
    action: ActionRequest,
    actor: Actor,
    ctx: RoomContext,
  ): { refusal: Refusal } | { round: Round; validated: ValidatedBets; holdId: string } {
    const config = configOf(state.tableId);
    const round = state.round;
    if (state.closed === true && (round === null || round.phase !== "betting")) return { refusal: refuse("BET_ROUND_CLOSED", "the table is closed") };
    if (round === null || round.phase !== "betting" || ctx.nowMs >= round.closesAtMs)
      return { refusal: refuse("BET_ROUND_CLOSED", "betting is closed; wait for the next round") };
    if (action.roundId !== round.id) return { refusal: refuse("BET_ROUND_CLOSED", `bets go to round ${round.id}`) };
    const requests = toRequests(action.bets, config.currency);
    if (typeof requests === "string") return { refusal: refuse("BET_INVALID", requests) };
    const limits = limitsOf(state);
    const validated = validateBets(requests, limits);
    if (validated.status !== "ok")
      return {
        refusal: refuse(
          validated.status === "unknown_bet_type" ||
            validated.status === "numbers_not_on_layout" ||
            validated.status === "index_out_of_range" ||
            validated.status === "stake_not_integer"
            ? "BET_INVALID"
            : "BET_LIMIT",
          `bet ${validated.betIndex}: ${validated.status}`,
        ),
      };
    const mine = round.bets.filter((b) => b.userId === actor.userId);
    const roundStake = mine.reduce((sum, b) => sum + BigInt(b.stakeMinor), 0n) + validated.totalStakeMinor;
    if (roundStake > limits.roundStakeMinorMax) return { refusal: refuse("BET_LIMIT", "round_stake_above_max") };
    if (mine.reduce((n, b) => n + b.bets.length, 0) + validated.bets.length > limits.roundBetsMax) return { refusal: refuse("BET_LIMIT", "too_many_bets") };
    // Derived from the player's action id: a retry (on this node or after a failover) names the same hold.
    return { round, validated, holdId: holdIdOf(round.id, actor.userId, ctx.actionId ?? String(round.bets.length)) };
  }

  /**
   * Before a bet takes its place in the table's queue, its stake is reserved — concurrently with
   * every other player's, so the ledger commits many reservations at once.
   */
  function prepareBet(state: RouletteTableState, action: ActionRequest, actor: Actor, ctx: RoomContext): PrepareOutcome<ReserveEffect> {
    const judged = judgeBet(state, action, actor, ctx);
    if ("refusal" in judged) return judged.refusal;
    const config = configOf(state.tableId);
    return {
      ok: true,
      effect: {
        type: "wallet.reserve",
        game: "roulette",
        playerId: actor.userId,
        currency: config.currency,
        amountMinor: judged.validated.totalStakeMinor.toString(),
        holdId: judged.holdId,
        roundId: judged.round.id,
      },
    };
  }

  /**
   * Judges a bet in the table's order, with its stake already reserved. A bet the table no longer
   * takes (betting closed meanwhile, a limit reached by the player's other bets) is refused; its hold
   * is released by the round's sweep, or at once when the sweep has already run.
   */
  function placeBet(state: RouletteTableState, action: ActionRequest, actor: Actor, ctx: RoomContext<ReserveResult>): TableOutcome<RouletteTableState> {
    const reserved = ctx.prepared;
    if (reserved === undefined) {
      const prepared = prepareBet(state, action, actor, ctx);
      return prepared.ok ? ask(prepared.effect, (result) => placeBet(state, action, actor, { ...ctx, prepared: result })) : prepared;
    }
    if (reserved.status !== "ok") return walletRefusal(reserved);
    const round = state.round;
    const judged = judgeBet(state, action, actor, ctx);
    if ("refusal" in judged) {
      const holdRound = typeof action.roundId === "string" ? action.roundId : "";
      const sweepToCome = round !== null && round.id === holdRound && round.phase !== "results";
      const holdId = holdIdOf(holdRound, actor.userId, ctx.actionId ?? "");
      if (sweepToCome || round?.bets.some((b) => b.holdId === holdId) === true) return judged.refusal;
      const refusal = judged.refusal;
      const config = configOf(state.tableId);
      return ask({ type: "wallet.void", currency: config.currency, holdIds: [holdId] }, () => refusal);
    }
    const { validated, holdId } = judged;
    const existing = judged.round.bets.find((b) => b.holdId === holdId);
    if (existing !== undefined) {
      // The same action again (a retry after a failover): the hold is the same, the bet stands once.
      return {
        ok: true,
        state,
        events: [],
        result: { roundId: judged.round.id, holdId, stakeMinor: existing.stakeMinor, availableMinor: reserved.availableMinor },
      };
    }
    // The bet's schema (checked by the host) makes `betId` an optional string.
    const betRef = typeof action.betId === "string" ? action.betId : (ctx.actionId ?? String(judged.round.bets.length));
    const placed: PlacedBet = {
      betId: `${actor.userId}:${betRef}`,
      userId: actor.userId,
      holdId,
      stakeMinor: validated.totalStakeMinor.toString(),
      bets: validated.bets.map(serializeBet),
      placedAtMs: ctx.nowMs,
    };
    // No event per bet: at a busy table every member would receive every bet. The player has the
    // acknowledgement; everyone sees the count and total at close, and the payouts at settlement.
    return {
      ok: true,
      state: { ...state, round: { ...judged.round, bets: [...judged.round.bets, placed] } },
      events: [],
      result: { roundId: judged.round.id, holdId, stakeMinor: placed.stakeMinor, availableMinor: reserved.availableMinor },
    };
  }

  function tick(state: RouletteTableState, ctx: RoomContext): TableOutcome<RouletteTableState> {
    const config = configOf(state.tableId);
    const round = state.round;
    if (config.live !== undefined) return liveTick(state, round, ctx, config, config.live.dealerAbsentMsMax);
    if (round === null) return state.closed === true ? { ok: true, state, events: [] } : startRound(state, ctx, config);
    switch (round.phase) {
      case "closed":
        return close(state, round, ctx);
      case "betting":
        if (ctx.nowMs + tickSlackMs < round.closesAtMs) return { ok: true, state, events: [] };
        if (ctx.nowMs - round.closesAtMs > config.lateCloseMsMax) return voidRound(state, round, "betting did not close on time (table owner changed)", ctx);
        return close(state, round, ctx);
      case "revealing":
        return ctx.nowMs + tickSlackMs < (round.revealAtMs ?? 0) ? { ok: true, state, events: [] } : settleRound(state, round, ctx, config);
      case "voiding":
        return voidRound(state, round, round.voidReason ?? "voided", ctx);
      case "results":
        return state.closed === true || ctx.nowMs + tickSlackMs < (round.nextAtMs ?? 0) ? { ok: true, state, events: [] } : opened(state, ctx, config);
    }
  }

  /**
   * Opens the table's first round of an epoch, or its next one. A table that starts from nothing (a
   * new room, or one whose state was lost with Redis) first ends the rounds an earlier epoch left
   * unfinished in game recall: their stakes go back and each is announced voided in this epoch.
   */
  function startRound(state: RouletteTableState, ctx: RoomContext, config: RouletteTableConfig): TableOutcome<RouletteTableState> {
    if (state.seq !== 0) return opened(state, ctx, config);
    // `roulette:1` and `live:1` are both roulette table 1 in game recall: each ends only its own rounds.
    const rounds = kind === "live" ? { prefix: liveRoundMark } : { without: "~" };
    return ask(
      { type: "rounds.recover", game: "roulette", tableId: state.tableId, rounds, currency: config.currency, reason: lostReason, atMs: ctx.nowMs },
      (answer) =>
        withLeadingEvents(
          opened(state, ctx, config),
          answer.rounds.map((r) => ({ kind: "round.voided", data: { roundId: r.roundId, reason: lostReason, refunded: r.refunded } })),
        ),
    );
  }

  /**
   * Opens the next round on the next seed of the table's chain. A table without a chain, or whose
   * chain is used up, first starts a new one and publishes its commitment (`fairness.chain`).
   */
  function opened(state: RouletteTableState, ctx: RoomContext, config: RouletteTableConfig): TableOutcome<RouletteTableState> {
    const fair = state.fair;
    if (fair === undefined || chainSpent(fair)) {
      return ask({ type: "rng.seed" }, (terminal) => {
        const chain = newChain(terminal, (fair?.id ?? 0) + 1);
        return withLeadingEvents(opened({ ...state, fair: chain }, ctx, config), [chainEvent(chain)]);
      });
    }
    const next = openRound({ ...state, fair }, ctx.nowMs, config, kind);
    const round = next.round as Round;
    return ask(record(next, round, "open", ctx.nowMs), () => ({
      ok: true,
      state: next,
      barrier: true,
      events: [
        { kind: "round.opened", data: { roundId: round.id, closesAt: round.closesAtMs, currency: config.currency, fairness: commitmentOf(next, round) } },
      ],
    }));
  }

  /**
   * A live table moves only when its dealer acts, except for two timers: betting closes at
   * `closesAt`, and a dealer silent for `dealerAbsentMsMax` gets the round voided and refunded.
   */
  function liveTick(
    state: RouletteTableState,
    round: Round | null,
    ctx: RoomContext,
    config: RouletteTableConfig,
    absentMsMax: number,
  ): TableOutcome<RouletteTableState> {
    const absent = ctx.nowMs - (state.dealerSeenMs ?? 0) > absentMsMax;
    if (round === null) return { ok: true, state, events: [] };
    switch (round.phase) {
      case "betting":
      case "closed":
        if (absent) return voidRound(state, round, "the dealer was silent too long (no action or heartbeat within liveDealerAbsentMsMax)", ctx);
        if (round.phase === "betting" && ctx.nowMs + tickSlackMs >= round.closesAtMs) {
          return {
            ok: true,
            state: { ...state, round: { ...round, phase: "closed" } },
            events: [{ kind: "round.closed", data: { roundId: round.id, bets: round.bets.length } }],
          };
        }
        return { ok: true, state, events: [] };
      case "revealing":
        return ctx.nowMs + tickSlackMs < (round.revealAtMs ?? 0) ? { ok: true, state, events: [] } : settleRound(state, round, ctx, config);
      case "voiding":
        return voidRound(state, round, round.voidReason ?? "voided", ctx);
      case "results":
        return { ok: true, state, events: [] };
    }
  }

  function dealerAction(state: RouletteTableState, action: ActionRequest, actor: Actor, ctx: RoomContext): TableOutcome<RouletteTableState> {
    const config = configOf(state.tableId);
    if (!actor.roles.includes("dealer") && !actor.roles.includes("operator")) return refuse("AUTH_FORBIDDEN", "dealer actions need the dealer role");
    const seen: RouletteTableState = { ...state, dealerSeenMs: ctx.nowMs };
    const round = state.round;
    switch (action.kind) {
      case "heartbeat":
        return { ok: true, state: seen, events: [] };
      case "cue":
        return config.live === undefined
          ? refuse("ACTION_REJECTED", "not a live table")
          : { ok: true, state: seen, events: [cueEvent(action, round?.id ?? null, config.live, ctx)] };
      case "open":
        if (round !== null && round.phase !== "results") return refuse("ACTION_REJECTED", "finish the current round first");
        if (state.closed === true) return refuse("ACTION_REJECTED", "the table is closed by an operator");
        return startRound(seen, ctx, config);
      case "close":
        if (round === null || round.phase !== "betting") return refuse("BET_ROUND_CLOSED", "no round is taking bets");
        return {
          ok: true,
          state: { ...seen, round: { ...round, phase: "closed" } },
          events: [{ kind: "round.closed", data: { roundId: round.id, bets: round.bets.length } }],
        };
      case "result": {
        if (round === null || (round.phase !== "closed" && round.phase !== "betting"))
          return refuse("ACTION_REJECTED", "close betting before entering the result");
        // The dealer enters the number the physical wheel showed, or asks the RNG boundary.
        if (action.rng === true) return close(seen, round, ctx);
        const number = action.number;
        if (typeof number !== "number" || !Number.isInteger(number) || number < 0 || number >= pocketCount)
          return refuse("ACTION_REJECTED", "number must be an integer from 0 to 36");
        return close(seen, round, ctx, number);
      }
      default:
        return refuse("ACTION_REJECTED", `unknown dealer action "${action.kind}"`);
    }
  }

  /**
   * Fixes the round's number: the draw from its committed seed (revealed with the result), the number
   * a live dealer entered (labelled as such, not provably fair), or, for a round opened before the
   * table had a chain, the CSPRNG.
   */
  function close(state: RouletteTableState, round: Round, ctx: RoomContext, entered?: number): TableOutcome<RouletteTableState> {
    if (entered !== undefined) return fixResult(state, round, ctx, entered, "dealer", dealerEntered);
    const drawn = drawPocket(state, round);
    if (drawn !== null) return fixResult(state, round, ctx, drawn.value, "provably-fair", drawn.verification);
    return ask({ type: "rng.uniform", n: pocketCount }, (n) => fixResult(state, round, ctx, n, "csprng", { source: "csprng", pockets: pocketCount }));
  }

  function fixResult(
    state: RouletteTableState,
    round: Round,
    ctx: RoomContext,
    number: number,
    source: "provably-fair" | "csprng" | "dealer",
    verification: unknown,
  ): TableOutcome<RouletteTableState> {
    const live = configOf(state.tableId).live;
    // At a live table the result shows when the players' video shows the ball land.
    const revealAtMs = live === undefined ? ctx.nowMs + ctx.revealLeadMs : liveRevealAt(live, ctx);
    const closed: Round = { ...round, phase: "revealing", number, revealAtMs };
    return ask(
      record(state, closed, "closed", ctx.nowMs, {
        outcome: { number, color: color(number) },
        verification,
        bets: recalledBets(round, configOf(state.tableId).currency),
      }),
      () => ({
        ok: true,
        state: { ...state, round: closed },
        events: [
          ...(round.phase === "closed" ? [] : [{ kind: "round.closed", data: { roundId: round.id, bets: round.bets.length } }]),
          { kind: "round.result", data: { roundId: round.id, number, color: color(number), source, fairness: verification }, revealAt: revealAtMs },
        ],
      }),
    );
  }

  function settleRound(state: RouletteTableState, round: Round, ctx: RoomContext, config: RouletteTableConfig): TableOutcome<RouletteTableState> {
    const number = round.number as number;
    const payouts = round.bets.map((placed) => ({ placed, winMinor: settle(placed.bets.map(deserializeBet), number).totalReturnMinor }));
    const retry: TableOutcome<RouletteTableState> = { ok: true, state: { ...state, round: { ...round, revealAtMs: ctx.nowMs + 500 } }, events: [] };
    return ask(
      {
        type: "wallet.settle",
        gameId: "roulette",
        currency: config.currency,
        items: payouts.map((p) => ({ holdId: p.placed.holdId, winMinor: p.winMinor.toString() })),
      },
      (answer) => {
        // A transient ledger refusal (busy) leaves the round revealing; the next tick settles again, idempotently.
        if (answer.statuses.some((s) => s !== "ok")) return retry;
        return sweep(round, config, retry, () => {
          const done: Round = { ...round, phase: "results", nextAtMs: ctx.nowMs + config.resultsMs };
          const parts: Record<string, { payouts: { holdId: string; stakeMinor: string; returnMinor: string }[] }> = {};
          for (const p of payouts)
            (parts[p.placed.userId] ??= { payouts: [] }).payouts.push({
              holdId: p.placed.holdId,
              stakeMinor: p.placed.stakeMinor,
              returnMinor: p.winMinor.toString(),
            });
          return ask(
            record(state, done, "settled", ctx.nowMs, { payouts: payouts.map((p) => ({ betId: p.placed.betId, payoutMinor: p.winMinor.toString() })) }),
            () => ({
              ok: true,
              state: { ...state, round: done, history: [number, ...state.history].slice(0, historyMax) },
              // One event for the table; each player's own payouts ride in it, visible to that player only.
              events: [
                {
                  kind: "round.settled",
                  data: { roundId: round.id, number, bets: round.bets.length, returnedMinor: payouts.reduce((s, p) => s + p.winMinor, 0n).toString() },
                  parts,
                },
              ],
            }),
          );
        });
      },
    );
  }

  /**
   * Releases the round's holds that were reserved but never became bets (refused when judged, or
   * orphaned when a player gave up or the owner changed between reservation and judgement).
   */
  function sweep(
    round: Round,
    config: RouletteTableConfig,
    retry: TableOutcome<RouletteTableState>,
    then: () => TableOutcome<RouletteTableState>,
  ): TableOutcome<RouletteTableState> {
    return ask({ type: "wallet.sweep", currency: config.currency, roundId: round.id }, (answer) => (answer.status === "ok" ? then() : retry));
  }

  function voidRound(state: RouletteTableState, round: Round, reason: string, ctx: RoomContext): TableOutcome<RouletteTableState> {
    const config = configOf(state.tableId);
    const retry: TableOutcome<RouletteTableState> = { ok: true, state: { ...state, round: { ...round, phase: "voiding", voidReason: reason } }, events: [] };
    return ask({ type: "wallet.void", currency: config.currency, holdIds: round.bets.map((b) => b.holdId) }, (answer) => {
      if (answer.statuses.some((s) => s !== "ok")) return retry;
      return sweep(round, config, retry, () => {
        const done: Round = { ...round, phase: "results", voidReason: reason, nextAtMs: ctx.nowMs + config.resultsMs };
        const parts: Record<string, { refunds: { holdId: string; stakeMinor: string }[] }> = {};
        for (const b of round.bets) (parts[b.userId] ??= { refunds: [] }).refunds.push({ holdId: b.holdId, stakeMinor: b.stakeMinor });
        // A voided round still reveals its seed and the number it would have drawn: selective voids would show.
        const unused = round.number === null ? drawPocket(state, round) : null;
        const fairness = unused === null ? {} : { fairness: { ...unused.verification, voidedNumber: unused.value } };
        // The bets go into recall with the void (they were never recorded if the round had not closed):
        // each player recalls the round with their refunded stakes, the operator every bet.
        return ask(
          record(state, done, "voided", ctx.nowMs, {
            voidReason: reason,
            bets: recalledBets(round, config.currency),
            payouts: round.bets.map((b) => ({ betId: b.betId, payoutMinor: b.stakeMinor })),
            ...(unused === null ? {} : { verification: fairness.fairness }),
          }),
          () => ({
            ok: true,
            state: { ...state, round: done },
            events: [{ kind: "round.voided", data: { roundId: round.id, reason, refunded: round.bets.length, ...fairness }, parts }],
          }),
        );
      });
    });
  }

  /** Operator controls (operators, and dealers at live tables): close, open, limits, void. */
  function tableControl(state: RouletteTableState, action: ActionRequest, actor: Actor, ctx: RoomContext): TableOutcome<RouletteTableState> {
    if (!actor.roles.includes("operator") && !(kind === "live" && actor.roles.includes("dealer")))
      return refuse("AUTH_FORBIDDEN", "table controls need the operator role");
    const by = actor.userId;
    switch (action.kind) {
      case "table.close":
        return { ok: true, state: { ...state, closed: true }, events: [{ kind: "table.closed", data: { by, roundId: state.round?.id ?? null } }] };
      case "table.open":
        return { ok: true, state: { ...state, closed: false }, events: [{ kind: "table.opened", data: { by } }] };
      case "table.limits": {
        // Over the limits already pending for the next round, if any: two changes in one round both take effect.
        const limits = parseLimits(action, state.nextLimits ?? limitsOf(state), configOf(state.tableId).currency);
        if (typeof limits === "string") return refuse("BET_INVALID", limits);
        return {
          ok: true,
          state: { ...state, nextLimits: limits },
          events: [{ kind: "table.limits", data: { by, appliesFrom: "next round", limits: limitsToWire(limits) } }],
        };
      }
      default: {
        const round = state.round;
        if (round === null || (round.phase !== "betting" && round.phase !== "closed"))
          return refuse("BET_ROUND_CLOSED", "only a round whose outcome is not fixed yet can be voided");
        return voidRound(
          state,
          round,
          typeof action.reason === "string" && action.reason.trim() !== "" ? action.reason.slice(0, 200) : "voided by operator",
          ctx,
        );
      }
    }
  }

  return withActions<RouletteTableState, "wallet.reserve">(
    {
      kind,
      canJoin: (room) => tables.has(roomSubject(room)),
      initial: (room) => ({ tableId: roomSubject(room), seq: 0, round: null, history: [] }),
      apply(state, action, actor, ctx) {
        if (action.kind === "tick") return actor.userId === "system" ? tick(state, ctx) : refuse("ACTION_REJECTED", "tick is the server's");
        if (action.kind === "bet") return placeBet(state, action, actor, ctx);
        if (kind === "live" && ["open", "close", "result", "cue", "heartbeat"].includes(action.kind)) return dealerAction(state, action, actor, ctx);
        if (["table.close", "table.open", "table.limits", "round.void", "void"].includes(action.kind)) return tableControl(state, action, actor, ctx);
        return refuse("ACTION_REJECTED", `unknown roulette action "${action.kind}"`);
      },
      prepare: (state, action, actor, ctx) => (action.kind === "bet" ? prepareBet(state, action, actor, ctx) : null),
      deadline(state) {
        const round = state.round;
        const live = configOf(state.tableId).live;
        if (live !== undefined) {
          if (round === null || round.phase === "results") return null;
          if (round.phase === "voiding") return 0;
          const absentAt = (state.dealerSeenMs ?? 0) + live.dealerAbsentMsMax;
          if (round.phase === "betting") return Math.min(round.closesAtMs, absentAt);
          if (round.phase === "closed") return absentAt;
          return round.revealAtMs;
        }
        if (round === null) return state.closed === true ? null : 0;
        if (round.phase === "voiding") return 0;
        if (round.phase === "results" && state.closed === true) return null;
        if (round.phase === "betting") return round.closesAtMs;
        if (round.phase === "revealing") return round.revealAtMs;
        return round.nextAtMs;
      },
      snapshot(state) {
        const round = state.round;
        const publicRound =
          round === null
            ? null
            : {
                id: round.id,
                phase: round.phase,
                closesAt: round.closesAtMs,
                revealAt: round.revealAtMs,
                bets: round.bets.length,
                fairness: commitmentOf(state, round),
                // The number is drawn at close; it becomes public with the reveal event, never earlier.
                ...(round.phase === "results" && round.number !== null ? { number: round.number } : {}),
              };
        // Rewritten with every bet (each one writes a snapshot): one pass, no copying per bet.
        const mine: Record<string, { holdId: string; stakeMinor: string; bets: PlacedBet["bets"] }[]> = {};
        for (const bet of round?.bets ?? []) (mine[bet.userId] ??= []).push({ holdId: bet.holdId, stakeMinor: bet.stakeMinor, bets: bet.bets });
        const live = configOf(state.tableId).live;
        return {
          public: {
            tableId: state.tableId,
            open: state.closed !== true,
            round: publicRound,
            history: state.history,
            limits: limitsToWire(limitsOf(state)),
            fairness: publicChain(state.fair),
            ...(state.nextLimits === undefined ? {} : { nextLimits: limitsToWire(state.nextLimits) }),
            ...(live ? { streamUrl: live.streamUrl, streamLatencyMs: live.streamLatencyMs ?? 0 } : {}),
          },
          private: mine,
          server: {
            seq: state.seq,
            round,
            dealerSeenMs: state.dealerSeenMs ?? null,
            closed: state.closed === true,
            fair: state.fair ?? null,
            limits: state.limits === undefined ? null : encodeBigints(state.limits),
            nextLimits: state.nextLimits === undefined ? null : encodeBigints(state.nextLimits),
          },
        };
      },
      restore(snapshot) {
        const pub = snapshot.public as { tableId: string; history: number[] };
        const server = snapshot.server as {
          seq: number;
          round: Round | null;
          dealerSeenMs?: number | null;
          closed?: boolean;
          limits?: unknown;
          nextLimits?: unknown;
          fair?: FairChain | null;
        };
        return {
          tableId: pub.tableId,
          seq: server.seq,
          round: server.round,
          history: pub.history,
          ...(typeof server.dealerSeenMs === "number" ? { dealerSeenMs: server.dealerSeenMs } : {}),
          ...(server.closed === true ? { closed: true } : {}),
          ...(server.fair ? { fair: server.fair } : {}),
          ...(server.limits ? { limits: decodeBigints(server.limits) as RouletteLimits } : {}),
          ...(server.nextLimits ? { nextLimits: decodeBigints(server.nextLimits) as RouletteLimits } : {}),
        };
      },
    },
    tableActionSchemas[kind],
  );
}

function serializeBet(bet: RouletteBet) {
  return { type: bet.type, pockets: bet.pockets, stakeMinor: bet.stakeMinor.toString() };
}

function deserializeBet(bet: { type: string; pockets: readonly number[]; stakeMinor: string }): RouletteBet {
  return { type: bet.type as RouletteBet["type"], pockets: bet.pockets, stakeMinor: BigInt(bet.stakeMinor) };
}

/** Limits on the wire: amounts as decimal strings of minor units. */
function limitsToWire(limits: RouletteLimits) {
  return {
    roundStakeMinorMax: limits.roundStakeMinorMax.toString(),
    roundBetsMax: limits.roundBetsMax,
    perBet: Object.fromEntries(
      Object.entries(limits.perBet).map(([type, range]) => [type, { minMinor: range.minMinor.toString(), maxMinor: range.maxMinor.toString() }]),
    ),
  };
}

const roundBetsMaxLimit = 1_000;
const betTypeSet: ReadonlySet<string> = new Set(betTypes);
const isBetType = (type: string): type is RouletteBetType => betTypeSet.has(type);

/**
 * An operator's new limits: `roundStakeMax` (amount), `roundBetsMax` (count) and `perBet`
 * (`{ "<type>": { "min": amount, "max": amount } }`), each optional, over `current`: the limits
 * already pending for the next round, else those in force.
 */
function parseLimits(action: ActionRequest, current: RouletteLimits, currencyCode: string): RouletteLimits | string {
  const unit = findCurrency(currencyCode);
  if (unit === null) return `unknown currency ${currencyCode}`;
  const amount = (value: unknown, name: string): bigint | string => {
    if (typeof value !== "string") return `${name} must be a decimal string`;
    const parsed = parseAmount(value, unit);
    return typeof parsed === "bigint" ? (parsed > 0n ? parsed : `${name} must be positive`) : `${name}: ${parsed}`;
  };
  let roundStakeMinorMax = current.roundStakeMinorMax;
  if (action.roundStakeMax !== undefined) {
    const parsed = amount(action.roundStakeMax, "roundStakeMax");
    if (typeof parsed === "string") return parsed;
    roundStakeMinorMax = parsed;
  }
  let roundBetsMax = current.roundBetsMax;
  if (action.roundBetsMax !== undefined) {
    if (typeof action.roundBetsMax !== "number" || !Number.isInteger(action.roundBetsMax) || action.roundBetsMax < 1 || action.roundBetsMax > roundBetsMaxLimit)
      return `roundBetsMax must be an integer from 1 to ${roundBetsMaxLimit}`;
    roundBetsMax = action.roundBetsMax;
  }
  const perBet = { ...current.perBet };
  if (action.perBet !== undefined) {
    if (typeof action.perBet !== "object" || action.perBet === null) return "perBet must be an object";
    for (const [type, range] of Object.entries(action.perBet)) {
      // A closed set: `in` would also accept what the prototype chain holds (`constructor`, `toString`).
      if (!isBetType(type)) return `perBet: unknown bet type ${type}`;
      const { min, max } = (range ?? {}) as { min?: unknown; max?: unknown };
      const minMinor = amount(min, `perBet.${type}.min`);
      const maxMinor = amount(max, `perBet.${type}.max`);
      if (typeof minMinor === "string") return minMinor;
      if (typeof maxMinor === "string") return maxMinor;
      if (minMinor > maxMinor) return `perBet.${type}: min above max`;
      perBet[type] = { minMinor, maxMinor };
    }
  }
  return { perBet, roundStakeMinorMax, roundBetsMax };
}
