// The audit log store on both SQL engines: entries come back newest first in pages, filtered by actor,
// action and target; the table itself refuses UPDATE, DELETE and TRUNCATE (append-only by trigger).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSqlAuditLog } from "../../src/adapters/postgres/audit-log.sql.js";
import { AuditTrail } from "../../src/app/audit/audit-trail.js";
import type { AuditEntry } from "../../src/app/ports/audit-log.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { clockAt } from "../support/manual-clock.js";
import { ifAssigned } from "../support/fixtures.js";

for (const kind of databaseKinds) {
  describe.skipIf(!kind.available)(`audit log (${kind.name})`, () => {
    let database: TestDatabase;
    let nowMs = 1_800_000_000_000;
    const failures: unknown[] = [];
    let trail: AuditTrail;
    beforeAll(async () => {
      database = await kind.create();
      trail = new AuditTrail(
        createSqlAuditLog(database.db),
        clockAt(() => nowMs),
        (error) => failures.push(error),
      );
    });
    afterAll(async () => {
      await ifAssigned(database)?.dispose();
    });

    const entry = (i: number): Omit<AuditEntry, "atMs"> => ({
      actorId: i % 2 === 0 ? "op-a" : "op-b",
      actorRoles: ["operator", "player"],
      action: i % 3 === 0 ? "round.void" : "table.limits",
      target: `roulette:${i % 2}`,
      reason: i % 3 === 0 ? `void ${i}` : null,
      detail: { roundStakeMax: `${i}.00`, nested: { n: i } },
      outcome: "applied",
      clientAddress: "198.51.100.4",
      requestId: `req-${i}`,
    });

    it("pages newest first, filters, and keeps every field", async () => {
      for (let i = 0; i < 7; i++) {
        nowMs += 1_000;
        await trail.record(entry(i));
      }
      expect(failures).toEqual([]);
      const first = await trail.page({ limit: 3 });
      expect(first.entries.map((e) => e.requestId)).toEqual(["req-6", "req-5", "req-4"]);
      expect(first.entries[0]).toMatchObject({ ...entry(6), atMs: nowMs, reason: "void 6", detail: { roundStakeMax: "6.00", nested: { n: 6 } } });
      const second = await trail.page({ limit: 3, beforeSeq: first.nextCursor as bigint });
      expect(second.entries.map((e) => e.requestId)).toEqual(["req-3", "req-2", "req-1"]);
      const last = await trail.page({ limit: 3, beforeSeq: second.nextCursor as bigint });
      expect([last.entries.map((e) => e.requestId), last.nextCursor]).toEqual([["req-0"], null]);
      expect((await trail.page({ limit: 50, actorId: "op-b" })).entries.map((e) => e.requestId)).toEqual(["req-5", "req-3", "req-1"]);
      expect((await trail.page({ limit: 50, action: "round.void", target: "roulette:0" })).entries.map((e) => e.requestId)).toEqual(["req-6", "req-0"]);
    });

    it.each([
      ["update", "update audit_log set outcome = 'forged'"],
      ["delete", "delete from audit_log where actor_id = 'op-a'"],
      ["truncate", "truncate audit_log"],
    ])("refuses %s", async (_name, sql) => {
      await expect(database.db.query(sql)).rejects.toThrow(/audit_log is append-only/);
      expect((await trail.page({ limit: 50 })).entries).toHaveLength(7);
    });
  });
}
