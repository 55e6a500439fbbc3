// The store contract harness: every SQL store suite runs against the embedded engine (PGlite) and,
// where reachable (always in CI), a fresh PostgreSQL database created for the suite and dropped after.
import pg from "pg";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPgDb } from "../../src/adapters/postgres/sql-db.pg.js";
import { createPgliteDb } from "../../src/adapters/postgres/sql-db.pglite.js";
import { migrate } from "../../src/adapters/postgres/migrate.js";
import type { SqlDb } from "../../src/adapters/postgres/sql-db.js";
import { adminDatabaseUrl, databaseUrlFor, serviceAvailable, uniqueName } from "./services.js";

export interface TestDatabase {
  readonly db: SqlDb;
  /** For a second process or a second pool on the same data (PostgreSQL only). */
  readonly url: string | null;
  dispose(): Promise<void>;
}

export interface DatabaseKind {
  readonly name: "pglite" | "postgres";
  readonly available: boolean;
  /** A new, empty, migrated database. */
  create(options?: { migrated?: boolean }): Promise<TestDatabase>;
}

export async function createPostgresDatabase(): Promise<string> {
  const name = uniqueName("croupier_t");
  const admin = new pg.Client({ connectionString: adminDatabaseUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  return databaseUrlFor(name);
}

export async function dropPostgresDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: adminDatabaseUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}

const pglite: DatabaseKind = {
  name: "pglite",
  available: true,
  async create({ migrated = true } = {}) {
    const dir = mkdtempSync(join(tmpdir(), "croupier-pglite-"));
    const db = await createPgliteDb(dir);
    if (migrated) await migrate(db);
    return { db, url: null, dispose: async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); } };
  },
};

const postgres: DatabaseKind = {
  name: "postgres",
  get available() { return serviceAvailable("postgres"); },
  async create({ migrated = true } = {}) {
    const url = await createPostgresDatabase();
    const db = createPgDb({ connectionString: url, poolConnectionsMax: 8, statementTimeoutMs: 30_000, applicationName: "croupier-test" });
    if (migrated) await migrate(db);
    return { db, url, dispose: async () => { await db.close(); await dropPostgresDatabase(url); } };
  },
};

/** Both engines; a suite uses `describe.skipIf(!kind.available)` for each. */
export const databaseKinds: readonly DatabaseKind[] = [pglite, postgres];
