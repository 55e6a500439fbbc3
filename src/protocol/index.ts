export * from "./errors.js";
export * from "./auth.schemas.js";
