// Migrations: applied once, in order, even when several nodes start together.
import { afterAll, describe, expect, it } from "vitest";
import { createPgDb } from "../../src/adapters/postgres/sql-db.pg.js";
import { migrate, splitStatements } from "../../src/adapters/postgres/migrate.js";
import { migrations } from "../../src/adapters/postgres/migrations/index.js";
import { databaseKinds } from "../support/databases.js";

describe("splitStatements", () => {
  it("splits on a semicolon that ends a line", () => {
    expect(splitStatements("create table a (x int);\ncreate index i on a (x);\n")).toEqual(["create table a (x int)", "create index i on a (x)"]);
  });
});

for (const kind of databaseKinds) {
  describe.skipIf(!kind.available)(`migrate (${kind.name})`, () => {
    const disposers: Array<() => Promise<void>> = [];
    afterAll(async () => {
      for (const d of disposers) await d();
    });

    it("applies every migration once and is a no-op the second time", async () => {
      const database = await kind.create({ migrated: false });
      disposers.push(() => database.dispose());
      const first = await migrate(database.db);
      expect(first.applied).toEqual(migrations.map((m) => m.version));
      const second = await migrate(database.db);
      expect(second.applied).toEqual([]);
      const rows = await database.db.query<{ version: number }>("select version from schema_migrations order by version");
      expect(rows.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
    });

    it("rolls back a failing migration entirely", async () => {
      const database = await kind.create({ migrated: false });
      disposers.push(() => database.dispose());
      const broken = [
        ...migrations,
        { version: (migrations.at(-1)?.version ?? 0) + 1, name: "broken", sql: "create table half_done (x int);\nselect * from no_such_table;\n" },
      ];
      await expect(migrate(database.db, broken)).rejects.toThrow(/broken/);
      const tables = await database.db.query("select 1 from information_schema.tables where table_name = 'half_done'");
      expect(tables).toHaveLength(0);
    });
  });
}

describe.skipIf(!databaseKinds[1]?.available)("migrate from several nodes at once (postgres)", () => {
  it("applies each version exactly once under the advisory lock", async () => {
    const database = await databaseKinds[1]!.create({ migrated: false });
    const nodes = Array.from({ length: 4 }, () =>
      createPgDb({ connectionString: database.url!, poolConnectionsMax: 2, statementTimeoutMs: 30_000, applicationName: "migrate-test" }),
    );
    try {
      const reports = await Promise.all(nodes.map((db) => migrate(db)));
      const appliedCounts = reports.map((r) => r.applied.length).sort();
      expect(appliedCounts).toEqual([0, 0, 0, migrations.length]);
      const rows = await database.db.query<{ n: bigint }>("select count(*) as n from schema_migrations");
      expect(rows[0]?.n).toBe(BigInt(migrations.length));
    } finally {
      for (const db of nodes) await db.close();
      await database.dispose();
    }
  });
});
