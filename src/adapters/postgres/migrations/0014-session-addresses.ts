import type { Migration } from "./migration.js";

/**
 * The client address a session logged in from, so "one welcome bonus per person" can link accounts by
 * address as well as by device (docs/BONUSES.md). Loopback and unknown addresses link nobody.
 */
export const m0014SessionAddresses: Migration = {
  version: 14,
  name: "sessions: the client address of the login",
  sql: `
alter table sessions add column client_address text;
create index sessions_address_idx on sessions (client_address) where client_address is not null;
`,
};
