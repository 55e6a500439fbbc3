import { Type, type Static } from "@sinclair/typebox";

/**
 * Events exported to the analytics stream (docs/EVENTS.md, generated from these definitions). Each is
 * published after the commit that decided it, at least once, with a stable `id` to deduplicate on.
 */
export const paymentEventTypes = ["deposit.credited", "withdrawal.requested", "withdrawal.paid", "withdrawal.failed", "withdrawal.rejected"] as const;

export const PaymentExportEvent = Type.Object({
  id: Type.String({ description: "stable id: `<type>:<deposit or withdrawal id>`; the same effect always has the same id" }),
  type: Type.Union(paymentEventTypes.map((t) => Type.Literal(t)), { description: "what happened" }),
  subjectId: Type.String({ description: "the deposit's or withdrawal's id" }),
  userId: Type.String({ description: "the player" }),
  currency: Type.String({ pattern: "^[A-Z]{3}$", description: "ISO 4217 code" }),
  amount: Type.String({ pattern: "^\\d+(\\.\\d+)?$", description: "decimal amount in the currency's major unit (\"25.00\")" }),
  atMs: Type.Integer({ description: "when the decision was committed (Unix ms, server clock)" }),
}, { $id: "croupier.events.payment", additionalProperties: false, title: "PaymentExportEvent" });
export type PaymentExportEvent = Static<typeof PaymentExportEvent>;
