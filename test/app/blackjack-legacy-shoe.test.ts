// A blackjack table restored from a snapshot written before shoes were committed (an engine with a shoe
// in play, but no `fair` chain and no `shoe` seed) as a pure behavior: every effect is answered here.
// Its engine steps ask the host for a fresh seed (`rng.seed`) and nothing of fairness; the seed only
// matters if the legacy shoe runs dry. Its rounds are recorded as CSPRNG rounds, never as committed
// ones, and once its cut card is out the next round commits a chain and deals from a committed shoe.
import { describe, expect, it } from "vitest";
import type { LogEntryInput } from "../../src/app/ports/room-log.js";
import { systemActor, type Actor, type BehaviorOutcome } from "../../src/app/rooms/room-behavior.js";
import { blackjackTableBehavior, defaultBlackjackTable } from "../../src/app/tables/blackjack-table.js";
import { decodeBigints, encodeBigints } from "../../src/app/tables/json-bigint.js";
import type { RoundRecord, TableEffect } from "../../src/app/tables/table-effects.js";
import { apply as applyBlackjack, type BlackjackState, type Shoe } from "../../src/engine/blackjack/index.js";
import { ProvablyFairRng } from "../../src/engine/rng/index.js";

const behavior = blackjackTableBehavior(new Map([["b1", defaultBlackjackTable]]));
type State = ReturnType<typeof behavior.initial>;
const alice: Actor = { userId: "alice", roles: ["player"] };
const seedA = "a".repeat(64);
const seedB = "b".repeat(64);

/** What an outcome came to once every effect it asked for was answered. */
interface Ran {
  readonly state: State;
  readonly events: readonly LogEntryInput[];
  /** The effects asked for, by type, in order. */
  readonly effects: readonly string[];
  readonly records: readonly RoundRecord[];
}

/** Answers each effect as its runner does when all goes well; `rng.seed` takes the next of `seeds` (one nobody expected fails the test). */
function run(outcome: BehaviorOutcome<State>, seeds: readonly string[] = []): Ran {
  const left = [...seeds];
  const effects: string[] = [];
  const records: RoundRecord[] = [];
  let current = outcome;
  for (let steps = 0; steps < 20; steps++) {
    if (!current.ok) throw new Error(`refused: ${current.error} ${(current.details ?? []).join("; ")}`);
    if ("state" in current) {
      expect(left, "every seed given was asked for").toEqual([]);
      return { state: current.state, events: current.events, effects, records };
    }
    const effect = current.effect as TableEffect;
    effects.push(effect.type);
    switch (effect.type) {
      case "rng.seed": {
        const seed = left.shift();
        if (seed === undefined) throw new Error("an rng.seed the test did not expect");
        current = current.resume(seed);
        break;
      }
      case "wallet.reserve":
        current = current.resume({ status: "ok", availableMinor: "99000" });
        break;
      case "wallet.settle":
        current = current.resume({ statuses: effect.items.map(() => "ok") });
        break;
      case "wallet.sweep":
        current = current.resume({ status: "ok", voided: 0 });
        break;
      case "round.record":
        records.push(effect.record);
        current = current.resume(null);
        break;
      default:
        throw new Error(`an effect the test did not expect: ${effect.type}`);
    }
  }
  throw new Error("too many effects");
}

const engineOf = (state: State) => decodeBigints(state.engine) as BlackjackState;
const kinds = (ran: Ran) => ran.events.map((e) => e.kind);
const ctx = (nowMs: number) => ({ nowMs, revealLeadMs: 0 });
const act = (state: State, action: Record<string, unknown>, nowMs: number, seeds: readonly string[] = []) =>
  run(behavior.apply(state, action as { kind: string }, alice, ctx(nowMs)), seeds);
/** The timer fires at the state's deadline. */
const tick = (state: State, seeds: readonly string[] = []) => run(behavior.apply(state, { kind: "tick" }, systemActor, ctx(state.deadlineMs!)), seeds);

/**
 * A normal committed round played through the behavior up to Alice's turn: the first chain's terminal
 * seed that deals her a hand to play (no natural, no insurance offered), with the table's clock.
 */
function committedRoundAtTurn(): { state: State; nowMs: number } {
  for (let i = 1; i < 40; i++) {
    const terminal = i.toString(16).padStart(64, "0");
    const seated = act(behavior.initial("blackjack:b1"), { kind: "sit", seat: 0 }, 1_000_000, [terminal]);
    expect(kinds(seated)).toContain("fairness.chain");
    const bet = act(seated.state, { kind: "bet", roundId: seated.state.roundId, amount: "10.00" }, 1_001_000);
    const dealt = tick(bet.state);
    expect(dealt.effects).not.toContain("rng.seed");
    if (engineOf(dealt.state).phase === "player_turn") return { state: dealt.state, nowMs: dealt.state.deadlineMs! - defaultBlackjackTable.turnMs };
  }
  throw new Error("no terminal seed dealt Alice a hand to play");
}

