import { PGlite } from "@electric-sql/pglite";
import { mkdirSync } from "node:fs";
import type { SqlDb, SqlExecutor } from "./sql-db.js";
import { parseInt8, pgTypeOids } from "./sql-db.js";

/**
 * PGlite runs one PostgreSQL backend in this process: one connection. Work is serialized through a
 * promise chain so a transaction never interleaves with another caller's statements.
 * `loadDataDir` (a data folder dumped by PGlite's `dumpDataDir`) starts the database as a copy of
 * that one instead of an empty one: the tests open each of their databases from one migrated copy.
 */
export async function createPgliteDb(dataDir: string | null, options: { loadDataDir?: Blob } = {}): Promise<SqlDb> {
  if (dataDir !== null) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir ?? undefined, {
    ...(options.loadDataDir === undefined ? {} : { loadDataDir: options.loadDataDir }),
    parsers: { [pgTypeOids.int8]: parseInt8 },
    // Each commit is flushed to the data folder before the caller is answered
    // (docs/OPERATIONS.md, "Embedded durability", shows the crash test that checks it).
    relaxedDurability: false,
  });
  let tail: Promise<unknown> = Promise.resolve();

  function serialize<T>(work: () => Promise<T>): Promise<T> {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  }

  const direct: SqlExecutor = {
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await db.query<Row>(sql, params as unknown[]);
      return result.rows;
    },
  };

  return {
    driver: "pglite",
    query: (sql, params) => serialize(() => direct.query(sql, params)),
    withConnection: (work) => serialize(() => work(direct)),
    transaction: (work, opening) =>
      serialize(() =>
        db.transaction(async (tx) => {
          // In-process: no round trip to save; the opening runs first and its last statement's rows are handed on.
          const opened = opening === undefined ? [] : (((await tx.exec(opening)).at(-1)?.rows ?? []) as Record<string, unknown>[]);
          return work(
            {
              async query<Row>(sql: string, params: readonly unknown[] = []) {
                return (await tx.query<Row>(sql, params as unknown[])).rows;
              },
              // One connection in this process: no lock is waited for across a round trip; PGlite commits after.
              async commitWith(sql) {
                await tx.exec(sql);
              },
            },
            opened,
          );
        }),
      ),
    close: async () => {
      await tail;
      await db.close();
    },
  };
}
