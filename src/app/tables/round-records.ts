import type { LogEntryInput } from "../ports/room-log.js";
import type { BehaviorOutcome } from "../rooms/room-behavior.js";
import type { RoundRecord, TableEffect } from "./table-effects.js";

/**
 * Writes a round record (an effect the host runs; the store upserts it by round and bet, so a step
 * repeated after a failover writes nothing new), then goes on with `next`.
 */
export function recordThen<S>(record: RoundRecord, next: () => BehaviorOutcome<S>): BehaviorOutcome<S> {
  return { ok: true, effect: { type: "round.record", record } satisfies TableEffect, resume: () => next() };
}

/**
 * Puts `events` before the events of an outcome, and sets its result, through any effects it runs
 * first (an outcome may record a round before it lands its state).
 */
export function withLeadingEvents<S>(outcome: BehaviorOutcome<S>, events: readonly LogEntryInput[], result?: unknown): BehaviorOutcome<S> {
  if (!outcome.ok) return outcome;
  if ("effect" in outcome) return { ...outcome, resume: (raw) => withLeadingEvents(outcome.resume(raw), events, result) };
  return { ...outcome, events: [...events, ...outcome.events], ...(result === undefined ? {} : { result }) };
}
