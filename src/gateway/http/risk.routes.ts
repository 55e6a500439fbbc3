import type { FastifyInstance } from "fastify";
import type { AuditTrail } from "../../app/audit/audit-trail.js";
import type { AuthService } from "../../app/auth/auth.service.js";
import type { Outcome } from "../../app/outcome.js";
import type { PlayerRisk as PlayerRiskValue, RiskAction as RiskActionValue, RiskLimit as RiskLimitValue, RiskService } from "../../app/risk/index.js";
import {
  LimitCleared,
  PlayerRisk,
  ReasonRequest,
  RiskAction,
  RiskActionPage,
  RiskActionParams,
  RiskActionQuery,
  RiskLimit,
  RiskLimitRequest,
} from "../../protocol/risk.schemas.js";
import { PlayerIdParams } from "../../protocol/wallet.schemas.js";
import { httpActor } from "./audit.routes.js";
import { requireAuth } from "./auth.routes.js";
import { sendError } from "./http-errors.js";
import { bearer, walletErrorResponses } from "./wallet.routes.js";

export interface RiskHttpDeps {
  readonly auth: AuthService;
  readonly risk: RiskService;
  readonly audit: AuditTrail;
}

const iso = (ms: number) => new Date(ms).toISOString();

export const toWireRiskAction = (a: RiskActionValue): RiskAction => ({
  id: a.id,
  userId: a.userId,
  rule: a.rule,
  action: a.action,
  evidence: { ...a.evidence },
  score: a.score,
  at: iso(a.atMs),
  reversed: a.reversed === null ? null : { at: iso(a.reversed.atMs), by: a.reversed.by, reason: a.reversed.reason },
});

const toWireLimit = (l: RiskLimitValue): RiskLimit => ({
  userId: l.userId,
  betsPerMinuteMax: l.betsPerMinuteMax,
  stakeMinorMax: l.stakeMinorMax === null ? null : l.stakeMinorMax.toString(),
  gamesBlocked: [...l.gamesBlocked],
  setBy: l.setBy,
  reason: l.reason,
  actionId: l.actionId,
  at: iso(l.atMs),
});

const toWirePlayer = (p: PlayerRiskValue): PlayerRisk => ({
  userId: p.userId,
  score: p.score,
  features: { ...p.features },
  contributions: p.contributions.map((c) => ({ ...c })),
  sessions: p.profile.sessions.map((s) => ({
    id: s.id,
    deviceId: s.deviceId,
    createdAt: iso(s.createdMs),
    revokedAt: s.revokedMs === null ? null : iso(s.revokedMs),
  })),
  linkedAccounts: p.profile.linkedAccounts.map((l) => ({ ...l })),
  recentBets: p.profile.recentBets.map((b) => ({
    roundId: b.roundId,
    game: b.game,
    currency: b.currency,
    stakeMinor: b.stakeMinor.toString(),
    payoutMinor: b.payoutMinor === null ? null : b.payoutMinor.toString(),
    at: iso(b.atMs),
  })),
  limit: p.limit === null ? null : toWireLimit(p.limit),
  actions: p.actions.map(toWireRiskAction),
});

