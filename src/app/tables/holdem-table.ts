import { findCurrency, parseAmount } from "../../engine/money/index.js";
// The engine's `apply` and `newTable` are renamed so this file's own `apply` (the behavior method) stays unambiguous.
import {
  apply as applyHoldem,
  newTable as newHoldemTableRaw,
  startHand as startHoldemHand,
  defaultHoldemRules,
  legalActions,
  seatCountMax,
  type HoldemAction,
  type HoldemEvent,
  type HoldemRules,
  type HoldemState,
  type HoldemStatus,
} from "../../engine/holdem/index.js";
import type { LogEntryInput } from "../ports/room-log.js";
import type { ActionRequest, Actor, RoomBehavior, RoomContext } from "../rooms/room-behavior.js";
import { roomSubject } from "../rooms/room-behavior.js";
import { bigintsToStrings, decodeBigints, encodeBigints } from "./json-bigint.js";
import { recordThen, withLeadingEvents } from "./round-records.js";
import type { RoundRecord, TableOutcome } from "./table-effects.js";
import { refuse, tableAsker, walletRefusal, withActions } from "./table-kit.js";
import { tableActionSchemas } from "../../protocol/table-actions.schemas.js";
import {
  chainEvent,
  chainSeed,
  chainSpent,
  drawShared,
  newChain,
  publicChain,
  roundCommitment,
  takeSeed,
  type ChainSeedRef,
  type FairChain,
} from "./fairness.js";
import { orderedDeck } from "../../engine/poker/cards.js";
import { ProvablyFairRng, shuffleInPlace } from "../../engine/rng/index.js";

export interface HoldemTableConfig {
  readonly currency: string;
  readonly rules: HoldemRules;
  /** Time a player has to act; then the hand checks for them if it can, else folds. */
  readonly turnMs: number;
  /** Pause after a hand before the next one starts (with at least two players). */
  readonly betweenHandsMs: number;
  /** Consecutive turns the timer may play for a player before they are stood up (and cashed out) between hands. */
  readonly turnTimeoutsMax: number;
}

export const defaultHoldemTable: HoldemTableConfig = { currency: "EUR", rules: defaultHoldemRules, turnMs: 20_000, betweenHandsMs: 3_000, turnTimeoutsMax: 3 };

interface Sitting {
  readonly userId: string;
  readonly holdId: string;
  readonly buyInMinor: string;
}

/** The ledger reference every buy-in hold of a table carries. */
const buyInsOf = (tableId: string): string => `holdem:${tableId}:buyins`;

/** Table limits as decimal strings of minor units (they travel in snapshots). */
interface TableLimits {
  readonly smallBlindMinor: string;
  readonly bigBlindMinor: string;
  readonly buyInMinMinor: string;
  readonly buyInMaxMinor: string;
}

/*
 * The optional fields came with operator controls and absent players; snapshots written before them
 * restore with their defaults (open, no pending limits, nobody timed out).
 */
interface TableState {
  readonly tableId: string;
  readonly sittings: readonly (Sitting | null)[];
  readonly seq: number;
  readonly engine: unknown;
  readonly deadlineMs: number | null;
  /** Closed by an operator: the hand in play finishes, no new one is dealt. */
  readonly closed?: boolean;
  /** Limits set during a hand; they become the engine's rules once it is over. */
  readonly nextLimits?: TableLimits | null;
  /** Set by `restore`: when to sweep buy-ins no seat holds (a takeover may have lost a sit). */
  readonly sweepAtMs?: number;
  /** Consecutive turns the timer played for each seat. */
  readonly timeouts?: readonly number[];
  /** When the hand in play was dealt (game recall's bet time); absent in snapshots from before recall. */
  readonly handStartedAtMs?: number;
  /** The table's committed hash chain (server-only: it holds the secret terminal seed), and the hand's seed in it. */
  readonly fair?: FairChain;
  readonly handSeed?: ChainSeedRef;
}

/** Why a player was stood up between hands: they left, the timer played too many turns for them, or they have no chips. */
type StandUpReason = "left" | "absent" | "busted";

