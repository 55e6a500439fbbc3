// The application-side delivery check of the reconnect scenario: holes are losses, repeats are duplicates.
import { describe, expect, it } from "vitest";
import type { ClientEvents, CroupierClient } from "../../src/client/index.js";
import { Emitter } from "../../src/client/emitter.js";
import { DeliveryTracker } from "../../src/cli/loadtest/delivery-tracker.js";

const room = "sandbox:t";

/** A client stand-in that the test drives: the tracker only listens. */
class FakeClient extends Emitter<ClientEvents> {
  fire<K extends keyof ClientEvents>(name: K, payload: ClientEvents[K]): void {
    this.emit(name, payload);
  }
}

function feed(steps: readonly (number | "resumed" | { reset: number })[]): DeliveryTracker["observed"] {
  const client = new FakeClient();
  const tracker = new DeliveryTracker(client as unknown as CroupierClient, room);
  client.fire("joined", { room, epoch: "e", offset: 10, mode: "snapshot", presence: { count: 1 } });
  for (const step of steps) {
    if (step === "resumed") client.fire("joined", { room, epoch: "e", offset: 0, mode: "resumed", presence: { count: 1 } });
    else if (typeof step === "object") client.fire("reset", { room, epoch: "f", offset: step.reset, snapshot: null });
    else client.fire("event", { type: "event", room, epoch: "e", offset: step, ts: 0, kind: "note" });
  }
  // Another room's events never count.
  client.fire("event", { type: "event", room: "sandbox:other", epoch: "e", offset: 99, ts: 0, kind: "note" });
  return tracker.observed;
}

describe("DeliveryTracker", () => {
  it.each([
    ["in order across a resume", [11, 12, "resumed", 13, 14], { received: 4, lost: 0, duplicated: 0, resumes: 1, lastOffset: 14 }],
    ["a repeated offset", [11, 12, 12, 13], { received: 3, lost: 0, duplicated: 1, lastOffset: 13 }],
    ["an old offset after a resume", [11, 12, "resumed", 11, 13], { received: 3, lost: 0, duplicated: 1, lastOffset: 13 }],
    ["a hole of two", [11, 14], { received: 2, lost: 2, duplicated: 0, lastOffset: 14 }],
    ["a reset moves the start, counted apart", [11, { reset: 40 }, 41], { received: 2, lost: 0, resets: 1, lastOffset: 41 }],
  ] as const)("%s", (_name, steps, expected) => {
    expect(feed(steps)).toMatchObject({ firstOffset: 10, ...expected });
  });
});
