import type { Migration } from "./migration.js";

/**
 * Provably fair: server seeds revealed after their rounds (a player rotating their slot seed, a
 * blackjack shoe replaced), keyed by the SHA-256 committed before play. Game recall joins a round's
 * `verification.serverSeedHash` to this table, so a round recorded before its seed was revealed shows
 * the seed once it is. A seed is written here only at its reveal, never earlier.
 */
export const m0008SeedReveals: Migration = {
  version: 8,
  name: "revealed server seeds",
  sql: `
create table fair_seed_reveals (
  server_seed_hash text primary key,
  server_seed text not null,
  revealed_at timestamptz not null
);
`,
};