const decode = (engine: unknown) => decodeBigints(engine) as HoldemState;
const voidReasonCharsMax = 200;

function limitsOf(rules: HoldemRules): TableLimits {
  return {
    smallBlindMinor: rules.smallBlindMinor.toString(),
    bigBlindMinor: rules.bigBlindMinor.toString(),
    buyInMinMinor: rules.buyInMinMinor.toString(),
    buyInMaxMinor: rules.buyInMaxMinor.toString(),
  };
}

function withLimits(rules: HoldemRules, limits: TableLimits): HoldemRules {
  return {
    ...rules,
    smallBlindMinor: BigInt(limits.smallBlindMinor),
    bigBlindMinor: BigInt(limits.bigBlindMinor),
    buyInMinMinor: BigInt(limits.buyInMinMinor),
    buyInMaxMinor: BigInt(limits.buyInMaxMinor),
  };
}

/** `{ smallBlind, bigBlind, buyInMin, buyInMax }` as decimal strings over the current limits; each may be left out. */
function parseLimits(action: ActionRequest, current: HoldemRules, currencyCode: string): TableLimits | string {
  const currency = findCurrency(currencyCode);
  if (currency === null) return `unknown currency ${currencyCode}`;
  const fields = { smallBlind: current.smallBlindMinor, bigBlind: current.bigBlindMinor, buyInMin: current.buyInMinMinor, buyInMax: current.buyInMaxMinor };
  const read: Record<string, bigint> = {};
  for (const [field, fallback] of Object.entries(fields)) {
    const value = action[field];
    const parsed = value === undefined ? fallback : typeof value === "string" ? parseAmount(value, currency) : "amount_not_string";
    if (typeof parsed !== "bigint") return `${field}: ${parsed}`;
    read[field] = parsed;
  }
  const { smallBlind = 0n, bigBlind = 0n, buyInMin = 0n, buyInMax = 0n } = read;
  if (smallBlind <= 0n || smallBlind > bigBlind) return "limits need 0 < smallBlind <= bigBlind";
  if (buyInMin < bigBlind || buyInMin > buyInMax) return "limits need bigBlind <= buyInMin <= buyInMax";
  return { smallBlindMinor: smallBlind.toString(), bigBlindMinor: bigBlind.toString(), buyInMinMinor: buyInMin.toString(), buyInMaxMinor: buyInMax.toString() };
}

const roundIdOf = (tableId: string, handNumber: number) => `${tableId}:hand:${handNumber}`;

/**
 * The records of a hand that just ended: `before` is the table before its last action, `after` and
 * `events` what that action did. A seat's stack plus its chips committed is its stack at the deal all
 * hand long, so what each seat risked is that less its final stack plus what it won. Only hole cards
 * shown at the showdown go into the outcome (every player of the hand sees it); each player's own
 * cards ride in their own bet, which only they and operators see.
 */
