/**
 * Checks, at the application's side of the SDK, that a room's events arrive exactly once and in order:
 * offsets must follow each other with no hole and no repeat from the join to the end, across every
 * drop and resume. A `reset` (history lost) is counted apart: it is never silent, but it is not a resume.
 */
import type { CroupierClient, RoomEvent } from "../../client/index.js";
import type { DeliveryObserved } from "./player.js";

export class DeliveryTracker {
  readonly observed: DeliveryObserved;
  private last = -1;

  constructor(
    client: CroupierClient,
    readonly room: string,
  ) {
    this.observed = { room, firstOffset: -1, lastOffset: -1, received: 0, lost: 0, duplicated: 0, resets: 0, drops: 0, resumes: 0 };
    client.on("joined", (j) => {
      if (j.room !== room) return;
      if (j.mode === "snapshot" && this.last === -1) this.start(j.offset);
      if (j.mode === "resumed") this.observed.resumes++;
    });
    client.on("reset", (r) => {
      if (r.room !== room) return;
      this.observed.resets++;
      this.last = r.offset;
      this.observed.lastOffset = r.offset;
    });
    client.on("event", (e) => this.onEvent(e));
  }

  private start(offset: number): void {
    this.last = offset;
    this.observed.firstOffset = offset;
    this.observed.lastOffset = offset;
  }

  private onEvent(e: RoomEvent): void {
    if (e.room !== this.room || this.last === -1) return;
    if (e.offset <= this.last) {
      this.observed.duplicated++;
      return;
    }
    this.observed.lost += e.offset - this.last - 1;
    this.last = e.offset;
    this.observed.lastOffset = e.offset;
    this.observed.received++;
  }
}
