import { Type, type Static } from "@sinclair/typebox";

/** One entry of the operator audit log (docs/SECURITY.md, docs/PROTOCOL.md). */
export const AuditEntry = Type.Object({
  seq: Type.String({ description: "position in the log, a decimal integer; newer entries have larger ones" }),
  at: Type.String({ description: "ISO 8601 time the action was recorded" }),
  actorId: Type.String(),
  actorRoles: Type.Array(Type.String()),
  action: Type.String(),
  target: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Record(Type.String(), Type.Unknown()),
  outcome: Type.String({ description: "applied, duplicate, or the registry error name that refused the action" }),
  clientAddress: Type.Union([Type.String(), Type.Null()]),
  requestId: Type.Union([Type.String(), Type.Null()]),
});
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditPage = Type.Object({
  entries: Type.Array(AuditEntry),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type AuditPage = Static<typeof AuditPage>;

export const AuditQuery = Type.Object(
  {
    // 18 digits stay below 2^63: a cursor can never overflow the column.
    before: Type.Optional(Type.String({ pattern: "^[0-9]{1,18}$", description: "nextCursor of the previous page" })),
    limit: Type.Optional(Type.String({ pattern: "^[1-9][0-9]{0,2}$", description: "1 to 200 (default 50)" })),
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: "only this actor's entries" })),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "only this action, e.g. table.limits" })),
    target: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: "only this target: a room, a withdrawal id, a user id" })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;