function handRecords(
  state: TableState,
  before: HoldemState,
  after: HoldemState,
  events: readonly HoldemEvent[],
  currency: string,
  nowMs: number,
): RoundRecord[] {
  const roundId = roundIdOf(state.tableId, after.handNumber);
  const won = new Map<number, bigint>();
  for (const e of events) if (e.type === "pot_awarded") for (const a of e.awards) won.set(a.seat, (won.get(a.seat) ?? 0n) + a.amountMinor);
  const placedAtMs = state.handStartedAtMs ?? nowMs;
  const played = after.seats.flatMap((final, i) => {
    const sitting = state.sittings[i];
    const start = before.seats[i];
    if (final === null || !final.inHand || sitting === null || sitting === undefined || start === null || start === undefined) return [];
    const stakeMinor = start.stackMinor + start.committedMinor - final.stackMinor + (won.get(i) ?? 0n);
    // A player who folded before putting a chip in staked nothing: the hand holds no bet of theirs.
    if (stakeMinor <= 0n) return [];
    return [{ seat: i, userId: sitting.userId, stakeMinor, wonMinor: won.get(i) ?? 0n, holeCards: final.holeCards }];
  });
  const bets = played.map((p) => ({
    betId: `${roundId}:${p.seat}`,
    userId: p.userId,
    currency,
    stakeMinor: p.stakeMinor.toString(),
    detail: { seat: p.seat, chips: true, holeCards: p.holeCards },
    placedAtMs,
  }));
  const completed = events.find((e): e is Extract<HoldemEvent, { type: "hand_completed" }> => e.type === "hand_completed");
  const outcome = {
    handNumber: after.handNumber,
    button: after.button,
    board: after.board,
    players: after.seats.flatMap((seat, i) => (seat !== null && seat.inHand ? [{ seat: i, folded: seat.folded }] : [])),
    showdown: events.flatMap((e) => (e.type === "showdown" ? [{ seat: e.seat, cards: e.cards, category: e.category, handValue: e.handValue }] : [])),
    uncalledReturned: events.flatMap((e) => (e.type === "uncalled_bet_returned" ? [{ seat: e.seat, amountMinor: e.amountMinor.toString() }] : [])),
    pots: events.flatMap((e) =>
      e.type === "pot_awarded"
        ? [
            {
              pot: e.pot,
              amountMinor: e.amountMinor.toString(),
              rakeMinor: e.rakeMinor.toString(),
              eligibleSeats: e.eligibleSeats,
              awards: e.awards.map((a) => ({ seat: a.seat, amountMinor: a.amountMinor.toString() })),
            },
          ]
        : [],
    ),
    rakeMinor: (completed?.rakeMinor ?? 0n).toString(),
  };
  // The hand's seed is revealed now that it is over: it gives the whole deck (docs/FAIRNESS.md).
  const dealt = { shuffle: "fisher-yates", deckCards: after.deck.length, cardsDealt: after.deckNext };
  const drawn =
    state.fair === undefined || state.handSeed === undefined
      ? null
      : drawShared(state.fair, state.handSeed, roundId, (rng) => shuffleInPlace(rng, orderedDeck()));
  const verification = drawn === null ? { rng: "csprng", ...dealt } : { ...drawn.verification, ...dealt };
  const base = { roundId, tableId: state.tableId, game: "holdem", atMs: nowMs } as const;
  return [
    { ...base, status: "closed", outcome, verification, bets },
    // The chips won are in the stack now; the ledger pays the stack out when the player leaves.
    { ...base, status: "settled", payouts: played.map((p) => ({ betId: `${roundId}:${p.seat}`, payoutMinor: p.wonMinor.toString() })) },
  ];
}

/**
 * A no-limit hold'em cash table (`holdem:<tableId>`). Sitting down reserves the buy-in in the ledger:
 * the chips on the table are that hold. Leaving settles the hold with the player's final stack as the
 * win, so the house keeps exactly the rake. Hole cards are private events to their seat's player; the
 * board is revealed to everyone at one server moment (`revealAt`). A player who does not act in time
 * checks if they can, else folds.
 */
