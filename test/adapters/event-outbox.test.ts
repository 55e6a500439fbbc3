// Exported events are queued in the outbox by the transaction that decides them (docs/EVENTS.md): a
// round's end with every bet and payout (whether its bets were written in an earlier transaction or in
// the same batch, as a slot spin's are by the ledger), a risk action and its reversal. Each has a stable
// id; writing the same end again queues the same id, which the stream drops. The relay publishes them
// together, retries them for as long as the stream is down, and deletes them once published. Both
// database engines.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Value } from "@sinclair/typebox/value";
import { roundExportsSql, SqlRoundStore } from "../../src/adapters/postgres/round-store.sql.js";
import { SqlRiskStore } from "../../src/adapters/postgres/risk-store.sql.js";
import { createSqlPaymentsStore } from "../../src/adapters/postgres/payments-store.sql.js";
import { enqueueOutbox, exportEntries } from "../../src/adapters/postgres/outbox.sql.js";
import { MemoryEventExport } from "../../src/adapters/memory/event-export.memory.js";
import { OutboxRelay, type DeliveryResult } from "../../src/app/payments/outbox-relay.js";
import type { OutboxEntry } from "../../src/app/ports/payments-store.js";
import { ManualClock } from "../support/manual-clock.js";
import type { RoundRecord } from "../../src/app/ports/round-store.js";
import { RiskExportEvent, RoundExportEvent } from "../../src/protocol/events.schemas.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { ifAssigned } from "../support/fixtures.js";

const at = Date.UTC(2026, 11, 3, 10);
const round = (roundId: string, status: RoundRecord["status"], extra: Partial<RoundRecord> = {}): RoundRecord => ({
  roundId,
  tableId: "t1",
  game: "roulette",
  status,
  atMs: at,
  ...extra,
});
const bet = (betId: string, userId: string, stakeMinor: string) => ({ betId, userId, currency: "EUR", stakeMinor, detail: { type: "red" }, placedAtMs: at });

interface ExportRow {
  subject_id: string;
  payload: string;
}

