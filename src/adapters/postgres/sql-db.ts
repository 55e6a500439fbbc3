/**
 * The SQL connection every store in this folder is written against. Two drivers implement it with
 * the same SQL: PostgreSQL through `pg` (production) and PGlite, PostgreSQL compiled to WebAssembly
 * (the embedded default). Both parse int8 as bigint so money never passes through a float.
 */
export interface SqlExecutor {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

export interface SqlDb extends SqlExecutor {
  readonly driver: "postgres" | "pglite";
  /** Runs `work` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Runs `work` on one dedicated connection (session-level advisory locks need that). */
  withConnection<T>(work: (connection: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** PostgreSQL type oids whose text form we parse ourselves. */
export const pgTypeOids = { int8: 20 } as const;

export function parseInt8(text: string): bigint {
  return BigInt(text);
}
