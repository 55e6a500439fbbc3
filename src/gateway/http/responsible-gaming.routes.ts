import type { FastifyInstance, FastifyReply } from "fastify";
import type { AuditTrail } from "../../app/audit/audit-trail.js";
import type { AuthService, Principal } from "../../app/auth/auth.service.js";
import type { Outcome } from "../../app/outcome.js";
import type { Payments } from "../../app/payments/payments.service.js";
import type { Protection as ProtectionValue, ResponsibleGaming } from "../../app/responsible-gaming/responsible-gaming.service.js";
import type { StoredLimit } from "../../app/ports/rg-store.js";
import type { Exclusion as ExclusionValue, LimitState } from "../../engine/responsible-gaming/index.js";
import {
  ExcludedWithdrawalRequest,
  Exclusion,
  ExclusionRequest,
  Limit,
  LimitChange,
  LimitRequest,
  LockRequest,
  Protection,
  SessionLimit,
  SessionLimitChange,
  SessionLimitRequest,
} from "../../protocol/responsible-gaming.schemas.js";
import { PlayerIdParams, Withdrawal } from "../../protocol/wallet.schemas.js";
import { httpActor } from "./audit.routes.js";
import { requireAuth } from "./auth.routes.js";
import { sendError } from "./http-errors.js";
import { idempotent, money, toWireWithdrawal } from "./wallet-http.js";
import { bearer, walletErrorResponses } from "./wallet.routes.js";

export interface ResponsibleGamingHttpDeps {
  readonly auth: AuthService;
  readonly protection: ResponsibleGaming;
  readonly payments: Payments;
  readonly audit: AuditTrail;
}

const iso = (ms: number) => new Date(ms).toISOString();
const idempotencyHeader = {
  type: "object",
  properties: { "idempotency-key": { type: "string", description: "1-128 printable ASCII characters; required" } },
} as const;

function toWireLimit(l: StoredLimit): Limit {
  return {
    kind: l.kind,
    period: l.period,
    currency: l.currency,
    amount: l.amountMinor === null ? null : money(l.amountMinor, l.currency),
    pending:
      l.pendingAtMs === null ? null : { amount: l.pendingAmountMinor === null ? null : money(l.pendingAmountMinor, l.currency), appliesAt: iso(l.pendingAtMs) },
  };
}

function toWireSessionLimit(l: LimitState): SessionLimit {
  return {
    minutes: l.amountMinor === null ? null : Number(l.amountMinor),
    pending: l.pendingAtMs === null ? null : { minutes: l.pendingAmountMinor === null ? null : Number(l.pendingAmountMinor), appliesAt: iso(l.pendingAtMs) },
  };
}

const toWireExclusion = (e: ExclusionValue): Exclusion => ({ kind: e.kind, startedAt: iso(e.startedMs), until: iso(e.untilMs) });

function toWireProtection(p: ProtectionValue): Protection {
  const { lock } = p.restrictions;
  return {
    userId: p.userId,
    access: p.access.status,
    exclusion: p.access.status === "excluded" ? toWireExclusion(p.access.exclusion) : null,
    lock: lock === null ? null : { lockedAt: iso(lock.lockedMs), lockedBy: lock.lockedBy, reason: lock.reason },
    limits: p.limits.map(toWireLimit),
    sessionLimit: toWireSessionLimit(p.sessionLimit),
  };
}

function send<T>(reply: FastifyReply, outcome: Outcome<T>, wire: (value: T) => unknown): FastifyReply {
  if (!outcome.ok) return sendError(reply, outcome.error, outcome.details ? { details: outcome.details } : {});
  return reply.send(wire(outcome.value));
}

