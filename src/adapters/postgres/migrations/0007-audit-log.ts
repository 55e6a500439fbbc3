import type { Migration } from "./migration.js";

/**
 * The audit log of operator and dealer actions (docs/SECURITY.md): who, what, on which target, why,
 * with what outcome, when and from where. Append-only in the schema itself: a trigger refuses every
 * UPDATE, DELETE and TRUNCATE, so no code path (and no mistaken query) can rewrite history; only a
 * database owner who drops the trigger can, which is outside the application's reach by design.
 * (The function body stays on one line: migrations are split at a semicolon that ends a line.)
 */
export const m0007AuditLog: Migration = {
  version: 7,
  name: "append-only audit log of operator and dealer actions",
  sql: `
create table audit_log (
  seq bigint generated always as identity primary key,
  at_ms bigint not null,
  actor_id text not null,
  actor_roles text[] not null,
  action text not null,
  target text not null,
  reason text,
  detail jsonb not null default '{}'::jsonb,
  outcome text not null,
  client_address text,
  request_id text
);
create index audit_log_actor_idx on audit_log (actor_id, seq);
create index audit_log_target_idx on audit_log (target, seq);

create function audit_log_refuse_change() returns trigger language plpgsql as $$ begin raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege'; end $$;
create trigger audit_log_no_update_delete before update or delete on audit_log for each row execute function audit_log_refuse_change();
create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_refuse_change();
`,
};
