import type { NewOutboxEntry } from "../../app/ports/payments-store.js";
import type { ExportedEvent } from "../../app/ports/event-export.js";
import { inlineSql, type SqlExecutor } from "./sql-db.js";

/**
 * Inserts into `payments_outbox` (migrations 0004, 0015): one multi-row statement for any number of
 * entries, in the transaction that decided them. Payments queue their effects and events with it; the
 * round store, the ledger batch (slot spins) and the risk store queue the events they export.
 */
function outboxInsert(entries: readonly NewOutboxEntry[], nowMs: number): { readonly sql: string; readonly params: readonly unknown[] } {
  return {
    sql: `insert into payments_outbox (kind, subject_id, payload, next_attempt_ms, created_ms)
     select kind, subject_id, payload, $4, $4 from unnest($1::text[], $2::text[], $3::text[]) as e(kind, subject_id, payload) returning id`,
    params: [entries.map((e) => e.kind), entries.map((e) => e.subjectId), entries.map((e) => e.payload ?? ""), nowMs],
  };
}

/** Queues `entries`; returns their ids in order. */
export async function enqueueOutbox(tx: SqlExecutor, entries: readonly NewOutboxEntry[], nowMs: number): Promise<bigint[]> {
  if (entries.length === 0) return [];
  const { sql, params } = outboxInsert(entries, nowMs);
  const rows = await tx.query<{ id: bigint }>(sql, params);
  return rows.map((r) => r.id).sort((a, b) => (a < b ? -1 : 1));
}

/** The same insert with its values written in, to share a message with other statements (the ledger's commit). */
export function enqueueOutboxSql(entries: readonly NewOutboxEntry[], nowMs: number): string | null {
  if (entries.length === 0) return null;
  const { sql, params } = outboxInsert(entries, nowMs);
  return inlineSql(sql, params);
}

/** Outbox entries that publish `events` to the export stream (the relay's `export` kind; the subject is the event's id). */
export function exportEntries(events: readonly ExportedEvent[]): NewOutboxEntry[] {
  return events.map((e) => ({ kind: "export", subjectId: e.id, payload: e.payload }));
}
