// Operator limits on the pure table behaviors: two `table.limits` in one round both take effect from
// the next round (the second over the first, fields it leaves out kept from the first), bet types
// are a closed set (nothing from the prototype chain), and blackjack keeps the current limit, not the
// configured one, for a field the operator leaves out (GAMES.md).
import { describe, expect, it } from "vitest";
import type { Actor, BehaviorOutcome, RoomContext } from "../../src/app/rooms/room-behavior.js";
import { systemActor } from "../../src/app/rooms/room-behavior.js";
import { defaultRouletteTable, rouletteTableBehavior, type RouletteTableState } from "../../src/app/tables/roulette-table.js";
import { blackjackTableBehavior, defaultBlackjackTable } from "../../src/app/tables/blackjack-table.js";
import { defaultHoldemTable, holdemTableBehavior } from "../../src/app/tables/holdem-table.js";
import { decodeBigints, encodeBigints } from "../../src/app/tables/json-bigint.js";

const operator: Actor = { userId: "op-1", roles: ["operator", "player"] };
const ctx: RoomContext = { nowMs: 1_000_000, revealLeadMs: 0 };

/** The state an outcome leads to; effects are answered as done (a round record), finding nothing to recover (a fresh table). */
function settled<S>(outcome: BehaviorOutcome<S>): S {
  let current = outcome;
  for (let steps = 0; steps < 10; steps++) {
    if (!current.ok) throw new Error(`refused: ${current.error} ${current.details?.join("; ")}`);
    if ("state" in current) return current.state;
    current = current.resume((current.effect as { type: string }).type === "rounds.recover" ? { rounds: [] } : { ok: true });
  }
  throw new Error("too many effects");
}

describe("roulette table.limits", () => {
  const behavior = rouletteTableBehavior(new Map([["t1", defaultRouletteTable]]));
  const start = () => behavior.initial("roulette:t1");

  it("merges two changes in one round and applies both from the next round", () => {
    let state = settled(behavior.apply(start(), { kind: "table.limits", roundStakeMax: "3.00" }, operator, ctx));
    state = settled(behavior.apply(state, { kind: "table.limits", perBet: { red: { min: "2.00", max: "5.00" } } }, operator, ctx));
    state = settled(behavior.apply(state, { kind: "table.limits", roundBetsMax: 7 }, operator, ctx));
    expect(state.limits).toBeUndefined();
    const opened: RouletteTableState = settled(behavior.apply(state, { kind: "tick" }, systemActor, ctx));
    expect(opened.round?.phase).toBe("betting");
    expect(opened.nextLimits).toBeUndefined();
    expect(opened.limits?.roundStakeMinorMax).toBe(300n);
    expect(opened.limits?.roundBetsMax).toBe(7);
    expect(opened.limits?.perBet.red).toEqual({ minMinor: 200n, maxMinor: 500n });
    expect(opened.limits?.perBet.black).toEqual(defaultRouletteTable.limits.perBet.black);
  });

  it.each(["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf", "straightx"])("refuses perBet type %s", (type) => {
    const perBet = JSON.parse(`{"${type}": {"min": "1.00", "max": "2.00"}}`) as unknown;
    const outcome = behavior.apply(start(), { kind: "table.limits", perBet }, operator, ctx);
    expect(outcome).toMatchObject({ ok: false, error: "BET_INVALID", details: [`perBet: unknown bet type ${type}`] });
  });

  it("a player cannot change limits", () => {
    expect(behavior.apply(start(), { kind: "table.limits", roundStakeMax: "3.00" }, { userId: "p", roles: ["player"] }, ctx)).toMatchObject({
      ok: false,
      error: "AUTH_FORBIDDEN",
    });
  });
});

describe("blackjack table.limits", () => {
  const behavior = blackjackTableBehavior(new Map([["b1", defaultBlackjackTable]]));
  const configured = defaultBlackjackTable.rules;

  it("merges two changes in one round", () => {
    let state = settled(behavior.apply(behavior.initial("blackjack:b1"), { kind: "table.limits", betMin: "20.00" }, operator, ctx));
    state = settled(behavior.apply(state, { kind: "table.limits", betMax: "30.00" }, operator, ctx));
    expect(state.nextLimits).toEqual({ betMinMinor: "2000", betMaxMinor: "3000" });
  });

  it("keeps the limit in force, not the configured one, for a field left out", () => {
    const inForce = { ...behavior.initial("blackjack:b1"), limits: { betMinMinor: "500", betMaxMinor: "900" } };
    expect(BigInt(inForce.limits.betMaxMinor)).not.toBe(configured.betMaxMinor);
    const state = settled(behavior.apply(inForce, { kind: "table.limits", betMin: "6.00" }, operator, ctx));
    expect(state.nextLimits).toEqual({ betMinMinor: "600", betMaxMinor: "900" });
    // Checked against the limit in force too: a minimum above the current maximum is refused.
    expect(behavior.apply(inForce, { kind: "table.limits", betMin: "10.00" }, operator, ctx)).toMatchObject({ ok: false, error: "BET_INVALID" });
  });
});

describe("hold'em table.limits", () => {
  const behavior = holdemTableBehavior(new Map([["h1", defaultHoldemTable]]));

  it("merges two changes made during a hand", () => {
    const initial = behavior.initial("holdem:h1");
    const engine = decodeBigints(initial.engine) as Record<string, unknown>;
    const midHand = { ...initial, engine: encodeBigints({ ...engine, phase: "preflop" }) };
    let state = settled(behavior.apply(midHand, { kind: "table.limits", smallBlind: "2.00", bigBlind: "4.00", buyInMin: "80.00" }, operator, ctx));
    state = settled(behavior.apply(state, { kind: "table.limits", buyInMax: "500.00" }, operator, ctx));
    expect(state.nextLimits).toEqual({ smallBlindMinor: "200", bigBlindMinor: "400", buyInMinMinor: "8000", buyInMaxMinor: "50000" });
  });
});
