import type { Migration } from "./migration.js";

/**
 * Game recall: every round of every table with its outcome, verification data and each bet with
 * its payout. Written by the table's owner as the round moves; kept for the retention an operator
 * sets (rows are only ever deleted by the retention job, never edited once settled).
 */
export const m0003GameRounds: Migration = {
  version: 3,
  name: "game rounds and bets",
  sql: `
create table game_rounds (
  id text primary key,
  table_id text not null,
  game text not null,
  status text not null check (status in ('open','closed','settled','voided')),
  outcome jsonb,
  verification jsonb,
  void_reason text,
  opened_at timestamptz not null,
  closed_at timestamptz,
  settled_at timestamptz
);
create index game_rounds_table_idx on game_rounds (table_id, opened_at desc);

create table game_bets (
  round_id text not null references game_rounds(id),
  bet_id text not null,
  user_id text not null,
  currency text not null,
  stake bigint not null check (stake > 0),
  payout bigint check (payout >= 0),
  detail jsonb not null,
  placed_at timestamptz not null,
  primary key (round_id, bet_id)
);
create index game_bets_user_idx on game_bets (user_id, placed_at desc);
`,
};
