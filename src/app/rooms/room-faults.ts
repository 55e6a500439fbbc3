import type { Metrics } from "../ports/metrics.js";

/**
 * Where a room host reports what was thrown at it (src/app/ports/failures.ts has the policy): a backing
 * service that did not answer, or an unexpected exception (a bug). Either way the caller gets a code;
 * this is what operators get.
 */
export interface RoomFaults {
  unavailable(room: string, where: string, error: unknown): void;
  internal(room: string, where: string, error: unknown): void;
  /**
   * This node stopped hosting a room it held: its lease could not be renewed, or a write was fenced
   * because another node took the room over meanwhile (this one was paused or cut off past its lease).
   */
  lost(room: string, how: "lease" | "fence"): void;
}

export const silentFaults: RoomFaults = Object.freeze({ unavailable: () => undefined, internal: () => undefined, lost: () => undefined });

/** The part of a pino logger the room layer uses. */
export interface RoomLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** Logs each fault (an unexpected one with its stack, at error) and counts the unexpected ones. */
export function reportingFaults(logger: RoomLogger, metrics: Pick<Metrics, "internalError">): RoomFaults {
  return {
    unavailable: (room, where, error) => logger.warn({ room, where, err: error }, "a backing service did not answer a room; the caller may retry"),
    internal(room, where, error) {
      metrics.internalError("rooms");
      logger.error({ room, where, err: error }, "unexpected exception in a room; answered INTERNAL");
    },
    lost: (room, how) =>
      logger.warn(
        { room, how },
        how === "fence"
          ? "a write to a room this node held was fenced: another node owns it now (this one was paused or cut off past its lease); stopped hosting it"
          : "the lease of a room this node held was not renewed; stopped hosting it",
      ),
  };
}
