// Where the test run finds PostgreSQL and Redis, and the per-run isolation around them.
// Every run uses its own databases (named with the run id) and its own Redis key prefix, and removes
// them when it ends. With CI=true a missing service fails the run; elsewhere its suites are skipped
// and the reason is printed.
import { randomBytes } from "node:crypto";
import { inject } from "vitest";

import { adminDatabaseUrl } from "./env.js";

export { adminDatabaseUrl, isCi, natsUrl, redisUrl } from "./env.js";

/** Decided once by the global setup: "1" when reachable, otherwise the reason it is not. */
export function serviceAvailable(name: "postgres" | "redis" | "nats"): boolean {
  return inject("croupierServices")[name] === "1";
}

export function runId(): string {
  return inject("croupierServices").runId;
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${runId()}_${randomBytes(4).toString("hex")}`;
}

export function databaseUrlFor(name: string): string {
  const url = new URL(adminDatabaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
