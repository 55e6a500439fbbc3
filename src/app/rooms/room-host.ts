import type { ErrorName } from "../../protocol/errors.js";
import type { Clock } from "../ports/clock.js";
import type { LogEntryInput, RoomLog, RoomSnapshot } from "../ports/room-log.js";
import type { ActionRequest, Actor, BehaviorOutcome, RoomBehavior } from "./room-behavior.js";
import { systemActor } from "./room-behavior.js";

/** Runs a behavior's effect (ledger call, random draw, record write) and returns its result. */
export type EffectRunner = (room: string, effect: unknown) => Promise<unknown>;

const effectsPerRequestMax = 10_000;
/** How soon a timer step whose effect failed (a database hiccup) is tried again. */
const tickRetryMs = 1_000;

export type HostRequest =
  | { readonly type: "action"; readonly actor: Actor; readonly actionId: string; readonly lastOffset: number; readonly action: ActionRequest }
  | { readonly type: "chat"; readonly actor: Actor; readonly text: string }
  | { readonly type: "moderate"; readonly actor: Actor; readonly op: "mute" | "unmute" | "kick"; readonly userId: string }
  | { readonly type: "publish"; readonly events: readonly LogEntryInput[] }
  | { readonly type: "tick" };

export type HostReply =
  | { readonly ok: true; readonly status: "applied" | "duplicate"; readonly offset: number; readonly result?: unknown }
  | { readonly ok: false; readonly error: ErrorName; readonly details?: readonly string[] };

export interface HostLimits {
  readonly revealLeadMs: number;
  readonly chatCharsMax: number;
  readonly chatMessagesPerMinuteMax: number;
  readonly roomActionQueueMax: number;
  readonly actionIdsRememberedMax: number;
  readonly roomLogEntriesMax: number;
}

interface Envelope {
  readonly state: unknown;
  readonly muted: readonly string[];
  readonly barrierOffset: number;
}

/**
 * The single owner of one room on this node: it applies requests strictly one at a time, writes
 * their events and the new snapshot to the log under its fencing token, and answers each caller
 * after the write. If the log refuses the fence, another node owns the room now: this host stops.
 */
export class RoomHost<S = unknown> {
  private queue: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private stopped = false;
  private readonly actionOffsets = new Map<string, number>();
  private readonly chatTimes = new Map<string, number[]>();
  private muted = new Set<string>();
  private barrierOffset = 0;
  private head = 0;

  private constructor(
    readonly room: string,
    private readonly fence: number,
    private readonly behavior: RoomBehavior<S>,
    private state: S,
    private readonly log: RoomLog,
    private readonly clock: Clock,
    private readonly limits: HostLimits,
    private readonly onFenced: () => void,
    private readonly effects: EffectRunner,
  ) {}

  /** Takes over a room: restores its snapshot and the action ids still in its history. */
  static async open<S>(room: string, fence: number, behavior: RoomBehavior<S>, log: RoomLog, clock: Clock, limits: HostLimits, onFenced: () => void, effects: EffectRunner): Promise<RoomHost<S>> {
    const stored = await log.snapshot(room);
    const envelope = stored.snapshot?.public as Envelope | undefined;
    const state = envelope === undefined
      ? behavior.initial(room)
      : behavior.restore({ public: envelope.state, ...(stored.snapshot?.private ? { private: { ...stored.snapshot.private } } : {}), ...(stored.snapshot?.server === undefined ? {} : { server: stored.snapshot.server }) });
    const host = new RoomHost(room, fence, behavior, state, log, clock, limits, onFenced, effects);
    host.head = stored.offset;
    host.muted = new Set(envelope?.muted ?? []);
    host.barrierOffset = envelope?.barrierOffset ?? 0;
    let after = Math.max(0, stored.offset - limits.roomLogEntriesMax);
    for (let page = 0; page * 1000 < limits.roomLogEntriesMax; page++) {
      const range = await log.read(room, after, 1000);
      for (const entry of range.entries) if (entry.actionId !== undefined) host.remember(entry.actionId, entry.offset);
      if (range.entries.length < 1000) break;
      after = range.entries.at(-1)?.offset ?? after;
    }
    host.schedule();
    return host;
  }

  private timer: ReturnType<typeof setTimeout> | null = null;

