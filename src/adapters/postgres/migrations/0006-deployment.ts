import type { Migration } from "./migration.js";

/**
 * The identity of a deployment, which is its database: every node of it reads the same row. `id`
 * scopes the deployment's Redis keys and channels; `bus_secret` signs the messages its nodes send
 * each other over Redis pub/sub (a node drops anything not signed with it). Both are drawn once,
 * here, from PostgreSQL's strong random source (gen_random_uuid: 122 random bits each).
 */
export const m0006Deployment: Migration = {
  version: 6,
  name: "deployment identity and bus secret",
  sql: `
create table deployment (
  singleton boolean primary key default true check (singleton),
  id text not null,
  bus_secret text not null,
  created_at timestamptz not null default now()
);
insert into deployment (id, bus_secret) values (
  substr(replace(gen_random_uuid()::text, '-', ''), 1, 12),
  replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')
);
`,
};