/**
 * The same table as a snapshot from before shoes were committed would restore it: through the
 * snapshot's JSON, without the chain (`fair`) and the shoe's seed (`shoe`); `edit` changes its shoe.
 */
function legacy(state: State, edit: (shoe: Shoe) => Shoe = (shoe) => shoe): State {
  const snapshot = JSON.parse(JSON.stringify(behavior.snapshot(state))) as { public: unknown; server: Record<string, unknown> };
  const { fair, shoe, ...older } = snapshot.server;
  expect(fair, "the committed table holds a chain").toBeDefined();
  expect(shoe, "and a shoe seed").toBeDefined();
  const engine = decodeBigints(older.engine) as BlackjackState;
  const restored = behavior.restore({ public: snapshot.public, server: { ...older, engine: encodeBigints({ ...engine, shoe: edit(engine.shoe) }) } });
  expect(restored.fair).toBeUndefined();
  expect(restored.shoe).toBeUndefined();
  expect(restored.engine).not.toBeNull();
  return restored;
}

/** Alice stands on every turn the round gives her until it settles (each step given `seeds`). */
function standToTheEnd(state: State, nowMs: number, seeds: () => readonly string[]): Ran[] {
  const steps: Ran[] = [];
  let current = state;
  while (engineOf(current).phase !== "settled") {
    const insurance = engineOf(current).phase === "insurance";
    const step = act(current, insurance ? { kind: "insurance", take: false } : { kind: "stand" }, nowMs, seeds());
    steps.push(step);
    current = step.state;
  }
  return steps;
}

/** The verification of the round `roundId` as its closed record holds it. */
function verificationOf(records: readonly RoundRecord[], roundId: string | null): Record<string, unknown> {
  const closed = records.filter((r) => r.roundId === roundId && r.status === "closed");
  expect(closed).toHaveLength(1);
  return closed[0]!.verification as Record<string, unknown>;
}

/** What a round that had no commitment must not claim. */
function expectUncommitted(verification: Record<string, unknown>): void {
  expect(verification).toMatchObject({ rng: "csprng", shuffle: "fisher-yates", decks: defaultBlackjackTable.rules.decks });
  for (const field of ["provablyFair", "scheme", "serverSeedHash", "serverSeed", "clientSeed", "nonce", "chain", "shoeId", "shoeFirstCard", "cursor"])
    expect(verification, field).not.toHaveProperty(field);
}

