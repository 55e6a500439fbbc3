import type { FastifyInstance, FastifyRequest } from "fastify";
import { Type } from "@sinclair/typebox";
import { User } from "../../protocol/auth.schemas.js";
import type { Principal } from "../../app/auth/auth.service.js";
import type { Outcome } from "../../app/outcome.js";
import type { WithdrawalRecord } from "../../app/ports/payments-store.js";
import {
  DepositList,
  DepositListQuery,
  HistoryPage,
  HistoryQuery,
  LedgerCheckReport,
  OutboxIdParams,
  OutboxList,
  OutboxListQuery,
  PlayerIdParams,
  PlayerSearchQuery,
  Withdrawal,
  WithdrawalIdParams,
  WithdrawalList,
  WithdrawalListQuery,
} from "../../protocol/wallet.schemas.js";
import type { AuditTrail } from "../../app/audit/audit-trail.js";
import { httpActor } from "./audit.routes.js";
import { requireAuth } from "./auth.routes.js";
import { cursorOf, sendError } from "./http-errors.js";
import { idempotent, money, toWireDeposit, toWireWithdrawal, type Answer } from "./wallet-http.js";
import { bearer, sendHistory, walletErrorResponses, type WalletHttpDeps } from "./wallet.routes.js";

const listLimitDefault = 50;
const idempotencyHeader = {
  type: "object",
  properties: { "idempotency-key": { type: "string", description: "1-128 printable ASCII characters; required" } },
} as const;

const answer = (outcome: Outcome<WithdrawalRecord>): Answer => (outcome.ok ? { status: 200, body: toWireWithdrawal(outcome.value) } : outcome);

