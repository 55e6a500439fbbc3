// The batcher under the SQL ledger and round store: batches by size and time, bounded, and urgent
// items ahead of background ones without starving them.
import { describe, expect, it } from "vitest";
import { Batcher } from "../../src/adapters/postgres/ledger-batcher.js";

function recorder(limits: { batchOpsMax: number; batchesInFlightMax: number; queueOpsMax?: number }) {
  const batches: string[][] = [];
  let release: () => void = () => undefined;
  let gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const batcher = new Batcher<string, string>({ batchWaitMs: 0, queueOpsMax: 1_000, ...limits }, async (items) => {
    batches.push([...items]);
    await gate;
    return items.map((i) => `${i}!`);
  });
  return {
    batcher,
    batches,
    open: () => {
      release();
      gate = Promise.resolve();
    },
  };
}

describe("Batcher", () => {
  it("answers each item with its own output, in batches of at most batchOpsMax", async () => {
    const { batcher, batches, open } = recorder({ batchOpsMax: 3, batchesInFlightMax: 1 });
    open();
    const answers = await Promise.all(["a", "b", "c", "d", "e"].map((x) => batcher.submit(x)!));
    expect(answers).toEqual(["a!", "b!", "c!", "d!", "e!"]);
    expect(batches.every((b) => b.length <= 3)).toBe(true);
    expect(batches.flat()).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("puts urgent items first and still gives waiting background items a quarter of each batch", async () => {
    const { batcher, batches, open } = recorder({ batchOpsMax: 8, batchesInFlightMax: 1 });
    // The first batch holds the only slot while the rest queue up behind it.
    const first = batcher.submit("first");
    await new Promise((r) => setTimeout(r, 5));
    const settles = Array.from({ length: 10 }, (_, i) => batcher.submit(`s${i}`, "background"));
    const bets = Array.from({ length: 10 }, (_, i) => batcher.submit(`b${i}`));
    open();
    await Promise.all([first, ...settles, ...bets]);
    expect(batches[0]).toEqual(["first"]);
    // Ten bets arrived after ten settlements: six bets and two settlements go first.
    expect(batches[1]).toEqual(["b0", "b1", "b2", "b3", "b4", "b5", "s0", "s1"]);
    expect(batches.slice(2).flat().sort()).toEqual(["b6", "b7", "b8", "b9", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9"]);
  });

  it("refuses beyond queueOpsMax, counting both lanes", async () => {
    const { batcher, open } = recorder({ batchOpsMax: 2, batchesInFlightMax: 1, queueOpsMax: 3 });
    const held = batcher.submit("x");
    await new Promise((r) => setTimeout(r, 5));
    const queued = [batcher.submit("a"), batcher.submit("b", "background"), batcher.submit("c")];
    expect(batcher.submit("d", "background")).toBeNull();
    open();
    await Promise.all([held, ...queued]);
  });
});
