export * from "./limits.js";
export * from "./exclusion.js";
