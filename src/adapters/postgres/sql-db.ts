/**
 * The SQL connection every store in this folder is written against. Two drivers implement it with
 * the same SQL: PostgreSQL through `pg` (production) and PGlite, PostgreSQL compiled to WebAssembly
 * (the embedded default). Both parse int8 as bigint so money never passes through a float.
 */
export interface SqlExecutor {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

/** A transaction's connection. */
export interface SqlTransaction extends SqlExecutor {
  /**
   * Runs `sql` (one or more statements, no parameters: the caller writes only literals it built
   * itself, such as bigints) and the commit in one round trip, so row locks `sql` takes are held
   * only for its own execution and the commit. Nothing may follow it in the transaction.
   */
  commitWith(sql: string): Promise<void>;
}

export interface SqlDb extends SqlExecutor {
  readonly driver: "postgres" | "pglite";
  /** Runs `work` in one transaction; commits when it resolves (unless it did with `commitWith`), rolls back when it throws. */
  transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T>;
  /** Runs `work` on one dedicated connection (session-level advisory locks need that). */
  withConnection<T>(work: (connection: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** PostgreSQL type oids whose text form we parse ourselves. */
export const pgTypeOids = { int8: 20 } as const;

export function parseInt8(text: string): bigint {
  return BigInt(text);
}
