// An operator's void of a hold'em hand: every chip committed in the hand goes back to its seat.
import { describe, expect, it } from "vitest";
import { apply, defaultHoldemRules, newTable, type HoldemState } from "../../src/engine/holdem/index.js";
import { orderedDeck } from "../../src/engine/poker/cards.js";
import { match } from "../support/matchers.js";

function must(step: { status: string; state: HoldemState }): HoldemState {
  expect(step.status).toBe("ok");
  return step.state;
}

describe("holdem void_hand", () => {
  it("returns blinds, bets and all-ins to their stacks, rakes nothing, and leaves the table between hands", () => {
    let state = newTable(defaultHoldemRules, [10_000n, 6_000n, 8_000n, null, null, null]);
    state = must(apply(state, { type: "start_hand", deck: orderedDeck() }));
    // Three players: the button (seat 0) acts first preflop; a raise, an all-in and a call.
    state = must(apply(state, { type: "raise", seat: state.toAct as number, toMinor: 1_000n }));
    state = must(apply(state, { type: "all_in", seat: state.toAct as number }));
    state = must(apply(state, { type: "call", seat: state.toAct as number }));
    expect(state.seats.reduce((sum, s) => sum + (s?.stackMinor ?? 0n), 0n)).toBeLessThan(24_000n);
    const voided = apply(state, { type: "void_hand" });
    expect(voided.status).toBe("ok");
    expect(voided.state.seats.map((s) => s?.stackMinor ?? null)).toEqual([10_000n, 6_000n, 8_000n, null, null, null]);
    expect(voided.state.seats.every((s) => s === null || (s.committedMinor === 0n && !s.inHand && s.holeCards.length === 0))).toBe(true);
    expect([voided.state.phase, voided.state.toAct, voided.state.board]).toEqual(["between_hands", null, []]);
    expect(voided.events).toEqual([
      { type: "hand_voided", handNumber: 1, returnedMinor: match.any(Array), stacksMinor: [10_000n, 6_000n, 8_000n, null, null, null] },
    ]);
    // Nothing to void between hands; the next hand deals as usual.
    expect(apply(voided.state, { type: "void_hand" }).status).toBe("wrong_phase");
    expect(apply(voided.state, { type: "start_hand", deck: orderedDeck() }).status).toBe("ok");
  });
});
