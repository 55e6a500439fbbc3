import pg from "pg";
import type { SqlDb, SqlExecutor } from "./sql-db.js";
import { parseInt8, pgTypeOids } from "./sql-db.js";

export interface PgDbOptions {
  connectionString: string;
  poolConnectionsMax: number;
  statementTimeoutMs: number;
  applicationName: string;
}

/** Type parsers scoped to our pools, so we never change pg's process-wide defaults. */
const typeParsers = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === pgTypeOids.int8) return parseInt8;
    return pg.types.getTypeParser(oid, format);
  },
};

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
    const client = await pool.connect();
    try {
      return await work(executor(client));
    } finally {
      client.release();
    }
  }

  return {
    driver: "postgres",
    query: poolExecutor.query,
    withConnection,
    transaction: (work) =>
      withConnection(async (connection) => {
        await connection.query("begin");
        let committed = false;
        try {
          const result = await work({
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
          });
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