for (const kind of databaseKinds) {
  describe.skipIf(!kind.available)(`exported events in the outbox (${kind.name})`, () => {
    let database: TestDatabase;
    const exported = async (): Promise<Array<{ subjectId: string; event: Record<string, unknown> }>> =>
      (await database.db.query<ExportRow>("select subject_id, payload from payments_outbox where kind = 'export' order by id")).map((r) => ({
        subjectId: r.subject_id,
        event: JSON.parse(r.payload) as Record<string, unknown>,
      }));
    beforeAll(async () => {
      database = await kind.create();
    });
    afterAll(async () => {
      await ifAssigned(database)?.dispose();
    });

    it("queues one event per ended round with every bet's stake and payout, in the transaction that ends it; none without exportEvents", async () => {
      const silent = new SqlRoundStore(database.db, { batchWaitMs: 1 });
      await silent.record(round("quiet", "open"), round("quiet", "closed", { bets: [bet("b", "ann", "100")] }), round("quiet", "settled", { payouts: [] }));
      await silent.close();
      expect(await exported()).toEqual([]);

      const rounds = new SqlRoundStore(database.db, { batchWaitMs: 1, exportEvents: true });
      // Step by step, as a table writes: the bets are in an earlier transaction than the settlement.
      await rounds.record(round("r1", "open"));
      await rounds.record(
        round("r1", "closed", { atMs: at + 10, outcome: { number: 7, color: "red" }, bets: [bet("b1", "ann", "250"), bet("b2", "ben", "100")] }),
      );
      expect(await exported()).toEqual([]);
      await rounds.record(round("r1", "settled", { atMs: at + 20, payouts: [{ betId: "b1", payoutMinor: "500" }] }));
      // Voided in one record, its bets refunded.
      await rounds.record(
        round("r2", "voided", { atMs: at + 30, voidReason: "dealer absent", bets: [bet("v1", "ann", "300")], payouts: [{ betId: "v1", payoutMinor: "300" }] }),
      );
      // The owner repeats the settlement after a failover: the same id again.
      await rounds.record(round("r1", "settled", { atMs: at + 40, payouts: [{ betId: "b1", payoutMinor: "500" }] }));
      await rounds.close();

      const events = await exported();
      for (const e of events) expect(Value.Check(RoundExportEvent, e.event), JSON.stringify(e.event)).toBe(true);
      expect(events.map((e) => [e.subjectId, e.event.id])).toEqual([
        ["round.settled:r1", "round.settled:r1"],
        ["round.voided:r2", "round.voided:r2"],
        ["round.settled:r1", "round.settled:r1"],
      ]);
      expect(events[0]?.event).toEqual({
        id: "round.settled:r1",
        type: "round.settled",
        roundId: "r1",
        tableId: "t1",
        game: "roulette",
        outcome: { number: 7, color: "red" },
        voidReason: null,
        bets: [
          { betId: "b1", userId: "ann", currency: "EUR", stakeMinor: "250", payoutMinor: "500" },
          { betId: "b2", userId: "ben", currency: "EUR", stakeMinor: "100", payoutMinor: "0" },
        ],
        atMs: at + 20,
      });
      // The repeat reports the round as first settled.
      expect(events[2]?.event).toEqual(events[0]?.event);
      expect(events[1]?.event).toMatchObject({
        type: "round.voided",
        voidReason: "dealer absent",
        bets: [{ betId: "v1", stakeMinor: "300", payoutMinor: "300" }],
        atMs: at + 30,
      });
      const backlog = await createSqlPaymentsStore(database.db).outboxBacklog();
      expect(backlog).toMatchObject({ waiting: 3, parked: 0 });
      expect(backlog.oldestWaitingMs).toBe(at + 20);
    });

    it("builds a slot spin's event from the records of the ledger batch alone, as the same event the round store would", async () => {
      const spin = [
        round("spin-1", "closed", { tableId: "crown-jewels", game: "slots", outcome: { grid: [["A"]] }, bets: [bet("spin", "cid", "100")] }),
        round("spin-1", "settled", { tableId: "crown-jewels", game: "slots", atMs: at + 5, payouts: [{ betId: "spin", payoutMinor: "1500" }] }),
        round("spin-2", "closed", { tableId: "crown-jewels", game: "slots", outcome: { grid: [["B"]] }, bets: [bet("spin", "cid", "100")] }),
      ];
      const sql = roundExportsSql(spin);
      expect(sql).not.toBeNull();
      // One multi-row insert: it shares the ledger's commit message.
      expect(sql?.match(/insert into/g)).toHaveLength(1);
      expect(roundExportsSql(spin.slice(2))).toBeNull();
      await database.db.query("delete from payments_outbox");
      await database.db.query(sql as string);
      const rounds = new SqlRoundStore(database.db, { batchWaitMs: 1, exportEvents: true });
      await rounds.record(...spin.slice(0, 2).map((r) => ({ ...r, roundId: "spin-via-store" })));
      await rounds.close();
      const [ledger, store] = (await exported()).map((e) => e.event);
      expect(ledger).toEqual({
        id: "round.settled:spin-1",
        type: "round.settled",
        roundId: "spin-1",
        tableId: "crown-jewels",
        game: "slots",
        outcome: { grid: [["A"]] },
        voidReason: null,
        bets: [{ betId: "spin", userId: "cid", currency: "EUR", stakeMinor: "100", payoutMinor: "1500" }],
        atMs: at + 5,
      });
      expect(store).toEqual({ ...ledger, id: "round.settled:spin-via-store", roundId: "spin-via-store" });
    });

    it("queues a risk action and its reversal, once: reversing again queues nothing", async () => {
      await database.db.query("delete from payments_outbox");
      const [user] = await database.db.query<{ id: string }>(
        "insert into users (username, password_hash, roles) values ('risky', 'x', array['player']) returning id",
      );
      const userId = (user as { id: string }).id;
      const quiet = new SqlRiskStore(database.db);
      await quiet.recordAction({ userId, rule: "velocity", action: "alert", evidence: { bets: 90 }, score: 0.4, atMs: at });
      expect(await exported()).toEqual([]);
      const store = new SqlRiskStore(database.db, { exportEvents: true });
      const lock = await store.recordAction({ userId, rule: "multi-account", action: "lock", evidence: { devices: 4 }, score: 0.93, atMs: at + 1 });
      await store.reverse(lock.id, "op-1", "false positive", at + 2);
      await store.reverse(lock.id, "op-2", "again", at + 3);
      const events = await exported();
      for (const e of events) expect(Value.Check(RiskExportEvent, e.event), JSON.stringify(e.event)).toBe(true);
      expect(events.map((e) => e.event)).toEqual([
        {
          id: `risk.action:${lock.id}`,
          type: "risk.action",
          actionId: lock.id,
          action: "lock",
          userId,
          rule: "multi-account",
          evidence: { devices: 4 },
          score: 0.93,
          by: null,
          reason: null,
          atMs: at + 1,
        },
        {
          id: `risk.action:${lock.id}:reverse`,
          type: "risk.action",
          actionId: lock.id,
          action: "reverse",
          userId,
          rule: "multi-account",
          evidence: { devices: 4 },
          score: 0.93,
          by: "op-1",
          reason: "false positive",
          atMs: at + 2,
        },
      ]);
    });

    it("relays export entries together, retries them past outboxAttemptsMax without parking, and deletes them once the stream has them", async () => {
      await database.db.query("delete from payments_outbox");
      const store = createSqlPaymentsStore(database.db);
      const events = [1, 2, 3].map((n) => ({
        id: `round.settled:q${n}`,
        type: "round.settled",
        payload: JSON.stringify({ id: `round.settled:q${n}`, type: "round.settled" }),
      }));
      await database.db.transaction((tx) => enqueueOutbox(tx, exportEntries(events), at));
      const stream = new MemoryEventExport(100);
      let down = true;
      let inFlight = 0;
      let inFlightMax = 0;
      const publish = async (entry: OutboxEntry): Promise<DeliveryResult> => {
        inFlight += 1;
        inFlightMax = Math.max(inFlightMax, inFlight);
        await new Promise((r) => setTimeout(r, 20));
        inFlight -= 1;
        if (down) throw new Error("stream down");
        await stream.publish({ id: entry.subjectId, type: (JSON.parse(entry.payload) as { type: string }).type, payload: entry.payload });
        return { status: "done" };
      };
      const done = async (): Promise<DeliveryResult> => ({ status: "done" });
      const warnings: string[] = [];
      const clock = new ManualClock(at);
      const relay = new OutboxRelay(
        store,
        { "withdrawal.hold": done, "withdrawal.payout": done, "withdrawal.release": done, event: done, export: publish },
        clock,
        { outboxPollIntervalMs: 1_000, outboxLeaseMs: 10_000, outboxAttemptsMax: 2 },
        { warn: (_c, m) => warnings.push(m), error: (_c, m) => warnings.push(m) },
      );
      for (let poll = 0; poll < 4; poll++) {
        expect(await relay.pollOnce()).toBe(3);
        await clock.advance(61_000);
      }
      expect(await store.outboxBacklog()).toMatchObject({ waiting: 3, parked: 0 });
      // One warning per 10 s at most about failing exports, not one per event.
      expect(warnings).toHaveLength(4);
      down = false;
      expect(await relay.pollOnce()).toBe(3);
      expect(inFlightMax).toBe(3);
      expect(stream.read(0, 10).map((e) => e.id)).toEqual(expect.arrayContaining(events.map((e) => e.id)));
      expect(await database.db.query("select id from payments_outbox")).toEqual([]);
    });

    it("deletes a delivered export entry, and keeps a delivered payment entry as done", async () => {
      const store = createSqlPaymentsStore(database.db);
      await database.db.query("delete from payments_outbox");
      await database.db.query(
        "insert into payments_outbox (kind, subject_id, payload, next_attempt_ms, created_ms) values ('export', 'round.settled:x', '{}', 0, 0), ('event', 'd1', '{}', 0, 0)",
      );
      const claimed = await store.claimOutbox({ nowMs: at, leaseMs: 1_000, limit: 10 });
      expect(claimed.map((e) => e.kind)).toEqual(["export", "event"]);
      for (const entry of claimed) await store.completeOutbox(entry.id, at);
      expect(await database.db.query("select kind, done_ms from payments_outbox")).toEqual([{ kind: "event", done_ms: BigInt(at) }]);
      expect(await store.outboxBacklog()).toEqual({ waiting: 0, parked: 0, oldestWaitingMs: null });
    });
  });
}
