import type { RoomEventMessage } from "../protocol/ws.messages.js";

export type Accepted = "queued" | "duplicate" | "gap" | "other-epoch" | "not-joined";

/**
 * What the client knows of one room: the epoch and the last offset it received (what it resumes
 * from), and the events received but not yet handed to the application. Events are handed over in
 * offset order; one carrying `revealAt` is held until that server time, and the events after it
 * wait behind it, so the application never sees a later offset before an earlier one.
 */
export class RoomTracker {
  epoch: string | null = null;
  /** Last offset received (queued or delivered): the resume point. */
  lastSeen = 0;
  /** True between a join frame being sent and its `joined` reply; live events are ignored meanwhile. */
  joining = true;
  private readonly queue: RoomEventMessage[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly room: string,
    private readonly serverNow: () => number,
    private readonly deliver: (event: RoomEventMessage) => void,
  ) {}

  get pending(): number {
    return this.queue.length;
  }

  /** The `resume` of a join frame, when there is something to resume. */
  get resume(): { epoch: string; offset: number } | undefined {
    return this.epoch === null ? undefined : { epoch: this.epoch, offset: this.lastSeen };
  }

  /** A `joined` reply or an unsolicited `reset`: the stream continues after `offset` in `epoch`. */
  restart(epoch: string, offset: number, discardPending: boolean): void {
    if (discardPending) this.clear();
    this.epoch = epoch;
    this.lastSeen = offset;
    this.joining = false;
  }

  accept(event: RoomEventMessage): Accepted {
    if (this.joining) return "not-joined";
    if (event.epoch !== this.epoch) return "other-epoch";
    if (event.offset <= this.lastSeen) return "duplicate";
    if (event.offset !== this.lastSeen + 1) return "gap";
    this.lastSeen = event.offset;
    this.queue.push(event);
    if (this.queue.length === 1) this.pump();
    return "queued";
  }

  /** Hands over every due event at the head of the queue; arms a timer for the first one not yet due. */
  private pump(): void {
    this.timer = null;
    for (;;) {
      const head = this.queue[0];
      if (head === undefined) return;
      if (head.revealAt !== undefined) {
        const waitMs = head.revealAt - this.serverNow();
        // setTimeout may fire up to a millisecond early (it rounds); the check runs again then.
        if (waitMs > 0) {
          this.timer = setTimeout(() => this.pump(), Math.ceil(waitMs));
          return;
        }
      }
      this.queue.shift();
      this.deliver(head);
    }
  }

  /** Drops what was not yet handed over (the room was left, or a snapshot supersedes it). */
  clear(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
  }
}
