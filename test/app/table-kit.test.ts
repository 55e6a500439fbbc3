// The table kit: every table checks each action against its closed schema before its rules see it.
import { describe, expect, it } from "vitest";
import { blackjackTableBehavior, defaultBlackjackTable } from "../../src/app/tables/blackjack-table.js";
import { defaultHoldemTable, holdemTableBehavior } from "../../src/app/tables/holdem-table.js";
import { defaultRouletteTable, rouletteTableBehavior } from "../../src/app/tables/roulette-table.js";
import { slotsRoomBehavior } from "../../src/app/tables/slots-room.js";
import { compileSlot, crownJewels } from "../../src/engine/slots/index.js";
import type { ActionRequest, RoomBehavior } from "../../src/app/rooms/room-behavior.js";

const one = <T>(config: T) => new Map([["t", config]]);
const tables: Record<string, RoomBehavior<never>> = {
  roulette: rouletteTableBehavior(one(defaultRouletteTable)) as RoomBehavior<never>,
  live: rouletteTableBehavior(one({ ...defaultRouletteTable, live: { dealerAbsentMsMax: 1_000, streamUrl: "x" } }), "live") as RoomBehavior<never>,
  slots: slotsRoomBehavior({ gameId: "crown-jewels", currency: "EUR", slot: compileSlot(crownJewels) }) as RoomBehavior<never>,
  blackjack: blackjackTableBehavior(one(defaultBlackjackTable)) as RoomBehavior<never>,
  holdem: holdemTableBehavior(one(defaultHoldemTable)) as RoomBehavior<never>,
};

// A valid action of each kind per table; each must pass, and each with one invented field must not.
const valid: Record<string, ActionRequest[]> = {
  roulette: [
    {
      kind: "bet",
      roundId: "t:1:x",
      bets: [
        { type: "straight", numbers: [17], amount: "1.00" },
        { type: "dozen", index: 0, amount: "2.50" },
        { type: "red", amount: "1" },
      ],
    },
    { kind: "table.limits", roundStakeMax: "100.00", roundBetsMax: 20, perBet: { straight: { min: "0.10", max: "5.00" } } },
    { kind: "round.void", reason: "wheel fault" },
    { kind: "table.close" },
    { kind: "table.open" },
  ],
  live: [
    { kind: "open" },
    { kind: "close" },
    { kind: "result", number: 17 },
    { kind: "result", rng: true },
    { kind: "cue", name: "no-more-bets" },
    { kind: "heartbeat" },
  ],
  slots: [
    { kind: "spin", stake: "1.00" },
    { kind: "seed.client", clientSeed: "lucky-7" },
    { kind: "seed.rotate" },
    { kind: "seed.rotate", clientSeed: "next" },
  ],
  blackjack: [
    { kind: "sit", seat: 2 },
    { kind: "leave_seat" },
    { kind: "bet", roundId: "t:1:x", amount: "10.00" },
    { kind: "hit" },
    { kind: "stand" },
    { kind: "double" },
    { kind: "split" },
    { kind: "insurance", take: false },
    { kind: "table.limits", betMin: "1.00", betMax: "50.00" },
    { kind: "round.void", reason: "x" },
  ],
  holdem: [
    { kind: "sit", seat: 0, buyIn: "100.00" },
    { kind: "leave" },
    { kind: "fold" },
    { kind: "check" },
    { kind: "call" },
    { kind: "raise", to: "6.00" },
    { kind: "all_in" },
    { kind: "table.limits", smallBlind: "0.50", bigBlind: "1.00", buyInMin: "20", buyInMax: "200" },
  ],
};

describe("closed action schemas (table kit)", () => {
  for (const [name, behavior] of Object.entries(tables)) {
    it(`${name}: each action kind passes as documented and is refused with any extra field`, () => {
      expect(typeof behavior.checkAction).toBe("function");
      const check = (action: ActionRequest) => behavior.checkAction!(action);
      for (const action of valid[name] ?? []) {
        expect([action, check(action)]).toEqual([action, { ok: true }]);
        expect(check({ ...action, odds: "35", bonus: true })).toMatchObject({ ok: false, error: "REQUEST_INVALID" });
      }
      expect(check({ kind: "no-such-action" })).toMatchObject({ ok: false, error: "ACTION_REJECTED" });
    });
  }

  it("checks nested objects and types too", () => {
    const roulette = (action: ActionRequest) => tables.roulette!.checkAction!(action);
    expect(roulette({ kind: "bet", roundId: "r", bets: [{ type: "red", amount: "1.00", odds: "35" }] })).toMatchObject({
      ok: false,
      error: "REQUEST_INVALID",
      details: [expect.stringContaining("/bets/0")],
    });
    expect(roulette({ kind: "bet", roundId: "r", bets: [{ type: "red", amount: 1 }] })).toMatchObject({ ok: false, error: "REQUEST_INVALID" });
    expect(tables.slots!.checkAction!({ kind: "spin", stake: "1.00", clientSeed: "ignored?" })).toMatchObject({ ok: false, error: "REQUEST_INVALID" });
    expect(tables.slots!.checkAction!({ kind: "seed.client", clientSeed: "has:colon" })).toMatchObject({ ok: false, error: "REQUEST_INVALID" });
  });
});
