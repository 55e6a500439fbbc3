import type { FastifyInstance, FastifyRequest } from "fastify";
import type { AuthService, Principal } from "../../app/auth/auth.service.js";
import type { AuditTrail } from "../../app/audit/audit-trail.js";
import type { AuditRecord } from "../../app/ports/audit-log.js";
import { ErrorResponse } from "../../protocol/auth.schemas.js";
import { AuditPage, AuditQuery, type AuditEntry } from "../../protocol/audit.schemas.js";
import { requireAuth } from "./auth.routes.js";

const pageEntriesDefault = 50;
const bearer = [{ bearerAuth: [] }];
const errorsOf = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };

function toWire(record: AuditRecord): AuditEntry {
  return {
    seq: record.seq.toString(),
    at: new Date(record.atMs).toISOString(),
    actorId: record.actorId,
    actorRoles: [...record.actorRoles],
    action: record.action,
    target: record.target,
    reason: record.reason,
    detail: { ...record.detail },
    outcome: record.outcome,
    clientAddress: record.clientAddress,
    requestId: record.requestId,
  };
}

/** Who did it and from where, for an audit entry of an HTTP request by an authenticated operator. */
export function httpActor(request: FastifyRequest): { actorId: string; actorRoles: readonly string[]; clientAddress: string; requestId: string } {
  const principal = request.principal as Principal;
  return { actorId: principal.userId, actorRoles: principal.roles, clientAddress: request.ip, requestId: request.id };
}

/** `GET /v1/operator/audit`: the audit log, newest first, in pages (operators only). */
export function registerAuditRoutes(app: FastifyInstance, deps: { readonly auth: AuthService; readonly audit: AuditTrail }): void {
  app.get(
    "/v1/operator/audit",
    {
      schema: {
        tags: ["operator"],
        summary: "The audit log of operator and dealer actions, newest first",
        security: bearer,
        querystring: AuditQuery,
        response: { 200: AuditPage, ...errorsOf },
      },
      preHandler: requireAuth(deps.auth, ["operator"]),
    },
    async (request) => {
      const query = request.query as AuditQuery;
      const page = await deps.audit.page({
        limit: Number(query.limit ?? pageEntriesDefault),
        ...(query.before !== undefined ? { beforeSeq: BigInt(query.before) } : {}),
        ...(query.actor !== undefined ? { actorId: query.actor } : {}),
        ...(query.action !== undefined ? { action: query.action } : {}),
        ...(query.target !== undefined ? { target: query.target } : {}),
      });
      return { entries: page.entries.map(toWire), nextCursor: page.nextCursor === null ? null : page.nextCursor.toString() } satisfies AuditPage;
    },
  );
}
