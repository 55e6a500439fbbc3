import type { Role } from "../../protocol/auth.schemas.js";
import type { ErrorName } from "../../protocol/errors.js";
import type { LogEntryInput } from "../ports/room-log.js";

/** Who is acting. */
export interface Actor {
  readonly userId: string;
  readonly roles: readonly Role[];
}

export interface RoomContext {
  readonly nowMs: number;
  /** Lead time added to `revealAt` so the broadcast reaches every client before the moment. */
  readonly revealLeadMs: number;
  /** The client's action id, for actions: stable across retries, so effects can be keyed by it. */
  readonly actionId?: string;
  /** What the behavior's `prepare` effect answered for this action, when it has one. */
  readonly prepared?: unknown;
}

export interface ActionRequest {
  readonly kind: string;
  readonly [field: string]: unknown;
}

/** A `prepare` step: refuse at once, or run `effect` (outside the room's queue) before the action is applied. */
export type PrepareOutcome =
  | { readonly ok: true; readonly effect: unknown }
  | { readonly ok: false; readonly error: ErrorName; readonly details?: readonly string[] };

export type BehaviorOutcome<S> =
  | { readonly ok: true; readonly state: S; readonly events: readonly LogEntryInput[]; readonly result?: unknown; readonly barrier?: boolean }
  /**
   * The behavior needs the outside world (a ledger reservation, a random draw, a record written)
   * before it can decide: the host runs `effect` and hands the result to `resume`. Behaviors stay
   * pure and synchronous; all I/O happens in the host, in order, inside the room's queue.
   */
  | { readonly ok: true; readonly effect: unknown; readonly resume: (result: unknown) => BehaviorOutcome<S> }
  | { readonly ok: false; readonly error: ErrorName; readonly details?: readonly string[] };

/** The actor of timer ticks and other decisions the room takes on its own. */
export const systemActor: Actor = Object.freeze({ userId: "system", roles: [] });

export interface BehaviorSnapshot {
  readonly public: unknown;
  readonly private?: Record<string, unknown>;
  /** Never sent to clients: what the owner needs to continue after a failover (a fixed outcome, holds). */
  readonly server?: unknown;
}

/**
 * What a kind of room does. Behaviors are synchronous and own no I/O: the room host orders the
 * actions, persists the events and snapshot, and delivers them. Table games plug in here.
 */
export interface RoomBehavior<S = unknown> {
  readonly kind: string;
  canJoin(roomName: string, actor: Actor): boolean;
  initial(roomName: string): S;
  apply(state: S, action: ActionRequest, actor: Actor, ctx: RoomContext): BehaviorOutcome<S>;
  /**
   * Optional: the slow part of an action, run before it takes its place in the room's queue, so that
   * many run at once (a stake reserved in the ledger: concurrent reservations share one commit).
   * It sees the state as it is now; `apply` then judges the action in order with `ctx.prepared`, and
   * must itself undo or sweep what a prepared action leaves behind when it refuses it. `null`: the
   * action needs no preparation.
   */
  prepare?(state: S, action: ActionRequest, actor: Actor, ctx: RoomContext): PrepareOutcome | null;
  /** The state: public, per-user private and server-only parts. Must round-trip through `restore`. */
  snapshot(state: S): BehaviorSnapshot;
  restore(snapshot: BehaviorSnapshot): S;
  /**
   * Optional: checks an action's shape against its declared schema before `prepare` or `apply` sees it
   * (the table kit builds it from the table's closed action schemas). Timer ticks are not checked.
   */
  checkAction?(action: ActionRequest): { readonly ok: true } | { readonly ok: false; readonly error: ErrorName; readonly details: readonly string[] };
  /** Server time of the room's next timer, if any; the host then applies `{ kind: "tick" }` as `systemActor`. */
  deadline?(state: S): number | null;
}

export function roomKind(room: string): string {
  return room.slice(0, room.indexOf(":"));
}

export function roomSubject(room: string): string {
  return room.slice(room.indexOf(":") + 1);
}
