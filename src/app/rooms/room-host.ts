import { background } from "../background.js";
import { isServiceUnavailable } from "../ports/failures.js";
import type { ErrorName } from "../../protocol/errors.js";
import { sleep, type Clock, type Timer } from "../ports/clock.js";
import { silentStages, type StageObserver } from "../ports/metrics.js";
import type { LogEntryInput, RoomLog, RoomSnapshot } from "../ports/room-log.js";
import type { ActionRequest, Actor, BehaviorOutcome, Decided, EffectRunner, Refusal, RoomBehavior } from "./room-behavior.js";
import { systemActor } from "./room-behavior.js";
import { silentFaults, type RoomFaults } from "./room-faults.js";
import { behaviorSnapshotOf, decodeEnvelope, encodeSnapshot } from "./snapshot-envelope.js";

export type { EffectRunner } from "./room-behavior.js";

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
  /** How long the first of a group of judged actions waits for companions before the group is written. */
  readonly roomWriteBatchWaitMs?: number;
}

type ActionRequestOf = Extract<HostRequest, { type: "action" }>;
/** A request in the queue; an action carries what its `prepare` effect answered. */
type QueuedRequest = Exclude<HostRequest, { type: "action" }> | (ActionRequestOf & { readonly prepared?: unknown });

interface StagedItem {
  readonly events: readonly LogEntryInput[];
  /** When it was staged (performance.now()), for the `batch` stage; absent for a duplicate's answer. */
  readonly stagedAt?: number;
  readonly scoped?: string;
  readonly fingerprint?: string;
  readonly result?: unknown;
  readonly resolve: (reply: HostReply) => void;
}

/** Actions applied in memory, not yet written: their state, their events in order, their callers. */
interface Staged<S> {
  state: S;
  readonly items: StagedItem[];
  readonly scoped: Set<string>;
  barrier: boolean;
  readonly since: number;
}

/**
 * An action this owner applied: where, what it answered, and what it was (to tell a resend from a
 * different action under the same id). Ids rebuilt from the log after a failover carry the offset only.
 */
interface Remembered {
  readonly offset: number;
  readonly result?: unknown;
  readonly fingerprint?: string;
}

/** The action as canonical JSON (keys sorted), so the same action always compares equal. */
function fingerprintOf(action: unknown): string {
  return JSON.stringify(action, (_key, value: unknown) =>
    value !== null && typeof value === "object" && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : typeof value === "bigint"
        ? value.toString()
        : value,
  );
}

/** Duplicates of a room's latest this-many actions are answered with their original result. */
const resultsRememberedMax = 256;

/** Most actions written in one append; beyond this the batch is written and a new one starts. */
const stagedActionsMax = 512;

/**
 * The single owner of one room on this node: it applies requests strictly one at a time, writes
 * their events and the new snapshot to the log under its fencing token, and answers each caller
 * after the write. If the log refuses the fence, another node owns the room now: this host stops.
 */
