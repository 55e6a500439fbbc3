import type { Migration } from "./migration.js";

/**
 * Payments (docs/PAYMENTS.md): deposits and withdrawals with their status, the outbox of effects
 * still to deliver, and the idempotency keys of HTTP requests. Card numbers never reach these
 * tables: a card is a provider token and a masked label. Times are epoch milliseconds from the
 * application's clock, so tests can move time.
 */
export const m0004Payments: Migration = {
  version: 4,
  name: "payments, withdrawals, outbox, request keys",
  sql: `
create table payments_deposits (
  id uuid primary key default gen_random_uuid(),
  user_id text not null,
  request_key text not null,
  provider text not null,
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  amount bigint not null check (amount > 0),
  card_token text not null,
  card_label text not null,
  provider_payment_id text,
  status text not null check (status in ('pending','credited','declined','failed')),
  reason text,
  created_ms bigint not null,
  updated_ms bigint not null,
  constraint payments_deposits_request_key unique (user_id, request_key)
);
create unique index payments_deposits_provider_payment_key on payments_deposits (provider, provider_payment_id) where provider_payment_id is not null;

create table payments_withdrawals (
  id uuid primary key default gen_random_uuid(),
  seq bigint generated always as identity unique,
  user_id text not null,
  request_key text not null,
  provider text not null,
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  amount bigint not null check (amount > 0),
  card_token text not null,
  card_label text not null,
  status text not null check (status in ('requested','pending','refused','approved','paid','rejected','failed')),
  reason text,
  decided_by text,
  provider_payout_id text,
  created_ms bigint not null,
  updated_ms bigint not null,
  constraint payments_withdrawals_request_key unique (user_id, request_key)
);
create index payments_withdrawals_user_idx on payments_withdrawals (user_id, created_ms);
create index payments_withdrawals_status_idx on payments_withdrawals (status, seq);

create table payments_outbox (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('withdrawal.hold','withdrawal.payout','withdrawal.release','event')),
  subject_id text not null,
  payload text not null default '',
  attempts integer not null default 0,
  next_attempt_ms bigint not null,
  locked_until_ms bigint not null default 0,
  done_ms bigint,
  parked_ms bigint,
  last_error text,
  created_ms bigint not null
);
create index payments_outbox_due_idx on payments_outbox (next_attempt_ms, id) where done_ms is null and parked_ms is null;

create table payments_request_keys (
  scope text not null,
  key text not null,
  fingerprint text not null,
  state text not null check (state in ('running','done')),
  status_code integer,
  response text,
  locked_until_ms bigint not null,
  created_ms bigint not null,
  primary key (scope, key)
);
`,
};
