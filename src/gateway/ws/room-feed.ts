import { background } from "../../app/background.js";
import type { LogEntry, RoomLog } from "../../app/ports/room-log.js";
import { viewOf } from "../../app/rooms/snapshot-envelope.js";
import type { PresenceInfo } from "../../protocol/ws.messages.js";
import type { Connection } from "./ws-connection.js";
import { textFrame } from "./text-frame.js";

export interface FeedLimits {
  readonly edgeBufferEntriesMax: number;
  readonly presenceMembersMax: number;
}

interface Member {
  delivered: number;
  catchingUp: boolean;
}

/**
 * An entry encoded once for everyone it is public to: the JSON framed as a WebSocket text frame,
 * built when the first member needs it (a private entry's recipient is sent its own frame).
 */
class Encoded {
  private frame: Buffer | null = null;

  constructor(
    private readonly room: string,
    private readonly epoch: string,
    readonly entry: LogEntry,
  ) {}

  get publicFrame(): Buffer {
    this.frame ??= publicFrameOf(this.room, this.epoch, this.entry);
    return this.frame;
  }
}

/** Members of a room up to which its entries leave a member's socket with whatever else it is sent in the same tick. */
const coalescingMembersMax = 16;

const readPageEntries = 500;

/**
 * This node's view of one room: the live subscription to its log, a bounded edge buffer of recent
 * entries (replays are served from it when they can be), and the local members. Entries are passed
 * on strictly in offset order with no gap: a hole in the live stream is filled from the log first.
 * Each entry is encoded once; every member gets the same bytes (or the redacted placeholder).
 */
export class RoomFeed {
  epoch = "";
  lastOffset = 0;
  private ring: Encoded[] = [];
  readonly members = new Map<Connection, Member>();
  private unsubscribe: (() => Promise<void>) | null = null;
  private ready: Promise<void> | null = null;
  private early: Array<{ epoch: string; entry: LogEntry }> | null = [];
  private filling: Promise<void> | null = null;
  private resyncing: Promise<void> | null = null;
  presence: PresenceInfo = { count: 0 };
  /** Set by the gateway when the feed had no members at one heartbeat; it is dropped at the next. */
  idleOnce = false;

  constructor(
    readonly room: string,
    private readonly log: RoomLog,
    private readonly limits: FeedLimits,
    /** After each live entry is handed to every member, with how long that took (seconds). */
    private readonly onEntry: (feed: RoomFeed, entry: LogEntry, fanoutSeconds: number) => void,
    /**
     * A live entry of another epoch than the feed's arrived and was not passed on: `reset` when the
     * room's log really restarted in `epoch` (every member was sent a `reset`), `foreign` when the
     * log is still at the feed's epoch (another writer on the same keys) and the entry was dropped.
     */
    private readonly onEpoch: (feed: RoomFeed, outcome: "reset" | "foreign", epoch: string) => void,
  ) {}

  start(): Promise<void> {
    this.ready ??= (async () => {
      // Subscribe first, then read the head: nothing appended in between can be missed.
      this.unsubscribe = await this.log.subscribe(this.room, (epoch, entry) => this.live(epoch, entry));
      const head = await this.log.head(this.room);
      this.epoch = head.epoch;
      this.lastOffset = head.offset;
      const early = this.early ?? [];
      this.early = null;
      for (const { epoch, entry } of early) this.live(epoch, entry);
    })();
    return this.ready;
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.();
  }

  get oldestBuffered(): number {
    return this.ring[0]?.entry.offset ?? this.lastOffset + 1;
  }

  private live(epoch: string, entry: LogEntry): void {
    if (this.early !== null) {
      this.early.push({ epoch, entry });
      return;
    }
    if (epoch !== this.epoch) {
      // Never passed on as it came: an entry whose epoch is not the room's must not reach a client.
      // The log itself says which epoch is the room's; members are reset if it changed.
      background(this.resync(epoch), "ws.feed-resync");
      return;
    }
    if (entry.offset <= this.lastOffset) return;
    if (entry.offset === this.lastOffset + 1 && this.filling === null) {
      this.accept(entry);
      return;
    }
    background(this.fill(), "ws.feed-fill");
  }

  /**
   * After an entry of epoch `seen`: reads the room's own epoch and snapshot from the log. If the log
   * restarted, every member is sent a `reset` with the snapshot (before any entry of the new epoch)
   * and continues from its offset; the entries after it are read from the log. If the log is still
   * at this feed's epoch the entry was foreign and nothing changes.
   */
  private resync(seen: string): Promise<void> {
    this.resyncing ??= (async () => {
      try {
        const stored = await this.log.snapshot(this.room);
        if (stored.epoch === this.epoch) {
          this.onEpoch(this, "foreign", seen);
          return;
        }
        this.epoch = stored.epoch;
        this.ring = [];
        this.lastOffset = stored.offset;
        // Members are taken out and added back from the snapshot's offset with no await in between,
        // so a member's count of delivered offsets never mixes two epochs.
        const members = [...this.members.keys()];
        this.members.clear();
        for (const connection of members) {
          connection.send({ type: "reset", room: this.room, epoch: stored.epoch, offset: stored.offset, snapshot: viewOf(stored.snapshot, connection.userId) });
          background(this.addMember(connection, stored.offset), "ws.feed-reset");
        }
        this.onEpoch(this, "reset", stored.epoch);
      } finally {
        this.resyncing = null;
      }
      await this.fill();
    })();
    return this.resyncing;
  }