/** A player's own limits, time-outs and self-exclusions; an excluded player's withdrawals. */
export function registerPlayerProtectionRoutes(app: FastifyInstance, deps: ResponsibleGamingHttpDeps): void {
  const { protection } = deps;
  const player = requireAuth(deps.auth);
  const userOf = (request: { principal?: Principal }) => (request.principal as Principal).userId;

  app.get(
    "/v1/responsible-gaming",
    {
      schema: {
        tags: ["responsible-gaming"],
        summary: "Your limits (with any loosening still cooling off) and access",
        security: bearer,
        response: { 200: Protection, ...walletErrorResponses },
      },
      preHandler: player,
    },
    async (request, reply) => send(reply, await protection.protection(userOf(request)), toWireProtection),
  );

  app.put(
    "/v1/responsible-gaming/limits",
    {
      schema: {
        tags: ["responsible-gaming"],
        summary: "Set or remove one limit: lower applies at once, higher or removed after rgIncreaseCoolingOffMs",
        security: bearer,
        body: LimitRequest,
        response: { 200: LimitChange, ...walletErrorResponses },
      },
      preHandler: player,
    },
    async (request, reply) => {
      const body = request.body as LimitRequest;
      return send(
        reply,
        await protection.setLimit(userOf(request), body),
        (change) => ({ status: change.status, limit: toWireLimit(change.limit) }) satisfies LimitChange,
      );
    },
  );

  app.put(
    "/v1/responsible-gaming/session-limit",
    {
      schema: {
        tags: ["responsible-gaming"],
        summary: "Set or remove your session time limit: shorter applies at once, longer or removed after rgIncreaseCoolingOffMs",
        security: bearer,
        body: SessionLimitRequest,
        response: { 200: SessionLimitChange, ...walletErrorResponses },
      },
      preHandler: player,
    },
    async (request) => {
      const change = await protection.setSessionLimit(userOf(request), (request.body as SessionLimitRequest).minutes);
      return { status: change.status, sessionLimit: toWireSessionLimit(change.limit) } satisfies SessionLimitChange;
    },
  );

  app.post(
    "/v1/responsible-gaming/exclusions",
    {
      schema: {
        tags: ["responsible-gaming"],
        summary: "Take a time-out or self-exclude: every session ends now on every node, and cannot be lifted before its end",
        security: bearer,
        body: ExclusionRequest,
        response: { 200: Exclusion, ...walletErrorResponses },
      },
      preHandler: player,
    },
    async (request, reply) => {
      const body = request.body as ExclusionRequest;
      return send(reply, await protection.exclude(userOf(request), body.kind, body.days), toWireExclusion);
    },
  );

  app.post(
    "/v1/responsible-gaming/withdrawals",
    {
      schema: {
        tags: ["responsible-gaming"],
        summary: "An excluded player's withdrawal: login and password instead of a session (which an exclusion refuses)",
        headers: idempotencyHeader,
        body: ExcludedWithdrawalRequest,
        response: { 201: Withdrawal, ...walletErrorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body as ExcludedWithdrawalRequest;
      const checked = await deps.auth.verifyCredentials({ login: body.login, password: body.password, clientAddress: request.ip });
      if (!checked.ok) return sendError(reply, checked.error, checked.retryAfterMs !== undefined ? { retryAfterMs: checked.retryAfterMs } : {});
      const user = checked.value;
      const refusal = await protection.loginRefusal(user.id);
      if (refusal === null) return sendError(reply, "RG_NOT_EXCLUDED");
      if (refusal.error !== "RG_EXCLUDED") return sendError(reply, refusal.error);
      // The request acts for the player it authenticated; its idempotency keys are that player's.
      request.principal = { userId: user.id, roles: user.roles, sessionId: "", deviceId: "", expiresAtMs: 0, keyId: "" };
      const cardToken = body.cardToken ?? (await deps.payments.depositCard(user.id));
      if (cardToken === null) return sendError(reply, "PAYMENT_TOKEN_INVALID", { details: ["no credited deposit card; send cardToken"] });
      return idempotent(
        request,
        reply,
        deps.payments,
        async (key) => {
          const outcome = await deps.payments.requestWithdrawal({ userId: user.id, requestKey: key, amount: body.amount, currency: body.currency, cardToken });
          return outcome.ok ? { status: 201, body: toWireWithdrawal(outcome.value) } : outcome;
          // The stored fingerprint is a plain SHA-256: with the password in it, a leaked row could be brute-forced.
        },
        { ...body, password: undefined },
      );
    },
  );
}

/** Operators: a player's protection, and lock or unlock with a reason (both in the audit log). */
export function registerOperatorProtectionRoutes(app: FastifyInstance, deps: ResponsibleGamingHttpDeps): void {
  const { protection, audit } = deps;
  const operator = requireAuth(deps.auth, ["operator"]);

  app.get(
    "/v1/operator/players/:userId/protection",
    {
      schema: {
        tags: ["operator"],
        summary: "A player's limits, time-out or self-exclusion, and lock",
        security: bearer,
        params: PlayerIdParams,
        response: { 200: Protection, ...walletErrorResponses },
      },
      preHandler: operator,
    },
    async (request, reply) => send(reply, await protection.protection((request.params as PlayerIdParams).userId), toWireProtection),
  );

  for (const action of ["lock", "unlock"] as const) {
    app.post(
      `/v1/operator/players/:userId/${action}`,
      {
        schema: {
          tags: ["operator"],
          security: bearer,
          params: PlayerIdParams,
          body: LockRequest,
          response: { 200: Protection, ...walletErrorResponses },
          summary:
            action === "lock"
              ? "Lock an account: sessions end on every node (4003), money is kept, withdrawals are held"
              : "Unlock an account locked by an operator",
        },
        preHandler: operator,
      },
      async (request, reply) => {
        const { userId } = request.params as PlayerIdParams;
        const { reason } = request.body as LockRequest;
        const actor = httpActor(request);
        const outcome = action === "lock" ? await protection.lock(userId, actor.actorId, reason) : await protection.unlock(userId);
        await audit.record({
          ...actor,
          action: `account.${action}`,
          target: `user:${userId}`,
          reason,
          detail: {},
          outcome: outcome.ok ? "applied" : outcome.error,
        });
        return send(reply, outcome, toWireProtection);
      },
    );
  }
}
