import { findCurrency, parseAmount } from "../../engine/money/index.js";
import { hashServerSeed } from "../../engine/rng/index.js";
import { bookableContribution, playFeature, type CompiledSlot } from "../../engine/slots/index.js";
import type { ActionRequest, Actor, RoomBehavior, RoomContext } from "../rooms/room-behavior.js";
import { roomSubject } from "../rooms/room-behavior.js";
import { drawFair, fairnessScheme } from "./fairness.js";
import type { RoundRecord, SlotSpinDraw, SlotSpinSummary, TableOutcome } from "./table-effects.js";
import { refuse, tableAsker, walletRefusal, withActions } from "./table-kit.js";
import { tableActionSchemas } from "../../protocol/table-actions.schemas.js";

export interface SlotsRoomConfig {
  readonly gameId: string;
  readonly currency: string;
  /** The machine (reels, paytable, features, jackpot odds): the behavior plays it on the player's seed stream. */
  readonly slot: CompiledSlot;
  /** The progressive pool every paid spin feeds (the engine's contribution share) and a trigger wins. */
  readonly jackpot?: { readonly jackpotId: string; readonly seedMinor: bigint };
}

/** The player's provably-fair seed pair for this game; `serverSeed` never leaves the server before rotation. */
interface SlotSeeds {
  readonly serverSeed: string;
  readonly clientSeed: string;
  /** The nonce of the next paid spin; only a paid spin consumes one. */
  readonly nonce: number;
}

interface SlotsState {
  readonly userId: string;
  readonly spins: number;
  readonly lastSpin: SlotSpinSummary | null;
  /** Server time of the last paid spin this state counts; absent in states written before it was kept. */
  readonly lastSpinAtMs?: number;
  /** The fraction of a minor unit of contribution not yet booked (× jackpotContributionScale); absent is "0". */
  readonly jackpotCarryScaled?: string;
  /** Absent until the room's first tick commits a seed pair (before any spin). */
  readonly seeds?: SlotSeeds;
  /**
   * A rotated-out server seed not yet written to game recall. It is written by the tick after the
   * rotation is durable, never before: a seed must not be public while it could still draw spins.
   */
  readonly pendingReveal?: { readonly serverSeedHash: string; readonly serverSeed: string };
  /**
   * Set when the machine is restored from its stored state (a failover, a reopening): an owner that
   * stopped after the ledger paid a spin but before its state was written left game recall ahead of
   * the stored nonce. The next spin first takes the nonce past the highest one recall holds for the
   * seed, so no (server seed, client seed, nonce) draws twice.
   */
  readonly recallUnchecked?: true;
}

/** Client seeds a player may choose: safe to type in a shell, and without the message's ":" separator. */
export const clientSeedPattern = /^[A-Za-z0-9_.-]{1,64}$/;
/**
 * How far before the machine's last written spin game recall is read for a spin paid after it: room
 * owners' clocks may differ, by far less than this with NTP (docs/OPERATIONS.md).
 */
const recallClockSkewMs = 5 * 60_000;
/** A default client seed is 64 random bits (16 hex characters of a fresh seed). */
const defaultClientSeedChars = 16;

/** What the player sees of the seed pair: the commitment, never the server seed itself. */
function seedView(seeds: SlotSeeds) {
  return { scheme: fairnessScheme, serverSeedHash: hashServerSeed(seeds.serverSeed), clientSeed: seeds.clientSeed, nonce: seeds.nonce };
}

const ask = tableAsker<SlotsState>();

/** Asks the RNG boundary for a fresh seed, then goes on with it. */
function withSeed(next: (seed: string) => TableOutcome<SlotsState>): TableOutcome<SlotsState> {
  return ask({ type: "rng.seed" }, next);
}

