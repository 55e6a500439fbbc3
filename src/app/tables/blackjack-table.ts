import { findCurrency, parseAmount } from "../../engine/money/index.js";
import {
  apply as applyBlackjack,
  newTable,
  newTableAwaitingShoe,
  cutCardOut,
  cutCardReached,
  declareShoe,
  defaultBlackjackRules,
  handTotal,
  liveEngineShoe,
  liveStep,
  shoeRefusal,
  tableWithShoe,
  takeFromShoe,
  type DeclaredShoe,
  type BlackjackAction,
  type BlackjackEvent,
  type BlackjackRules,
  type BlackjackState,
  type BlackjackStatus,
} from "../../engine/blackjack/index.js";
import type { LogEntryInput } from "../ports/room-log.js";
import type { ActionRequest, Actor, RoomBehavior, RoomContext } from "../rooms/room-behavior.js";
import { roomSubject } from "../rooms/room-behavior.js";
import { bigintsToStrings, decodeBigints, encodeBigints } from "./json-bigint.js";
import { recordThen, withLeadingEvents } from "./round-records.js";
import type { RoundRecord, TableOutcome } from "./table-effects.js";
import { refuse, tableAsker, walletRefusal, withActions } from "./table-kit.js";
import { tableActionSchemas } from "../../protocol/table-actions.schemas.js";
import { hashServerSeed, ProvablyFairRng } from "../../engine/rng/index.js";
import {
  chainEvent,
  chainSpent,
  newChain,
  publicChain,
  roundCommitment,
  sharedSeeds,
  streamVerification,
  takeSeed,
  type ChainSeedRef,
  type FairChain,
} from "./fairness.js";
import { formatCard, parseCard } from "../../engine/poker/cards.js";
import { dealerEntered } from "./fairness.js";
import { cueEvent, liveClosesAt, liveRevealAt, type LiveTableTerms } from "./live-table.js";

export interface BlackjackTableConfig {
  readonly currency: string;
  readonly rules: BlackjackRules;
  readonly bettingMs: number;
  /** A player who does not act in time stands (or declines insurance). */
  readonly turnMs: number;
  readonly resultsMs: number;
  /** Consecutive rounds a seated player may sit out (no bet) or leave to the turn timer before they are stood up. */
  readonly absentRoundsMax: number;
  /** Live tables (`liveblackjack:<id>`): a dealer enters the cards; its terms (dealer absence, stream latency). */
  readonly live?: LiveTableTerms;
}

/** The live terms a live table runs by when none are configured. */
export const defaultLiveBlackjackTerms: LiveTableTerms = { dealerAbsentMsMax: 30_000, dealerReplaceMsMax: 60_000, streamUrl: "", streamLatencyMs: 0 };

export const defaultBlackjackTable: BlackjackTableConfig = {
  currency: "EUR",
  rules: defaultBlackjackRules,
  bettingMs: 10_000,
  turnMs: 15_000,
  resultsMs: 4_000,
  absentRoundsMax: 3,
};

/** `placedAtMs` came with game recall; holds in older snapshots record the time of the round's record instead. */
interface Hold {
  readonly holdId: string;
  readonly seat: number;
  readonly amountMinor: string;
  readonly reason: "bet" | "double" | "split" | "insurance";
  readonly placedAtMs?: number;
}

/**
 * The shoe in play at a provably-fair table: seed `ref` of the table's chain, with the id of the round
 * it was committed for as client seed (docs/FAIRNESS.md). Its stream is read across rounds: the shuffle
 * takes the first values, and only a round that ran the shoe dry would read more (to reshuffle the discards).
 */
interface ShoeSeed {
  readonly ref: ChainSeedRef;
  readonly id: string;
  /** Values the shoe's stream has given so far (0: not shuffled yet), and the cursor of its last block (-1: none). */
  readonly uint32sDrawn: number;
  readonly cursor: number;
  /** Values the shuffle itself took. */
  readonly shuffleUint32s: number;
}

/** Bet limits in minor units (decimal strings, as they travel in snapshots). */
interface BetLimits {
  readonly betMinMinor: string;
  readonly betMaxMinor: string;
}

/*
 * The optional fields came with operator controls and absent players; snapshots written before them
 * restore with their defaults (open, the configured limits, nobody absent).
 */
interface TableState {
  readonly tableId: string;
  readonly seats: readonly (string | null)[];
  /** `voiding`: an operator voided the round and some refunds have not committed yet; the timer retries them. */
  readonly phase: "waiting" | "betting" | "playing" | "settling" | "results" | "voiding";
  readonly seq: number;
  readonly roundId: string | null;
  readonly deadlineMs: number | null;
  readonly holds: readonly Hold[];
  /** The engine's state (bigints encoded); holds the shoe and the hole card, so it is server-only. */
  readonly engine: unknown;
  readonly returns: Readonly<Record<number, string>>;
  /** Closed by an operator: the round in play finishes, no new one opens. */
  readonly closed?: boolean;
  /** The limits of the round in play (null: the configured ones); `nextLimits` take over when the next round opens. */
  readonly limits?: BetLimits | null;
  readonly nextLimits?: BetLimits | null;
  readonly voidReason?: string | null;
  /** Who sat in each seat when the current round opened: only they can be counted absent from it. */
  readonly roundSeats?: readonly (string | null)[];
  /** Seats whose turn the timer played in this round (a seat's own action afterwards clears it). */
  readonly timedOut?: readonly number[];
  /** Consecutive absent rounds per seat. */
  readonly absentRounds?: readonly number[];
  /** The table's committed hash chain (server-only: it holds the secret terminal seed), and the shoe's seed in it. */
  readonly fair?: FairChain;
  readonly shoe?: ShoeSeed;
  /** Live tables only: the declared shoe, the engine action waiting for the dealer's cards, the dealer on shift. */
  readonly live?: LiveState;
}

/** An engine action the dealer is dealing for: its cards so far, and how many of its events are out already. */

interface LiveState {
  readonly shoe: DeclaredShoe | null;
  readonly shoes: number;
  readonly pending: PendingDeal | null;
  readonly dealer: string | null;
  readonly dealerSeenMs: number;
  /** When the dealer's absence was announced (null: present). */
  readonly absentAtMs: number | null;
}

const voidReasonCharsMax = 200;

/**
 * `{ betMin, betMax }` as decimal strings; either may be left out to keep its current value: the one
 * already pending for the next round, else the one in force (GAMES.md), else the configured one.
 */
