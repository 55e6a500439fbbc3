// The store contract harness: every SQL store suite runs against the embedded engine (PGlite) and,
// where reachable (always in CI), a fresh PostgreSQL database created for the suite and dropped after.
import pg from "pg";
import { readFileSync } from "node:fs";
import { inject } from "vitest";
import { createPgDb } from "../../src/adapters/postgres/sql-db.pg.js";
import { createPgliteDb } from "../../src/adapters/postgres/sql-db.pglite.js";
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

/**
 * A new database: empty, or (`migrated`) a copy of the run's migrated template (global-setup.ts), the
 * same as an empty one that `migrate` ran on.
 */
export async function createPostgresDatabase({ migrated = false }: { migrated?: boolean } = {}): Promise<string> {
  const name = uniqueName("croupier_t");
  const template = migrated ? inject("croupierTemplates").postgresTemplate : null;
  const admin = new pg.Client({ connectionString: adminDatabaseUrl });
  await admin.connect();
  try {
    await admin.query(template === null ? `create database "${name}"` : `create database "${name}" template "${template}"`);
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

/** The run's migrated embedded database, as PGlite dumped it (global-setup.ts); read once per file. */
let migratedPglite: Blob | undefined;

const pglite: DatabaseKind = {
  name: "pglite",
  available: true,
  async create({ migrated = true } = {}) {
    // In memory: a migrated one is loaded from the run's migrated copy; an empty one runs initdb.
    if (migrated) migratedPglite ??= new Blob([readFileSync(inject("croupierTemplates").pgliteDump)]);
    const db = await createPgliteDb(null, migrated ? { loadDataDir: migratedPglite as Blob } : {});
    return { db, url: null, dispose: () => db.close() };
  },
};

const postgres: DatabaseKind = {
  name: "postgres",
  get available() {
    return serviceAvailable("postgres");
  },
  async create({ migrated = true } = {}) {
    const url = await createPostgresDatabase({ migrated });
    const db = createPgDb({ connectionString: url, poolConnectionsMax: 8, statementTimeoutMs: 30_000, applicationName: "croupier-test" });
    return {
      db,
      url,
      dispose: async () => {
        await db.close();
        await dropPostgresDatabase(url);
      },
    };
  },
};

/** Both engines; a suite uses `describe.skipIf(!kind.available)` for each. */
export const databaseKinds: readonly DatabaseKind[] = [pglite, postgres];
