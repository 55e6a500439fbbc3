import { createHash } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Principal } from "../../app/auth/auth.service.js";
import type { Payments } from "../../app/payments/payments.service.js";
import type { DepositRecord, WithdrawalRecord } from "../../app/ports/payments-store.js";
import { findCurrency, formatAmount } from "../../engine/money/index.js";
import type { ErrorName } from "../../protocol/errors.js";
import { idempotencyKeyHeader, idempotencyKeyPattern, type Deposit, type Withdrawal } from "../../protocol/wallet.schemas.js";
import { sendError } from "./http-errors.js";

/** What a money-moving handler answers: a body with its status, or a registry error. */
export type Answer =
  | { readonly status: number; readonly body: unknown }
  | { readonly error: ErrorName; readonly details?: readonly string[] | undefined; readonly retryAfterMs?: number | undefined };

const keyPattern = new RegExp(idempotencyKeyPattern);

/**
 * Runs a money-moving request at most once per Idempotency-Key and caller (Stripe's model): the
 * same key with the same request answers the recorded response (header idempotent-replayed: true);
 * with another request, WALLET_IDEMPOTENCY_KEY_CONFLICT; while the first is still running,
 * WALLET_IDEMPOTENCY_KEY_IN_PROGRESS. Refusals are not recorded: the key may be retried.
 */
export async function idempotent(
  request: FastifyRequest,
  reply: FastifyReply,
  payments: Payments,
  run: (key: string) => Promise<Answer>,
  /** What of the body identifies the request; default all of it (a body carrying a password leaves it out). */
  body: unknown = request.body,
): Promise<FastifyReply> {
  const key = request.headers[idempotencyKeyHeader];
  if (key === undefined) return sendError(reply, "WALLET_IDEMPOTENCY_KEY_MISSING");
  if (typeof key !== "string" || !keyPattern.test(key)) return sendError(reply, "WALLET_IDEMPOTENCY_KEY_INVALID");
  const scope = (request.principal as Principal).userId;
  const fingerprint = createHash("sha256")
    .update(`${request.method} ${request.routeOptions.url ?? request.url} ${canonicalJson({ params: request.params ?? null, body: body ?? null })}`)
    .digest("base64url");
  const begun = await payments.beginRequest(scope, key, fingerprint);
  if (begun.state === "conflict") return sendError(reply, "WALLET_IDEMPOTENCY_KEY_CONFLICT");
  if (begun.state === "in_progress") return sendError(reply, "WALLET_IDEMPOTENCY_KEY_IN_PROGRESS");
  if (begun.state === "replay") return reply.code(begun.statusCode).header("idempotent-replayed", "true").type("application/json").send(begun.body);
  let answer: Answer;
  try {
    answer = await run(key);
  } catch (error) {
    await payments.releaseRequest(scope, key).catch(() => undefined);
    throw error;
  }
  if ("error" in answer) {
    await payments.releaseRequest(scope, key);
    return sendError(reply, answer.error, {
      ...(answer.details ? { details: answer.details } : {}),
      ...(answer.retryAfterMs !== undefined ? { retryAfterMs: answer.retryAfterMs } : {}),
    });
  }
  const text = JSON.stringify(answer.body);
  await payments.completeRequest(scope, key, answer.status, text);
  return reply.code(answer.status).type("application/json").send(text);
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` are the same request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  const json = JSON.stringify(value) as string | undefined; // undefined for undefined, functions and symbols
  return json ?? "null";
}

export function money(amount: bigint, currencyCode: string): string {
  const currency = findCurrency(currencyCode);
  return currency === null ? amount.toString() : formatAmount(amount, currency);
}

const iso = (ms: number) => new Date(ms).toISOString();

export function toWireDeposit(d: DepositRecord): Deposit {
  return {
    id: d.id,
    status: d.status,
    amount: money(d.amount, d.currency),
    currency: d.currency,
    card: d.cardLabel,
    provider: d.provider,
    reason: d.reason,
    createdAt: iso(d.createdMs),
  };
}

export function toWireWithdrawal(w: WithdrawalRecord): Withdrawal {
  return {
    id: w.id,
    userId: w.userId,
    status: w.status,
    amount: money(w.amount, w.currency),
    currency: w.currency,
    card: w.cardLabel,
    provider: w.provider,
    reason: w.reason,
    decidedBy: w.decidedBy,
    createdAt: iso(w.createdMs),
    updatedAt: iso(w.updatedMs),
  };
}
