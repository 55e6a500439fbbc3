/**
 * The public surface of the pure core. RNG primitives are exported flat (every game uses them); each
 * game is a namespace, since games share verbs like `spin` and `settle`.
 */
export * from "./rng/index.js";
export * from "./fairness/index.js";
export * as math from "./math/index.js";
export * as roulette from "./roulette/index.js";
export * as poker from "./poker/index.js";
export * as slots from "./slots/index.js";
export * as blackjack from "./blackjack/index.js";
export * as holdem from "./holdem/index.js";
export * as certify from "./certify/index.js";
