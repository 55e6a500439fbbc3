import type { Migration } from "./migration.js";

/**
 * The risk engine (docs/RISK.md): every action it or an operator took on a player, with the rule,
 * its evidence and the score at the time, reversible by an operator; and the limits in force on a
 * player's play (bet rate, stake, games), read by every node at the bet.
 */
export const m0010Risk: Migration = {
  version: 10,
  name: "risk engine: actions with their evidence, and limits on a player's play",
  sql: `
create table risk_actions (
  id bigint generated always as identity primary key,
  user_id uuid not null references users(id),
  rule text not null,
  action text not null check (action in ('alert', 'limit', 'lock')),
  evidence jsonb not null,
  score double precision,
  created_ms bigint not null,
  reversed_ms bigint,
  reversed_by text,
  reversed_reason text,
  check ((reversed_ms is null) = (reversed_by is null))
);
create index risk_actions_user_idx on risk_actions (user_id, rule, id);
create index risk_actions_open_idx on risk_actions (id) where reversed_ms is null;

create table risk_limits (
  user_id uuid primary key references users(id),
  bets_per_minute_max integer check (bets_per_minute_max >= 0),
  stake_minor_max bigint check (stake_minor_max > 0),
  games_blocked text[] not null default '{}',
  set_by text not null,
  reason text not null,
  action_id bigint references risk_actions(id),
  updated_ms bigint not null
);
`,
};
