import type { Migration } from "./migration.js";

export const m0001Accounts: Migration = {
  version: 1,
  name: "accounts and sessions",
  sql: `
create table users (
  id uuid primary key default gen_random_uuid(),
  username text not null,
  email text,
  password_hash text not null,
  roles text[] not null check (cardinality(roles) > 0 and roles <@ array['player','dealer','operator']),
  created_at timestamptz not null default now()
);
create unique index users_username_key on users (username);
create unique index users_email_key on users (email) where email is not null;

create table sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users(id),
  device_id text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  revoked_reason text
);
create index sessions_user_idx on sessions (user_id);

create table refresh_tokens (
  token_hash bytea primary key,
  session_id uuid not null references sessions(id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  rotated_at timestamptz
);
create index refresh_tokens_session_idx on refresh_tokens (session_id);
`,
};
