import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { AuthService, Principal } from "../../app/auth/auth.service.js";
import type { RoomLog } from "../../app/ports/room-log.js";
import type { RoomDirectory } from "../../app/rooms/room-directory.js";
import type { HostReply } from "../../app/rooms/room-host.js";
import { summarizeTable, type TableRef } from "../../app/tables/table-summary.js";
import { ErrorResponse } from "../../protocol/auth.schemas.js";
import { PublicTableList, TableAction, TableActionReply, TableList, TableRoomParams } from "../../protocol/tables.schemas.js";
import { detailOf, type AuditTrail } from "../../app/audit/audit-trail.js";
import { httpActor } from "./audit.routes.js";
import { requireAuth } from "./auth.routes.js";
import { sendError } from "./http-errors.js";

export interface TableHttpDeps {
  readonly auth: AuthService;
  readonly directory: RoomDirectory;
  readonly log: RoomLog;
  /** Every configured table, in the order operators see them. */
  readonly tables: readonly TableRef[];
  readonly audit: AuditTrail;
}

const idempotencyKeyPattern = /^[\x21-\x7e]{1,128}$/;
/** An action based on an offset that a state change overtook is sent again with the new head, this many times. */
const staleRetriesMax = 3;
const bearer = [{ bearerAuth: [] }];
const errorsOf = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse, 503: ErrorResponse };

/**
 * Operator table controls. The list reads each table's latest snapshot from the room log; an action is
 * submitted to the table's owner (on whichever node) as the operator, like any player's action, so it
 * is applied in order with the table's timers and, keyed by its action id, at most once.
 */
export function registerTableRoutes(app: FastifyInstance, deps: TableHttpDeps): void {
  const operator = requireAuth(deps.auth, ["operator"]);
  const known = new Set(deps.tables.map((t) => `${t.kind}:${t.tableId}`));

  app.get(
    "/v1/operator/tables",
    {
      schema: {
        tags: ["operator"],
        summary: "Every configured table: open or closed, round and phase, players, limits",
        security: bearer,
        response: { 200: TableList, ...errorsOf },
      },
      preHandler: operator,
    },
    async () => ({ tables: await Promise.all(deps.tables.map((t) => summarizeTable(deps.log, t))) }),
  );

  app.get(
    "/v1/tables",
    {
      schema: {
        tags: ["tables"],
        summary: "The lobby's table list: game, open, round and phase, how many play, limits",
        security: bearer,
        response: { 200: PublicTableList, ...errorsOf },
      },
      preHandler: requireAuth(deps.auth),
    },
    async () => {
      const summaries = await Promise.all(deps.tables.map((t) => summarizeTable(deps.log, t)));
      return {
        tables: summaries.map((t) => ({
          room: t.room,
          kind: t.kind,
          tableId: t.tableId,
          open: t.open,
          roundId: t.roundId,
          phase: t.phase,
          playersSeated: t.players.length,
          limits: t.limits,
        })),
      };
    },
  );

  app.post(
    "/v1/operator/tables/:room/actions",
    {
      schema: {
        tags: ["operator"],
        summary: "Close, open, re-limit a table, void its round, or move a live blackjack table's dealer (Idempotency-Key makes a retry apply once)",
        security: bearer,
        params: TableRoomParams,
        body: TableAction,
        response: { 200: TableActionReply, ...errorsOf },
        headers: {
          type: "object",
          properties: { "idempotency-key": { type: "string", description: "optional; the action id, so a retried request applies once" } },
        },
      },
      preHandler: operator,
    },
    async (request, reply) => {
      const { room } = request.params as { room: string };
      if (!known.has(room)) return sendError(reply, "TABLE_NOT_FOUND");
      const given = request.headers["idempotency-key"];
      if (given !== undefined && (typeof given !== "string" || !idempotencyKeyPattern.test(given))) return sendError(reply, "WALLET_IDEMPOTENCY_KEY_INVALID");
      const actionId = typeof given === "string" ? `operator:${given}` : `operator:${randomUUID()}`;
      const principal = request.principal as Principal;
      const action = request.body as TableAction;
      let answer: HostReply = { ok: false, error: "ROOM_UNAVAILABLE" };
      for (let attempt = 0; attempt <= staleRetriesMax; attempt++) {
        const { offset } = await deps.log.head(room);
        answer = await deps.directory.submit(room, {
          type: "action",
          actor: { userId: principal.userId, roles: principal.roles },
          actionId,
          lastOffset: offset,
          action,
        });
        if (answer.ok || answer.error !== "ACTION_STALE") break;
      }
      const outcome = answer.ok ? answer.status : answer.error;
      request.log.info({ operator: principal.userId, room, action: action.kind, reason: action.reason ?? null, actionId, outcome }, "operator table action");
      await deps.audit.record({
        ...httpActor(request),
        action: action.kind,
        target: room,
        reason: typeof action.reason === "string" ? action.reason : null,
        detail: { ...detailOf(action), actionId },
        outcome,
      });
      if (!answer.ok) return sendError(reply, answer.error, answer.details ? { details: answer.details } : {});
      return { room, actionId, status: answer.status, offset: answer.offset, ...(answer.result === undefined ? {} : { result: answer.result }) };
    },
  );
}
