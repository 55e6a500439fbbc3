import type { Migration } from "./migration.js";

/**
 * Session time limits (docs/RESPONSIBLE-GAMING.md): how long a player's session may last before the
 * server ends it, with a loosening waiting for its cooling-off, as the money limits have.
 */
export const m0012SessionLimits: Migration = {
  version: 12,
  name: "responsible gaming: session time limits",
  sql: `
create table rg_session_limits (
  user_id uuid primary key references users(id),
  minutes integer check (minutes > 0),
  pending_minutes integer check (pending_minutes > 0),
  pending_at_ms bigint,
  updated_ms bigint not null,
  check (pending_at_ms is not null or pending_minutes is null)
);
`,
};
