import pg from "pg";
import type { SqlDb, SqlExecutor } from "./sql-db.js";
import { parseInt8 } from "./sql-db.js";

export interface PgDbOptions {
  connectionString: string;
  poolConnectionsMax: number;
  statementTimeoutMs: number;
  applicationName: string;
}

/** Type parsers scoped to our pools, so we never change pg's process-wide defaults. */
const typeParsers = {
  getTypeParser(oid: Parameters<typeof pg.types.getTypeParser>[0], format?: "text" | "binary"): (value: string) => unknown {
    if (oid === pg.types.builtins.INT8) return parseInt8;
    return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
  },
};

const rawClient = Symbol("pg client");
const client = (connection: SqlExecutor): pg.PoolClient => (connection as SqlExecutor & { [rawClient]: pg.PoolClient })[rawClient];

/**
 * BEGIN and the opening statements in one message (the simple query protocol: no parameters); the
 * rows of the last statement. If the opening fails, the transaction is rolled back before the error
 * goes on.
 */
async function openWith(connection: pg.PoolClient, opening: string): Promise<readonly Record<string, unknown>[]> {
  try {
    const results = (await connection.query(`begin;\n${opening}`)) as unknown as pg.QueryResult | pg.QueryResult[];
    const last = Array.isArray(results) ? results.at(-1) : results;
    return (last?.rows ?? []) as Record<string, unknown>[];
  } catch (error) {
    await connection.query("rollback").catch(() => undefined);
    throw error;
  }
}

function executor(client: pg.Pool | pg.PoolClient): SqlExecutor {
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query(sql, params as unknown[]);
      return result.rows as Row[];
    },
  };
}

export function createPgDb(options: PgDbOptions): SqlDb {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolConnectionsMax,
    statement_timeout: options.statementTimeoutMs,
    application_name: options.applicationName,
    types: typeParsers,
  });
  // An idle client that loses its server emits here; the pool replaces it. Without a listener the
  // process would crash on a database restart.
  pool.on("error", () => undefined);
  const poolExecutor = executor(pool);

  async function withConnection<T>(work: (connection: SqlExecutor) => Promise<T>): Promise<T> {
    const pooled = await pool.connect();
    // A checked-out client has no listener of the pool's: one whose server goes away (a restart, a
    // failover) emits `error`, which would crash the process. Its query fails with the error anyway;
    // the client is then destroyed on release rather than handed out again.
    let lost: Error | undefined;
    const onLost = (error: Error) => {
      lost = error;
    };
    pooled.on("error", onLost);
    try {
      return await work(Object.assign(executor(pooled), { [rawClient]: pooled }));
    } finally {
      pooled.removeListener("error", onLost);
      pooled.release(lost);
    }
  }

  return {
    driver: "postgres",
    query: <Row>(sql: string, params?: readonly unknown[]) => poolExecutor.query<Row>(sql, params),
    withConnection,
    transaction: (work, opening) =>
      withConnection(async (connection) => {
        let opened: readonly Record<string, unknown>[] = [];
        if (opening === undefined) await connection.query("begin");
        else opened = await openWith(client(connection), opening);
        let committed = false as boolean; // set by commitWith, which the type checker does not follow
        try {
          const result = await work(
            {
              query: (sql, params) => {
                if (committed) throw new Error("the transaction has committed");
                return connection.query(sql, params);
              },
              async commitWith(sql) {
                if (committed) throw new Error("the transaction has committed");
                // No parameters: the simple query protocol, which takes several statements in one message.
                await connection.query(`${sql};\ncommit`);
                committed = true;
              },
            },
            opened,
          );
          if (!committed) await connection.query("commit");
          return result;
        } catch (error) {
          await connection.query("rollback").catch(() => undefined);
          throw error;
        }
      }),
    close: () => pool.end(),
  };
}
