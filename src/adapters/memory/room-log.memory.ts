import type {
  AppendOutcome,
  LiveHandler,
  LogEntry,
  LogEntryInput,
  LogRange,
  RoomHead,
  RoomLog,
  RoomLogLimits,
  RoomSnapshot,
} from "../../app/ports/room-log.js";
import type { MemoryRoomLease } from "./room-lease.memory.js";

interface RoomState {
  readonly epoch: string;
  head: number;
  entries: LogEntry[];
  snapshot: RoomSnapshot | null;
  readonly handlers: Set<LiveHandler>;
}

/**
 * The room log of one embedded process. History is bounded by entries and by age, like the Redis
 * log; the epoch is new for every process, since nothing survives a restart.
 */
export class MemoryRoomLog implements RoomLog {
  private readonly rooms = new Map<string, RoomState>();
  private epochCounter = 0;

  constructor(
    private readonly leases: MemoryRoomLease,
    private readonly limits: RoomLogLimits,
    private readonly epochPrefix: string,
  ) {}

  private room(room: string): RoomState {
    let state = this.rooms.get(room);
    if (state === undefined) {
      state = { epoch: `${this.epochPrefix}-${++this.epochCounter}`, head: 0, entries: [], snapshot: null, handlers: new Set() };
      this.rooms.set(room, state);
    }
    return state;
  }

  async head(room: string): Promise<RoomHead> {
    const state = this.room(room);
    return { epoch: state.epoch, offset: state.head };
  }

  async append(room: string, fence: number, inputs: readonly LogEntryInput[], snapshot: RoomSnapshot, nowMs: number): Promise<AppendOutcome> {
    // Fences start at 1: 0 is what a room never leased has, and no writer may hold it.
    if (fence < 1 || fence !== this.leases.currentFence(room)) return { ok: false, reason: "fenced" };
    const state = this.room(room);
    const entries = inputs.map((input) => ({ ...input, offset: ++state.head, ts: nowMs }));
    state.entries.push(...entries);
    this.trim(state, nowMs);
    state.snapshot = snapshot;
    for (const entry of entries) for (const handler of state.handlers) handler(state.epoch, entry);
    return { ok: true, epoch: state.epoch, entries };
  }

  async read(room: string, afterOffset: number, limit: number): Promise<LogRange> {
    const state = this.room(room);
    const oldestOffset = state.entries[0]?.offset ?? state.head + 1;
    const start = Math.max(0, afterOffset + 1 - oldestOffset);
    return { epoch: state.epoch, entries: state.entries.slice(start, start + limit), oldestOffset };
  }

  async snapshot(room: string) {
    const state = this.room(room);
    return { epoch: state.epoch, offset: state.head, snapshot: state.snapshot };
  }

  async subscribe(room: string, handler: LiveHandler): Promise<() => Promise<void>> {
    const state = this.room(room);
    const entry: LiveHandler = (epoch, e) => handler(epoch, e);
    state.handlers.add(entry);
    return async () => {
      state.handlers.delete(entry);
    };
  }

  async close(): Promise<void> {
    this.rooms.clear();
  }

  private trim(state: RoomState, nowMs: number): void {
    const excess = state.entries.length - this.limits.roomLogEntriesMax;
    let drop = Math.max(0, excess);
    while (drop < state.entries.length && (state.entries[drop] as LogEntry).ts < nowMs - this.limits.roomLogAgeMsMax) drop++;
    // Keep the newest entry even when old: it marks where the history ends.
    drop = Math.min(drop, state.entries.length - 1);
    if (drop > 0) state.entries = state.entries.slice(drop);
  }
}
