import type { RoomBehavior } from "./room-behavior.js";
import { roomSubject } from "./room-behavior.js";

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

/** Lobby rooms: anyone may join; the server publishes into them (tickers, table lists). */
export const lobbyBehavior = listenOnly("lobby", () => true, "lobby rooms take no actions");

/** `user:<userId>`: a player's private channel (balance changes, notices); only that player and operators join. */
export const userChannelBehavior = listenOnly("user", (room, actor) => roomSubject(room) === actor.userId || actor.roles.includes("operator"), "private channels take no actions");

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
