import type { LogEntryInput } from "../ports/room-log.js";
import type { ActionRequest, RoomContext } from "../rooms/room-behavior.js";

/**
 * What every live-dealer table declares (live roulette, live blackjack): how long its dealer may be
 * silent, its video stream and that stream's latency — how long after the dealer acts the players'
 * video shows it (docs/GAMES.md, "Results in step with the video").
 */
export interface LiveTableTerms {
  /** A dealer silent (no action, no heartbeat) this long is absent. */
  readonly dealerAbsentMsMax: number;
  /** Live blackjack: how long a hand waits for a replacement dealer once its dealer is absent, before it is voided and refunded. */
  readonly dealerReplaceMsMax?: number;
  readonly streamUrl: string;
  /** Camera to player screen; 0 when not declared. */
  readonly streamLatencyMs?: number;
}

/**
 * The latency rule: what the dealer does at server time `t` the players' video shows at
 * `t + streamLatencyMs`, so a result (and a cue) is revealed then, and never before the broadcast
 * lead the room host needs to reach every client.
 */
export function liveRevealAt(live: LiveTableTerms, ctx: RoomContext): number {
  return ctx.nowMs + Math.max(ctx.revealLeadMs, live.streamLatencyMs ?? 0);
}

/**
 * The betting window is measured on the video: betting opens on the players' screens `streamLatencyMs`
 * after the server opens it, so it closes that much later too, giving a viewer the whole `bettingMs`.
 * The dealer deals or spins only once the server has closed betting, which the video shows later
 * still: no bet can follow a card or a ball a player has already seen.
 */
export function liveClosesAt(live: LiveTableTerms, nowMs: number, bettingMs: number): number {
  return nowMs + bettingMs + (live.streamLatencyMs ?? 0);
}

/** A dealer cue from the catalogue (the action's schema checked name and payload), as a room event in step with the video. */
export function cueEvent(action: ActionRequest, roundId: string | null, live: LiveTableTerms, ctx: RoomContext): LogEntryInput {
  return { kind: "dealer.cue", data: { name: action.name, data: action.data ?? {}, roundId, sentAt: ctx.nowMs }, revealAt: liveRevealAt(live, ctx) };
}
