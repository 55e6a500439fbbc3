// A retried spin the ledger already holds: what the slot machine shows and how its seeds advance.
import { describe, expect, it } from "vitest";
import { slotsRoomBehavior } from "../../src/app/tables/slots-room.js";
import type { BehaviorOutcome, RoomContext } from "../../src/app/rooms/room-behavior.js";
import type { InstantResult } from "../../src/app/tables/table-effects.js";
import { drawFair } from "../../src/app/tables/fairness.js";
import { hashServerSeed } from "../../src/engine/rng/index.js";
import { compileSlot, crownJewels, playFeature } from "../../src/engine/slots/index.js";

const slot = compileSlot(crownJewels);
const behavior = slotsRoomBehavior({ gameId: "crown-jewels", currency: "EUR", slot });
const player = { userId: "u1", name: "u1", roles: [] } as never;
const ctx: RoomContext = { nowMs: 1_000, revealLeadMs: 0, actionId: "a1" };
const serverSeed = "ab".repeat(32);
type State = ReturnType<typeof behavior.initial>;
const ready = { ...behavior.initial("slots:u1"), seeds: { serverSeed, clientSeed: "c", nonce: 5 } } as State;

/** What the machine draws for the spin at nonce 5 of the seed pair above (the behavior plays it itself). */
const drawn = (() => {
  const { value } = drawFair({ serverSeed, clientSeed: "c", nonce: 5 }, (rng) => playFeature(slot, 100n, rng), false);
  if ("status" in value) throw new Error(`the engine refused the spin: ${value.status}`);
  return value;
})();

/** Plays a spin: the behavior draws it from the seeds, then takes the ledger's answer. */
function spin(paid: InstantResult): Extract<BehaviorOutcome<State>, { state: State }> {
  const first = behavior.apply(ready, { kind: "spin", stake: "1.00" }, player, ctx);
  if (!first.ok || !("effect" in first)) throw new Error("expected the ledger effect");
  expect(first.effect).toMatchObject({
    type: "wallet.instant",
    stakeMinor: "100",
    winMinor: drawn.totalWinMinor,
    record: { outcome: drawn, verification: { serverSeedHash: hashServerSeed(serverSeed), clientSeed: "c", nonce: 5 } },
  });
  const done = first.resume(paid);
  if (!done.ok || "effect" in done) throw new Error(`expected a decision, got ${JSON.stringify(done)}`);
  return done;
}

describe("slots: a retried spin", () => {
  it("a fresh paid spin consumes its nonce and shows its draw", () => {
    const done = spin({ status: "ok", availableMinor: "900" });
    expect(done.state.seeds?.nonce).toBe(6);
    expect(done.state.spins).toBe(1);
    expect(done.result).toMatchObject({ totalWinMinor: drawn.totalWinMinor, fairness: { nonce: 5 } });
  });

  it("paid before and already counted by this state: shows the recorded outcome, advances nothing", () => {
    const recorded = {
      outcome: { stakeMinor: "100", totalWinMinor: "2500" },
      verification: { serverSeedHash: hashServerSeed(serverSeed), clientSeed: "c", nonce: 3 },
    };
    const done = spin({ status: "ok", availableMinor: "900", replayed: true, recorded });
    expect(done.state.seeds?.nonce).toBe(5);
    expect(done.state.spins).toBe(0);
    expect(done.result).toMatchObject({ totalWinMinor: "2500", fairness: { nonce: 3 } });
  });

  it("paid at the current nonce but the state was never written (owner stopped): the nonce is consumed now", () => {
    const recorded = {
      outcome: { stakeMinor: "100", totalWinMinor: "700" },
      verification: { serverSeedHash: hashServerSeed(serverSeed), clientSeed: "c", nonce: 5 },
    };
    const done = spin({ status: "ok", availableMinor: "900", replayed: true, recorded });
    expect(done.state.seeds?.nonce).toBe(6);
    expect(done.result).toMatchObject({ totalWinMinor: "700" });
  });

  it("paid but never recorded (owner stopped between ledger and recall): the same draw stands and consumes the nonce", () => {
    const done = spin({ status: "ok", availableMinor: "900", replayed: true });
    expect(done.state.seeds?.nonce).toBe(6);
    expect(done.result).toMatchObject({ totalWinMinor: drawn.totalWinMinor, fairness: { nonce: 5 } });
  });
});
