import type { RequestKeyState, RequestKeyStore } from "../../app/ports/payments-store.js";
import type { SqlDb } from "./sql-db.js";

interface KeyRow {
  fingerprint: string;
  state: "running" | "done";
  status_code: number | null;
  response: string | null;
  locked_until_ms: bigint;
}

/** Idempotency keys of HTTP requests on PostgreSQL or PGlite (table payments_request_keys). */
export function createSqlRequestKeyStore(db: SqlDb): RequestKeyStore {
  return {
    begin: (scope, key, fingerprint, nowMs, leaseMs) =>
      db.transaction(async (tx): Promise<RequestKeyState> => {
        const inserted = await tx.query(
          `insert into payments_request_keys (scope, key, fingerprint, state, locked_until_ms, created_ms) values ($1, $2, $3, 'running', $4, $5)
         on conflict (scope, key) do nothing returning key`,
          [scope, key, fingerprint, nowMs + leaseMs, nowMs],
        );
        if (inserted.length > 0) return { state: "fresh" };
        const [row] = await tx.query<KeyRow>(
          "select fingerprint, state, status_code, response, locked_until_ms from payments_request_keys where scope = $1 and key = $2 for update",
          [scope, key],
        );
        // Released by the request that held it between our insert and this read: take it now.
        if (row === undefined) {
          await tx.query(
            `insert into payments_request_keys (scope, key, fingerprint, state, locked_until_ms, created_ms) values ($1, $2, $3, 'running', $4, $5)`,
            [scope, key, fingerprint, nowMs + leaseMs, nowMs],
          );
          return { state: "fresh" };
        }
        if (row.fingerprint !== fingerprint) return { state: "conflict" };
        if (row.state === "done") return { state: "replay", statusCode: row.status_code ?? 200, body: row.response ?? "" };
        if (Number(row.locked_until_ms) > nowMs) return { state: "in_progress" };
        // The request that held it died: whatever it did is idempotent underneath, so finish it now.
        await tx.query("update payments_request_keys set locked_until_ms = $3 where scope = $1 and key = $2", [scope, key, nowMs + leaseMs]);
        return { state: "fresh" };
      }),

    async complete(scope, key, statusCode, body) {
      await db.query("update payments_request_keys set state = 'done', status_code = $3, response = $4 where scope = $1 and key = $2", [
        scope,
        key,
        statusCode,
        body,
      ]);
    },

    async release(scope, key) {
      await db.query("delete from payments_request_keys where scope = $1 and key = $2 and state = 'running'", [scope, key]);
    },
  };
}