/** Operators: the risk engine's actions, a player's file, limits, and reversals (docs/RISK.md). */
export function registerRiskRoutes(app: FastifyInstance, deps: RiskHttpDeps): void {
  const { risk, audit } = deps;
  const operator = requireAuth(deps.auth, ["operator"]);
  const send = <T>(reply: Parameters<typeof sendError>[0], outcome: Outcome<T>, wire: (value: T) => unknown) =>
    outcome.ok ? reply.send(wire(outcome.value)) : sendError(reply, outcome.error, outcome.details ? { details: outcome.details } : {});

  app.get(
    "/v1/operator/risk/actions",
    {
      schema: {
        tags: ["operator"],
        summary: "Risk actions, newest first: alerts, limits and locks, with their rule and evidence",
        security: bearer,
        querystring: RiskActionQuery,
        response: { 200: RiskActionPage, ...walletErrorResponses },
      },
      preHandler: operator,
    },
    async (request) => {
      const q = request.query as RiskActionQuery;
      const limit = Number(q.limit ?? 50);
      const actions = await risk.actions({
        limit,
        ...(q.userId === undefined ? {} : { userId: q.userId }),
        ...(q.open === undefined ? {} : { open: q.open === "true" }),
        ...(q.action === undefined ? {} : { action: q.action }),
        ...(q.before === undefined ? {} : { beforeId: q.before }),
      });
      return { actions: actions.map(toWireRiskAction), next: actions.length === limit ? (actions.at(-1)?.id ?? null) : null } satisfies RiskActionPage;
    },
  );

  app.post(
    "/v1/operator/risk/actions/:actionId/reverse",
    {
      schema: {
        tags: ["operator"],
        summary: "Reverse a risk action: dismiss an alert, lift a limit, unlock a lock",
        security: bearer,
        params: RiskActionParams,
        body: ReasonRequest,
        response: { 200: RiskAction, ...walletErrorResponses },
      },
      preHandler: operator,
    },
    async (request, reply) => {
      const { actionId } = request.params as RiskActionParams;
      const { reason } = request.body as ReasonRequest;
      const actor = httpActor(request);
      const outcome = await risk.reverse(actionId, actor.actorId, reason);
      await audit.record({
        ...actor,
        action: "risk.reverse",
        target: outcome.ok ? `user:${outcome.value.userId}` : `risk-action:${actionId}`,
        reason,
        detail: { actionId },
        outcome: outcome.ok ? "applied" : outcome.error,
      });
      return send(reply, outcome, toWireRiskAction);
    },
  );

  app.get(
    "/v1/operator/players/:userId/risk",
    {
      schema: {
        tags: ["operator"],
        summary: "A player's risk file: score with its reasons, sessions and devices, linked accounts, recent bets, limit, actions",
        security: bearer,
        params: PlayerIdParams,
        response: { 200: PlayerRisk, ...walletErrorResponses },
      },
      preHandler: operator,
    },
    async (request, reply) => send(reply, await risk.inspect((request.params as PlayerIdParams).userId), toWirePlayer),
  );

  app.put(
    "/v1/operator/players/:userId/risk-limit",
    {
      schema: {
        tags: ["operator"],
        summary: "Set a player's limit: bet rate across devices, largest stake, blocked games (every node, at once)",
        security: bearer,
        params: PlayerIdParams,
        body: RiskLimitRequest,
        response: { 200: RiskLimit, ...walletErrorResponses },
      },
      preHandler: operator,
    },
    async (request, reply) => {
      const { userId } = request.params as PlayerIdParams;
      const body = request.body as RiskLimitRequest;
      const actor = httpActor(request);
      const outcome = await risk.setLimit(
        userId,
        {
          betsPerMinuteMax: body.betsPerMinuteMax,
          stakeMinorMax: body.stakeMinorMax === null ? null : BigInt(body.stakeMinorMax),
          gamesBlocked: body.gamesBlocked,
        },
        actor.actorId,
        body.reason,
      );
      await audit.record({
        ...actor,
        action: "risk.limit",
        target: `user:${userId}`,
        reason: body.reason,
        detail: { betsPerMinuteMax: body.betsPerMinuteMax, stakeMinorMax: body.stakeMinorMax, gamesBlocked: body.gamesBlocked },
        outcome: outcome.ok ? "applied" : outcome.error,
      });
      return send(reply, outcome, toWireLimit);
    },
  );

  app.delete(
    "/v1/operator/players/:userId/risk-limit",
    {
      schema: {
        tags: ["operator"],
        summary: "Remove a player's limit",
        security: bearer,
        params: PlayerIdParams,
        body: ReasonRequest,
        response: { 200: LimitCleared, ...walletErrorResponses },
      },
      preHandler: operator,
    },
    async (request, reply) => {
      const { userId } = request.params as PlayerIdParams;
      const { reason } = request.body as ReasonRequest;
      const actor = httpActor(request);
      const outcome = await risk.clearLimit(userId, actor.actorId, reason);
      await audit.record({
        ...actor,
        action: "risk.limit-clear",
        target: `user:${userId}`,
        reason,
        detail: {},
        outcome: outcome.ok ? "applied" : outcome.error,
      });
      return send(reply, outcome, (v) => v);
    },
  );
}