  private retryTick(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.submit({ type: "tick" }), tickRetryMs);
    this.timer.unref();
  }

  /** Arms the timer for the behavior's next deadline (a past deadline fires at once: a failover catches up). */
  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const deadline = this.behavior.deadline?.(this.state) ?? null;
    if (deadline === null || this.stopped) return;
    this.timer = setTimeout(() => void this.submit({ type: "tick" }), Math.max(0, deadline - this.clock.nowMs()));
    this.timer.unref();
  }

  get fenceToken(): number {
    return this.fence;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  submit(request: HostRequest): Promise<HostReply> {
    if (this.stopped) return Promise.resolve({ ok: false, error: "ROOM_UNAVAILABLE" });
    if (this.queued >= this.limits.roomActionQueueMax) return Promise.resolve({ ok: false, error: "ROOM_UNAVAILABLE", details: ["room action queue full"] });
    this.queued++;
    const run = this.queue.then(() => this.handle(request));
    this.queue = run.catch(() => undefined).finally(() => { this.queued--; });
    return run;
  }

  private async handle(request: HostRequest): Promise<HostReply> {
    if (this.stopped) return { ok: false, error: "ROOM_UNAVAILABLE" };
    switch (request.type) {
      case "action": return this.action(request);
      case "chat": return this.chat(request.actor, request.text);
      case "moderate": return this.moderate(request.actor, request.op, request.userId);
      case "publish": return this.write(request.events, this.state);
      case "tick": return this.tick();
    }
  }

  private async tick(): Promise<HostReply> {
    try {
      const outcome = await this.settleEffects(this.behavior.apply(this.state, { kind: "tick" }, systemActor, this.context()));
      if (!outcome.ok) {
        this.schedule();
        return { ok: false, error: outcome.error };
      }
      return await this.write(outcome.events, outcome.state, outcome.barrier === true);
    } catch {
      // An effect or the log write failed (the database, the ledger or Redis is unavailable). The state
      // is unchanged and every effect is keyed, so the same step is simply tried again shortly, rather
      // than leaving the room without a timer.
      this.retryTick();
      return { ok: false, error: "SERVICE_UNAVAILABLE" };
    }
  }

  private context() {
    return { nowMs: this.clock.nowMs(), revealLeadMs: this.limits.revealLeadMs };
  }

  /** Runs effects until the behavior decides; bounded so a behavior bug cannot loop forever. */
  private async settleEffects(first: BehaviorOutcome<S>): Promise<Exclude<BehaviorOutcome<S>, { effect: unknown }>> {
    let outcome = first;
    for (let i = 0; "effect" in outcome && outcome.ok; i++) {
      if (i >= effectsPerRequestMax) throw new Error(`room ${this.room}: more than ${effectsPerRequestMax} effects for one request`);
      outcome = outcome.resume(await this.effects(this.room, outcome.effect));
    }
    return outcome as Exclude<BehaviorOutcome<S>, { effect: unknown }>;
  }

  private async action(request: Extract<HostRequest, { type: "action" }>): Promise<HostReply> {
    // Action ids are the client's: they are unique per player, not per room.
    const scoped = `${request.actor.userId}:${request.actionId}`;
    const previous = this.actionOffsets.get(scoped);
    if (previous !== undefined) return { ok: true, status: "duplicate", offset: previous };
    if (request.lastOffset > this.head) return { ok: false, error: "ACTION_OFFSET_INVALID", details: [`room is at offset ${this.head}`] };
    if (request.lastOffset < this.barrierOffset) return { ok: false, error: "ACTION_STALE", details: [`state changed at offset ${this.barrierOffset}`] };
    const outcome = await this.settleEffects(this.behavior.apply(this.state, request.action, request.actor, { ...this.context(), actionId: request.actionId }));
    if (!outcome.ok) return { ok: false, error: outcome.error, ...(outcome.details ? { details: outcome.details } : {}) };
    const events = outcome.events.map((e, i) => (i === 0 ? { ...e, actionId: scoped } : e));
    const reply = await this.write(events, outcome.state, outcome.barrier === true, outcome.result);
    if (reply.ok) this.remember(scoped, reply.offset);
    return reply;
  }

  private async chat(actor: Actor, text: string): Promise<HostReply> {
    if ([...text].length > this.limits.chatCharsMax) return { ok: false, error: "CHAT_TOO_LONG" };
    if (this.muted.has(actor.userId)) return { ok: false, error: "CHAT_MUTED" };
    const now = this.clock.nowMs();
    const recent = (this.chatTimes.get(actor.userId) ?? []).filter((t) => t > now - 60_000);
    if (recent.length >= this.limits.chatMessagesPerMinuteMax) return { ok: false, error: "CHAT_RATE_LIMITED" };
    recent.push(now);
    this.chatTimes.set(actor.userId, recent);
    if (this.chatTimes.size > 10_000) this.chatTimes.delete(this.chatTimes.keys().next().value as string);
    return this.write([{ kind: "chat", data: { from: actor.userId, text } }], this.state);
  }

  private async moderate(actor: Actor, op: "mute" | "unmute" | "kick", userId: string): Promise<HostReply> {
    if (!actor.roles.includes("operator") && !actor.roles.includes("dealer")) return { ok: false, error: "AUTH_FORBIDDEN" };
    if (op === "mute") this.muted.add(userId);
    if (op === "unmute") this.muted.delete(userId);
    return this.write([{ kind: "moderation", data: { op, userId, by: actor.userId } }], this.state);
  }

  private async write(events: readonly LogEntryInput[], next: S, barrier = false, result?: unknown): Promise<HostReply> {
    const view = this.behavior.snapshot(next);
    const snapshot: RoomSnapshot = {
      public: { state: view.public, muted: [...this.muted], barrierOffset: barrier ? this.head + events.length : this.barrierOffset },
      ...(view.private ? { private: view.private } : {}),
      ...(view.server === undefined ? {} : { server: view.server }),
    };
    const appended = await this.log.append(this.room, this.fence, events, snapshot, this.clock.nowMs());
    if (!appended.ok) {
      this.stop();
      this.onFenced();
      return { ok: false, error: "ROOM_UNAVAILABLE", details: ["room ownership moved; retry"] };
    }
    this.state = next;
    this.head = appended.entries.at(-1)?.offset ?? this.head;
    if (barrier) this.barrierOffset = this.head;
    this.schedule();
    return { ok: true, status: "applied", offset: this.head, ...(result === undefined ? {} : { result }) };
  }

  private remember(actionId: string, offset: number): void {
    this.actionOffsets.set(actionId, offset);
    if (this.actionOffsets.size > this.limits.actionIdsRememberedMax) this.actionOffsets.delete(this.actionOffsets.keys().next().value as string);
  }
}
