import type { ArgOptions } from "../config/config.js";

/** The own flags of `croupier migrate` and `croupier user create`, parsed with the configuration flags (croupier.ts). */
export const migrateArgOptions = { "print-config": { type: "boolean" } } as const satisfies ArgOptions;
export const userCreateArgOptions = {
  username: { type: "string" },
  email: { type: "string" },
  role: { type: "string" },
  "password-stdin": { type: "boolean" },
} as const satisfies ArgOptions;
