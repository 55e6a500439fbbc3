import type { Migration } from "./migration.js";

/**
 * The double-entry ledger (docs/LEDGER.md). Balances are bigint minor units. The database refuses
 * what the rules in src/engine/ledger refuse too, so a bug in one is caught by the other:
 * a negative available balance on an account that holds someone's money, an edited or deleted
 * transfer, a hold resolved twice, a hold on an account of another currency.
 *
 * Transfers carry no foreign keys: the two per-row checks cost a third of a batch's write (measured,
 * docs/LEDGER.md). The rules check that both accounts exist in the transfer's currency under lock,
 * and the ledger check query proves it for every stored row.
 *
 * Accounts leave half of each page free (fillfactor 50) so a balance update is a HOT update that
 * touches no index: every batch updates every account it moved.
 */
export const m0002Ledger: Migration = {
  version: 2,
  name: "double-entry ledger",
  sql: `
create table ledger_accounts (
  id bigint generated always as identity primary key,
  owner text not null check (length(owner) between 1 and 128),
  kind text not null check (kind in ('player_cash','player_bonus','house','jackpot_pool','payment_clearing','withdrawals_pending')),
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  balance bigint not null default 0,
  held bigint not null default 0 check (held >= 0),
  created_at timestamptz not null default now(),
  constraint ledger_accounts_available_check check (kind in ('house','payment_clearing') or balance - held >= 0),
  constraint ledger_accounts_address_key unique (owner, kind, currency),
  constraint ledger_accounts_id_currency_key unique (id, currency)
) with (fillfactor = 50);

create table ledger_transfers (
  id bigint generated always as identity primary key,
  op_key text not null,
  leg smallint not null check (leg >= 0),
  debit_account_id bigint not null,
  credit_account_id bigint not null,
  amount bigint not null check (amount > 0),
  currency text not null,
  kind text not null check (kind in ('bet_stake','bet_win','jackpot_win','deposit','withdrawal_request','withdrawal_payout','withdrawal_reject','bonus_grant','jackpot_contribution','adjustment')),
  reference text not null,
  hold_id text,
  created_at timestamptz not null default now(),
  check (debit_account_id <> credit_account_id)
);
create index ledger_transfers_debit_idx on ledger_transfers (debit_account_id, id);
create index ledger_transfers_credit_idx on ledger_transfers (credit_account_id, id);

create table ledger_holds (
  id text primary key,
  account_id bigint not null,
  currency text not null,
  amount bigint not null check (amount > 0),
  reference text not null,
  status text not null check (status in ('pending','posted','voided')),
  created_at timestamptz not null default now(),
  resolved_at timestamptz,
  check ((status = 'pending') = (resolved_at is null)),
  foreign key (account_id, currency) references ledger_accounts (id, currency)
);
create index ledger_holds_pending_idx on ledger_holds (account_id) where status = 'pending';

create table ledger_idempotency (
  key text primary key,
  fingerprint text not null,
  outcome json not null,
  created_at timestamptz not null default now()
);

create function ledger_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'ledger rows are immutable: % on % refused', tg_op, tg_table_name; end
$$;

create trigger ledger_transfers_immutable before update or delete on ledger_transfers
  for each statement execute function ledger_refuse_change();

create trigger ledger_idempotency_immutable before update or delete on ledger_idempotency
  for each statement execute function ledger_refuse_change();

create trigger ledger_holds_resolved_once before update on ledger_holds
  for each row when (old.status <> 'pending' or new.id <> old.id or new.amount <> old.amount or new.account_id <> old.account_id)
  execute function ledger_refuse_change();

create trigger ledger_holds_no_delete before delete on ledger_holds
  for each statement execute function ledger_refuse_change();
`,
};
