import { describe, expect, it } from "vitest";
import * as engine from "../../src/engine/index.js";

describe("engine public surface", () => {
  it("exports the RNG primitives and one namespace per game", () => {
    expect(typeof engine.uniformInt).toBe("function");
    expect(typeof engine.ProvablyFairRng).toBe("function");
    expect(typeof engine.verifyRound).toBe("function");
    expect(typeof engine.checkRound).toBe("function");
    expect(typeof engine.slots.playFeature).toBe("function");
    expect(typeof engine.roulette.spin).toBe("function");
    expect(typeof engine.poker.evaluate7).toBe("function");
    expect(typeof engine.slots.theoreticalRtp).toBe("function");
    expect(typeof engine.blackjack.apply).toBe("function");
  });

  it("replays a provably-fair roulette round through the verifier", () => {
    const seeds = { serverSeed: "server", clientSeed: "client", nonce: 3 };
    const served = engine.roulette.spin(new engine.ProvablyFairRng(seeds));
    const verified = engine.verifyRound({ ...seeds, serverSeedHashHex: engine.hashServerSeed("server") }, engine.roulette.spin);
    expect(verified).toEqual({ status: "verified", outcome: served, drawnUint32s: 1 });
  });
});
