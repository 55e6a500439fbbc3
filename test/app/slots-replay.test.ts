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

describe("slots: a machine restored from its stored state", () => {
  const restored = behavior.restore(behavior.snapshot(ready));

  /** Spins the restored machine; recall answers `highest` for the seed, the ledger pays. */
  function spinRestored(highest: number | null) {
    const first = behavior.apply(restored, { kind: "spin", stake: "1.00" }, player, ctx);
    if (!first.ok || !("effect" in first)) throw new Error("expected the recall check");
    expect(first.effect).toEqual({ type: "fairness.nonce", userId: "u1", serverSeedHash: hashServerSeed(serverSeed) });
    const paying = first.resume(highest);
    if (!paying.ok || !("effect" in paying)) throw new Error("expected the ledger effect");
    const done = paying.resume({ status: "ok", availableMinor: "900" });
    if (!done.ok || "effect" in done) throw new Error("expected a decision");
    return { effect: paying.effect, done };
  }

  it("recall ahead of the stored nonce (a spin paid before its state was written): the next spin draws past it", () => {
    const { effect, done } = spinRestored(7);
    expect(effect).toMatchObject({ type: "wallet.instant", record: { verification: { nonce: 8 } } });
    expect(done.state.seeds?.nonce).toBe(9);
    expect(done.state.recallUnchecked).toBeUndefined();
    expect(done.state.lastSpinAtMs).toBe(ctx.nowMs);
    // Checked once: the next spin goes straight to the ledger.
    const next = behavior.apply(done.state, { kind: "spin", stake: "1.00" }, player, { ...ctx, actionId: "a2" });
    expect(next).toMatchObject({ ok: true, effect: { type: "wallet.instant", record: { verification: { nonce: 9 } } } });
  });

  it("recall at or behind the stored nonce, or empty: the stored nonce stands", () => {
    for (const highest of [null, 3, 4]) expect(spinRestored(highest).effect).toMatchObject({ record: { verification: { nonce: 5 } } });
  });

  it("reads recall from five minutes before the last written spin when the state knows its time", () => {
    const spunAt = behavior.restore(behavior.snapshot({ ...ready, lastSpinAtMs: 900_000 }));
    const first = behavior.apply(spunAt, { kind: "spin", stake: "1.00" }, player, ctx);
    expect(first).toMatchObject({ ok: true, effect: { type: "fairness.nonce", sinceMs: 900_000 - 300_000 } });
  });

  it("a rotation gives a fresh seed that recall has nothing for: no check", () => {
    expect(restored.recallUnchecked).toBe(true);
    const rotating = behavior.apply(restored, { kind: "seed.rotate" }, player, ctx);
    if (!rotating.ok || !("effect" in rotating)) throw new Error("expected the seed effect");
    const done = rotating.resume("cd".repeat(32));
    if (!done.ok || "effect" in done) throw new Error("expected a decision");
    expect(done.state.recallUnchecked).toBeUndefined();
    expect(done.state.seeds?.nonce).toBe(0);
  });
});
