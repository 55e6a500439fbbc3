// The snapshot envelope: one module writes and reads what a room host stores as a room's snapshot.
import { describe, expect, it } from "vitest";
import { behaviorSnapshotOf, decodeEnvelope, encodeSnapshot, publicStateOf, unwrittenView, viewOf } from "../../src/app/rooms/snapshot-envelope.js";

describe("snapshot envelope", () => {
  const stored = encodeSnapshot({ public: { round: 3 }, private: { u1: { cards: [1] } }, server: { seed: "x" } }, { muted: new Set(["m1"]), barrierOffset: 7 });

  it("wraps the behavior's public state with the host's muted users and barrier, and gives the behavior's snapshot back", () => {
    expect(stored).toEqual({ public: { state: { round: 3 }, muted: ["m1"], barrierOffset: 7 }, private: { u1: { cards: [1] } }, server: { seed: "x" } });
    expect(decodeEnvelope(stored)).toEqual({ state: { round: 3 }, muted: ["m1"], barrierOffset: 7 });
    expect(behaviorSnapshotOf(stored)).toEqual({ public: { round: 3 }, private: { u1: { cards: [1] } }, server: { seed: "x" } });
  });

  it("leaves out the parts a behavior has none of", () => {
    expect(encodeSnapshot({ public: {} }, { muted: [], barrierOffset: 0 })).toEqual({ public: { state: {}, muted: [], barrierOffset: 0 } });
  });

  it("reads a room never written as null, and an envelope without the host's fields with their defaults", () => {
    expect(decodeEnvelope(null)).toBeNull();
    expect(behaviorSnapshotOf(null)).toBeNull();
    expect(decodeEnvelope({ public: { state: 1 } })).toEqual({ state: 1, muted: [], barrierOffset: 0 });
    expect(decodeEnvelope({ public: { state: 1, muted: ["a", 2], barrierOffset: -1 } })).toEqual({ state: 1, muted: ["a"], barrierOffset: 0 });
  });

  it("refuses a public part that is not an envelope for restoring, and shows it as no state", () => {
    expect(() => decodeEnvelope({ public: "nope" })).toThrow(/not an envelope/);
    expect(publicStateOf({ public: "nope" })).toBeNull();
    expect(viewOf({ public: null }, "u1")).toEqual({ state: null });
  });

  it("shows each member the public state and only their own private part", () => {
    expect(viewOf(stored, "u1")).toEqual({ state: { round: 3 }, private: { cards: [1] } });
    expect(viewOf(stored, "u2")).toEqual({ state: { round: 3 } });
    expect(viewOf(null, "u1")).toBeNull();
    expect(unwrittenView({ public: { round: 0 }, private: { u1: 1 } })).toEqual({ state: { round: 0 } });
  });
});