function parseBetLimits(action: ActionRequest, config: BlackjackTableConfig, current: BetLimits | null): BetLimits | string {
  const currency = findCurrency(config.currency);
  if (currency === null) return `unknown currency ${config.currency}`;
  const read = (field: "betMin" | "betMax", fallback: bigint): bigint | string => {
    const value = action[field];
    if (value === undefined) return fallback;
    const parsed = typeof value === "string" ? parseAmount(value, currency) : "amount_not_string";
    return typeof parsed === "bigint" ? parsed : `${field}: ${parsed}`;
  };
  const min = read("betMin", current === null ? config.rules.betMinMinor : BigInt(current.betMinMinor));
  const max = read("betMax", current === null ? config.rules.betMaxMinor : BigInt(current.betMaxMinor));
  if (typeof min === "string") return min;
  if (typeof max === "string") return max;
  if (min <= 0n || min > max) return "limits need 0 < betMin <= betMax";
  return { betMinMinor: min.toString(), betMaxMinor: max.toString() };
}

/** Engine events as room events: money as decimal strings; the hole card is announced without its value. */
function toEntries(events: readonly BlackjackEvent[], roundId: string, revealAt?: number): LogEntryInput[] {
  return events.map((event) => ({
    kind: `blackjack.${event.type}`,
    data: { roundId, ...(bigintsToStrings(event) as Record<string, unknown>) },
    ...(revealAt === undefined ? {} : { revealAt }),
  }));
}

/** The seeds of the shoe in play, if the table has committed one (a table restored from before chains has none). */
/** A live blackjack action waiting for the dealer's cards: the action, the cards dealt to it so far, the events already sent. */
interface PendingDeal {
  readonly action: unknown;
  readonly cards: readonly number[];
  readonly emitted: number;
}

/** An engine step's result; `stream`: where a committed shoe's stream stands after the step. */
interface BlackjackApplyResult {
  readonly status: BlackjackStatus;
  readonly state: unknown;
  readonly events: readonly BlackjackEvent[];
  readonly stream?: { readonly cursor: number; readonly uint32sDrawn: number };
  /** Live tables: the action still waits for the dealer's cards (null: it is done). */
  readonly pending?: PendingDeal | null;
}

function shoeSeedsOf(state: TableState) {
  return state.fair === undefined || state.shoe === undefined ? null : sharedSeeds(state.fair, state.shoe.ref, state.shoe.id);
}

/**
 * The round's verification: its shoe's commitment, seeds and stream (the seed stays null here, and game
 * recall shows it once the shoe is replaced), and where its cards lie in the shoe: the run from
 * `shoeFirstCard`, `cardsDealt` long (docs/FAIRNESS.md).
 */
function verificationOf(state: TableState, engine: BlackjackState) {
  if (state.live !== undefined)
    return {
      ...dealerEntered,
      shoeId: state.live.shoe?.id ?? null,
      decks: state.live.shoe?.decks ?? engine.rules.decks,
      shoeCardsOut: (state.live.shoe?.dealt ?? 0) + (state.live.shoe?.burned ?? 0),
    };
  const dealt = engine.dealer.length + engine.seats.reduce((n, s) => n + s.hands.reduce((m, h) => m + h.cards.length, 0), 0);
  const cards = {
    shuffle: "fisher-yates",
    decks: engine.rules.decks,
    shoeCards: engine.shoe.cards.length,
    shoeRound: engine.round,
    cardsDealt: dealt,
    shoeNextCard: engine.shoe.next,
  };
  const shared = shoeSeedsOf(state);
  if (shared === null || state.shoe === undefined) return { rng: "csprng", ...cards };
  // A round that ran the shoe dry dealt its last cards from the reshuffled discards (read further on the same stream).
  const refilled = state.shoe.uint32sDrawn > state.shoe.shuffleUint32s;
  return {
    ...streamVerification(shared.seeds, state.shoe, false, shared.chain),
    shoeId: state.shoe.id,
    ...cards,
    shoeFirstCard: engine.shoe.next - dealt,
    ...(refilled ? { shoeRefilled: true } : {}),
  };
}

/** Every card of a blackjack round is dealt face up by its end, so the whole table is the outcome. */
function outcomeOf(engine: BlackjackState, events: readonly BlackjackEvent[], returns: Readonly<Record<number, string>>) {
  const settled = new Map(events.flatMap((e) => (e.type === "hand_settled" ? [[`${e.seat}:${e.hand}`, e] as const] : [])));
  return {
    dealer: { cards: engine.dealer, total: handTotal(engine.dealer).total },
    seats: engine.seats.flatMap((s, seat) =>
      s.hands.length === 0
        ? []
        : [
            {
              seat,
              insuranceMinor: s.insuranceMinor.toString(),
              insuranceReturnMinor: s.insuranceReturnMinor.toString(),
              returnMinor: returns[seat] ?? "0",
              hands: s.hands.map((h, hand) => ({
                cards: h.cards,
                total: handTotal(h.cards).total,
                stakeMinor: h.stakeMinor.toString(),
                doubled: h.doubled,
                fromSplit: h.fromSplit,
                outcome: settled.get(`${seat}:${hand}`)?.outcome ?? null,
                returnMinor: settled.get(`${seat}:${hand}`)?.returnMinor.toString() ?? null,
              })),
            },
          ],
    ),
  };
}

/**
 * A multi-seat blackjack table (`blackjack:<tableId>`): players sit, bet in a timed betting phase,
 * play their hands in turn with a turn timer (a timeout stands), double, split and insure (each extra
 * stake reserved in the ledger before the engine applies it), and every hold is settled exactly once.
 */
