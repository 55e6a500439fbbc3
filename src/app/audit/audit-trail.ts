import type { AuditEntry, AuditLog, AuditQuery, AuditRecord } from "../ports/audit-log.js";
import type { Clock } from "../ports/clock.js";

/**
 * Room actions that are operator or dealer controls (docs/GAMES.md): table controls everywhere, and
 * what a live dealer does to a round. A dealer's `heartbeat` only says the dealer is there, and
 * `tick` is the server's own: neither is audited.
 */
const auditedRoomActions: ReadonlySet<string> = new Set(["table.close", "table.open", "table.limits", "round.void", "void", "open", "close", "result", "cue"]);

export function isStaff(roles: readonly string[]): boolean {
  return roles.includes("operator") || roles.includes("dealer");
}

/** Whether a room action by `roles` goes to the audit log. */
export function isAuditedRoomAction(kind: string, roles: readonly string[]): boolean {
  return isStaff(roles) && auditedRoomActions.has(kind);
}

/** An action's parameters for the log: everything but its kind and reason, which have columns of their own. */
export function detailOf(action: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { kind: _kind, reason: _reason, ...rest } = action;
  return rest;
}

const reasonCharsMax = 500;
const pageEntriesMax = 200;

/**
 * Writes the audit log. The action has already happened when it is recorded (with its outcome), so
 * a failed write must not turn a done action into an error for the caller: it is logged loudly with
 * the whole entry instead (the log line is the entry's second home) and counted by the caller's logger.
 */
export class AuditTrail {
  constructor(
    private readonly log: AuditLog,
    private readonly clock: Clock,
    private readonly onWriteError: (error: unknown, entry: AuditEntry) => void,
  ) {}

  async record(entry: Omit<AuditEntry, "atMs">): Promise<void> {
    const full: AuditEntry = { ...entry, reason: entry.reason === null ? null : entry.reason.slice(0, reasonCharsMax), atMs: this.clock.nowMs() };
    try {
      await this.log.append(full);
    } catch (error) {
      this.onWriteError(error, full);
    }
  }

  /** A page, newest first, and the cursor of the next (older) page. */
  async page(query: AuditQuery): Promise<{ entries: AuditRecord[]; nextCursor: bigint | null }> {
    const limit = Math.max(1, Math.min(pageEntriesMax, Math.trunc(query.limit)));
    const rows = await this.log.list({ ...query, limit: limit + 1 });
    const entries = rows.slice(0, limit);
    return { entries, nextCursor: rows.length > limit ? (entries.at(-1)?.seq ?? null) : null };
  }
}
