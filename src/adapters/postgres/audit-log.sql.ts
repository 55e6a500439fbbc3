import type { AuditEntry, AuditLog, AuditQuery, AuditRecord } from "../../app/ports/audit-log.js";
import type { SqlExecutor } from "./sql-db.js";

interface AuditRow {
  seq: bigint | string; // converted with BigInt whatever the driver parses int8 to
  at_ms: bigint;
  actor_id: string;
  actor_roles: string[];
  action: string;
  target: string;
  reason: string | null;
  detail: Record<string, unknown> | string;
  outcome: string;
  client_address: string | null;
  request_id: string | null;
}

const seqMax = 2n ** 63n - 1n;

/** The audit log in SQL: insert and select only (the table's trigger refuses anything else). */
export function createSqlAuditLog(db: SqlExecutor): AuditLog {
  return {
    async append(entry: AuditEntry) {
      await db.query(
        `insert into audit_log (at_ms, actor_id, actor_roles, action, target, reason, detail, outcome, client_address, request_id)
         values ($1, $2, $3::text[], $4, $5, $6, $7::jsonb, $8, $9, $10)`,
        [
          entry.atMs,
          entry.actorId,
          [...entry.actorRoles],
          entry.action,
          entry.target,
          entry.reason,
          JSON.stringify(entry.detail),
          entry.outcome,
          entry.clientAddress,
          entry.requestId,
        ],
      );
    },

    async list(query: AuditQuery) {
      const rows = await db.query<AuditRow>(
        `select seq, at_ms, actor_id, actor_roles, action, target, reason, detail, outcome, client_address, request_id from audit_log
         where seq < $1 and ($2::text is null or actor_id = $2) and ($3::text is null or action = $3) and ($4::text is null or target = $4)
         order by seq desc limit $5`,
        [(query.beforeSeq ?? seqMax).toString(), query.actorId ?? null, query.action ?? null, query.target ?? null, query.limit],
      );
      return rows.map(toRecord);
    },
  };
}

function toRecord(row: AuditRow): AuditRecord {
  return {
    seq: BigInt(row.seq),
    atMs: Number(row.at_ms),
    actorId: row.actor_id,
    actorRoles: row.actor_roles,
    action: row.action,
    target: row.target,
    reason: row.reason,
    detail: typeof row.detail === "string" ? (JSON.parse(row.detail) as Record<string, unknown>) : row.detail,
    outcome: row.outcome,
    clientAddress: row.client_address,
    requestId: row.request_id,
  };
}