export function blackjackTableBehavior(
  tables: ReadonlyMap<string, BlackjackTableConfig>,
  kind: "blackjack" | "liveblackjack" = "blackjack",
): RoomBehavior<TableState> {
  const ask = tableAsker<TableState>();
  const configOf = (tableId: string) => tables.get(tableId) ?? defaultBlackjackTable;
  const isLive = kind === "liveblackjack";
  const termsOf = (state: TableState): LiveTableTerms => configOf(state.tableId).live ?? defaultLiveBlackjackTerms;
  /** Live tables: events the players' video shows later are revealed then. */
  const revealAtOf = (state: TableState, ctx: RoomContext): number | undefined => (isLive ? liveRevealAt(termsOf(state), ctx) : undefined);
  /** `{ revealAt }` at a live table, nothing at an RNG table: spread into an event. */
  const revealAtField = (state: TableState, ctx: RoomContext): { revealAt?: number } => {
    const revealAt = revealAtOf(state, ctx);
    return revealAt === undefined ? {} : { revealAt };
  };

  function roundRecord(state: TableState, status: RoundRecord["status"], atMs: number, extra: Partial<RoundRecord> = {}): RoundRecord {
    return { roundId: state.roundId ?? "", tableId: state.tableId, game: kind, status, atMs, ...extra };
  }

  /** Each hold is a bet in the record, keyed by its hold id (stable across a failover, as the round id is). */
  function betsOf(state: TableState, atMs: number): NonNullable<RoundRecord["bets"]> {
    const currency = configOf(state.tableId).currency;
    return state.holds.map((h) => ({
      betId: h.holdId,
      userId: state.seats[h.seat] ?? "unknown",
      currency,
      stakeMinor: h.amountMinor,
      detail: { seat: h.seat, reason: h.reason },
      placedAtMs: h.placedAtMs ?? atMs,
    }));
  }

  /** The rules of the round in play: the configured ones with the operator's bet limits, if any. */
  function rulesOf(state: TableState): BlackjackRules {
    const rules = configOf(state.tableId).rules;
    const limits = state.limits ?? null;
    return limits === null ? rules : { ...rules, betMinMinor: BigInt(limits.betMinMinor), betMaxMinor: BigInt(limits.betMaxMinor) };
  }

  /**
   * Runs an engine step in the behavior. At a committed shoe the engine draws from the shoe's
   * provably-fair stream, resumed where the shoe's last step left it (docs/FAIRNESS.md): the seeds
   * are the randomness, as data. A shoe from before shoes were committed (a table restored from an
   * older snapshot) is reshuffled, if at all, from a fresh CSPRNG seed asked for as data, until it is
   * replaced by a committed one.
   */
  function engineStep(state: TableState, action: BlackjackAction, then: (result: BlackjackApplyResult) => TableOutcome<TableState>): TableOutcome<TableState> {
    if (isLive) return then(liveEngineStep(state, action, [], 0));
    const shared = shoeSeedsOf(state);
    if (shared !== null) return then(stepOn(state, action, new ProvablyFairRng(shared.seeds).skip(state.shoe?.uint32sDrawn ?? 0), true));
    return ask({ type: "rng.seed" }, (seed) =>
      then(stepOn(state, action, new ProvablyFairRng({ serverSeed: seed, clientSeed: state.roundId ?? state.tableId, nonce: 0 }), false)),
    );
  }

  /** One engine step on `rng`; at a committed shoe the result says where the shoe's stream stands after it. */
  function stepOn(state: TableState, action: BlackjackAction, rng: ProvablyFairRng, committed: boolean): BlackjackApplyResult {
    const rules = rulesOf(state);
    const engine = state.engine !== null ? (decodeBigints(state.engine) as BlackjackState) : committed ? newTableAwaitingShoe(rules) : newTable(rules, rng);
    const step = applyBlackjack(engine, action, rng);
    const stream = committed ? { stream: { cursor: rng.cursorLast, uint32sDrawn: rng.drawnUint32s } } : {};
    return { status: step.status, state: encodeBigints(step.state), events: step.events, ...stream };
  }

  /** After an engine step: a settled round goes to settlement; otherwise the turn timer restarts. */
  function afterStep(state: TableState, result: BlackjackApplyResult, extraHolds: readonly Hold[], ctx: RoomContext): TableOutcome<TableState> {
    const config = configOf(state.tableId);
    if (state.live !== undefined && result.pending != null) {
      // Waiting for the dealer's next card: the engine state stays; the events so far go out; no turn timer runs.
      const waiting: TableState = {
        ...state,
        holds: [...state.holds, ...extraHolds],
        phase: "playing",
        deadlineMs: null,
        live: { ...state.live, pending: result.pending },
      };
      return { ok: true, state: waiting, events: toEntries(result.events, state.roundId ?? "", revealAtOf(state, ctx)) };
    }
    if (state.live !== undefined) state = { ...state, live: { ...state.live, pending: null } };
    const engine = decodeBigints(result.state) as BlackjackState;
    const returns: Record<number, string> = { ...state.returns };
    for (const event of result.events) {
      if (event.type === "hand_settled" || event.type === "insurance_settled")
        returns[event.seat] = (BigInt(returns[event.seat] ?? "0") + event.returnMinor).toString();
    }
    const read = result.stream;
    // The shoe's stream moves on only in a step that shuffled: the first one is the shoe's shuffle.
    const shoe =
      state.shoe === undefined || read === undefined
        ? state.shoe
        : {
            ...state.shoe,
            cursor: read.cursor,
            uint32sDrawn: read.uint32sDrawn,
            shuffleUint32s: state.shoe.uint32sDrawn === 0 ? read.uint32sDrawn : state.shoe.shuffleUint32s,
          };
    const next: TableState = {
      ...state,
      engine: result.state,
      holds: [...state.holds, ...extraHolds],
      returns,
      ...(shoe === undefined ? {} : { shoe }),
      phase: engine.phase === "settled" ? "settling" : "playing",
      deadlineMs: engine.phase === "settled" ? ctx.nowMs : ctx.nowMs + config.turnMs,
    };
    const outcome: TableOutcome<TableState> = { ok: true, state: next, events: toEntries(result.events, state.roundId ?? "", revealAtOf(state, ctx)) };
    if (engine.phase !== "settled") return outcome;
    // The outcome is fixed: recorded with every stake of the round before any of it is settled.
    const closed = roundRecord(next, "closed", ctx.nowMs, {
      outcome: outcomeOf(engine, result.events, returns),
      verification: verificationOf(next, engine),
      bets: betsOf(next, ctx.nowMs),
    });
    return recordThen(closed, () => outcome);
  }

  /**
   * Voids the round's holds the ledger has and the table does not: a stake reserved by an owner that
   * died before writing it (the player saw no answer). Run once every hold of the table is settled or
   * voided, so only such orphans are pending; a sweep that fails is retried by the timer from `retry`.
   */
  function sweepThen(state: TableState, retry: TableState, then: () => TableOutcome<TableState>): TableOutcome<TableState> {
    return ask({ type: "wallet.sweep", currency: configOf(state.tableId).currency, roundId: state.roundId ?? "" }, (answer) =>
      answer.status === "ok" ? then() : { ok: true, state: retry, events: [] },
    );
  }

  function settle(state: TableState, ctx: RoomContext): TableOutcome<TableState> {
    const config = configOf(state.tableId);
    // The whole return of a seat is paid on its main hold; its extra holds (double, split, insurance) post with no win.
    const items = state.holds.map((hold) => ({ holdId: hold.holdId, winMinor: hold.reason === "bet" ? (state.returns[hold.seat] ?? "0") : "0" }));
    return ask({ type: "wallet.settle", gameId: "blackjack", currency: config.currency, items }, (answer) => {
      if (answer.statuses.some((s) => s !== "ok")) return { ok: true, state: { ...state, deadlineMs: ctx.nowMs + 500 }, events: [] };
      // Payouts as the ledger paid them: the seat's whole return on its bet, nothing on its added stakes.
      return sweepThen(state, { ...state, deadlineMs: ctx.nowMs + 500 }, () =>
        recordThen(roundRecord(state, "settled", ctx.nowMs, { payouts: items.map((i) => ({ betId: i.holdId, payoutMinor: i.winMinor })) }), () => ({
          ok: true,
          state: { ...state, phase: "results", deadlineMs: ctx.nowMs + config.resultsMs },
          events: [{ kind: "blackjack.round_paid", data: { roundId: state.roundId, returns: state.returns }, ...revealAtField(state, ctx) }],
        })),
      );
    });
  }

  function tick(state: TableState, ctx: RoomContext): TableOutcome<TableState> {
    const config = configOf(state.tableId);
    const fault = liveFault(state, ctx);
    if (fault !== null) return fault;
    // Live: a hand waiting for the dealer's cards has no timer but the dealer's.
    if (state.live?.pending != null && state.phase === "playing") return { ok: true, state, events: [] };
    if (state.deadlineMs !== null && ctx.nowMs + 5 < state.deadlineMs) return { ok: true, state, events: [] };
    switch (state.phase) {
      case "waiting":
        return { ok: true, state: { ...state, deadlineMs: null }, events: [] };
      case "results":
      case "betting": {
        if (state.phase === "betting" && state.holds.length > 0) {
          const betsMinor = state.seats.map((_, seat) => BigInt(state.holds.find((h) => h.seat === seat && h.reason === "bet")?.amountMinor ?? "0"));
          return engineStep(state, { type: "deal", betsMinor }, (result) =>
            result.status === "ok" ? afterStep({ ...state, returns: {} }, result, [], ctx) : refuse("ACTION_REJECTED", result.status),
          );
        }
        // Nobody bet: the round ends with nothing dealt (recorded so that no round stays open in recall).
        if (state.phase === "betting")
          return sweepThen(state, { ...state, deadlineMs: ctx.nowMs + 500 }, () =>
            recordThen(roundRecord(state, "settled", ctx.nowMs, { outcome: { dealt: false } }), () => openBetting(state, ctx, config)),
          );
        return openBetting(state, ctx, config);
      }
      case "playing": {
        // The turn timer ran out: stand for the seat on turn, or decline insurance for every undecided seat.
        const engine = decodeBigints(state.engine) as BlackjackState;
        if (engine.phase === "insurance") {
          const seat = engine.seats.findIndex((s) => s.hands.length > 0 && !s.insuranceDecided);
          const late = markTimedOut(state, seat);
          return engineStep(late, { type: "insurance", seat, take: false }, (r) => afterStep(late, r, [], ctx));
        }
        const seat = engine.turn?.seat ?? 0;
        const late = markTimedOut(state, seat);
        return engineStep(late, { type: "stand", seat }, (r) => afterStep(late, r, [], ctx));
      }
      case "settling":
        return settle(state, ctx);
      case "voiding":
        return voidRound(state, state.voidReason ?? "voided", ctx);
    }
  }

  function markTimedOut(state: TableState, seat: number): TableState {
    const timedOut = state.timedOut ?? [];
    return timedOut.includes(seat) ? state : { ...state, timedOut: [...timedOut, seat] };
  }

  /**
   * Between rounds: a player who sat the last round out (no bet) or let the timer play for them is
   * absent once more; one who bet and acted is present again. Absent `absentRoundsMax` rounds in a
   * row, they are stood up (they hold no stake between rounds, so nothing is owed either way).
   */
  function standUpAbsent(state: TableState, config: BlackjackTableConfig): { state: TableState; events: LogEntryInput[] } {
    const roundSeats = state.roundSeats ?? [];
    const absentRounds = state.seats.map((userId, seat) => {
      if (userId === null || roundSeats[seat] !== userId) return 0;
      const bet = state.holds.some((h) => h.seat === seat && h.reason === "bet");
      return bet && !(state.timedOut ?? []).includes(seat) ? 0 : (state.absentRounds?.[seat] ?? 0) + 1;
    });
    const events: LogEntryInput[] = [];
    const seats = state.seats.map((userId, seat) => {
      if (userId === null || (absentRounds[seat] ?? 0) < config.absentRoundsMax) return userId;
      events.push({ kind: "blackjack.seat_left", data: { seat, userId, reason: "absent", absentRounds: absentRounds[seat] } });
      return null;
    });
    return { state: { ...state, seats, absentRounds: absentRounds.map((n, seat) => (seats[seat] === null ? 0 : n)) }, events };
  }

  /**
   * Opens the next round. When its deal will shuffle a new shoe (the table's first, or the cut card is
   * out), the shoe in play is done: its seed is revealed (game recall shows it in every round dealt
   * from it, and `blackjack.shoe_revealed` announces it), and the new shoe takes the next seed of the
   * table's chain, whose commitment is published before any bet (`fairness.round`, every round). A
   * table without a chain, or whose chain is used up, commits a new one first (`fairness.chain`).
   * Every step below restarts from `state`, so the absent players are counted once.
   */
  function openBetting(state: TableState, ctx: RoomContext, config: BlackjackTableConfig): TableOutcome<TableState> {
    const { state: present, events } = standUpAbsent(state, config);
    if (present.closed === true || present.seats.every((s) => s === null)) {
      return { ok: true, state: { ...present, phase: "waiting", deadlineMs: null, holds: [], roundId: null, roundSeats: [], timedOut: [] }, events };
    }
    const seq = present.seq + 1;
    const roundId = `${present.tableId}:${seq}:${ctx.nowMs.toString(36)}`;
    const engine = present.engine === null ? null : (decodeBigints(present.engine) as BlackjackState);
    const shoeDone = engine === null || cutCardReached(engine.shoe);
    const played = present.shoe;
    if (present.live !== undefined) {
      const why = liveNotReady(present, ctx);
      if (why !== null)
        return {
          ok: true,
          state: { ...present, phase: "waiting", deadlineMs: null, holds: [], roundId: null, roundSeats: [], timedOut: [] },
          events: [...events, { kind: "liveblackjack.waiting", data: { tableId: present.tableId, reason: why } }],
        };
    }
    if (!isLive && shoeDone && played !== undefined && played.uint32sDrawn > 0) {
      const { shoe: _done, ...rest } = state;
      const shared = shoeSeedsOf(present);
      if (shared === null) return openBetting(rest, ctx, config);
      const revealed = {
        shoeId: played.id,
        serverSeedHash: hashServerSeed(shared.seeds.serverSeed),
        serverSeed: shared.seeds.serverSeed,
        nonce: shared.seeds.nonce,
        chain: shared.chain,
      };
      return ask({ type: "fairness.reveal", serverSeedHash: revealed.serverSeedHash, serverSeed: revealed.serverSeed, atMs: ctx.nowMs }, () =>
        withLeadingEvents(openBetting(rest, ctx, config), [{ kind: "blackjack.shoe_revealed", data: revealed }]),
      );
    }
    if (!isLive && shoeDone && played === undefined) {
      const fair = present.fair;
      if (fair === undefined || chainSpent(fair)) {
        return ask({ type: "rng.seed" }, (terminal) => {
          const chain = newChain(terminal, (fair?.id ?? 0) + 1);
          return withLeadingEvents(openBetting({ ...state, fair: chain }, ctx, config), [chainEvent(chain)]);
        });
      }
      const taken = takeSeed(fair);
      return openBetting({ ...state, fair: taken.chain, shoe: { ref: taken.ref, id: roundId, uint32sDrawn: 0, cursor: -1, shuffleUint32s: 0 } }, ctx, config);
    }
    const limits = present.nextLimits ?? present.limits ?? null;
    const closesAt = present.live === undefined ? ctx.nowMs + config.bettingMs : liveClosesAt(termsOf(present), ctx.nowMs, config.bettingMs);
    const next: TableState = {
      ...present,
      seq,
      roundId,
      phase: "betting",
      deadlineMs: closesAt,
      holds: [],
      returns: {},
      limits,
      nextLimits: null,
      roundSeats: present.seats,
      timedOut: [],
    };
    const rules = rulesOf(next);
    const commitment = present.fair === undefined || present.shoe === undefined ? null : roundCommitment(present.fair, present.shoe.ref, present.shoe.id);
    const fairness: LogEntryInput[] =
      commitment === null || present.shoe === undefined
        ? []
        : [{ kind: "fairness.round", data: { roundId, shoeId: present.shoe.id, newShoe: shoeDone, ...commitment } }];
    return recordThen(roundRecord(next, "open", ctx.nowMs), () => ({
      ok: true,
      state: next,
      barrier: true,
      events: [
        ...events,
        ...fairness,
        {
          kind: "blackjack.betting_opened",
          data: { roundId, closesAt: next.deadlineMs, betMinMinor: rules.betMinMinor.toString(), betMaxMinor: rules.betMaxMinor.toString() },
        },
      ],
    }));
  }

  function seatOf(state: TableState, actor: Actor): number {
    return state.seats.indexOf(actor.userId);
  }

  function playerAction(table: TableState, action: ActionRequest, actor: Actor, ctx: RoomContext): TableOutcome<TableState> {
    const config = configOf(table.tableId);
    const seat = seatOf(table, actor);
    if (seat < 0) return refuse("ACTION_REJECTED", "sit down first");
    if (table.phase !== "playing") return refuse("ACTION_REJECTED", "no hand is being played");
    if (table.live?.pending != null) return refuse("ACTION_REJECTED", "the dealer is dealing; decide once the card is out");
    const move = action.kind as "hit" | "stand" | "double" | "split" | "insurance";
    const engineAction: BlackjackAction = move === "insurance" ? { type: "insurance", seat, take: action.take === true } : { type: move, seat };
    // The player is back: a turn the timer played for them earlier in this round no longer counts.
    const state: TableState = (table.timedOut ?? []).includes(seat) ? { ...table, timedOut: (table.timedOut ?? []).filter((s) => s !== seat) } : table;
    return engineStep(state, engineAction, (result) => {
      if (result.status !== "ok") return refuse("ACTION_REJECTED", result.status);
      const added = result.events.filter((e): e is Extract<BlackjackEvent, { type: "stake_added" }> => e.type === "stake_added");
      if (added.length === 0) return afterStep(state, result, [], ctx);
      // The extra stake is reserved before the step counts; refused funds leave the hand as it was.
      const stake = added[0] as Extract<BlackjackEvent, { type: "stake_added" }>;
      const amountMinor = stake.amountMinor.toString();
      const hold: Hold = { holdId: `${state.roundId}:${seat}:${state.holds.length}`, seat, amountMinor, reason: stake.reason, placedAtMs: ctx.nowMs };
      return ask(
        {
          type: "wallet.reserve",
          game: kind,
          playerId: actor.userId,
          currency: config.currency,
          amountMinor,
          holdId: hold.holdId,
          roundId: state.roundId ?? "",
        },
        (answer) => (answer.status === "ok" ? afterStep(state, result, [hold], ctx) : walletRefusal(answer)),
      );
    });
  }

  /**
   * Voids the round in play: every hold of it (bets and added stakes) is voided, so each stake returns
   * once (the ledger keys each void by its hold); the cards dealt are burned. Refunds that do not commit
   * leave the table `voiding`, and the timer tries them again.
   */
  function voidRound(state: TableState, reason: string, ctx: RoomContext): TableOutcome<TableState> {
    const config = configOf(state.tableId);
    const roundId = state.roundId ?? "";
    return ask({ type: "wallet.void", currency: config.currency, holdIds: state.holds.map((h) => h.holdId) }, (answer) => {
      if (answer.statuses.some((s) => s !== "ok")) {
        return {
          ok: true,
          state: { ...state, phase: "voiding", voidReason: reason, deadlineMs: ctx.nowMs + 500 },
          events: [],
          result: { roundId, status: "voiding" },
        };
      }
      const bets = betsOf(state, ctx.nowMs);
      const record = roundRecord(state, "voided", ctx.nowMs, {
        voidReason: reason,
        bets,
        payouts: bets.map((b) => ({ betId: b.betId, payoutMinor: b.stakeMinor })),
      });
      const engine =
        state.engine === null
          ? null
          : encodeBigints({
              ...(decodeBigints(state.engine) as BlackjackState),
              phase: "settled",
              seats: [],
              dealer: [],
              holeCardRevealed: false,
              turn: null,
            } satisfies BlackjackState);
      const retry: TableState = { ...state, phase: "voiding", voidReason: reason, deadlineMs: ctx.nowMs + 500 };
      return sweepThen(state, retry, () =>
        ask({ type: "round.record", record }, () => ({
          ok: true,
          barrier: true,
          result: { roundId, status: "voided", refunded: state.holds.length },
          state: {
            ...state,
            engine,
            phase: "results",
            deadlineMs: ctx.nowMs + config.resultsMs,
            holds: [],
            returns: {},
            voidReason: null,
            roundSeats: [],
            timedOut: [],
            ...(state.live === undefined ? {} : { live: { ...state.live, pending: null } }),
          },
          events: [{ kind: "round.voided", data: { roundId, reason, refunded: state.holds.length } }],
        })),
      );
    });
  }

  /** `table.close`, `table.open`, `table.limits` and `round.void`: operators and dealers only. */
  function operatorAction(state: TableState, action: ActionRequest, actor: Actor, ctx: RoomContext): TableOutcome<TableState> {
    if (!actor.roles.includes("operator") && !actor.roles.includes("dealer"))
      return refuse("AUTH_FORBIDDEN", "table controls need the operator or dealer role");
    const config = configOf(state.tableId);
    switch (action.kind) {
      case "table.close":
        return {
          ok: true,
          state: { ...state, closed: true },
          events: [{ kind: "table.closed", data: { tableId: state.tableId, by: actor.userId } }],
          result: { open: false },
        };
      case "table.open": {
        const opened: TableState = { ...state, closed: false };
        const events: LogEntryInput[] = [{ kind: "table.opened", data: { tableId: state.tableId, by: actor.userId } }];
        if (state.phase !== "waiting") return { ok: true, state: opened, events, result: { open: true } };
        return withLeadingEvents(openBetting(opened, ctx, config), events, { open: true });
      }
      case "table.limits": {
        const limits = parseBetLimits(action, config, state.nextLimits ?? state.limits ?? null);
        if (typeof limits === "string") return refuse("BET_INVALID", limits);
        return {
          ok: true,
          state: { ...state, nextLimits: limits },
          events: [{ kind: "table.limits", data: { tableId: state.tableId, ...limits, from: "next round", by: actor.userId } }],
          result: { nextLimits: limits },
        };
      }
      case "round.void": {
        const reason = typeof action.reason === "string" ? action.reason.trim().slice(0, voidReasonCharsMax) : "";
        if (reason === "") return refuse("ACTION_REJECTED", "a void needs a reason");
        if (state.phase !== "betting" && state.phase !== "playing")
          return refuse(
            "ACTION_REJECTED",
            state.phase === "settling" || state.phase === "voiding" ? `the round is ${state.phase} already` : "no round is in play",
          );
        return voidRound(state, reason, ctx);
      }
      default:
        return refuse("ACTION_REJECTED", `unknown table action "${action.kind}"`);
    }
  }

  function bet(state: TableState, action: ActionRequest, actor: Actor, ctx: RoomContext): TableOutcome<TableState> {
    const config = configOf(state.tableId);
    const seat = seatOf(state, actor);
    if (seat < 0) return refuse("ACTION_REJECTED", "sit down first");
    if (state.phase !== "betting" || action.roundId !== state.roundId) return refuse("BET_ROUND_CLOSED", "bets go to the open betting phase");
    if (state.holds.some((h) => h.seat === seat)) return refuse("BET_LIMIT", "one bet per seat and round");
    const currency = findCurrency(config.currency);
    const amount = typeof action.amount === "string" && currency !== null ? parseAmount(action.amount, currency) : "amount_malformed";
    if (typeof amount !== "bigint") return refuse("BET_INVALID", `amount: ${amount}`);
    const rules = rulesOf(state);
    if (amount < rules.betMinMinor || amount > rules.betMaxMinor)
      return refuse("BET_LIMIT", `bets from ${rules.betMinMinor} to ${rules.betMaxMinor} minor units`);
    const hold: Hold = { holdId: `${state.roundId}:${seat}:bet`, seat, amountMinor: amount.toString(), reason: "bet", placedAtMs: ctx.nowMs };
    return ask(
      {
        type: "wallet.reserve",
        game: kind,
        playerId: actor.userId,
        currency: config.currency,
        amountMinor: hold.amountMinor,
        holdId: hold.holdId,
        roundId: state.roundId ?? "",
      },
      (answer) =>
        answer.status === "ok"
          ? {
              ok: true,
              state: { ...state, holds: [...state.holds, hold] },
              events: [{ kind: "blackjack.bet_placed", data: { roundId: state.roundId, seat, amountMinor: hold.amountMinor } }],
              result: { holdId: hold.holdId, availableMinor: answer.availableMinor },
            }
          : walletRefusal(answer),
    );
  }

  /** Live: runs `action` on the cards the dealer entered for it; either done, or waiting for the next card. */
  function liveEngineStep(state: TableState, action: BlackjackAction, cards: readonly number[], emitted: number): BlackjackApplyResult {
    const rules = rulesOf(state);
    const engine = state.engine === null ? tableWithShoe(rules, liveEngineShoe) : { ...(decodeBigints(state.engine) as BlackjackState), rules };
    const step = liveStep(engine, action, cards);
    if (step.status !== "ok") return { status: step.status, state: state.engine, events: [] };
    if (step.complete) return { status: "ok", state: encodeBigints(step.state), events: step.events.slice(emitted), pending: null };
    return {
      status: "ok",
      state: state.engine,
      events: step.events.slice(emitted),
      pending: { action: encodeBigints(action), cards, emitted: step.events.length },
    };
  }

  /**
   * Live: when the dealer's silence next matters while a hand is in play (betting or playing): first
   * the moment the dealer counts as absent (announced), then the end of the wait for a replacement.
   */
  function liveFaultAt(state: TableState): number | null {
    const live = state.live;
    if (live === undefined || live.dealer === null || (state.phase !== "betting" && state.phase !== "playing")) return null;
    const terms = termsOf(state);
    return live.dealerSeenMs + terms.dealerAbsentMsMax + 1 + (live.absentAtMs === null ? 0 : (terms.dealerReplaceMsMax ?? 0));
  }

  /**
   * Live dealer faults: a dealer silent for `dealerAbsentMsMax` is announced absent (`dealer.absent`);
   * another dealer may take the table over (`dealer.take`) and the hand goes on. If none does within
   * `dealerReplaceMsMax`, the hand is voided and every stake refunded (once: each void is keyed by its hold).
   */
  function liveFault(state: TableState, ctx: RoomContext): TableOutcome<TableState> | null {
    const at = liveFaultAt(state);
    const live = state.live;
    if (at === null || live === undefined || ctx.nowMs < at) return null;
    const terms = termsOf(state);
    if (live.absentAtMs === null) {
      const voidAt = live.dealerSeenMs + terms.dealerAbsentMsMax + (terms.dealerReplaceMsMax ?? 0);
      return {
        ok: true,
        state: { ...state, live: { ...live, absentAtMs: ctx.nowMs } },
        events: [{ kind: "dealer.absent", data: { tableId: state.tableId, dealer: live.dealer, roundId: state.roundId, voidAt } }],
      };
    }
    const lost: TableState = { ...state, live: { ...live, dealer: null, absentAtMs: null } };
    return withLeadingEvents(voidRound(lost, "the dealer was lost mid-hand and no dealer took over within liveDealerReplaceMsMax", ctx), [
      { kind: "dealer.lost", data: { tableId: state.tableId, dealer: live.dealer, roundId: state.roundId } },
    ]);
  }

  /** Live: why no round can open now (null: one can). */
  function liveNotReady(state: TableState, ctx: RoomContext): string | null {
    const live = state.live;
    if (live === undefined) return null;
    if (live.dealer === null) return "no dealer on shift";
    if (ctx.nowMs - live.dealerSeenMs > termsOf(state).dealerAbsentMsMax) return "the dealer is silent";
    if (live.shoe === null) return "no shoe declared: the dealer shuffles";
    if (cutCardOut(live.shoe)) return "the cut card is out: the dealer shuffles";
    return null;
  }

  /** Live: why the table takes no card now. */
  function noCardDue(state: TableState): string {
    const engine = state.engine === null ? null : (decodeBigints(state.engine) as BlackjackState);
    if (engine !== null && engine.phase === "settled" && (state.phase === "settling" || state.phase === "results")) {
      const rule = engine.rules.dealerHitsSoft17 ? "H17" : "S17";
      return `the dealer stands on ${handTotal(engine.dealer).total} (${rule}): the hand is over`;
    }
    if (state.phase !== "playing" || engine === null) return `no hand is being dealt (the table is ${state.phase})`;
    if (engine.phase === "insurance") return "the players are deciding on insurance";
    return `seat ${engine.turn?.seat ?? "?"} decides first`;
  }

  /**
   * An operator moves the dealer on shift (`dealer.assign`): to another dealer, at once, even from a
   * dealer who is present (a break, a shift change, a fault only the floor sees). The new dealer counts
   * as present from now and goes on from the same card; a hand in play cannot be left without one.
   */
  function assignDealer(state: TableState, live: LiveState, action: ActionRequest, actor: Actor, ctx: RoomContext): TableOutcome<TableState> {
    if (!actor.roles.includes("operator")) return refuse("AUTH_FORBIDDEN", "moving a dealer needs the operator role");
    const to = typeof action.dealer === "string" ? action.dealer : null;
    if (to === null && (state.phase === "betting" || state.phase === "playing"))
      return refuse("ACTION_REJECTED", "a hand is in play: assign another dealer instead of none");
    if (to === live.dealer) return { ok: true, state, events: [], result: { dealer: to } };
    return {
      ok: true,
      state: { ...state, live: { ...live, dealer: to, dealerSeenMs: ctx.nowMs, absentAtMs: null } },
      events: [{ kind: "dealer.changed", data: { tableId: state.tableId, from: live.dealer, to, roundId: state.roundId, by: actor.userId } }],
      result: { dealer: to },
    };
  }

  /**
   * The dealer's console at a live table (dealer or operator role, the dealer on shift): cards, the burn
   * card, the shuffle, cues, heartbeats, and taking the table over from a silent dealer. Every card is
   * checked against the declared shoe before the table uses it.
   */
  function dealerAction(state: TableState, live: LiveState, action: ActionRequest, actor: Actor, ctx: RoomContext): TableOutcome<TableState> {
    if (!actor.roles.includes("dealer") && !actor.roles.includes("operator")) return refuse("AUTH_FORBIDDEN", "dealer actions need the dealer role");
    const config = configOf(state.tableId);
    const terms = termsOf(state);
    if (live.dealer !== null && live.dealer !== actor.userId) {
      const silent = ctx.nowMs - live.dealerSeenMs > terms.dealerAbsentMsMax;
      if (action.kind !== "dealer.take" || !silent)
        return refuse("LIVE_DEALER_NOT_ON_SHIFT", `${live.dealer} deals at this table${silent ? "; take it over first (dealer.take)" : ""}`);
    }
    const seen: LiveState = { ...live, dealer: actor.userId, dealerSeenMs: ctx.nowMs, absentAtMs: null };
    const shift: LogEntryInput[] =
      live.dealer === actor.userId
        ? []
        : [{ kind: "dealer.changed", data: { tableId: state.tableId, from: live.dealer, to: actor.userId, roundId: state.roundId } }];
    const present: TableState = { ...state, live: seen };
    const revealAt = liveRevealAt(terms, ctx);
    switch (action.kind) {
      case "heartbeat":
        return { ok: true, state: present, events: shift };
      case "dealer.take":
        if (state.phase === "waiting") return withLeadingEvents(openBetting(present, ctx, config), shift, { dealer: actor.userId });
        return { ok: true, state: present, events: shift, result: { dealer: actor.userId } };
      case "cue":
        return { ok: true, state: present, events: [...shift, cueEvent(action, state.roundId, terms, ctx)] };
      case "shuffle": {
        if (state.phase !== "waiting" && state.phase !== "results" && state.phase !== "betting") return refuse("ACTION_REJECTED", "shuffle between hands");
        const shoe = declareShoe(rulesOf(state), live.shoes + 1);
        const shuffled: TableState = { ...present, live: { ...seen, shoe, shoes: shoe.id } };
        const events: LogEntryInput[] = [
          ...shift,
          { kind: "liveblackjack.shoe_shuffled", data: { tableId: state.tableId, shoeId: shoe.id, decks: shoe.decks, cutAt: shoe.cutAt }, revealAt },
        ];
        if (state.phase === "waiting") return withLeadingEvents(openBetting(shuffled, ctx, config), events, { shoeId: shoe.id });
        return { ok: true, state: shuffled, events, result: { shoeId: shoe.id } };
      }
      default: {
        const card = parseCard(typeof action.card === "string" ? action.card : "");
        if (card === undefined) return refuse("REQUEST_INVALID", "card: rank 2-9, T, J, Q, K, A and suit c, d, h, s");
        if (live.shoe === null) return refuse("LIVE_SHOE_NOT_DECLARED", "no shoe declared: shuffle first");
        const why = shoeRefusal(live.shoe, card);
        if (why !== null)
          return refuse(
            "LIVE_CARD_IMPOSSIBLE",
            why === "card_exhausted"
              ? `${formatCard(card)}: all ${live.shoe.decks} in this ${live.shoe.decks}-deck shoe are out already`
              : `${formatCard(card)}: ${why}`,
          );
        const pending = live.pending;
        if (action.kind === "burn") {
          if (pending !== null && pending.cards.length > 0) return refuse("LIVE_CARD_NOT_EXPECTED", "burn between hands, not in the middle of a deal");
          const shoe = takeFromShoe(live.shoe, card, true);
          return {
            ok: true,
            state: { ...present, live: { ...seen, shoe } },
            events: [...shift, { kind: "liveblackjack.card_burned", data: { tableId: state.tableId, shoeId: shoe.id, card }, revealAt }],
          };
        }
        if (pending === null) return refuse("LIVE_CARD_NOT_EXPECTED", noCardDue(state));
        const shoe = takeFromShoe(live.shoe, card, false);
        const dealt: TableState = { ...present, live: { ...seen, shoe } };
        const result = liveEngineStep(dealt, decodeBigints(pending.action) as BlackjackAction, [...pending.cards, card], pending.emitted);
        if (result.status !== "ok") return refuse("ACTION_REJECTED", result.status);
        const cut: LogEntryInput[] =
          cutCardOut(shoe) && !cutCardOut(live.shoe)
            ? [{ kind: "liveblackjack.cut_card_out", data: { tableId: state.tableId, shoeId: shoe.id }, revealAt }]
            : [];
        return withLeadingEvents(afterStep(dealt, result, [], ctx), [...shift, ...cut]);
      }
    }
  }

  return withActions<TableState>(
    {
      kind,
      canJoin: (room) => tables.has(roomSubject(room)),
      initial: (room) => {
        const tableId = roomSubject(room);
        const live: LiveState | undefined = isLive ? { shoe: null, shoes: 0, pending: null, dealer: null, dealerSeenMs: 0, absentAtMs: null } : undefined;
        return {
          tableId,
          seats: Array.from({ length: configOf(tableId).rules.seatsMax }, () => null),
          phase: "waiting",
          seq: 0,
          roundId: null,
          deadlineMs: null,
          holds: [],
          engine: null,
          returns: {},
          ...(live === undefined ? {} : { live }),
        };
      },
      apply(state, action, actor, ctx) {
        switch (action.kind) {
          case "tick":
            return actor.userId === "system" ? tick(state, ctx) : refuse("ACTION_REJECTED", "tick is the server's");
          case "sit": {
            const seat = Number(action.seat);
            if (!Number.isInteger(seat) || seat < 0 || seat >= state.seats.length) return refuse("ACTION_REJECTED", "no such seat");
            if (state.seats[seat] !== null || seatOf(state, actor) >= 0) return refuse("ACTION_REJECTED", "seat taken, or you already sit");
            const seats = state.seats.map((s, i) => (i === seat ? actor.userId : s));
            const seated = { ...state, seats };
            const started: TableOutcome<TableState> =
              state.phase === "waiting" ? openBetting(seated, ctx, configOf(state.tableId)) : { ok: true, state: seated, events: [] };
            return withLeadingEvents(started, [{ kind: "blackjack.seat_taken", data: { seat, userId: actor.userId } }]);
          }
          case "leave_seat": {
            const seat = seatOf(state, actor);
            if (seat < 0) return refuse("ACTION_REJECTED", "you do not sit here");
            // Once the round is paid (results), its holds are settled: the player may go without waiting for the next round.
            if (state.phase !== "results" && state.holds.some((h) => h.seat === seat)) return refuse("ACTION_REJECTED", "finish the round first");
            return {
              ok: true,
              state: { ...state, seats: state.seats.map((s) => (s === actor.userId ? null : s)) },
              events: [{ kind: "blackjack.seat_left", data: { seat } }],
            };
          }
          case "bet":
            return bet(state, action, actor, ctx);
          case "table.close":
          case "table.open":
          case "table.limits":
          case "round.void":
            return operatorAction(state, action, actor, ctx);
          case "hit":
          case "stand":
          case "double":
          case "split":
          case "insurance":
            return playerAction(state, action, actor, ctx);
          case "card":
          case "burn":
          case "shuffle":
          case "dealer.take":
          case "cue":
          case "heartbeat":
            return state.live === undefined
              ? refuse("ACTION_REJECTED", "dealer actions are for live tables")
              : dealerAction(state, state.live, action, actor, ctx);
          case "dealer.assign":
            return state.live === undefined
              ? refuse("ACTION_REJECTED", "dealer actions are for live tables")
              : assignDealer(state, state.live, action, actor, ctx);
          default:
            return refuse("ACTION_REJECTED", `unknown blackjack action "${action.kind}"`);
        }
      },
      deadline: (state) => {
        const fault = liveFaultAt(state);
        return fault === null ? state.deadlineMs : Math.min(fault, state.deadlineMs ?? fault);
      },
      snapshot(state) {
        const engine = state.engine === null ? null : (decodeBigints(state.engine) as BlackjackState);
        const view =
          engine === null
            ? null
            : {
                phase: engine.phase,
                turn: engine.turn,
                dealer: engine.holeCardRevealed ? engine.dealer : engine.dealer.slice(0, 1),
                seats: engine.seats.map((s) => ({ hands: s.hands.map((h) => ({ cards: h.cards, stakeMinor: h.stakeMinor.toString(), done: h.done })) })),
              };
        const rules = rulesOf(state);
        return {
          public: {
            tableId: state.tableId,
            seats: state.seats,
            phase: state.phase,
            roundId: state.roundId,
            deadline: state.deadlineMs,
            hand: view,
            open: state.closed !== true,
            limits: { betMinMinor: rules.betMinMinor.toString(), betMaxMinor: rules.betMaxMinor.toString() },
            nextLimits: state.nextLimits ?? null,
            absentRounds: state.absentRounds ?? [],
            ...(state.live === undefined
              ? {}
              : {
                  live: {
                    dealer: state.live.dealer,
                    dealerAbsent: state.live.absentAtMs !== null,
                    streamUrl: termsOf(state).streamUrl,
                    streamLatencyMs: termsOf(state).streamLatencyMs ?? 0,
                    shoe:
                      state.live.shoe === null
                        ? null
                        : {
                            shoeId: state.live.shoe.id,
                            decks: state.live.shoe.decks,
                            cardsOut: state.live.shoe.dealt + state.live.shoe.burned,
                            cutCardOut: cutCardOut(state.live.shoe),
                          },
                    dealing: state.live.pending !== null,
                  },
                }),
            fairness:
              state.fair === undefined
                ? null
                : {
                    ...publicChain(state.fair),
                    shoe: state.shoe === undefined ? null : { shoeId: state.shoe.id, ...roundCommitment(state.fair, state.shoe.ref, state.shoe.id) },
                  },
          },
          server: state,
        };
      },
      restore: (snapshot) => snapshot.server as TableState,
    },
    tableActionSchemas[kind],
  );
}
