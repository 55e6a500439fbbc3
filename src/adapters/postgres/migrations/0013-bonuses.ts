import type { Migration } from "./migration.js";

/**
 * Bonuses (docs/BONUSES.md): the two new ledger transfer kinds (a bonus converted to cash, what is
 * left of an expired or cancelled one forfeited to the house), each bonus with its terms and progress,
 * and the bets that counted towards its wagering, keyed so a retried bet counts once.
 *
 * `closed_minor` is null until the bonus's last money step is done (the grant of a pending bonus, the
 * conversion or the forfeit of an ended one): a player has at most one bonus per currency that is not
 * closed, so the bonus purse always belongs to one bonus. `closing_minor` is the amount that step is
 * moving, written before the ledger call so a retry repeats the same request under the same key.
 */
export const m0013Bonuses: Migration = {
  version: 13,
  name: "bonuses: conversion and forfeit transfers, bonuses and their wagering",
  sql: `
alter table ledger_transfers drop constraint ledger_transfers_kind_check;
alter table ledger_transfers add constraint ledger_transfers_kind_check check (kind in ('bet_stake','bet_win','jackpot_win','deposit','withdrawal_request','withdrawal_payout','withdrawal_reject','bonus_grant','bonus_conversion','bonus_forfeit','jackpot_contribution','adjustment'));

create table bonuses (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users(id),
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  kind text not null check (kind in ('welcome', 'manual')),
  status text not null check (status in ('pending', 'active', 'converted', 'expired', 'cancelled')),
  amount_minor bigint not null check (amount_minor > 0),
  wagering_required_minor bigint not null check (wagering_required_minor >= 0),
  wagered_minor bigint not null default 0 check (wagered_minor >= 0),
  max_bet_minor bigint not null check (max_bet_minor > 0),
  game_weights jsonb not null,
  expires_ms bigint not null,
  granted_by text not null,
  request_key text not null unique,
  created_ms bigint not null,
  activated_ms bigint,
  ended_ms bigint,
  end_reason text,
  closing_minor bigint check (closing_minor >= 0),
  closed_minor bigint check (closed_minor >= 0),
  closed_ms bigint,
  check ((status in ('pending', 'active')) = (ended_ms is null))
);
create unique index bonuses_open_idx on bonuses (user_id, currency) where closed_minor is null;
create unique index bonuses_welcome_idx on bonuses (user_id) where kind = 'welcome';
create index bonuses_status_idx on bonuses (status, created_ms);
create index bonuses_user_idx on bonuses (user_id, created_ms);
create index bonuses_due_idx on bonuses (expires_ms) where closed_minor is null;

create table bonus_wagers (
  bonus_id uuid not null references bonuses(id),
  ref text not null,
  game text not null,
  stake_minor bigint not null check (stake_minor > 0),
  counted_minor bigint not null check (counted_minor >= 0),
  reason text not null,
  created_ms bigint not null,
  primary key (bonus_id, ref)
);
create index sessions_device_idx on sessions (device_id) where device_id <> 'unknown';
`,
};
