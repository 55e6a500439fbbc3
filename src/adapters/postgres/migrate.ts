import type { SqlDb, SqlExecutor } from "./sql-db.js";
import { migrations as allMigrations, type Migration } from "./migrations/index.js";

/** Advisory lock key shared by every node: "croupier" in ASCII, so it is recognisable in pg_locks. */
export const migrationLockKey = 0x63726f75706965n;

export interface MigrationReport {
  readonly applied: readonly number[];
  readonly current: number;
}

/**
 * Applies pending migrations under a session-level advisory lock, so nodes that start together
 * apply each version exactly once: the first takes the lock and migrates, the others wait for it
 * and then find nothing left to do.
 */
export async function migrate(db: SqlDb, migrations: readonly Migration[] = allMigrations): Promise<MigrationReport> {
  assertOrdered(migrations);
  return db.withConnection(async (connection) => {
    await connection.query("select pg_advisory_lock($1)", [migrationLockKey.toString()]);
    try {
      await connection.query(`create table if not exists schema_migrations (
        version integer primary key, name text not null, applied_at timestamptz not null default now())`);
      const done = new Set((await connection.query<{ version: number }>("select version from schema_migrations")).map((r) => r.version));
      const applied: number[] = [];
      for (const migration of migrations) {
        if (done.has(migration.version)) continue;
        await applyOne(connection, migration);
        applied.push(migration.version);
      }
      return { applied, current: migrations.at(-1)?.version ?? 0 };
    } finally {
      await connection.query("select pg_advisory_unlock($1)", [migrationLockKey.toString()]);
    }
  });
}

async function applyOne(connection: SqlExecutor, migration: Migration): Promise<void> {
  await connection.query("begin");
  try {
    for (const statement of splitStatements(migration.sql)) await connection.query(statement);
    await connection.query("insert into schema_migrations (version, name) values ($1, $2)", [migration.version, migration.name]);
    await connection.query("commit");
  } catch (error) {
    await connection.query("rollback");
    throw new Error(`migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`, { cause: error });
  }
}

/** Statements are separated by a semicolon at the end of a line; function bodies use $$ quoting. */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migrations must be numbered 1..n without gaps; found ${m.version} at position ${i + 1}`);
  });
}
