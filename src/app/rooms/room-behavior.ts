import type { Role } from "../../protocol/auth.schemas.js";
import type { ErrorName } from "../../protocol/errors.js";
import type { LogEntryInput } from "../ports/room-log.js";

/** Who is acting. */
export interface Actor {
  readonly userId: string;
  readonly roles: readonly Role[];
}

/**
 * The effects a behavior may ask its host to run, by type tag: what each asks (`effect`, whose
 * `type` is the tag) and what its runner answers (`result`). The rooms layer knows no effect; a game
 * layer declares its map (the tables' is `TableEffects`), and a behavior typed by it gets each
 * effect's result typed in `resume`.
 */
export type EffectMap = { readonly [type: string]: { readonly effect: unknown; readonly result: unknown } };

/** The rooms layer's own view: any effect, any result (the host runs what it is given). */
export type AnyEffects = EffectMap;

/** An effect of `F`: the union of the effects it declares. */
export type EffectOf<F extends EffectMap> = F[keyof F]["effect"];

/**
 * Runs a behavior's effect (ledger call, random draw, record write) and returns its result. The host
 * sees the erased form; `effectRunner` builds it from one typed handler per effect.
 */
export type EffectRunner = (room: string, effect: unknown) => Promise<unknown>;

/** One handler per effect of `F`, each given that effect and answering that effect's result. */
export type EffectHandlers<F extends EffectMap> = {
  readonly [K in keyof F]: (effect: F[K]["effect"], room: string) => Promise<F[K]["result"]> | F[K]["result"];
};

/** The host's runner over typed handlers: an effect goes to the handler its `type` names. */
export function effectRunner<F extends EffectMap>(handlers: EffectHandlers<F>): EffectRunner {
  const byType: Readonly<Record<string, ((effect: never, room: string) => unknown) | undefined>> = handlers;
  return async (room, effect) => {
    const type = effect !== null && typeof effect === "object" && "type" in effect && typeof effect.type === "string" ? effect.type : null;
    const handler = type !== null && Object.hasOwn(byType, type) ? byType[type] : undefined;
    if (handler === undefined) throw new Error(`room ${room} asked for an unknown effect ${JSON.stringify(type)}`);
    // The handler its type tag names: the effect is that handler's (`EffectHandlers` pairs them).
    return handler(effect as never, room);
  };
}

/**
 * A behavior over effects `F` as the host sees it (any effect, any result). Sound when the host's
 * runner is built from `EffectHandlers<F>`: each effect's result is then the one its `resume` expects.
 */
export function erased<S, F extends EffectMap, P extends keyof F>(behavior: RoomBehavior<S, F, P>): RoomBehavior<S> {
  return behavior as unknown as RoomBehavior<S>;
}

export interface RoomContext<P = unknown> {
  readonly nowMs: number;
  /** Lead time added to `revealAt` so the broadcast reaches every client before the moment. */
  readonly revealLeadMs: number;
  /** The client's action id, for actions: stable across retries, so effects can be keyed by it. */
  readonly actionId?: string;
  /** What the behavior's `prepare` effect answered for this action, when it has one. */
  readonly prepared?: P;
}

export interface ActionRequest {
  readonly kind: string;
  readonly [field: string]: unknown;
}

/** A `prepare` step: refuse at once, or run `effect` (outside the room's queue) before the action is applied. */
export type PrepareOutcome<E = { readonly type: string }> = { readonly ok: true; readonly effect: E } | Refusal;

export interface Refusal {
  readonly ok: false;
  readonly error: ErrorName;
  readonly details?: readonly string[];
}

/** The behavior decided: its new state, the events to write, and what the caller is answered. */
export interface Decided<S> {
  readonly ok: true;
  readonly state: S;
  readonly events: readonly LogEntryInput[];
  readonly result?: unknown;
  readonly barrier?: boolean;
}

/**
 * The behavior needs the outside world (a ledger reservation, a random draw, a record written)
 * before it can decide: the host runs `effect` and hands its result to `resume`. Behaviors stay
 * pure and synchronous; all I/O happens in the host, in order, inside the room's queue. One member
 * per effect of `F`, so `resume` takes exactly what that effect answers.
 */
export type EffectRequest<S, F extends EffectMap = AnyEffects> = {
  // `resume` as a method: a behavior over some effects is also one over any effects (the host's view).
  readonly [K in keyof F]: { readonly ok: true; readonly effect: F[K]["effect"]; resume(result: F[K]["result"]): BehaviorOutcome<S, F> };
}[keyof F];

export type BehaviorOutcome<S, F extends EffectMap = AnyEffects> = Decided<S> | EffectRequest<S, F> | Refusal;

/**
 * The asking function of a behavior over effects `F` with state `S`: `ask(effect, resume)` asks for
 * `effect`, then goes on with its result, `resume` typed by the effect's type tag.
 */
export function askerFor<S, F extends EffectMap>() {
  return <K extends keyof F & string>(
    effect: F[K]["effect"] & { readonly type: K },
    resume: (result: F[K]["result"]) => BehaviorOutcome<S, F>,
  ): EffectRequest<S, F> => ({ ok: true, effect, resume });
}

/** The same request, whatever the effect answers, with `then` applied to the outcome `resume` gives. */
export function andThen<S, F extends EffectMap>(
  request: EffectRequest<S, F>,
  then: (outcome: BehaviorOutcome<S, F>) => BehaviorOutcome<S, F>,
): EffectRequest<S, F> {
  // Erased: the result passes through untouched, from the runner to the request's own `resume`.
  const erased: { readonly effect: unknown; resume(result: unknown): BehaviorOutcome<S, F> } = request;
  return { ok: true, effect: erased.effect, resume: (result: unknown) => then(erased.resume(result)) };
}

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
export interface RoomBehavior<S = unknown, F extends EffectMap = AnyEffects, P extends keyof F = keyof F> {
  readonly kind: string;
  canJoin(roomName: string, actor: Actor): boolean;
  initial(roomName: string): S;
  /** `ctx.prepared` is what this behavior's `prepare` effect (one of `P`) answered. */
  apply(state: S, action: ActionRequest, actor: Actor, ctx: RoomContext<F[P]["result"]>): BehaviorOutcome<S, F>;
  /**
   * Optional: the slow part of an action, run before it takes its place in the room's queue, so that
   * many run at once (a stake reserved in the ledger: concurrent reservations share one commit).
   * It sees the state as it is now; `apply` then judges the action in order with `ctx.prepared`, and
   * must itself undo or sweep what a prepared action leaves behind when it refuses it. `null`: the
   * action needs no preparation.
   */
  prepare?(state: S, action: ActionRequest, actor: Actor, ctx: RoomContext): PrepareOutcome<F[P]["effect"]> | null;
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