export function holdemTableBehavior(tables: ReadonlyMap<string, HoldemTableConfig>): RoomBehavior<TableState> {
  const ask = tableAsker<TableState>();
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
  function step(state: TableState, action: HoldemAction, ctx: RoomContext): TableOutcome<TableState> {
    const config = configOf(state.tableId);
    const engine = decode(state.engine);
    const result = applyHoldem(engine, action);
    return withHandRecords(state, engine, result, afterStep(state, result, ctx, config), ctx);
  }

  /** A step that ended the hand writes its records (closed, then settled) before its state lands. */
  function withHandRecords(
    state: TableState,
    before: HoldemState,
    result: { status: HoldemStatus; state: HoldemState; events: readonly HoldemEvent[] },
    outcome: TableOutcome<TableState>,
    ctx: RoomContext,
  ): TableOutcome<TableState> {
    if (result.status !== "ok" || !result.events.some((e) => e.type === "hand_completed")) return outcome;
    const [closed, settled] = handRecords(state, before, result.state, result.events, configOf(state.tableId).currency, ctx.nowMs) as [
      RoundRecord,
      RoundRecord,
    ];
    return recordThen(closed, () => recordThen(settled, () => outcome));
  }

  function afterStep(
    state: TableState,
    result: { status: HoldemStatus; state: HoldemState; events: readonly HoldemEvent[] },
    ctx: RoomContext,
    config: HoldemTableConfig,
  ): TableOutcome<TableState> {
    if (result.status !== "ok") return refuse("ACTION_REJECTED", result.status);
    const between = result.state.phase === "between_hands";
    // Limits set during a hand apply once it is over, before anyone sits down or the next deal.
    const pending = between ? (state.nextLimits ?? null) : null;
    const engine = pending === null ? result.state : { ...result.state, rules: withLimits(result.state.rules, pending) };
    const seated = engine.seats.filter((s) => s !== null && s.stackMinor > 0n).length;
    // Between hands the timer also stands up absent and busted players, so it runs while there are any.
    const absent = standUps(state, engine, config).length > 0;
    const deadlineMs = !between ? ctx.nowMs + config.turnMs : (seated >= 2 && state.closed !== true) || absent ? ctx.nowMs + config.betweenHandsMs : null;
    const next: TableState = { ...state, engine: encodeBigints(engine), deadlineMs, ...(pending === null ? {} : { nextLimits: null }) };
    return { ok: true, state: next, events: entries(state, result.events, ctx), barrier: result.events.some((e) => e.type === "hand_started") };
  }

  /**
   * After a takeover: a buy-in reserved by the previous owner whose sit it never wrote is held for no
   * seat. Every pending buy-in of the table that no seat holds is voided (the player gets it back).
   */
  function sweepBuyIns(state: TableState, ctx: RoomContext): TableOutcome<TableState> {
    const keep = state.sittings.flatMap((s) => (s === null ? [] : [s.holdId]));
    return ask({ type: "wallet.sweep", currency: configOf(state.tableId).currency, roundId: buyInsOf(state.tableId), keep }, (answer) => {
      const { sweepAtMs: _done, ...swept } = state;
      return answer.status === "ok" ? tick(swept, ctx) : { ok: true, state: { ...state, sweepAtMs: ctx.nowMs + 1_000 }, events: [] };
    });
  }

  function tick(state: TableState, ctx: RoomContext): TableOutcome<TableState> {
    const config = configOf(state.tableId);
    if (state.sweepAtMs !== undefined && ctx.nowMs + 5 >= state.sweepAtMs) return sweepBuyIns(state, ctx);
    if (state.deadlineMs === null || ctx.nowMs + 5 < state.deadlineMs) return { ok: true, state, events: [] };
    const engine = decode(state.engine);
    if (engine.phase === "between_hands") {
      const leaving = standUps(state, engine, config);
      if (leaving.length > 0) return cashOut(state, leaving, ctx);
      if (state.closed === true || engine.seats.filter((s) => s !== null && s.stackMinor > 0n).length < 2)
        return { ok: true, state: { ...state, deadlineMs: null }, events: [] };
      const fair = state.fair;
      if (fair === undefined || chainSpent(fair)) {
        // A table without a chain, or whose chain is used up, commits a new one before dealing.
        return ask({ type: "rng.seed" }, (terminal) => {
          const chain = newChain(terminal, (fair?.id ?? 0) + 1);
          return withLeadingEvents(tick({ ...state, fair: chain }, ctx), [chainEvent(chain)]);
        });
      }
      const taken = takeSeed(fair);
      const handId = roundIdOf(state.tableId, engine.handNumber + 1);
      const commitment = roundCommitment(taken.chain, taken.ref, handId);
      const serverSeed = chainSeed(taken.chain, taken.ref) as string;
      // The deck is shuffled here, on the provably-fair stream of the hand's committed seed: the seed is the randomness, as data.
      const hand = startHoldemHand(engine, new ProvablyFairRng({ serverSeed, clientSeed: handId, nonce: taken.ref.index }));
      const started: TableState = { ...state, handStartedAtMs: ctx.nowMs, fair: taken.chain, handSeed: taken.ref };
      const outcome = withLeadingEvents(afterStep(started, hand, ctx, config), [{ kind: "fairness.round", data: { roundId: handId, ...commitment } }]);
      if (hand.status !== "ok") return outcome;
      // A hand can end at its deal (every player all in on the blinds): then it is recorded whole at once.
      return recordThen(
        { roundId: roundIdOf(state.tableId, hand.state.handNumber), tableId: state.tableId, game: "holdem", status: "open", atMs: ctx.nowMs },
        () => withHandRecords(started, engine, hand, outcome, ctx),
      );
    }
    // The player on turn ran out of time: one more turn the timer played for them.
    const legal = legalActions(engine);
    if (legal === null) return { ok: true, state: { ...state, deadlineMs: ctx.nowMs + config.turnMs }, events: [] };
    const late: TableState = { ...state, timeouts: setAt(state.timeouts ?? [], legal.seat, (state.timeouts?.[legal.seat] ?? 0) + 1, state.sittings.length) };
    return step(late, legal.canCheck ? { type: "check", seat: legal.seat } : { type: "fold", seat: legal.seat }, ctx);
  }

  function sit(state: TableState, action: ActionRequest, actor: Actor, ctx: RoomContext): TableOutcome<TableState> {
    const config = configOf(state.tableId);
    const seat = Number(action.seat);
    if (!Number.isInteger(seat) || seat < 0 || seat >= state.sittings.length) return refuse("ACTION_REJECTED", "no such seat");
    if (state.sittings.some((s) => s?.userId === actor.userId)) return refuse("ACTION_REJECTED", "you already sit at this table");
    if (state.sittings[seat] !== null) return refuse("ACTION_REJECTED", "seat_taken");
    const currency = findCurrency(config.currency);
    const buyIn = typeof action.buyIn === "string" && currency !== null ? parseAmount(action.buyIn, currency) : "amount_malformed";
    if (typeof buyIn !== "bigint") return refuse("BET_INVALID", `buyIn: ${buyIn}`);
    const engine = decode(state.engine);
    if (buyIn < engine.rules.buyInMinMinor || buyIn > engine.rules.buyInMaxMinor)
      return refuse("BET_LIMIT", `buy-in from ${engine.rules.buyInMinMinor} to ${engine.rules.buyInMaxMinor} minor units`);
    if (engine.phase !== "between_hands") return refuse("ACTION_REJECTED", "sit down between hands");
    const seq = state.seq + 1;
    // Named after the player's action: a retry (also on a new owner) names the same hold, and a new owner
    // that lost a reservation's sit never hands its id to someone else. All buy-ins share one reference,
    // so the table can sweep those no seat holds.
    const sitting: Sitting = {
      userId: actor.userId,
      holdId: `${state.tableId}:buyin:${actor.userId}:${ctx.actionId ?? String(seq)}`,
      buyInMinor: buyIn.toString(),
    };
    return ask(
      {
        type: "wallet.reserve",
        game: "holdem",
        playerId: actor.userId,
        currency: config.currency,
        amountMinor: sitting.buyInMinor,
        holdId: sitting.holdId,
        roundId: buyInsOf(state.tableId),
      },
      (answer) => {
        if (answer.status !== "ok") return walletRefusal(answer);
        const seatedState: TableState = {
          ...state,
          seq,
          sittings: state.sittings.map((s, i) => (i === seat ? sitting : s)),
          timeouts: setAt(state.timeouts ?? [], seat, 0, state.sittings.length),
        };
        const result = applyHoldem(engine, { type: "sit", seat, stackMinor: buyIn });
        // The engine agreed to everything checked above; a refusal here would be a broken invariant.
        if (result.status !== "ok") throw new Error(`holdem sit refused after reservation: ${result.status}`);
        return afterStep(seatedState, result, ctx, config);
      },
    );
  }

  function leave(state: TableState, actor: Actor, ctx: RoomContext): TableOutcome<TableState> {
    const seat = state.sittings.findIndex((s) => s?.userId === actor.userId);
    if (seat < 0) return refuse("ACTION_REJECTED", "you do not sit here");
    if (decode(state.engine).phase !== "between_hands") return refuse("ACTION_REJECTED", "leave between hands");
    return cashOut(state, [{ seat, reason: "left" }], ctx);
  }

  /**
   * Who the timer stands up between hands: players it played too many turns for (absent), and players
   * with no chips left (busted: they could never be dealt in again, and would keep the seat forever).
   */
  function standUps(state: TableState, engine: HoldemState, config: HoldemTableConfig): { seat: number; reason: StandUpReason }[] {
    if (engine.phase !== "between_hands") return [];
    return state.sittings.flatMap((s, seat): { seat: number; reason: StandUpReason }[] => {
      if (s === null) return [];
      if ((state.timeouts?.[seat] ?? 0) >= config.turnTimeoutsMax) return [{ seat, reason: "absent" }];
      return engine.seats[seat]?.stackMinor === 0n ? [{ seat, reason: "busted" }] : [];
    });
  }

  /**
   * Cash-out, for a player who leaves and for one stood up (absent or busted) alike: each buy-in hold
   * posts to the house, which pays back the final stack (nothing, for a busted player), so the player
   * gets their money back exactly once (the settlement is keyed by the hold). Between hands only, when
   * no chip is in a pot.
   */
  function cashOut(state: TableState, leaving: readonly { seat: number; reason: StandUpReason }[], ctx: RoomContext): TableOutcome<TableState> {
    const config = configOf(state.tableId);
    const engine = decode(state.engine);
    const seats = leaving.map((l) => l.seat);
    const reason: StandUpReason = leaving.some((l) => l.reason === "left") ? "left" : "absent";
    const items = seats.map((seat) => ({ holdId: (state.sittings[seat] as Sitting).holdId, winMinor: (engine.seats[seat]?.stackMinor ?? 0n).toString() }));
    return ask({ type: "wallet.settle", gameId: "holdem", currency: config.currency, items }, (answer) => {
      if (answer.statuses.some((s) => s !== "ok")) {
        // A player's own leave is answered; the timer's stand-up is simply tried again shortly.
        if (reason === "left") return refuse("SERVICE_UNAVAILABLE", "cash-out did not commit; retry");
        return { ok: true, state: { ...state, deadlineMs: ctx.nowMs + 1_000 }, events: [] };
      }
      let table = engine;
      const events: HoldemEvent[] = [];
      for (const seat of seats) {
        const result = applyHoldem(table, { type: "leave", seat });
        if (result.status !== "ok") throw new Error(`holdem leave refused after cash-out: ${result.status}`);
        table = result.state;
        events.push(...result.events);
      }
      const stood = leaving
        .filter((l) => l.reason !== "left")
        .map(({ seat, reason: why }) => ({
          kind: "holdem.stood_up",
          data: { seat, userId: state.sittings[seat]?.userId ?? null, reason: why, stackMinor: (engine.seats[seat]?.stackMinor ?? 0n).toString() },
        }));
      const next: TableState = {
        ...state,
        sittings: state.sittings.map((s, i) => (seats.includes(i) ? null : s)),
        timeouts: (state.timeouts ?? []).map((n, i) => (seats.includes(i) ? 0 : n)),
      };
      const outcome = afterStep(next, { status: "ok", state: table, events }, ctx, config);
      return outcome.ok && "state" in outcome ? { ...outcome, events: [...outcome.events, ...stood] } : outcome;
    });
  }

  /** Voids the hand in play: every seat's chips committed in it go back to its stack (they never left the buy-in hold). */
  function voidHand(state: TableState, reason: string, ctx: RoomContext): TableOutcome<TableState> {
    const config = configOf(state.tableId);
    const engine = decode(state.engine);
    const result = applyHoldem(engine, { type: "void_hand" });
    if (result.status !== "ok") return refuse("ACTION_REJECTED", "no hand is in play");
    const roundId = roundIdOf(state.tableId, engine.handNumber);
    const bets = engine.seats.flatMap((seat, i) =>
      seat === null || !seat.inHand || seat.committedMinor <= 0n || state.sittings[i] === null
        ? []
        : [
            {
              betId: `${roundId}:${i}`,
              userId: (state.sittings[i] as Sitting).userId,
              currency: config.currency,
              stakeMinor: seat.committedMinor.toString(),
              detail: { seat: i, chips: true },
              placedAtMs: ctx.nowMs,
            },
          ],
    );
    const record: RoundRecord = {
      roundId,
      tableId: state.tableId,
      game: "holdem",
      status: "voided",
      atMs: ctx.nowMs,
      voidReason: reason,
      bets,
      payouts: bets.map((b) => ({ betId: b.betId, payoutMinor: b.stakeMinor })),
    };
    return ask({ type: "round.record", record }, () => {
      const outcome = afterStep(state, result, ctx, config);
      if (!outcome.ok || !("state" in outcome)) return outcome;
      const returnedMinor = bets.reduce((sum, b) => sum + BigInt(b.stakeMinor), 0n).toString();
      return {
        ...outcome,
        barrier: true,
        events: [...outcome.events, { kind: "round.voided", data: { roundId, reason, returnedMinor } }],
        result: { roundId, status: "voided" },
      };
    });
  }

  /** `table.close`, `table.open`, `table.limits` and `round.void`: operators and dealers only. */
  function operatorAction(state: TableState, action: ActionRequest, actor: Actor, ctx: RoomContext): TableOutcome<TableState> {
    if (!actor.roles.includes("operator") && !actor.roles.includes("dealer"))
      return refuse("AUTH_FORBIDDEN", "table controls need the operator or dealer role");
    const config = configOf(state.tableId);
    const engine = decode(state.engine);
    const between = engine.phase === "between_hands";
    const seated = engine.seats.filter((s) => s !== null && s.stackMinor > 0n).length;
    switch (action.kind) {
      case "table.close":
        return {
          ok: true,
          state: { ...state, closed: true, deadlineMs: between ? null : state.deadlineMs },
          events: [{ kind: "table.closed", data: { tableId: state.tableId, by: actor.userId } }],
          result: { open: false },
        };
      case "table.open": {
        const deadlineMs = between ? (seated >= 2 ? ctx.nowMs + config.betweenHandsMs : null) : state.deadlineMs;
        return {
          ok: true,
          state: { ...state, closed: false, deadlineMs },
          events: [{ kind: "table.opened", data: { tableId: state.tableId, by: actor.userId } }],
          result: { open: true },
        };
      }
      case "table.limits": {
        // Over the limits already pending for the next hand, if any: two changes in one hand both take effect.
        const limits = parseLimits(action, state.nextLimits ? withLimits(engine.rules, state.nextLimits) : engine.rules, config.currency);
        if (typeof limits === "string") return refuse("BET_INVALID", limits);
        // Between hands the next hand is the next round: the limits apply at once.
        const next: TableState = between
          ? { ...state, engine: encodeBigints({ ...engine, rules: withLimits(engine.rules, limits) }), nextLimits: null }
          : { ...state, nextLimits: limits };
        return {
          ok: true,
          state: next,
          events: [{ kind: "table.limits", data: { tableId: state.tableId, ...limits, from: "next hand", by: actor.userId } }],
          result: { nextLimits: limits },
        };
      }
      case "round.void": {
        const reason = typeof action.reason === "string" ? action.reason.trim().slice(0, voidReasonCharsMax) : "";
        if (reason === "") return refuse("ACTION_REJECTED", "a void needs a reason");
        return voidHand(state, reason, ctx);
      }
      default:
        return refuse("ACTION_REJECTED", `unknown table action "${action.kind}"`);
    }
  }

  function play(table: TableState, action: ActionRequest, actor: Actor, ctx: RoomContext): TableOutcome<TableState> {
    const seat = table.sittings.findIndex((s) => s?.userId === actor.userId);
    if (seat < 0) return refuse("ACTION_REJECTED", "you do not sit here");
    // The player acts for themselves again: the timer's turns for them stop counting.
    const state: TableState = (table.timeouts?.[seat] ?? 0) === 0 ? table : { ...table, timeouts: setAt(table.timeouts ?? [], seat, 0, table.sittings.length) };
    const kind = action.kind as "fold" | "check" | "call" | "all_in" | "raise";
    if (kind === "raise") {
      const currency = findCurrency(configOf(state.tableId).currency);
      const to = typeof action.to === "string" && currency !== null ? parseAmount(action.to, currency) : "amount_malformed";
      if (typeof to !== "bigint") return refuse("BET_INVALID", `to: ${to}`);
      return step(state, { type: "raise", seat, toMinor: to }, ctx);
    }
    return step(state, { type: kind, seat }, ctx);
  }

  return withActions<TableState>(
    {
      kind: "holdem",
      canJoin: (room) => tables.has(roomSubject(room)),
      initial: (room) => {
        const tableId = roomSubject(room);
        const rules = configOf(tableId).rules;
        return {
          tableId,
          sittings: Array.from({ length: rules.seatCount }, () => null),
          seq: 0,
          engine: encodeBigints(newHoldemTable(rules)),
          deadlineMs: null,
        };
      },
      apply(state, action, actor, ctx) {
        switch (action.kind) {
          case "tick":
            return actor.userId === "system" ? tick(state, ctx) : refuse("ACTION_REJECTED", "tick is the server's");
          case "sit":
            return sit(state, action, actor, ctx);
          case "leave":
            return leave(state, actor, ctx);
          case "fold":
          case "check":
          case "call":
          case "all_in":
          case "raise":
            return play(state, action, actor, ctx);
          case "table.close":
          case "table.open":
          case "table.limits":
          case "round.void":
            return operatorAction(state, action, actor, ctx);
          default:
            return refuse("ACTION_REJECTED", `unknown holdem action "${action.kind}"`);
        }
      },
      deadline: (state) => (state.sweepAtMs === undefined ? state.deadlineMs : Math.min(state.sweepAtMs, state.deadlineMs ?? state.sweepAtMs)),
      snapshot(state) {
        const engine = decode(state.engine);
        const seats = engine.seats.map((s, i) =>
          s === null
            ? null
            : {
                userId: state.sittings[i]?.userId ?? null,
                stackMinor: s.stackMinor.toString(),
                inHand: s.inHand,
                folded: s.folded,
                allIn: s.allIn,
                streetBetMinor: s.streetBetMinor.toString(),
              },
        );
        const mine: Record<string, unknown> = {};
        engine.seats.forEach((s, i) => {
          const userId = state.sittings[i]?.userId;
          if (s !== null && userId !== undefined && s.inHand && s.holeCards.length > 0) mine[userId] = { holeCards: s.holeCards };
        });
        return {
          public: {
            tableId: state.tableId,
            phase: engine.phase,
            board: engine.board,
            button: engine.button,
            toAct: engine.toAct,
            currentBetMinor: engine.currentBetMinor.toString(),
            hand: engine.handNumber,
            seats,
            deadline: state.deadlineMs,
            open: state.closed !== true,
            limits: limitsOf(engine.rules),
            nextLimits: state.nextLimits ?? null,
            timeouts: state.timeouts ?? [],
            fairness: publicChain(state.fair),
          },
          private: mine,
          server: state,
        };
      },
      // Whoever restores the table (a new owner) first sweeps buy-ins that no seat holds.
      restore: (snapshot) => ({ ...(snapshot.server as TableState), sweepAtMs: 0 }),
    },
    tableActionSchemas.holdem,
  );
}

function newHoldemTable(rules: HoldemRules): HoldemState {
  return newHoldemTableRaw(
    rules,
    Array.from({ length: rules.seatCount }, () => null),
  );
}

/** A copy of a per-seat counter list with one seat set (the list grows to the table's seats as needed). */
function setAt(list: readonly number[], seat: number, value: number, seats: number): number[] {
  const next = Array.from({ length: Math.min(Math.max(seats, list.length), seatCountMax) }, (_, i) => list[i] ?? 0);
  next[seat] = value;
  return next;
}
