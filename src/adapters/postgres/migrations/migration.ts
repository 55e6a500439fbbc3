/** One versioned schema change: plain SQL that both PostgreSQL and PGlite run. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}
