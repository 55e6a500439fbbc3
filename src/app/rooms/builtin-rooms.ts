import { jackpotTotalKind, type JackpotTotal } from "../../protocol/ws.messages.js";
import type { ActionRequest, BehaviorOutcome, RoomBehavior } from "./room-behavior.js";
import { roomSubject, systemActor } from "./room-behavior.js";

/** A room the server publishes into and clients only listen to: it takes no actions and keeps no state. */
function listenOnly(kind: string, canJoin: RoomBehavior["canJoin"], why: string): RoomBehavior<Record<string, never>> {
  return {
    kind,
    canJoin,
    initial: () => ({}),
    apply: () => ({ ok: false, error: "ACTION_REJECTED", details: [why] }),
    snapshot: () => ({ public: {} }),
    restore: () => ({}),
  };
}

interface LobbyState {
  readonly jackpots: readonly JackpotTotal[];
}

/** Pools one lobby lists; a ticker for more is a wiring mistake, refused rather than grown without bound. */
const lobbyJackpotsMax = 100;
const minorDigits = /^(0|[1-9][0-9]{0,17})$/;

function jackpotTotal(state: LobbyState, action: ActionRequest): BehaviorOutcome<LobbyState> {
  const { gameId, currency, totalMinor } = action;
  if (typeof gameId !== "string" || typeof currency !== "string" || typeof totalMinor !== "string" || !minorDigits.test(totalMinor)) {
    return { ok: false, error: "ACTION_REJECTED", details: ["jackpot.total needs gameId, currency and totalMinor"] };
  }
  const index = state.jackpots.findIndex((j) => j.gameId === gameId && j.currency === currency);
  // Unchanged totals write nothing: the ticker may offer the same total again after a failover.
  if (index >= 0 && state.jackpots[index]?.totalMinor === totalMinor) return { ok: false, error: "ACTION_REJECTED", details: ["unchanged"] };
  if (index < 0 && state.jackpots.length >= lobbyJackpotsMax) return { ok: false, error: "ACTION_REJECTED", details: [`at most ${lobbyJackpotsMax} jackpots`] };
  const total: JackpotTotal = { gameId, currency, totalMinor };
  const jackpots = index < 0 ? [...state.jackpots, total] : state.jackpots.map((j, i) => (i === index ? total : j));
  return { ok: true, state: { jackpots }, events: [{ kind: jackpotTotalKind, data: total }] };
}

/**
 * Lobby rooms: anyone may join and only listens. The server publishes into them: the jackpot ticker
 * offers each pool's total as a `jackpot.total` action, which the lobby keeps in its snapshot (so a
 * client joining sees every total at once) and broadcasts when it changed. Only the server's own
 * ticker acts: its actor is the very `systemActor` object, which no client request can carry (a
 * request from another node is parsed from JSON into a new object, and is refused too).
 */
export const lobbyBehavior: RoomBehavior<LobbyState> = {
  kind: "lobby",
  canJoin: () => true,
  initial: () => ({ jackpots: [] }),
  apply: (state, action, actor) =>
    action.kind === jackpotTotalKind && actor === systemActor
      ? jackpotTotal(state, action)
      : { ok: false, error: "ACTION_REJECTED", details: ["lobby rooms take no actions"] },
  snapshot: (state) => ({ public: state }),
  restore: (snapshot) => ({ jackpots: (snapshot.public as Partial<LobbyState> | undefined)?.jackpots ?? [] }),
};

/** `user:<userId>`: a player's private channel (balance changes, notices); only that player and operators join. */
export const userChannelBehavior = listenOnly(
  "user",
  (room, actor) => roomSubject(room) === actor.userId || actor.roles.includes("operator"),
  "private channels take no actions",
);

interface SandboxState {
  readonly notes: number;
  readonly phase: number;
  readonly lastReveal: string | null;
}

const textMax = 500;

/**
 * `sandbox:<name>`: a developer room that exercises every delivery feature without money: public
 * notes, private whispers, a synchronized reveal and a phase change that makes older offsets stale.
 * SDK authors and the tests use it; operators may disable it (`sandboxRoomsEnabled`).
 */
export const sandboxBehavior: RoomBehavior<SandboxState> = {
  kind: "sandbox",
  canJoin: () => true,
  initial: () => ({ notes: 0, phase: 0, lastReveal: null }),
  apply(state, action, actor, ctx) {
    const text = typeof action.text === "string" ? action.text : "";
    if (text.length > textMax) return { ok: false, error: "ACTION_REJECTED", details: [`text longer than ${textMax}`] };
    switch (action.kind) {
      case "note":
        return { ok: true, state: { ...state, notes: state.notes + 1 }, events: [{ kind: "note", data: { from: actor.userId, text } }] };
      case "whisper": {
        if (typeof action.to !== "string") return { ok: false, error: "ACTION_REJECTED", details: ["whisper needs `to`"] };
        return { ok: true, state, events: [{ kind: "whisper", to: action.to, data: { from: actor.userId, text } }] };
      }
      case "reveal":
        return { ok: true, state: { ...state, lastReveal: text }, events: [{ kind: "reveal", data: { value: text }, revealAt: ctx.nowMs + ctx.revealLeadMs }] };
      case "phase":
        return { ok: true, state: { ...state, phase: state.phase + 1 }, events: [{ kind: "phase", data: { phase: state.phase + 1 } }], barrier: true };
      default:
        return { ok: false, error: "ACTION_REJECTED", details: [`unknown sandbox action "${action.kind}"`] };
    }
  },
  snapshot: (state) => ({ public: state }),
  restore: (snapshot) => snapshot.public as SandboxState,
};