/**
 * `slots:<userId>`: one player's slot machine. A spin is drawn from the player's committed seed pair
 * (the whole free-spin feature it may trigger is played out on the same stream), then staked and paid
 * in one atomic ledger operation keyed by the action id; only a paid spin is recorded, answered, sent
 * as an event and consumes a nonce, so a refused spin (no funds) reveals nothing. Events are private
 * to the player. `seed.client` sets the client seed, `seed.rotate` reveals the server seed and commits
 * a new one.
 */
export function slotsRoomBehavior(config: SlotsRoomConfig): RoomBehavior<SlotsState> {
  // The slot's jackpot odds decide whether a paid spin draws a jackpot value: part of the draw order, so recorded with it.
  const jackpotTrigger = { numerator: config.slot.config.jackpot.triggerNumerator, denominator: config.slot.config.jackpot.triggerDenominator };

  /**
   * Draws a spin from the player's seed pair and plays out the free-spin feature it triggers: pure,
   * nothing is read or recorded. The spin is staked in the ledger and recorded only once paid; a
   * retried spin the ledger already holds is answered as recorded then.
   */
  function drawSpin(seeds: SlotSeeds, stakeMinor: bigint): SlotSpinDraw | { readonly status: string } {
    const { value, verification } = drawFair(seeds, (rng) => playFeature(config.slot, stakeMinor, rng), false);
    if ("status" in value) return value;
    return { summary: value, verification: { ...verification, game: config.gameId, jackpotTrigger } };
  }

  function spin(state: SlotsState, action: ActionRequest, actor: Actor, ctx: RoomContext): TableOutcome<SlotsState> {
    if (actor.userId !== state.userId) return refuse("ROOM_FORBIDDEN", "only the player spins their machine");
    const seeds = state.seeds;
    if (seeds === undefined) return refuse("ROOM_UNAVAILABLE", "the machine has not committed its seeds yet; retry shortly");
    if (state.recallUnchecked === true) {
      const { recallUnchecked: _checked, ...rest } = state;
      const since = state.lastSpinAtMs === undefined ? {} : { sinceMs: state.lastSpinAtMs - recallClockSkewMs };
      return ask({ type: "fairness.nonce", userId: state.userId, serverSeedHash: hashServerSeed(seeds.serverSeed), ...since }, (highest) =>
        spin({ ...rest, seeds: highest === null || highest < seeds.nonce ? seeds : { ...seeds, nonce: highest + 1 } }, action, actor, ctx),
      );
    }
    const currency = findCurrency(config.currency);
    if (currency === null || typeof action.stake !== "string") return refuse("BET_INVALID", "stake must be a decimal string");
    const stakeMinor = parseAmount(action.stake, currency);
    if (typeof stakeMinor !== "bigint") return refuse("BET_INVALID", `stake ${stakeMinor}`);
    // Keyed by the action id: a retry after a failover finds the recorded outcome and the ledger's answer.
    const spinId = `slots:${state.userId}:${ctx.actionId ?? state.spins + 1}`;
    // The draw is played out here, on the stream of the player's committed seed pair: the seeds are the randomness, as data.
    const draw = drawSpin(seeds, stakeMinor);
    if ("status" in draw) return refuse("BET_LIMIT", draw.status);
    const drawn = draw.summary;
    const record: RoundRecord = {
      roundId: spinId,
      tableId: config.gameId,
      game: "slots",
      status: "closed",
      atMs: ctx.nowMs,
      outcome: drawn,
      verification: draw.verification,
      bets: [
        {
          betId: "spin",
          userId: state.userId,
          currency: config.currency,
          stakeMinor: drawn.stakeMinor,
          detail: { game: config.gameId },
          placedAtMs: ctx.nowMs,
        },
      ],
    };
    // The carry comes from the state before this spin, so a retried spin books the same amount (same ledger request).
    const contribution = bookableContribution(BigInt(state.jackpotCarryScaled ?? "0"), BigInt(drawn.jackpotContributionScaled ?? "0"));
    const jackpot =
      config.jackpot === undefined
        ? undefined
        : {
            jackpotId: config.jackpot.jackpotId,
            contributionMinor: contribution.minor.toString(),
            won: drawn.jackpotTriggered === true,
            seedMinor: config.jackpot.seedMinor.toString(),
          };
    return ask(
      {
        type: "wallet.instant",
        game: "slots",
        gameId: config.gameId,
        playerId: state.userId,
        currency: config.currency,
        stakeMinor: drawn.stakeMinor,
        winMinor: drawn.totalWinMinor,
        roundId: spinId,
        ...(jackpot === undefined ? {} : { jackpot }),
        record,
      },
      (result) => {
        if (result.status !== "ok") return walletRefusal(result);
        const money = {
          availableMinor: result.availableMinor,
          ...(result.jackpotTotalMinor === undefined ? {} : { jackpotTotalMinor: result.jackpotTotalMinor }),
          ...(result.jackpotWinMinor === undefined ? {} : { jackpotWinMinor: result.jackpotWinMinor }),
        };
        // A retry of a spin paid before stands as it was recorded; if this state already counted it, nothing advances.
        const shown = (result.recorded?.outcome as SlotSpinSummary | undefined) ?? drawn;
        const fairness = result.recorded?.verification ?? draw.verification;
        const counted = result.recorded !== undefined && countedBefore(fairness, seeds);
        const carry = jackpot === undefined || counted ? {} : { jackpotCarryScaled: contribution.carryScaled.toString() };
        // Only a paid spin consumes its nonce, once.
        const next: SlotSeeds = counted ? seeds : { ...seeds, nonce: seeds.nonce + 1 };
        return {
          ok: true,
          state: { ...state, spins: counted ? state.spins : state.spins + 1, lastSpin: shown, lastSpinAtMs: ctx.nowMs, ...carry, seeds: next },
          events: [{ kind: "slots.spin", to: state.userId, data: { spinId, ...shown, ...money, fairness, at: ctx.nowMs } }],
          result: { spinId, ...shown, ...money, fairness },
        };
      },
    );
  }

  /**
   * Whether a recorded spin's nonce is already behind the machine's (its state change was written
   * before). A recorded spin at the current nonce (paid, then the owner stopped before writing the
   * state) consumes it now; so does one under an older server seed's hash, conservatively.
   */
  function countedBefore(verification: unknown, seeds: SlotSeeds): boolean {
    const v = verification as { serverSeedHash?: unknown; nonce?: unknown } | null;
    return v !== null && v.serverSeedHash === hashServerSeed(seeds.serverSeed) && typeof v.nonce === "number" && v.nonce < seeds.nonce;
  }

  /** The first tick of a new machine commits its seed pair (a random default client seed), before any spin. */
  function commitSeeds(state: SlotsState): TableOutcome<SlotsState> {
    if (state.seeds !== undefined) return { ok: true, state, events: [] };
    return withSeed((serverSeed) =>
      withSeed((client) => {
        const seeds: SlotSeeds = { serverSeed, clientSeed: client.slice(0, defaultClientSeedChars), nonce: 0 };
        return { ok: true, state: { ...state, seeds }, events: [{ kind: "fairness.seeds", to: state.userId, data: seedView(seeds) }] };
      }),
    );
  }

  function setClientSeed(state: SlotsState, action: ActionRequest, actor: Actor): TableOutcome<SlotsState> {
    if (actor.userId !== state.userId) return refuse("ROOM_FORBIDDEN", "only the player sets their seeds");
    if (state.seeds === undefined) return refuse("ROOM_UNAVAILABLE", "the machine has not committed its seeds yet; retry shortly");
    if (typeof action.clientSeed !== "string" || !clientSeedPattern.test(action.clientSeed))
      return refuse("REQUEST_INVALID", "clientSeed: 1 to 64 characters of A-Z a-z 0-9 _ . -");
    // The server seed and nonce stay: (client seed, nonce) never repeats under one server seed.
    const seeds: SlotSeeds = { ...state.seeds, clientSeed: action.clientSeed };
    return { ok: true, state: { ...state, seeds }, events: [{ kind: "fairness.seeds", to: state.userId, data: seedView(seeds) }], result: seedView(seeds) };
  }

  /** Reveals the server seed in use (in the reply, an event and game recall) and commits a fresh one; the nonce restarts at 0. */
  function rotate(state: SlotsState, action: ActionRequest, actor: Actor, ctx: RoomContext): TableOutcome<SlotsState> {
    if (actor.userId !== state.userId) return refuse("ROOM_FORBIDDEN", "only the player rotates their seeds");
    const old = state.seeds;
    if (old === undefined) return refuse("ROOM_UNAVAILABLE", "the machine has not committed its seeds yet; retry shortly");
    if (action.clientSeed !== undefined && (typeof action.clientSeed !== "string" || !clientSeedPattern.test(action.clientSeed))) {
      return refuse("REQUEST_INVALID", "clientSeed: 1 to 64 characters of A-Z a-z 0-9 _ . -");
    }
    const clientSeed = typeof action.clientSeed === "string" ? action.clientSeed : old.clientSeed;
    const revealed = { ...seedView(old), serverSeed: old.serverSeed };
    // The reply and event reveal the seed once the new pair is written; recall follows at the next tick.
    return withPendingReveal(state, ctx, (current) =>
      withSeed((serverSeed) => {
        const seeds: SlotSeeds = { serverSeed, clientSeed, nonce: 0 };
        const data = { revealed, next: seedView(seeds) };
        // A fresh server seed has drawn nothing yet: game recall has nothing to check it against.
        const { recallUnchecked: _fresh, ...fresh } = current;
        return {
          ok: true,
          state: { ...fresh, seeds, pendingReveal: { serverSeedHash: revealed.serverSeedHash, serverSeed: old.serverSeed } },
          events: [{ kind: "fairness.rotated", to: state.userId, data }],
          result: data,
        };
      }),
    );
  }

  /** Writes a pending reveal to game recall (the rotation that made it is durable by now), then goes on. */
  function withPendingReveal(state: SlotsState, ctx: RoomContext, next: (state: SlotsState) => TableOutcome<SlotsState>): TableOutcome<SlotsState> {
    const pending = state.pendingReveal;
    if (pending === undefined) return next(state);
    const { pendingReveal: _written, ...rest } = state;
    return ask({ type: "fairness.reveal", ...pending, atMs: ctx.nowMs }, () => next(rest));
  }

  return withActions<SlotsState>(
    {
      kind: "slots",
      canJoin: (room, actor) => roomSubject(room) === actor.userId,
      initial: (room) => ({ userId: roomSubject(room), spins: 0, lastSpin: null }),
      apply(state, action, actor, ctx) {
        switch (action.kind) {
          case "spin":
            return spin(state, action, actor, ctx);
          case "seed.client":
            return setClientSeed(state, action, actor);
          case "seed.rotate":
            return rotate(state, action, actor, ctx);
          case "tick":
            return actor.userId === "system" ? withPendingReveal(state, ctx, commitSeeds) : refuse("ACTION_REJECTED", "tick is the server's");
          default:
            return refuse("ACTION_REJECTED", `unknown slots action "${action.kind}"`);
        }
      },
      deadline: (state) => (state.seeds === undefined || state.pendingReveal !== undefined ? 0 : null),
      snapshot: (state) => ({
        public: { game: config.gameId, currency: config.currency },
        private: { [state.userId]: { spins: state.spins, lastSpin: state.lastSpin, fairness: state.seeds === undefined ? null : seedView(state.seeds) } },
        server: state,
      }),
      restore: (snapshot) => {
        const state = snapshot.server as SlotsState;
        return state.seeds === undefined ? state : { ...state, recallUnchecked: true };
      },
    },
    tableActionSchemas.slots,
  );
}