export class RoomHost<S = unknown> {
  private readonly pending: Array<{ readonly request: QueuedRequest; readonly resolve: (reply: HostReply) => void; readonly since: number }> = [];
  private draining = false;
  private staged: Staged<S> | null = null;
  private queued = 0;
  private preparing = 0;
  private stopped = false;
  private readonly actionOffsets = new Map<string, Remembered>();
  /** The remembered actions that still hold their result, oldest first. */
  private readonly withResults: string[] = [];
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
    private readonly stages: StageObserver,
    private readonly faults: RoomFaults,
  ) {}

  /** Takes over a room: restores its snapshot and the action ids still in its history. */
  static async open<S>(
    room: string,
    fence: number,
    behavior: RoomBehavior<S>,
    log: RoomLog,
    clock: Clock,
    limits: HostLimits,
    onFenced: () => void,
    effects: EffectRunner,
    stages: StageObserver = silentStages,
    faults: RoomFaults = silentFaults,
  ): Promise<RoomHost<S>> {
    const stored = await log.snapshot(room);
    const state = RoomHost.stateOf(behavior, room, stored.snapshot);
    const host = new RoomHost(room, fence, behavior, state, log, clock, limits, onFenced, effects, stages, faults);
    await host.adopt(stored, 0);
    // A deadline already due (a failover catching up, a new room committing its seeds) is queued
    // before any request can be, so the first action sees the state that tick leaves.
    const deadline = behavior.deadline?.(state) ?? null;
    if (deadline !== null && deadline <= clock.nowMs()) void host.submit({ type: "tick" });
    else host.schedule();
    return host;
  }

  /** The state a stored snapshot holds; the behavior's initial state for a room never written. */
  private static stateOf<S>(behavior: RoomBehavior<S>, room: string, snapshot: RoomSnapshot | null): S {
    const stored = behaviorSnapshotOf(snapshot);
    return stored === null ? behavior.initial(room) : behavior.restore(stored);
  }

  /**
   * Takes the log's head, mutes and barrier as this host's, and remembers the action ids written after
   * `after` (as many as the log keeps). Changes nothing unless every read succeeds.
   */
  private async adopt(stored: { readonly offset: number; readonly snapshot: RoomSnapshot | null }, after: number): Promise<void> {
    const written: Array<{ readonly actionId: string; readonly offset: number }> = [];
    let from = Math.max(after, stored.offset - this.limits.roomLogEntriesMax);
    for (let page = 0; page * 1000 < this.limits.roomLogEntriesMax; page++) {
      const range = await this.log.read(this.room, from, 1000);
      for (const entry of range.entries) if (entry.actionId !== undefined) written.push({ actionId: entry.actionId, offset: entry.offset });
      if (range.entries.length < 1000) break;
      from = range.entries.at(-1)?.offset ?? from;
    }
    const envelope = decodeEnvelope(stored.snapshot);
    this.head = stored.offset;
    this.muted = new Set(envelope?.muted ?? []);
    this.barrierOffset = envelope?.barrierOffset ?? 0;
    for (const { actionId, offset } of written) this.remember(actionId, { offset });
  }

  /**
   * An append that threw (Redis timed out, or the connection dropped after the script ran) may or may
   * not have been written. Before serving anything else the host rereads the room from the log, so
   * it neither writes a snapshot without those entries nor applies again an action they hold.
   */
  private unsure = false;

  /** Rereads the room when an append may have been written unseen; a tick that cannot (the log is down) is tried again shortly. */
  private async resyncIfUnsure(request: HostRequest["type"]): Promise<void> {
    if (!this.unsure) return;
    try {
      const stored = await this.log.snapshot(this.room);
      const state = RoomHost.stateOf(this.behavior, this.room, stored.snapshot);
      await this.adopt(stored, this.head);
      this.state = state;
      this.unsure = false;
      this.schedule();
    } catch (error) {
      if (request === "tick") this.retryTick();
      throw error;
    }
  }

  private timer: Timer | null = null;

  private retryTick(): void {
    this.timer?.cancel();
    if (this.stopped) return;
    this.timer = this.clock.after(tickRetryMs, () => void this.submit({ type: "tick" }));
  }

  /** Arms the timer for the behavior's next deadline (a past deadline fires at once: a failover catches up). */
  private schedule(): void {
    this.timer?.cancel();
    this.timer = null;
    const deadline = this.behavior.deadline?.(this.state) ?? null;
    if (deadline === null || this.stopped) return;
    this.timer = this.clock.after(deadline - this.clock.nowMs(), () => void this.submit({ type: "tick" }));
  }

  get fenceToken(): number {
    return this.fence;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  submit(request: HostRequest): Promise<HostReply> {
    if (this.stopped) return Promise.resolve({ ok: false, error: "ROOM_UNAVAILABLE" });
    // A client's input error, refused before it can reach a store that would throw on it.
    if (request.type === "action" && request.actionId.includes("\u0000"))
      return Promise.resolve({ ok: false, error: "REQUEST_INVALID", details: ["/actionId must not contain a NUL character"] });
    if (this.queued + this.preparing >= this.limits.roomActionQueueMax)
      return Promise.resolve({ ok: false, error: "ROOM_UNAVAILABLE", details: ["room action queue full"] });
    if (request.type === "action" && this.behavior.checkAction !== undefined) {
      const checked = this.behavior.checkAction(request.action);
      if (!checked.ok) return Promise.resolve({ ok: false, error: checked.error, details: checked.details });
    }
    if (request.type === "action" && this.behavior.prepare !== undefined) return this.prepareThenEnqueue(request);
    return this.enqueue(request);
  }

  /**
   * Runs an action's `prepare` effect outside the queue (concurrently with other players'), then
   * queues the action with its result. A duplicate already applied is answered without preparing.
   */
  private async prepareThenEnqueue(request: ActionRequestOf): Promise<HostReply> {
    const repeated = this.repeated(`${request.actor.userId}:${request.actionId}`, request.action);
    if (repeated !== null) return repeated;
    const prepare = this.behavior.prepare?.(this.state, request.action, request.actor, { ...this.context(), actionId: request.actionId }) ?? null;
    if (prepare === null) return this.enqueue(request);
    if (!prepare.ok) return { ok: false, error: prepare.error, ...(prepare.details ? { details: prepare.details } : {}) };
    this.preparing++;
    let prepared: unknown;
    const started = performance.now();
    try {
      prepared = await this.effects(this.room, prepare.effect);
      this.stages("prepare", performance.now() - started);
    } catch (error) {
      // The effect may or may not have happened: it is keyed, and the behavior sweeps what it leaves.
      return this.failure("prepare", error);
    } finally {
      this.preparing--;
    }
    return this.enqueue({ ...request, prepared });
  }

  private enqueue(request: QueuedRequest): Promise<HostReply> {
    if (this.stopped) return Promise.resolve({ ok: false, error: "ROOM_UNAVAILABLE" });
    this.queued++;
    return new Promise((resolve) => {
      this.pending.push({ request, resolve, since: performance.now() });
      background(this.drain(), "rooms.drain");
    });
  }

  /**
   * Handles queued requests strictly in order. Actions whose outcome needs no effect are staged and
   * written together (one append, one snapshot) when the queue runs dry or the batch is full; an
   * action that needs an effect, and every other request, first writes what is staged, so effects
   * always see durable state. Each caller is answered after the write that holds its events.
   */
  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (;;) {
        const item = this.pending.shift();
        if (item === undefined) {
          // Wait for companions only while some are being prepared; otherwise nothing is coming.
          const wait = this.staged === null || this.preparing === 0 ? 0 : this.staged.since + (this.limits.roomWriteBatchWaitMs ?? 0) - this.clock.nowMs();
          if (wait > 0) {
            await sleep(this.clock, wait);
            continue;
          }
          await this.flush();
          if (this.pending.length === 0) break;
          continue;
        }
        this.queued--;
        if (this.stopped) {
          item.resolve({ ok: false, error: "ROOM_UNAVAILABLE" });
          continue;
        }
        try {
          await this.resyncIfUnsure(item.request.type);
          if (item.request.type === "action") {
            this.stages("queue", performance.now() - item.since);
            await this.action(item.request, item.resolve);
            if ((this.staged?.items.length ?? 0) >= stagedActionsMax) await this.flush();
          } else {
            await this.flush();
            await this.resyncIfUnsure(item.request.type);
            item.resolve(await this.handle(item.request));
          }
        } catch (error) {
          item.resolve(this.failure(item.request.type, error));
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private async handle(request: Exclude<HostRequest, { type: "action" }>): Promise<HostReply> {
    switch (request.type) {
      case "chat":
        return this.chat(request.actor, request.text);
      case "moderate":
        return this.moderate(request.actor, request.op, request.userId);
      case "publish":
        return this.write(request.events, this.state);
      case "tick":
        return this.tick();
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
    } catch (error) {
      // An effect or the log write failed (the database, the ledger or Redis is unavailable, or a bug).
      // The state is unchanged and every effect is keyed, so the same step is simply tried again
      // shortly, rather than leaving the room without a timer.
      this.retryTick();
      return this.failure("tick", error);
    }
  }

  /** What an exception becomes (src/app/ports/failures.ts): a retryable outage, or a bug answered INTERNAL, logged and counted. */
  private failure(where: string, error: unknown): HostReply {
    if (isServiceUnavailable(error)) {
      this.faults.unavailable(this.room, where, error);
      return { ok: false, error: "SERVICE_UNAVAILABLE" };
    }
    this.faults.internal(this.room, where, error);
    return { ok: false, error: "INTERNAL" };
  }

  private context() {
    return { nowMs: this.clock.nowMs(), revealLeadMs: this.limits.revealLeadMs };
  }

  /** Runs effects until the behavior decides; bounded so a behavior bug cannot loop forever. */
  private async settleEffects(first: BehaviorOutcome<S>): Promise<Decided<S> | Refusal> {
    let outcome = first;
    for (let i = 0; "effect" in outcome; i++) {
      if (i >= effectsPerRequestMax) throw new Error(`room ${this.room}: more than ${effectsPerRequestMax} effects for one request`);
      outcome = outcome.resume(await this.effects(this.room, outcome.effect));
    }
    return outcome;
  }

  /** The state actions are judged against: the last written one plus whatever is staged. */
  private get current(): S {
    return this.staged === null ? this.state : this.staged.state;
  }

  private async action(request: QueuedRequest & { type: "action" }, resolve: (reply: HostReply) => void): Promise<void> {
    // Action ids are the client's: they are unique per player, not per room.
    const scoped = `${request.actor.userId}:${request.actionId}`;
    const repeated = this.repeated(scoped, request.action);
    if (repeated !== null) {
      resolve(repeated);
      return;
    }
    if (this.staged?.scoped.has(scoped) === true) {
      // The same id twice in one batch: answer the second once the first is written (and remembered).
      this.staged.items.push({
        events: [],
        resolve: (reply) => resolve(reply.ok ? (this.repeated(scoped, request.action) ?? { ok: true, status: "duplicate", offset: reply.offset }) : reply),
      });
      return;
    }
    if (request.lastOffset > this.head) {
      resolve(await this.offsetAhead());
      return;
    }
    if (request.lastOffset < this.barrierOffset) {
      resolve({ ok: false, error: "ACTION_STALE", details: [`state changed at offset ${this.barrierOffset}`] });
      return;
    }
    const ctx = { ...this.context(), actionId: request.actionId, ...("prepared" in request ? { prepared: request.prepared } : {}) };
    const basis = this.current;
    let decided = this.behavior.apply(basis, request.action, request.actor, ctx);
    if ("effect" in decided) {
      // Effects run against durable state only: write what is staged first.
      await this.flush();
      await this.resyncIfUnsure("action");
      if (this.stopped) {
        resolve({ ok: false, error: "ROOM_UNAVAILABLE", details: ["room ownership moved; retry"] });
        return;
      }
      const started = performance.now();
      decided = await this.settleEffects(basis === this.state ? decided : this.behavior.apply(this.state, request.action, request.actor, ctx));
      this.stages("effects", performance.now() - started);
    }
    if (!decided.ok) {
      resolve({ ok: false, error: decided.error, ...(decided.details ? { details: decided.details } : {}) });
      return;
    }
    const events = decided.events.map((e, i) => (i === 0 ? { ...e, actionId: scoped } : e));
    const staged = this.staged ?? { state: this.state, items: [], scoped: new Set<string>(), barrier: false, since: this.clock.nowMs() };
    this.staged = staged;
    staged.state = decided.state;
    staged.scoped.add(scoped);
    staged.items.push({ events, scoped, fingerprint: fingerprintOf(request.action), result: decided.result, resolve, stagedAt: performance.now() });
    if (decided.barrier === true) {
      staged.barrier = true;
      await this.flush();
    }
  }

  /** Writes the staged actions' events and the resulting snapshot in one append, then answers each. */
  private async flush(): Promise<void> {
    const staged = this.staged;
    if (staged === null) return;
    this.staged = null;
    const base = this.head;
    let reply: HostReply;
    const started = performance.now();
    for (const item of staged.items) if (item.stagedAt !== undefined) this.stages("batch", started - item.stagedAt);
    try {
      reply = await this.write(
        staged.items.flatMap((item) => item.events),
        staged.state,
        staged.barrier,
      );
    } catch (error) {
      reply = this.failure("append", error);
    }
    const appendMs = performance.now() - started;
    for (const item of staged.items) if (item.stagedAt !== undefined) this.stages("append", appendMs);
    let offset = base;
    for (const item of staged.items) {
      if (!reply.ok) {
        item.resolve(reply);
        continue;
      }
      offset += item.events.length;
      if (item.scoped !== undefined)
        this.remember(item.scoped, {
          offset,
          ...(item.result === undefined ? {} : { result: item.result }),
          ...(item.fingerprint === undefined ? {} : { fingerprint: item.fingerprint }),
        });
      item.resolve({ ok: true, status: "applied", offset, ...(item.result === undefined ? {} : { result: item.result }) });
    }
  }

  private async chat(actor: Actor, text: string): Promise<HostReply> {
    if (Array.from(text).length > this.limits.chatCharsMax) return { ok: false, error: "CHAT_TOO_LONG" };
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
    const snapshot = encodeSnapshot(this.behavior.snapshot(next), {
      muted: this.muted,
      barrierOffset: barrier ? this.head + events.length : this.barrierOffset,
    });
    let appended;
    try {
      appended = await this.log.append(this.room, this.fence, events, snapshot, this.clock.nowMs());
    } catch (error) {
      this.unsure = true;
      throw error;
    }
    if (!appended.ok) return this.superseded();
    this.state = next;
    this.head = appended.entries.at(-1)?.offset ?? this.head;
    if (barrier) this.barrierOffset = this.head;
    this.schedule();
    return { ok: true, status: "applied", offset: this.head, ...(result === undefined ? {} : { result }) };
  }

  /** Another node owns the room now: this host stops, and the caller retries (with the new owner). */
  private superseded(): HostReply {
    this.faults.lost(this.room, "fence");
    this.stop();
    this.onFenced();
    return { ok: false, error: "ROOM_UNAVAILABLE", details: ["room ownership moved; retry"] };
  }

  /**
   * An action based on an offset past this owner's head: the client names an offset never sent, or
   * another node wrote past this one (it took the room over while this one was paused or cut off, and
   * the client saw its entries). The log tells which: a client is not told its valid offset "was never
   * sent" by an owner that has not yet noticed it was replaced.
   */
  private async offsetAhead(): Promise<HostReply> {
    if ((await this.log.head(this.room)).offset > this.head) return this.superseded();
    return { ok: false, error: "ACTION_OFFSET_INVALID", details: [`room is at offset ${this.head}`] };
  }

  /**
   * The answer to an action id this owner has applied already: the original result again
   * (`duplicate`), or `ACTION_ID_CONFLICT` when the id now comes with a different action. Null for a new id.
   */
  private repeated(scoped: string, action: unknown): HostReply | null {
    const previous = this.actionOffsets.get(scoped);
    if (previous === undefined) return null;
    if (previous.fingerprint !== undefined && previous.fingerprint !== fingerprintOf(action)) {
      return { ok: false, error: "ACTION_ID_CONFLICT", details: ["this actionId was used for a different action; use a new actionId per intended action"] };
    }
    return { ok: true, status: "duplicate", offset: previous.offset, ...(previous.result === undefined ? {} : { result: previous.result }) };
  }

  private remember(actionId: string, remembered: Remembered): void {
    this.actionOffsets.set(actionId, remembered);
    if (this.actionOffsets.size > this.limits.actionIdsRememberedMax) this.actionOffsets.delete(this.actionOffsets.keys().next().value as string);
    if (remembered.result === undefined) return;
    // Results are kept for the latest actions only: a slot player's ten thousand spin results would
    // hold megabytes per room. An older duplicate is still recognised, and answered without its result.
    this.withResults.push(actionId);
    if (this.withResults.length > resultsRememberedMax) {
      const oldest = this.withResults.shift() as string;
      const entry = this.actionOffsets.get(oldest);
      if (entry?.result !== undefined)
        this.actionOffsets.set(oldest, { offset: entry.offset, ...(entry.fingerprint === undefined ? {} : { fingerprint: entry.fingerprint }) });
    }
  }
}