describe("a blackjack table restored from before shoes were committed", () => {
  const { state: atTurn, nowMs } = committedRoundAtTurn();

  it("steps its engine on a seed asked for as data, and records the round as CSPRNG; the legacy shoe deals on until its cut card", () => {
    const restored = legacy(atTurn);
    // The action's first effect is the seed, before any step; nothing of fairness is asked.
    const first = behavior.apply(restored, { kind: "stand" }, alice, ctx(nowMs));
    expect(first).toMatchObject({ ok: true, effect: { type: "rng.seed" } });
    const stood = run(first, [seedA]);
    expect(stood.effects[0]).toBe("rng.seed");
    expect(stood.effects.filter((e) => e === "rng.seed")).toHaveLength(1);
    expect(stood.effects.filter((e) => e.startsWith("fairness."))).toEqual([]);
    expect(kinds(stood)).toContain("blackjack.round_settled");
    expect(stood.events.every((e) => (e.data as { roundId?: unknown }).roundId === restored.roundId)).toBe(true);
    // The same seed gives the same step; a shoe that is not run dry draws nothing from it, so another seed does too.
    const again = run(behavior.apply(restored, { kind: "stand" }, alice, ctx(nowMs)), [seedA]);
    expect(again.events).toEqual(stood.events);
    expect(again.state).toEqual(stood.state);
    expect(run(behavior.apply(restored, { kind: "stand" }, alice, ctx(nowMs)), [seedB]).events).toEqual(stood.events);
    // The cards came from the restored shoe, in its order.
    expect(engineOf(stood.state).shoe.cards).toEqual(engineOf(restored).shoe.cards);
    expect(stood.state.shoe).toBeUndefined();
    expectUncommitted(verificationOf(stood.records, restored.roundId));

    // Settled and paid as any round.
    const paid = tick(stood.state);
    expect(paid.effects).toEqual(["wallet.settle", "wallet.sweep", "round.record"]);
    expect(paid.records).toMatchObject([{ roundId: restored.roundId, status: "settled" }]);
    expect(kinds(paid)).toEqual(["blackjack.round_paid"]);
    expect(paid.state.phase).toBe("results");

    // The cut card is not out: the next round is dealt from the same legacy shoe, on a fresh seed again, and commits nothing.
    expect(engineOf(paid.state).shoe.next).toBeLessThan(engineOf(paid.state).shoe.cutCardIndex);
    const opened = tick(paid.state);
    expect(opened.effects).toEqual(["round.record"]);
    expect(kinds(opened)).toEqual(["blackjack.betting_opened"]);
    expect(opened.state.fair).toBeUndefined();
    const bet = act(opened.state, { kind: "bet", roundId: opened.state.roundId, amount: "10.00" }, opened.state.deadlineMs! - 1);
    const dealt = tick(bet.state, [seedB]);
    expect(dealt.effects[0]).toBe("rng.seed");
    expect(engineOf(dealt.state).shoe.cards).toEqual(engineOf(restored).shoe.cards);
  });

  it("a legacy shoe run dry reshuffles its discards from the seed given, with the round id as client seed and nonce 0", () => {
    // No card left behind the ones dealt: Alice's hit needs the discards reshuffled.
    const restored = legacy(atTurn, (shoe) => ({ ...shoe, cards: shoe.cards.slice(0, shoe.next) }));
    const hit = run(behavior.apply(restored, { kind: "hit" }, alice, ctx(nowMs)), [seedA]);
    expect(hit.effects[0]).toBe("rng.seed");
    expect(hit.effects.filter((e) => e.startsWith("fairness."))).toEqual([]);
    expect(kinds(hit)).toContain("blackjack.shuffled");
    const expected = applyBlackjack(
      engineOf(restored),
      { type: "hit", seat: 0 },
      new ProvablyFairRng({ serverSeed: seedA, clientSeed: restored.roundId!, nonce: 0 }),
    );
    expect(engineOf(hit.state)).toEqual(expected.state);
    // Deterministic for a seed; another seed shuffles another shoe.
    expect(run(behavior.apply(restored, { kind: "hit" }, alice, ctx(nowMs)), [seedA]).events).toEqual(hit.events);
    const other = run(behavior.apply(restored, { kind: "hit" }, alice, ctx(nowMs)), [seedB]);
    expect(engineOf(other.state).shoe.cards).not.toEqual(engineOf(hit.state).shoe.cards);
    // Finished on seeds asked for as data, and still recorded as an uncommitted round.
    const rest = standToTheEnd(hit.state, nowMs, () => [seedA]);
    const records = [...hit.records, ...rest.flatMap((r) => r.records)];
    expectUncommitted(verificationOf(records, restored.roundId));
  });

  it("once the legacy shoe's cut card is out, the next round commits a chain and deals from a committed shoe", () => {
    // The cut card came out with this round's cards.
    const restored = legacy(atTurn, (shoe) => ({ ...shoe, cutCardIndex: shoe.next - 1 }));
    const steps = standToTheEnd(restored, nowMs, () => [seedA]);
    for (const step of steps) expect(step.effects[0]).toBe("rng.seed");
    expectUncommitted(
      verificationOf(
        steps.flatMap((s) => s.records),
        restored.roundId,
      ),
    );
    const paid = tick(steps.at(-1)!.state);
    expect(paid.state.phase).toBe("results");

    // The next round: a new chain (its terminal seed asked for), published before the round's commitment.
    const opened = tick(paid.state, [seedB]);
    expect(opened.effects).toEqual(["rng.seed", "round.record"]);
    expect(kinds(opened)).toEqual(["fairness.chain", "fairness.round", "blackjack.betting_opened"]);
    const roundId = opened.state.roundId;
    expect(roundId).not.toBe(restored.roundId);
    const chain = opened.events[0]!.data as Record<string, unknown>;
    const commitment = opened.events[1]!.data as Record<string, unknown>;
    expect(chain).toMatchObject({ chainId: 1, used: 0 });
    expect(commitment).toMatchObject({ roundId, shoeId: roundId, newShoe: true, clientSeed: roundId, nonce: 1, chain: { id: 1, index: 1 } });
    expect(opened.state.shoe).toMatchObject({ id: roundId, uint32sDrawn: 0 });

    // Its deal shuffles the committed shoe on the shoe's stream: no seed asked for.
    const bet = act(opened.state, { kind: "bet", roundId, amount: "10.00" }, opened.state.deadlineMs! - 1);
    const dealt = tick(bet.state);
    expect(dealt.effects).not.toContain("rng.seed");
    expect(kinds(dealt)).toContain("blackjack.shuffled");
    expect(dealt.state.shoe!.uint32sDrawn).toBeGreaterThan(0);
    expect(engineOf(dealt.state).shoe.cards).not.toEqual(engineOf(restored).shoe.cards);
    const rest = engineOf(dealt.state).phase === "settled" ? [] : standToTheEnd(dealt.state, dealt.state.deadlineMs! - 1, () => []);
    for (const step of rest) expect(step.effects).not.toContain("rng.seed");
    const verification = verificationOf([...dealt.records, ...rest.flatMap((r) => r.records)], roundId);
    expect(verification).toMatchObject({
      provablyFair: true,
      serverSeedHash: commitment.serverSeedHash,
      serverSeed: null,
      clientSeed: roundId,
      nonce: 1,
      shoeId: roundId,
      shoeFirstCard: 0,
      chain: { id: 1, index: 1 },
    });
    expect(verification).not.toHaveProperty("rng");
  });
});
