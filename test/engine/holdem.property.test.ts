import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  apply,
  defaultHoldemRules,
  legalActions,
  newTable,
  startHand,
  type HoldemAction,
  type HoldemEvent,
  type HoldemState,
} from "../../src/engine/holdem/index.js";
import { SeededRng } from "../../src/engine/rng/seeded.rng.js";

const chips = (state: HoldemState): bigint => state.seats.reduce((sum, seat) => sum + (seat?.stackMinor ?? 0n) + (seat?.committedMinor ?? 0n), 0n);

/** Picks an action from a choice number: mostly legal ones, sometimes an illegal one that must be refused. */
function chooseAction(state: HoldemState, choice: number): HoldemAction {
  const legal = legalActions(state);
  if (legal === null) throw new Error("no legal actions mid-hand");
  const seat = legal.seat;
  const options: HoldemAction[] = [
    { type: "fold", seat },
    { type: "all_in", seat },
  ];
  options.push(legal.canCheck ? { type: "check", seat } : { type: "call", seat }, legal.canCheck ? { type: "check", seat } : { type: "call", seat });
  if (legal.raise !== null) {
    const { minToMinor, maxToMinor } = legal.raise;
    options.push(
      { type: "raise", seat, toMinor: minToMinor },
      { type: "raise", seat, toMinor: minToMinor + ((maxToMinor - minToMinor) * BigInt(choice % 97)) / 96n },
    );
  }
  // Illegal: a raise below the minimum, acting out of turn, a check facing a bet.
  options.push({ type: "raise", seat, toMinor: state.currentBetMinor }, { type: "check", seat: (seat + 1) % state.seats.length });
  return options[choice % options.length] as HoldemAction;
}

describe("hold'em properties", () => {
  it("conserves chips in every hand: stacks plus rake are what the players brought, whatever they do", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 9 }),
        fc.array(fc.bigInt({ min: 1n, max: 30_000n }), { minLength: 9, maxLength: 9 }),
        fc.array(fc.nat(10_000), { minLength: 20, maxLength: 400 }),
        fc.integer(),
        fc.nat(300),
        (seatCount, stacksMinor, choices, seed, rakeBasisPoints) => {
          const rules = { ...defaultHoldemRules, seatCount, rakeBasisPoints, rakeCapMinor: 500n };
          let state = newTable(rules, stacksMinor.slice(0, seatCount));
          const rng = new SeededRng(seed);
          let total = chips(state);
          let rakeTotal = 0n;
          let c = 0;
          for (let hand = 0; hand < 5; hand++) {
            const started = startHand(state, rng);
            if (started.status === "not_enough_players") break;
            expect(started.status).toBe("ok");
            state = started.state;
            const events: HoldemEvent[] = [...started.events];
            for (const event of started.events) if (event.type === "hand_completed") rakeTotal += event.rakeMinor;
            for (let actions = 0; state.phase !== "between_hands"; actions++) {
              expect(actions).toBeLessThan(200);
              const action = chooseAction(state, choices[c++ % choices.length] as number);
              const step = apply(state, action);
              if (step.status !== "ok") {
                expect(step.state).toBe(state);
                expect(step.events).toEqual([]);
                continue;
              }
              state = step.state;
              events.push(...step.events);
              for (const event of step.events) if (event.type === "hand_completed") rakeTotal += event.rakeMinor;
              expect(chips(state) + rakeTotal).toBe(total);
              for (const seat of state.seats) expect((seat?.stackMinor ?? 0n) >= 0n).toBe(true);
            }
            const completed = events.find((e) => e.type === "hand_completed");
            if (completed?.type !== "hand_completed") throw new Error("hand did not complete");
            expect(completed.rakeMinor <= rules.rakeCapMinor).toBe(true);
            expect(chips(state) + rakeTotal).toBe(total);
            // Hole cards go to their own seat only, and every dealt card is distinct.
            const dealt = events.flatMap((e) => (e.type === "hole_cards" || e.type === "board_dealt" ? e.cards : []));
            expect(new Set(dealt).size).toBe(dealt.length);
          }
          total -= rakeTotal;
          expect(chips(state)).toBe(total);
        },
      ),
      { numRuns: 300 },
    );
  });
});
