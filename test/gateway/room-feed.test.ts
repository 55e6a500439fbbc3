// The gateway's feed of a room never passes on an entry whose epoch is not the room's: a foreign entry
// (another writer on the same keys) is dropped; a real restart of the log resets every member first.
import { describe, expect, it } from "vitest";
import type { LiveHandler, LogEntry, LogRange, RoomHead, RoomLog, RoomSnapshot } from "../../src/app/ports/room-log.js";
import type { Connection } from "../../src/gateway/ws/ws-connection.js";
import { RoomFeed } from "../../src/gateway/ws/room-feed.js";

/** A room log the test drives: entries appear live through `push`; `restart` loses the history. */
class ScriptedLog implements RoomLog {
  epoch = "A";
  entries: LogEntry[] = [];
  snap: RoomSnapshot | null = null;
  /** The snapshot's offset: it may lag the head, the entries after it are read from the log. */
  snapOffset = 0;
  readonly handlers = new Set<LiveHandler>();
  push(kind: string, epoch = this.epoch): LogEntry {
    const entry = { offset: epoch === this.epoch ? this.entries.length + 1 : 69, ts: 1, kind, data: { kind } };
    if (epoch === this.epoch) this.entries.push(entry);
    for (const h of this.handlers) h(epoch, entry);
    return entry;
  }
  restart(epoch: string, snapshotEntries: number): void {
    this.epoch = epoch;
    this.entries = Array.from({ length: snapshotEntries }, (_, i) => ({ offset: i + 1, ts: 1, kind: "old" }));
    this.snap = { public: { state: { at: snapshotEntries } } };
    this.snapOffset = snapshotEntries;
  }
  async head(): Promise<RoomHead> {
    return { epoch: this.epoch, offset: this.entries.length };
  }
  async append(): Promise<never> {
    throw new Error("not used");
  }
  async read(_room: string, after: number, limit: number): Promise<LogRange> {
    return { epoch: this.epoch, entries: this.entries.filter((e) => e.offset > after).slice(0, limit), oldestOffset: 1 };
  }
  async snapshot() {
    return { epoch: this.epoch, offset: this.snapOffset, snapshot: this.snap };
  }
  async subscribe(_room: string, handler: LiveHandler) {
    this.handlers.add(handler);
    return async () => {
      this.handlers.delete(handler);
    };
  }
  async close(): Promise<void> {}
}

/** What one member's socket received, frames decoded. */
function member(userId: string): { connection: Connection; received: Array<Record<string, unknown>> } {
  const received: Array<Record<string, unknown>> = [];
  const decode = (frame: Buffer) => JSON.parse(frame.subarray(frame[1] === 126 ? 4 : frame[1] === 127 ? 10 : 2).toString("utf8")) as Record<string, unknown>;
  const connection = {
    userId,
    id: `c-${userId}`,
    rooms: new Set<string>(),
    send: (message: unknown) => received.push(message as Record<string, unknown>),
    sendRaw: (bytes: Buffer) => received.push(JSON.parse(bytes.toString("utf8")) as Record<string, unknown>),
    sendFrame: (frame: Buffer) => received.push(decode(frame)),
    // The socket's own batching: what it receives is the same, written later in the tick.
    coalesce: () => undefined,
  } as unknown as Connection;
  return { connection, received };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe("RoomFeed and epochs", () => {
  it("drops a live entry of a foreign epoch and keeps delivering the room's own", async () => {
    const log = new ScriptedLog();
    const outcomes: string[] = [];
    const feed = new RoomFeed(
      "roulette:1",
      log,
      { edgeBufferEntriesMax: 100, presenceMembersMax: 10 },
      () => undefined,
      (_f, outcome) => outcomes.push(outcome),
    );
    await feed.start();
    const a = member("u1");
    await feed.addMember(a.connection, 0);
    log.push("round.opened");
    log.push("round.opened", "B"); // another deployment's entry on the same channel
    await settle();
    log.push("round.closed");
    await settle();
    expect(a.received.map((m) => [m.type, m.epoch, m.offset, m.kind])).toEqual([
      ["event", "A", 1, "round.opened"],
      ["event", "A", 2, "round.closed"],
    ]);
    expect(outcomes).toEqual(["foreign"]);
    expect(feed.epoch).toBe("A");
  });

  it("resets every member before any entry of a new epoch, and continues from the snapshot's offset", async () => {
    const log = new ScriptedLog();
    const outcomes: string[] = [];
    const feed = new RoomFeed(
      "roulette:1",
      log,
      { edgeBufferEntriesMax: 100, presenceMembersMax: 10 },
      () => undefined,
      (_f, outcome) => outcomes.push(outcome),
    );
    await feed.start();
    const a = member("u1");
    await feed.addMember(a.connection, 0);
    for (let i = 0; i < 100; i++) log.push("note"); // this member has seen offset 100 of epoch A
    a.received.length = 0;
    log.restart("B", 68);
    log.push("round.opened"); // offset 69 of B: lower than what the member saw of A
    log.push("round.closed");
    await settle();
    log.push("round.result");
    await settle();
    expect(a.received.map((m) => [m.type, m.epoch, m.offset])).toEqual([
      ["reset", "B", 68],
      ["event", "B", 69],
      ["event", "B", 70],
      ["event", "B", 71],
    ]);
    expect(a.received[0]).toMatchObject({ snapshot: { state: { at: 68 } } });
    expect(a.received.every((m) => m.epoch === "B")).toBe(true);
    expect(outcomes).toEqual(["reset"]);
  });
});
