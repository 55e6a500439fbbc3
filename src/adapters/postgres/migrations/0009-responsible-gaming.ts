import type { Migration } from "./migration.js";

/**
 * Responsible gaming (docs/RESPONSIBLE-GAMING.md): the limits a player sets, and a player's
 * time-out, self-exclusion and operator lock. A limit row holds the amount in force and a loosening
 * waiting for its cooling-off; a loosening is applied when next read or written, never by a job.
 * Deposits are counted over rolling windows, hence the index by user and time.
 */
export const m0009ResponsibleGaming: Migration = {
  version: 9,
  name: "responsible gaming: player limits, time-outs, self-exclusions, operator locks",
  sql: `
create table rg_limits (
  user_id uuid not null references users(id),
  kind text not null check (kind in ('deposit')),
  period text not null check (period in ('day', 'week', 'month')),
  currency text not null,
  amount_minor bigint check (amount_minor > 0),
  pending_amount_minor bigint check (pending_amount_minor > 0),
  pending_at_ms bigint,
  updated_ms bigint not null,
  primary key (user_id, kind, period, currency),
  check (pending_at_ms is not null or pending_amount_minor is null)
);

create table rg_restrictions (
  user_id uuid primary key references users(id),
  exclusion_kind text check (exclusion_kind in ('time_out', 'self_exclusion')),
  exclusion_started_ms bigint,
  exclusion_until_ms bigint,
  locked_ms bigint,
  locked_by text,
  locked_reason text,
  updated_ms bigint not null,
  check ((exclusion_kind is null) = (exclusion_until_ms is null)),
  check ((locked_ms is null) = (locked_by is null))
);

create index payments_deposits_user_time_idx on payments_deposits (user_id, currency, created_ms);
`,
};
