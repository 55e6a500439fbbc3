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
  /**
   * Runs `work` in one transaction; commits when it resolves (unless it did with `commitWith`), rolls
   * back when it throws. `opening` (statements without parameters, as `inlineSql` writes them) is sent
   * with the BEGIN in one message, and `work` gets the rows of its last statement: a transaction whose
   * first reads are known up front saves a round trip.
   */
  transaction<T>(work: (tx: SqlTransaction, opened: readonly Record<string, unknown>[]) => Promise<T>, opening?: string): Promise<T>;
  /** Runs `work` on one dedicated connection (session-level advisory locks need that). */
  withConnection<T>(work: (connection: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A value as an SQL literal: strings quoted (standard_conforming_strings), arrays as ARRAY[...]. */
function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof Date) return literal(value.toISOString());
  if (Array.isArray(value)) return `ARRAY[${value.map(literal).join(", ")}]`;
  if (typeof value === "string") {
    // The database refuses NUL in text; the gateway refuses it before anything gets here.
    if (value.includes("\u0000")) throw new Error("text must not contain U+0000");
    return `'${value.replaceAll("'", "''")}'`;
  }
  throw new Error(`no SQL literal for a ${typeof value}`);
}

/**
 * A parameterised statement with its parameters written in as literals, so that it can share one
 * message with other statements (the simple query protocol takes no parameters). Every `$n` must be
 * followed by a cast (`$1::text[]`), which also types an empty ARRAY[]. Strings are quoted with
 * standard_conforming_strings (the default of PostgreSQL and PGlite): a quote is doubled, nothing
 * else is special.
 */
export function inlineSql(sql: string, params: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_match, n: string) => {
    const index = Number(n) - 1;
    if (index < 0 || index >= params.length) throw new Error(`no parameter $${n}`);
    return literal(params[index]);
  });
}

/** PostgreSQL type oids whose text form we parse ourselves. */
export const pgTypeOids = { int8: 20 } as const;

export function parseInt8(text: string): bigint {
  return BigInt(text);
}
