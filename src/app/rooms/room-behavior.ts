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
}

export interface ActionRequest {
  readonly kind: string;
  readonly [field: string]: unknown;
}

export type BehaviorOutcome<S> =
  | { readonly ok: true; readonly state: S; readonly events: readonly LogEntryInput[]; readonly result?: unknown; readonly barrier?: boolean }
  | { readonly ok: false; readonly error: ErrorName; readonly details?: readonly string[] };

/**
 * What a kind of room does. Behaviors are synchronous and own no I/O: the room host orders the
 * actions, persists the events and snapshot, and delivers them. Table games plug in here.
 */
export interface RoomBehavior<S = unknown> {
  readonly kind: string;
  canJoin(roomName: string, actor: Actor): boolean;
  initial(roomName: string): S;
  apply(state: S, action: ActionRequest, actor: Actor, ctx: RoomContext): BehaviorOutcome<S>;
  /** The state as clients may see it: public, plus per-user private parts. Must round-trip through `restore`. */
  snapshot(state: S): { public: unknown; private?: Record<string, unknown> };
  restore(snapshot: { public: unknown; private?: Record<string, unknown> }): S;
}

export function roomKind(room: string): string {
  return room.slice(0, room.indexOf(":"));
}

export function roomSubject(room: string): string {
  return room.slice(room.indexOf(":") + 1);
}
