/**
 * The audit log of what operators and dealers did (docs/SECURITY.md). Append-only: the port has no
 * way to change or remove an entry, and the SQL table refuses UPDATE and DELETE with a trigger.
 */
export interface AuditEntry {
  readonly atMs: number;
  /** The user id of who acted ("cli" for an administrator's command on the host). */
  readonly actorId: string;
  readonly actorRoles: readonly string[];
  /** What: `table.limits`, `round.void`, `chat.mute`, `withdrawal.approve`, `user.create` ... */
  readonly action: string;
  /** On what: a room, a withdrawal id, a user id. */
  readonly target: string;
  readonly reason: string | null;
  /** The action's parameters (new limits, the moderated user), as sent. */
  readonly detail: Readonly<Record<string, unknown>>;
  /** `applied`, `duplicate`, or the registry error name that refused it. */
  readonly outcome: string;
  /** From where: the client's address and the request id of the call (HTTP) or frame (WebSocket). */
  readonly clientAddress: string | null;
  readonly requestId: string | null;
}

export interface AuditRecord extends AuditEntry {
  readonly seq: bigint;
}

export interface AuditQuery {
  /** Entries with a sequence number below this (the previous page's cursor); newest first. */
  readonly beforeSeq?: bigint;
  readonly limit: number;
  readonly actorId?: string;
  readonly action?: string;
  readonly target?: string;
}

export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  list(query: AuditQuery): Promise<AuditRecord[]>;
}
