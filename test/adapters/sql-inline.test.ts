// Values written into SQL as literals (inlineSql: the ledger's commit message and its opening carry no
// parameters) come back exactly as they went in, on PGlite and PostgreSQL: quotes, backslashes,
// unicode, JSON, bigints beyond 2^53, nulls and empty arrays.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inlineSql } from "../../src/adapters/postgres/sql-db.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { ifAssigned } from "../support/fixtures.js";

const texts = ["plain", "O'Brien", "two '' quotes", "back\\slash \\' tricky", "ünïcødé ✓ 🎰", '{"json":"x\\"y"}', "$1 and $2 literally", ""];

describe("inlineSql", () => {
  it("writes literals, arrays with their cast, and refuses what it cannot write", () => {
    expect(inlineSql("select $1::int8, $2::text, $3::text[], $4::int8[]", [12n, "it's", ["a", null], []])).toBe(
      "select 12::int8, 'it''s'::text, ARRAY['a', NULL]::text[], ARRAY[]::int8[]",
    );
    expect(() => inlineSql("select $1::text", ["nul\u0000"])).toThrow(/U\+0000/);
    expect(() => inlineSql("select $2::text", ["one"])).toThrow(/no parameter \$2/);
    expect(() => inlineSql("select $1::int", [Number.NaN])).toThrow(/finite/);
  });
});

for (const kind of databaseKinds) {
  describe.skipIf(!kind.available)(`inlined values round-trip (${kind.name})`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await kind.create();
    });
    afterAll(async () => ifAssigned(database)?.dispose());

    it("reads back every text, bigint and null it was given, in one multi-statement message", async () => {
      const big = 9_007_199_254_740_993n;
      const sql = inlineSql("select t, $2::int8 as big, $3::text as nothing from unnest($1::text[]) with ordinality as u(t, n) order by n", [texts, big, null]);
      const rows = await database.db.transaction(async (_tx, opened) => opened, `select 1;\n${sql}`);
      expect(rows.map((r) => r.t)).toEqual(texts);
      expect(rows.every((r) => r.big === big && r.nothing === null)).toBe(true);
    });
  });
}
