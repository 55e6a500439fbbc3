export * from "./errors.js";
export * from "./auth.schemas.js";
export * from "./wallet.schemas.js";
export * from "./fairness.schemas.js";
export * from "./events.schemas.js";
export * from "./responsible-gaming.schemas.js";
export * from "./bonuses.schemas.js";
