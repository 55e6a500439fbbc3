/**
 * Every effect of a judged batch in one statement: transfers, balances, holds and idempotency keys
 * are written together or not at all. Arrays go whole (unnest). $24 is the number of holds the batch
 * resolves: each was pending under the batch's lock, and if the update finds another number (a writer
 * that bypassed the rules) the statement fails (division by zero) and the batch with it.
 */
export const ledgerWriteSql = `
with transfers as (
  insert into ledger_transfers (op_key, leg, debit_account_id, credit_account_id, amount, currency, kind, reference, hold_id)
  select * from unnest($1::text[], $2::int2[], $3::int8[], $4::int8[], $5::int8[], $6::text[], $7::text[], $8::text[], $9::text[])
), balances as (
  update ledger_accounts a set balance = v.balance, held = v.held
  from unnest($10::int8[], $11::int8[], $12::int8[]) as v(id, balance, held) where a.id = v.id
), holds_created as (
  insert into ledger_holds (id, account_id, currency, amount, reference, status, resolved_at)
  select h.id, h.account_id, h.currency, h.amount, h.reference, h.status, case when h.status = 'pending' then null else now() end
  from unnest($13::text[], $14::int8[], $15::text[], $16::int8[], $17::text[], $18::text[]) as h(id, account_id, currency, amount, reference, status)
), holds_resolved as (
  update ledger_holds h set status = v.status, resolved_at = now()
  from unnest($19::text[], $20::text[]) as v(id, status) where h.id = v.id and h.status = 'pending'
  returning h.id
), keys as (
  insert into ledger_idempotency (key, fingerprint, outcome)
  select * from unnest($21::text[], $22::text[], $23::json[])
)
select 1 / (case when count(*) = $24::int then 1 else 0 end) as resolved from holds_resolved`;

/**
 * House and clearing accounts (and pools) change by the batch's net amount, as the batch's last
 * statement, sent with the commit: these rows are shared by every batch, and the row lock this takes
 * is held only while the server runs that one message. Several rows are locked first in id order (an
 * update through a join would lock them in no particular order). The values are bigints written as
 * literals (the message carries no parameters so that it may hold several statements).
 */
export function ledgerRelativeUpdateLiteralSql(rows: readonly { readonly accountId: bigint; readonly delta: bigint }[]): string {
  const ids = rows.map((r) => `${r.accountId.toString()}::int8`).join(", ");
  const values = rows.map((r) => `(${r.accountId.toString()}::int8, ${r.delta.toString()}::int8)`).join(", ");
  const lock = rows.length > 1 ? `select id from ledger_accounts where id in (${ids}) order by id for update;\n` : "";
  return `${lock}update ledger_accounts a set balance = a.balance + v.delta from (values ${values}) as v(id, delta) where a.id = v.id`;
}

export const ledgerCheckSql = {
  /** Debits and credits are summed from each side's account currency, so a stray currency shows. */
  perCurrency: `
with sides as (
  select a.currency, t.amount as debit, 0::int8 as credit from ledger_transfers t join ledger_accounts a on a.id = t.debit_account_id
  union all
  select a.currency, 0::int8, t.amount from ledger_transfers t join ledger_accounts a on a.id = t.credit_account_id
), flows as (
  select currency, coalesce(sum(debit), 0)::int8 as debits, coalesce(sum(credit), 0)::int8 as credits from sides group by currency
), balances as (
  select currency, sum(balance)::int8 as balances from ledger_accounts group by currency
)
select b.currency, coalesce(f.debits, 0)::int8 as debits, coalesce(f.credits, 0)::int8 as credits, b.balances
from balances b left join flows f using (currency) order by b.currency`,
  perAccount: `
with net as (
  select account_id, sum(delta)::int8 as net from (
    select debit_account_id as account_id, -amount as delta from ledger_transfers
    union all select credit_account_id, amount from ledger_transfers) d group by account_id
), pending as (
  select account_id, sum(amount)::int8 as held from ledger_holds where status = 'pending' group by account_id
)
select
  (select count(*) from ledger_transfers t
     left join ledger_accounts d on d.id = t.debit_account_id left join ledger_accounts c on c.id = t.credit_account_id
     where d.currency is distinct from t.currency or c.currency is distinct from t.currency)::int8 as transfers_mismatched,
  count(*) filter (where a.balance <> coalesce(n.net, 0))::int8 as mismatched,
  count(*) filter (where a.held <> coalesce(p.held, 0))::int8 as held_mismatched,
  count(*) filter (where a.kind not in ('house', 'payment_clearing') and a.balance - a.held < 0)::int8 as negative
from ledger_accounts a left join net n on n.account_id = a.id left join pending p on p.account_id = a.id`,
};
