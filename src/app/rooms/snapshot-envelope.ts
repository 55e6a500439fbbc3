import type { RoomSnapshot } from "../ports/room-log.js";
import type { BehaviorSnapshot } from "./room-behavior.js";

/**
 * The snapshot envelope: how a room host stores a room's snapshot in the room log. Its public part
 * wraps the behavior's public state with the host's own (muted users, the offset of the last
 * barrier); the per-user private parts and the server-only part are the behavior's, as they are.
 * This module alone writes and reads it: the host (write, take over), the gateway (join, reset)
 * and the operators' table summaries.
 *
 *     { public: { state, muted, barrierOffset }, private?: { [userId]: unknown }, server?: unknown }
 */
export interface SnapshotEnvelope {
  /** The behavior's public state. */
  readonly state: unknown;
  /** Users the room's moderators muted. */
  readonly muted: readonly string[];
  /** Offset of the last entry that made older offsets stale (`ACTION_STALE` below it); 0 for none. */
  readonly barrierOffset: number;
}

/** What a member is sent of a room on join or reset: the public state and, if any, their private part. */
export interface RoomView {
  readonly state: unknown;
  readonly private?: unknown;
}

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> => value !== null && typeof value === "object" && !Array.isArray(value);

/** The stored snapshot for a behavior's view and the host's muted users and barrier offset. */
export function encodeSnapshot(view: BehaviorSnapshot, host: { readonly muted: Iterable<string>; readonly barrierOffset: number }): RoomSnapshot {
  const envelope: SnapshotEnvelope = { state: view.public, muted: [...host.muted], barrierOffset: host.barrierOffset };
  return {
    public: envelope,
    ...(view.private ? { private: view.private } : {}),
    ...(view.server === undefined ? {} : { server: view.server }),
  };
}

/**
 * The envelope of a stored snapshot, checked: null for a room never written (no snapshot, or one
 * without a public part). Fields the host added
 * later are read with their defaults (no one muted, no barrier); a public part that is not an
 * envelope is refused, since the host cannot tell what it would restore.
 */
export function decodeEnvelope(snapshot: RoomSnapshot | null): SnapshotEnvelope | null {
  const stored = snapshot?.public;
  if (stored === undefined) return null;
  if (!isObject(stored)) throw new Error(`room snapshot: the public part is not an envelope (${stored === null ? "null" : typeof stored})`);
  const muted = Array.isArray(stored.muted) ? stored.muted.filter((u): u is string => typeof u === "string") : [];
  const barrier = stored.barrierOffset;
  return { state: stored.state, muted, barrierOffset: typeof barrier === "number" && Number.isSafeInteger(barrier) && barrier >= 0 ? barrier : 0 };
}

/** The behavior's snapshot held in a stored one, for `restore`: null for a room never written. */
export function behaviorSnapshotOf(snapshot: RoomSnapshot | null): BehaviorSnapshot | null {
  const envelope = decodeEnvelope(snapshot);
  if (envelope === null || snapshot === null) return null;
  return {
    public: envelope.state,
    ...(snapshot.private ? { private: { ...snapshot.private } } : {}),
    ...(snapshot.server === undefined ? {} : { server: snapshot.server }),
  };
}

/**
 * The behavior's public state in a stored snapshot, for readers that must not fail on one (the
 * gateway, operator summaries): null for a room never written or a snapshot that is not an envelope.
 */
export function publicStateOf(snapshot: RoomSnapshot | null): unknown {
  return snapshot !== null && isObject(snapshot.public) ? (snapshot.public.state ?? null) : null;
}

/** A room as `userId` may see it: null for a room never written. */
export function viewOf(snapshot: RoomSnapshot | null, userId: string): RoomView | null {
  if (snapshot === null) return null;
  const mine = snapshot.private?.[userId];
  return { state: publicStateOf(snapshot), ...(mine === undefined ? {} : { private: mine }) };
}

/** A room never written, as anyone sees it: the public part of its behavior's initial state. */
export function unwrittenView(initial: BehaviorSnapshot): RoomView {
  return { state: initial.public };
}
