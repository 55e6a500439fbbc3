/**
 * The ordered log of every room: contiguous offsets from 1, an epoch that changes only when the
 * history is lost (a new epoch means "your offsets mean nothing here any more"), bounded history,
 * the room's latest snapshot, and live delivery of each appended entry. In memory when embedded,
 * Redis Streams + pub/sub in production.
 */
export interface LogEntryInput {
  readonly kind: string;
  readonly data?: unknown;
  /** Recipient user id of a private event; everyone else receives a redacted placeholder. */
  readonly to?: string;
  /**
   * Per-recipient additions to a public entry: a member whose user id is a key receives `data`
   * merged with its part (marked private); everyone else receives `data` alone. One entry then
   * tells each player their own result (their payouts of a round) without one entry per player.
   */
  readonly parts?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Server time at which clients reveal this entry (synchronized reveal). */
  readonly revealAt?: number;
  /** The action that caused this entry (on its first entry), so a new owner can rebuild idempotency from the log. */
  readonly actionId?: string;
}

export interface LogEntry extends LogEntryInput {
  readonly offset: number;
  readonly ts: number;
}

/** A room's state for clients that cannot replay: the public view, and per-user private views. */
export interface RoomSnapshot {
  readonly public: unknown;
  readonly private?: Readonly<Record<string, unknown>>;
  /** Owner-only state, never sent to clients. */
  readonly server?: unknown;
}

export interface RoomHead {
  readonly epoch: string;
  /** The last offset appended; 0 for an empty room. */
  readonly offset: number;
}

export type AppendOutcome =
  | { readonly ok: true; readonly epoch: string; readonly entries: readonly LogEntry[] }
  /** Another node holds a newer lease: this node must stop acting as the owner. */
  | { readonly ok: false; readonly reason: "fenced" };

export interface LogRange {
  readonly epoch: string;
  readonly entries: readonly LogEntry[];
  /** The oldest offset still held; a resume from before it is a reset. */
  readonly oldestOffset: number;
}

export type LiveHandler = (epoch: string, entry: LogEntry) => void;

export interface RoomLog {
  head(room: string): Promise<RoomHead>;
  /**
   * Appends atomically iff `fence` is the latest fence the room's lease issued (a stale one, one never
   * issued and 0 are refused with `fenced`, writing nothing), and stores `snapshot` as the state at the new head.
   */
  append(room: string, fence: number, entries: readonly LogEntryInput[], snapshot: RoomSnapshot, nowMs: number): Promise<AppendOutcome>;
  /** Entries with offset > `afterOffset`, at most `limit`, oldest first. */
  read(room: string, afterOffset: number, limit: number): Promise<LogRange>;
  snapshot(room: string): Promise<{ readonly epoch: string; readonly offset: number; readonly snapshot: RoomSnapshot | null }>;
  subscribe(room: string, handler: LiveHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface RoomLogLimits {
  readonly roomLogEntriesMax: number;
  readonly roomLogAgeMsMax: number;
}