/** Endpoints for operators only: withdrawal review, any player's history, the ledger check. Decisions go to the audit log. */
export function registerOperatorRoutes(app: FastifyInstance, deps: WalletHttpDeps & { readonly audit: AuditTrail }): void {
  const { wallet, payments, audit } = deps;
  const operator = requireAuth(deps.auth, ["operator"]);
  const audited = async (
    request: FastifyRequest,
    action: string,
    outcome: Outcome<WithdrawalRecord>,
    options: Record<string, unknown> = {},
  ): Promise<Answer> => {
    const id = (request.params as WithdrawalIdParams).id;
    const detail = {
      ...options,
      ...(outcome.ok
        ? { userId: outcome.value.userId, currency: outcome.value.currency, amountMinor: outcome.value.amount.toString(), status: outcome.value.status }
        : {}),
    };
    await audit.record({ ...httpActor(request), action, target: `withdrawal:${id}`, reason: null, detail, outcome: outcome.ok ? "applied" : outcome.error });
    return answer(outcome);
  };

  app.get(
    "/v1/operator/withdrawals",
    {
      schema: {
        tags: ["operator"],
        summary: "Withdrawals by status, newest first",
        security: bearer,
        querystring: WithdrawalListQuery,
        response: { 200: WithdrawalList, ...walletErrorResponses },
      },
      preHandler: operator,
    },
    async (request, reply) => {
      const query = request.query as WithdrawalListQuery;
      const before = query.before === undefined ? undefined : cursorOf(query.before);
      if (before === null) return sendError(reply, "REQUEST_INVALID", { details: ["/before is beyond the last cursor"] });
      const page = await payments.listWithdrawals({
        limit: Number(query.limit ?? listLimitDefault),
        ...(query.status !== undefined ? { status: query.status } : {}),
        ...(before !== undefined ? { beforeSeq: before } : {}),
      });
      return {
        withdrawals: page.withdrawals.map(toWireWithdrawal),
        nextCursor: page.nextCursor === null ? null : page.nextCursor.toString(),
      } satisfies WithdrawalList;
    },
  );

  app.post(
    "/v1/operator/withdrawals/:id/approve",
    {
      schema: {
        tags: ["operator"],
        summary:
          "Approve and pay out a pending withdrawal (through the outbox: paid once); optional body {outsideClosedLoop: true} pays a card the player never deposited with",
        security: bearer,
        headers: idempotencyHeader,
        params: WithdrawalIdParams,
        response: { 200: Withdrawal, ...walletErrorResponses },
      },
      preHandler: operator,
    },
    async (request, reply) => {
      // The body is optional (most approvals send none), so it is checked here rather than by a schema.
      const body = request.body ?? {};
      if (
        typeof body !== "object" ||
        Array.isArray(body) ||
        Object.keys(body).some((k) => k !== "outsideClosedLoop") ||
        !["undefined", "boolean"].includes(typeof (body as { outsideClosedLoop?: unknown }).outsideClosedLoop)
      ) {
        return sendError(reply, "REQUEST_INVALID", { details: ['the body may only be {"outsideClosedLoop": true|false}'] });
      }
      const outsideClosedLoop = (body as { outsideClosedLoop?: boolean }).outsideClosedLoop === true;
      return idempotent(request, reply, payments, async () =>
        audited(
          request,
          "withdrawal.approve",
          await payments.approveWithdrawal((request.params as WithdrawalIdParams).id, (request.principal as Principal).userId, { outsideClosedLoop }),
          { outsideClosedLoop },
        ),
      );
    },
  );

  app.post(
    "/v1/operator/withdrawals/:id/reject",
    {
      schema: {
        tags: ["operator"],
        summary: "Reject a pending withdrawal; its funds return to the player's cash",
        security: bearer,
        headers: idempotencyHeader,
        params: WithdrawalIdParams,
        response: { 200: Withdrawal, ...walletErrorResponses },
      },
      preHandler: operator,
    },
    async (request, reply) =>
      idempotent(request, reply, payments, async () =>
        audited(
          request,
          "withdrawal.reject",
          await payments.rejectWithdrawal((request.params as WithdrawalIdParams).id, (request.principal as Principal).userId),
        ),
      ),
  );

  app.get(
    "/v1/operator/players",
    {
      schema: {
        tags: ["operator"],
        summary: "Find players: an exact user id, or usernames and emails starting with the query",
        security: bearer,
        querystring: PlayerSearchQuery,
        response: { 200: Type.Object({ players: Type.Array(User) }), ...walletErrorResponses },
      },
      preHandler: operator,
    },
    async (request) => {
      const query = request.query as PlayerSearchQuery;
      return { players: await deps.auth.searchUsers(query.query, Number(query.limit ?? 20)) };
    },
  );

  app.get(
    "/v1/operator/players/:userId",
    {
      schema: { tags: ["operator"], summary: "A player's account", security: bearer, params: PlayerIdParams, response: { 200: User, ...walletErrorResponses } },
      preHandler: operator,
    },
    async (request, reply) => {
      const { userId } = request.params as PlayerIdParams;
      const [user] = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(userId) ? await deps.auth.searchUsers(userId, 1) : [];
      return user === undefined ? sendError(reply, "RG_PLAYER_NOT_FOUND") : user;
    },
  );

  app.get(
    "/v1/operator/players/:userId/history",
    {
      schema: {
        tags: ["operator"],
        summary: "Any player's transfers",
        security: bearer,
        params: PlayerIdParams,
        querystring: HistoryQuery,
        response: { 200: HistoryPage, ...walletErrorResponses },
      },
      preHandler: operator,
    },
    async (request, reply) => sendHistory(reply, wallet, (request.params as PlayerIdParams).userId, request.query as HistoryQuery),
  );

  app.get(
    "/v1/operator/deposits",
    {
      schema: {
        tags: ["operator"],
        summary: "Deposits, newest first, by status and player",
        security: bearer,
        querystring: DepositListQuery,
        response: { 200: DepositList, ...walletErrorResponses },
      },
      preHandler: operator,
    },
    async (request) => {
      const query = request.query as DepositListQuery;
      const [ms, id] = query.before?.split("_") ?? [];
      const page = await payments.listDeposits({
        limit: Number(query.limit ?? listLimitDefault),
        ...(query.status !== undefined ? { status: query.status } : {}),
        ...(query.userId !== undefined ? { userId: query.userId } : {}),
        ...(ms !== undefined && id !== undefined ? { before: { createdMs: Number(ms), id } } : {}),
      });
      return {
        deposits: page.deposits.map((d) => ({ ...toWireDeposit(d), userId: d.userId })),
        nextCursor: page.next === null ? null : `${page.next.createdMs}_${page.next.id}`,
      } satisfies DepositList;
    },
  );

  app.get(
    "/v1/operator/outbox",
    {
      schema: {
        tags: ["operator"],
        summary: "Undelivered outbox entries, oldest first: parked (delivery gave up) or still being tried",
        security: bearer,
        querystring: OutboxListQuery,
        response: { 200: OutboxList, ...walletErrorResponses },
      },
      preHandler: operator,
    },
    async (request) => {
      const query = request.query as OutboxListQuery;
      const entries = await payments.listOutbox(query.state ?? "parked", Number(query.limit ?? listLimitDefault));
      return {
        entries: entries.map((e) => ({
          id: e.id.toString(),
          kind: e.kind,
          subjectId: e.subjectId,
          attempts: e.attempts,
          lastError: e.lastError,
          createdAt: new Date(e.createdMs).toISOString(),
          nextAttemptAt: new Date(e.nextAttemptMs).toISOString(),
          parkedAt: e.parkedMs === null ? null : new Date(e.parkedMs).toISOString(),
        })),
      } satisfies OutboxList;
    },
  );

  app.post(
    "/v1/operator/outbox/:id/requeue",
    {
      schema: {
        tags: ["operator"],
        summary: "Put a parked entry back to be delivered (its effect stays exactly once)",
        security: bearer,
        params: OutboxIdParams,
        response: { 200: Type.Object({ id: Type.String(), requeued: Type.Literal(true) }), ...walletErrorResponses },
      },
      preHandler: operator,
    },
    async (request, reply) => {
      const id = (request.params as OutboxIdParams).id;
      const requeued = await payments.requeueOutbox(BigInt(id));
      await audit.record({
        ...httpActor(request),
        action: "outbox.requeue",
        target: `outbox:${id}`,
        reason: null,
        detail: {},
        outcome: requeued ? "applied" : "PAYMENT_OUTBOX_NOT_PARKED",
      });
      return requeued ? { id, requeued: true as const } : sendError(reply, "PAYMENT_OUTBOX_NOT_PARKED");
    },
  );

  app.get(
    "/v1/operator/ledger/check",
    {
      schema: {
        tags: ["operator"],
        summary: "Prove the books: debits equal credits per currency, balances match their transfers",
        security: bearer,
        response: { 200: LedgerCheckReport, ...walletErrorResponses },
      },
      preHandler: operator,
    },
    async () => {
      const check = await wallet.check();
      return {
        ok: check.ok,
        currencies: check.currencies.map((c) => ({
          currency: c.currency,
          debits: money(c.debitsMinor, c.currency),
          credits: money(c.creditsMinor, c.currency),
          balances: money(c.balancesMinor, c.currency),
        })),
        accountsMismatched: check.accountsMismatched,
        heldMismatched: check.heldMismatched,
        accountsNegative: check.accountsNegative,
        transfersMismatched: check.transfersMismatched,
      } satisfies LedgerCheckReport;
    },
  );
}
