// The room simulation (test/sim/room-sim.ts, docs/SIMULATION.md): thousands of seeds of two or three
// nodes, faults and clients per run, every invariant checked after every step. A failing seed prints
// the one line that replays it. SIM_SEEDS=n runs more seeds, SIM_SEED_BASE=k starts elsewhere
// (SIM_SEED_BASE=random: somewhere new each run), SIM_SEED=k replays one seed and prints its faults.
import { describe, expect, it } from "vitest";
import { brokenComponents, reproduction, runSimulation, type SimOptions, type SimResult } from "./room-sim.js";

const replay = process.env.SIM_SEED === undefined ? null : Number(process.env.SIM_SEED);
const broken = brokenComponents.find((b) => b === process.env.SIM_BROKEN);
const seedCount = Number(process.env.SIM_SEEDS ?? 3_000);
const seedBase = process.env.SIM_SEED_BASE === "random" ? Date.now() % 1_000_000_000 : Number(process.env.SIM_SEED_BASE ?? 1);

/** Runs `count` seeds from `base`; stops at the first that breaks an invariant. */
async function runSeeds(
  base: number,
  count: number,
  options: Omit<SimOptions, "seed"> = {},
): Promise<{ failed: SimResult | null; runs: number; ms: number; steps: number; takeovers: number }> {
  const started = performance.now();
  let steps = 0;
  let takeovers = 0;
  for (let seed = base; seed < base + count; seed++) {
    const result = await runSimulation({ ...options, seed });
    steps += result.steps;
    takeovers += Math.max(0, result.fences - 1);
    if (result.violation !== null) return { failed: result, runs: seed - base + 1, ms: performance.now() - started, steps, takeovers };
  }
  return { failed: null, runs: count, ms: performance.now() - started, steps, takeovers };
}

const report = (result: SimResult) =>
  `seed ${result.seed}: ${result.violation}\n  faults: ${result.faults.join("; ")}\n  reproduce: ${reproduction(result.seed, broken)}`;

describe("room simulation", () => {
  if (replay !== null) {
    // One seed, with its faults and every reply printed, in order.
    it(`replays seed ${replay}`, async () => {
      const result = await runSimulation({ seed: replay, ...(broken === undefined ? {} : { broken }) });
      console.log(
        [
          `seed ${result.seed}: ${result.steps} steps, ${result.simulatedMs} ms simulated, ${result.acked} actions acknowledged, ${result.entries} entries, ${result.fences} fences`,
          ...result.faults,
          ...result.trace,
        ].join("\n"),
      );
      expect(result.violation, report(result)).toBeNull();
    });
    return;
  }

  it(
    `keeps every invariant over ${seedCount} seeds from ${seedBase}`,
    async () => {
      const { failed, runs, ms, steps, takeovers } = await runSeeds(seedBase, seedCount);
      if (failed !== null) console.error(report(failed));
      else
        console.log(
          `room simulation: ${runs} seeds, ${steps} steps, ${takeovers} takeovers in ${Math.round(ms)} ms (${Math.round((runs * 1000) / ms)} seeds/s)`,
        );
      expect(failed === null ? null : report(failed)).toBeNull();
    },
    60_000 + seedCount * 50,
  );

  it("replays a seed exactly", async () => {
    const [first, second] = [await runSimulation({ seed: seedBase }), await runSimulation({ seed: seedBase })];
    expect(second.trace).toEqual(first.trace);
    expect(second.faults).toEqual(first.faults);
    expect(first.acked).toBeGreaterThan(0);
  });

  it("catches a room log that skips the fence check within 200 seeds", async () => {
    const { failed } = await runSeeds(1, 200, { broken: "fence" });
    expect(failed?.violation).toMatch(/fence|twice|snapshot|ledger|applied|acknowledged/);
  });

  it("catches a ledger that forgets its idempotency keys within 200 seeds", async () => {
    const { failed } = await runSeeds(1, 200, { broken: "keys" });
    expect(failed?.violation).toMatch(/holds|WALLET_INSUFFICIENT_FUNDS|ledger/);
  });
});
