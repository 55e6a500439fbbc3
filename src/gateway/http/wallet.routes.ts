import type { FastifyInstance, FastifyReply } from "fastify";
import type { AuthService, Principal } from "../../app/auth/auth.service.js";
import { depositWaitMsMax, type Payments } from "../../app/payments/payments.service.js";
import type { Wallet } from "../../app/wallet/index.js";
import { findCurrency } from "../../engine/money/index.js";
import { ErrorResponse } from "../../protocol/auth.schemas.js";
import {
  Deposit,
  DepositRequest,
  DepositWaitQuery,
  HistoryPage,
  HistoryQuery,
  WalletBalances,
  Withdrawal,
  WithdrawalIdParams,
  WithdrawalRequest,
  historyEntriesMax,
} from "../../protocol/wallet.schemas.js";
import { requireAuth } from "./auth.routes.js";
import { cursorOf, sendError } from "./http-errors.js";
import { idempotent, money, toWireDeposit, toWireWithdrawal } from "./wallet-http.js";

export interface WalletHttpDeps {
  readonly auth: AuthService;
  readonly wallet: Wallet;
  readonly payments: Payments;
}

export const walletErrorResponses = {
  400: ErrorResponse,
  401: ErrorResponse,
  402: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
  413: ErrorResponse,
  415: ErrorResponse,
  422: ErrorResponse,
  429: ErrorResponse,
  503: ErrorResponse,
};
export const bearer = [{ bearerAuth: [] }];
const idempotencyHeader = {
  type: "object",
  properties: { "idempotency-key": { type: "string", description: "1-128 printable ASCII characters; required" } },
} as const;
const historyLimitDefault = 50;

/** One page of a player's transfers, amounts signed from the player's side; an unopened account is an empty page. */
export async function sendHistory(reply: FastifyReply, wallet: Wallet, userId: string, query: HistoryQuery): Promise<FastifyReply> {
  if (findCurrency(query.currency) === null) return sendError(reply, "WALLET_CURRENCY_UNKNOWN");
  const limit = Math.min(historyEntriesMax, Number(query.limit ?? historyLimitDefault));
  const before = query.before === undefined ? undefined : cursorOf(query.before);
  if (before === null) return sendError(reply, "REQUEST_INVALID", { details: ["/before is beyond the last cursor"] });
  const page = await wallet.history(userId, query.currency, { limit, ...(before !== undefined ? { beforeTransferId: before } : {}) }, query.purse ?? "cash");
  if ("status" in page) return reply.send({ entries: [], nextCursor: null } satisfies HistoryPage);
  const body: HistoryPage = {
    entries: page.entries.map((e) => ({
      id: e.transferId.toString(),
      kind: e.kind,
      amount: money(e.amount, e.currency),
      currency: e.currency,
      reference: e.reference,
      holdId: e.holdId,
      createdAt: new Date(e.createdAtMs).toISOString(),
    })),
    nextCursor: page.nextCursor === null ? null : page.nextCursor.toString(),
  };
  return reply.send(body);
}

export function registerWalletRoutes(app: FastifyInstance, deps: WalletHttpDeps): void {
  const { wallet, payments } = deps;
  const player = requireAuth(deps.auth);

  app.get(
    "/v1/wallet",
    {
      schema: { tags: ["wallet"], summary: "Balances per currency and purse", security: bearer, response: { 200: WalletBalances, ...walletErrorResponses } },
      preHandler: player,
    },
    async (request) => {
      const balances = await wallet.balances((request.principal as Principal).userId);
      return {
        balances: balances.map((b) => ({
          currency: b.currency,
          purse: b.purse,
          balance: money(b.balance, b.currency),
          held: money(b.held, b.currency),
          available: money(b.available, b.currency),
        })),
      } satisfies WalletBalances;
    },
  );

  app.get(
    "/v1/wallet/history",
    {
      schema: {
        tags: ["wallet"],
        summary: "Transfers of one currency, newest first (game recall: reference is the round)",
        security: bearer,
        querystring: HistoryQuery,
        response: { 200: HistoryPage, ...walletErrorResponses },
      },
      preHandler: player,
    },
    async (request, reply) => sendHistory(reply, wallet, (request.principal as Principal).userId, request.query as HistoryQuery),
  );

  app.post(
    "/v1/wallet/deposits",
    {
      schema: {
        tags: ["wallet"],
        summary: "Charge a tokenized card; pending until the provider confirms it",
        security: bearer,
        headers: idempotencyHeader,
        body: DepositRequest,
        response: { 201: Deposit, ...walletErrorResponses },
      },
      preHandler: player,
    },
    async (request, reply) =>
      idempotent(request, reply, payments, async (key) => {
        const body = request.body as DepositRequest;
        const outcome = await payments.startDeposit({
          userId: (request.principal as Principal).userId,
          requestKey: key,
          amount: body.amount,
          currency: body.currency,
          cardToken: body.cardToken,
        });
        return outcome.ok ? { status: 201, body: toWireDeposit(outcome.value) } : outcome;
      }),
  );

  app.get(
    "/v1/wallet/deposits/:id",
    {
      schema: {
        tags: ["wallet"],
        summary: "One of your deposits; with waitMs, waits while it is pending (a long poll)",
        security: bearer,
        params: WithdrawalIdParams,
        querystring: DepositWaitQuery,
        response: { 200: Deposit, ...walletErrorResponses },
      },
      preHandler: player,
    },
    async (request, reply) => {
      const userId = (request.principal as Principal).userId;
      const waitMs = Number((request.query as DepositWaitQuery).waitMs ?? "0");
      if (waitMs > depositWaitMsMax) return sendError(reply, "REQUEST_INVALID", { details: [`waitMs must be at most ${depositWaitMsMax}`] });
      const deposit = await payments.awaitDeposit((request.params as WithdrawalIdParams).id, userId, waitMs);
      if (deposit === null || deposit.userId !== userId) return sendError(reply, "PAYMENT_DEPOSIT_NOT_FOUND");
      return reply.send(toWireDeposit(deposit));
    },
  );

  app.post(
    "/v1/wallet/withdrawals",
    {
      schema: {
        tags: ["wallet"],
        summary: "Request a payout: the funds are held until an operator approves or rejects it",
        security: bearer,
        headers: idempotencyHeader,
        body: WithdrawalRequest,
        response: { 201: Withdrawal, ...walletErrorResponses },
      },
      preHandler: player,
    },
    async (request, reply) =>
      idempotent(request, reply, payments, async (key) => {
        const body = request.body as WithdrawalRequest;
        const outcome = await payments.requestWithdrawal({
          userId: (request.principal as Principal).userId,
          requestKey: key,
          amount: body.amount,
          currency: body.currency,
          cardToken: body.cardToken,
        });
        return outcome.ok ? { status: 201, body: toWireWithdrawal(outcome.value) } : outcome;
      }),
  );

  app.get(
    "/v1/wallet/withdrawals/:id",
    {
      schema: {
        tags: ["wallet"],
        summary: "One of your withdrawals",
        security: bearer,
        params: WithdrawalIdParams,
        response: { 200: Withdrawal, ...walletErrorResponses },
      },
      preHandler: player,
    },
    async (request, reply) => {
      const withdrawal = await payments.findWithdrawal((request.params as WithdrawalIdParams).id);
      if (withdrawal === null || withdrawal.userId !== (request.principal as Principal).userId) return sendError(reply, "WALLET_WITHDRAWAL_NOT_FOUND");
      return reply.send(toWireWithdrawal(withdrawal));
    },
  );
}
