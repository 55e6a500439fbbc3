import type { Migration } from "./migration.js";

/**
 * Wager and loss limits (docs/RESPONSIBLE-GAMING.md): the limit kinds, and each bet of a player who
 * has one, recorded under the player's lock as it is judged — its stake, and its win once paid — so
 * racing bets on any node are counted one after another against the rolling windows.
 */
export const m0011BetLimits: Migration = {
  version: 11,
  name: "responsible gaming: wager and loss limits, the bets they count",
  sql: `
alter table rg_limits drop constraint rg_limits_kind_check;
alter table rg_limits add constraint rg_limits_kind_check check (kind in ('deposit', 'wager', 'loss'));

create table rg_bets (
  ref text primary key,
  user_id uuid not null references users(id),
  currency text not null,
  stake_minor bigint not null check (stake_minor > 0),
  win_minor bigint not null default 0 check (win_minor >= 0),
  created_ms bigint not null
);
create index rg_bets_user_time_idx on rg_bets (user_id, currency, created_ms);
`,
};
