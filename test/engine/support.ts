import type { Rng } from "../../src/engine/rng/rng.js";

/** A fake Rng that returns scripted draws in order and fails the test if the engine asks for more. */
export class ScriptedRng implements Rng {
  private index = 0;
  constructor(private readonly draws: readonly number[]) {}

  nextUint32(): number {
    const draw = this.draws[this.index++];
    if (draw === undefined) throw new Error(`scripted rng exhausted after ${this.draws.length} draws`);
    return draw;
  }

  get used(): number {
    return this.index;
  }
}
