import type { LogEntryInput } from "../ports/room-log.js";
import { andThen } from "../rooms/room-behavior.js";
import type { RoundRecord, TableOutcome } from "./table-effects.js";
import { tableAsker } from "./table-kit.js";

/**
 * Writes a round record (an effect the host runs; the store upserts it by round and bet, so a step
 * repeated after a failover writes nothing new), then goes on with `next`.
 */
export function recordThen<S>(record: RoundRecord, next: () => TableOutcome<S>): TableOutcome<S> {
  return tableAsker<S>()({ type: "round.record", record }, () => next());
}

/**
 * Puts `events` before the events of an outcome, and sets its result, through any effects it runs
 * first (an outcome may record a round before it lands its state).
 */
export function withLeadingEvents<S>(outcome: TableOutcome<S>, events: readonly LogEntryInput[], result?: unknown): TableOutcome<S> {
  if (!outcome.ok) return outcome;
  if ("effect" in outcome) return andThen(outcome, (next) => withLeadingEvents(next, events, result));
  return { ...outcome, events: [...events, ...outcome.events], ...(result === undefined ? {} : { result }) };
}