  /** Reads whatever the live stream skipped from the log, in order. */
  private fill(): Promise<void> {
    this.filling ??= (async () => {
      try {
        for (;;) {
          const range = await this.log.read(this.room, this.lastOffset, readPageEntries);
          if (range.epoch !== this.epoch) {
            background(this.resync(range.epoch), "ws.feed-resync");
            return;
          }
          for (const entry of range.entries) if (entry.offset === this.lastOffset + 1) this.accept(entry);
          if (range.entries.length < readPageEntries) return;
        }
      } finally {
        this.filling = null;
      }
    })();
    return this.filling;
  }

  private accept(entry: LogEntry): void {
    const encoded = new Encoded(this.room, this.epoch, entry);
    this.ring.push(encoded);
    if (this.ring.length > this.limits.edgeBufferEntriesMax) this.ring.shift();
    this.lastOffset = entry.offset;
    const started = performance.now();
    // A small room's entry (a player's own machine, a card table) usually has company: the answer to
    // the action that wrote it follows in the same tick, and both leave in one write. A broadcast to
    // a big room is written at once, socket by socket.
    const coalesce = this.members.size <= coalescingMembersMax;
    for (const [connection, member] of this.members) {
      if (member.catchingUp || member.delivered >= entry.offset) continue;
      this.deliver(connection, member, encoded, coalesce);
    }
    this.onEntry(this, entry, (performance.now() - started) / 1000);
  }

  private deliver(connection: Connection, member: Member, encoded: Encoded, coalesce = false): void {
    if (coalesce) connection.coalesce();
    member.delivered = encoded.entry.offset;
    const { entry } = encoded;
    const part = entry.parts?.[connection.userId];
    if ((entry.to !== undefined && entry.to === connection.userId) || part !== undefined) {
      const data = part === undefined ? entry.data : { ...(entry.data as Record<string, unknown> | undefined), ...part };
      connection.sendFrame(
        textFrame(
          Buffer.from(
            JSON.stringify({
              type: "event",
              room: this.room,
              epoch: this.epoch,
              offset: entry.offset,
              ts: entry.ts,
              kind: entry.kind,
              data,
              private: true,
              ...(entry.revealAt ? { revealAt: entry.revealAt } : {}),
            }),
          ),
        ),
      );
    } else {
      connection.sendFrame(encoded.publicFrame);
    }
  }

  /**
   * Adds a member that has seen everything up to `from` (its resume offset, or the offset of the
   * snapshot it was sent), and sends it every entry after that, then live ones.
   */
  async addMember(connection: Connection, from: number): Promise<void> {
    this.idleOnce = false;
    const member: Member = { delivered: from, catchingUp: true };
    this.members.set(connection, member);
    try {
      while (member.delivered < this.lastOffset && this.members.has(connection)) {
        if (member.delivered + 1 >= this.oldestBuffered) {
          connection.batch(() => {
            for (const encoded of this.ring) if (encoded.entry.offset > member.delivered) this.deliver(connection, member, encoded);
          });
          continue;
        }
        const before = member.delivered;
        const range = await this.log.read(this.room, member.delivered, readPageEntries);
        if (range.epoch !== this.epoch) break;
        for (const entry of range.entries) {
          if (entry.offset === member.delivered + 1 && entry.offset <= this.lastOffset)
            this.deliver(connection, member, new Encoded(this.room, this.epoch, entry));
        }
        // The gateway checks the history before resuming; a hole found anyway must not spin here.
        if (member.delivered === before) break;
      }
    } finally {
      member.catchingUp = false;
    }
  }

  removeMember(connection: Connection): void {
    this.members.delete(connection);
  }
}

function publicFrameOf(room: string, epoch: string, entry: LogEntry): Buffer {
  const base = { type: "event", room, epoch, offset: entry.offset, ts: entry.ts };
  // A private entry is a placeholder for everyone but its recipient: offsets stay contiguous, content does not leak.
  const message =
    entry.to !== undefined
      ? { ...base, kind: "redacted" }
      : { ...base, kind: entry.kind, ...(entry.data === undefined ? {} : { data: entry.data }), ...(entry.revealAt ? { revealAt: entry.revealAt } : {}) };
  return textFrame(Buffer.from(JSON.stringify(message)));
}
