import type { FastifyInstance, FastifyReply } from "fastify";
import type { AuditTrail } from "../../app/audit/audit-trail.js";
import type { AuthService, Principal } from "../../app/auth/auth.service.js";
import type { Bonuses, BonusView } from "../../app/bonuses/index.js";
import type { Outcome } from "../../app/outcome.js";
import { parseMoneyInput } from "../../app/payments/money-input.js";
import type { Payments } from "../../app/payments/payments.service.js";
import { Bonus, BonusCancelRequest, BonusGrantRequest, BonusIdParams, BonusList, BonusListQuery } from "../../protocol/bonuses.schemas.js";
import { PlayerIdParams } from "../../protocol/wallet.schemas.js";
import { httpActor } from "./audit.routes.js";
import { requireAuth } from "./auth.routes.js";
import { sendError } from "./http-errors.js";
import { idempotent, money, type Answer } from "./wallet-http.js";
import { bearer, walletErrorResponses } from "./wallet.routes.js";

export interface BonusHttpDeps {
  readonly auth: AuthService;
  readonly bonuses: Bonuses;
  /** Request keys of money-moving operator calls (Idempotency-Key). */
  readonly payments: Payments;
  readonly audit: AuditTrail;
}

const iso = (ms: number) => new Date(ms).toISOString();
const listLimitDefault = 50;
const idempotencyHeader = {
  type: "object",
  properties: { "idempotency-key": { type: "string", description: "1-128 printable ASCII characters; required" } },
} as const;

export const toWireBonus = (b: BonusView): Bonus => ({
  id: b.id,
  userId: b.userId,
  kind: b.kind,
  status: b.status,
  currency: b.currency,
  amount: money(b.amountMinor, b.currency),
  balance: b.balanceMinor === null ? null : money(b.balanceMinor, b.currency),
  held: b.heldMinor === null ? null : money(b.heldMinor, b.currency),
  wageringRequired: money(b.wageringRequiredMinor, b.currency),
  wagered: money(b.wageredMinor, b.currency),
  progressPercent: b.progressPercent,
  maxBet: money(b.maxBetMinor, b.currency),
  gameWeights: { ...b.weights },
  expiresAt: iso(b.expiresMs),
  grantedBy: b.grantedBy,
  createdAt: iso(b.createdMs),
  endedAt: b.endedMs === null ? null : iso(b.endedMs),
  endReason: b.endReason,
  closedAmount: b.closedMinor === null ? null : money(b.closedMinor, b.currency),
});

const send = (reply: FastifyReply, outcome: Outcome<BonusView>, code = 200) =>
  outcome.ok ? reply.code(code).send(toWireBonus(outcome.value)) : sendError(reply, outcome.error, outcome.details ? { details: outcome.details } : {});

/** Players: their bonuses and the welcome claim (docs/BONUSES.md). */
export function registerPlayerBonusRoutes(app: FastifyInstance, deps: BonusHttpDeps): void {
  const player = requireAuth(deps.auth);

  app.get(
    "/v1/bonuses",
    {
      schema: {
        tags: ["bonuses"],
        summary: "Your bonuses, newest first: balance, wagering progress, max bet, expiry",
        security: bearer,
        response: { 200: BonusList, ...walletErrorResponses },
      },
      preHandler: player,
    },
    async (request) => ({ bonuses: (await deps.bonuses.forPlayer((request.principal as Principal).userId)).map(toWireBonus) }) satisfies BonusList,
  );

  app.post(
    "/v1/bonuses/welcome",
    {
      schema: {
        tags: ["bonuses"],
        summary: "Claim the welcome bonus: once per player, and once per device",
        security: bearer,
        response: { 201: Bonus, ...walletErrorResponses },
      },
      preHandler: player,
    },
    async (request, reply) => send(reply, await deps.bonuses.claimWelcome((request.principal as Principal).userId), 201),
  );
}

/** Operators: grant, cancel and review bonuses; grants and cancellations go to the audit log. */
export function registerOperatorBonusRoutes(app: FastifyInstance, deps: BonusHttpDeps): void {
  const operator = requireAuth(deps.auth, ["operator"]);

  app.post(
    "/v1/operator/players/:userId/bonuses",
    {
      schema: {
        tags: ["operator"],
        summary: "Grant a player a bonus (bonus_grant from the bonus house account)",
        security: bearer,
        headers: idempotencyHeader,
        params: PlayerIdParams,
        body: BonusGrantRequest,
        response: { 201: Bonus, ...walletErrorResponses },
      },
      preHandler: operator,
    },
    async (request, reply) =>
      idempotent(request, reply, deps.payments, async (key): Promise<Answer> => {
        const { userId } = request.params as PlayerIdParams;
        const body = request.body as BonusGrantRequest;
        const amount = parseMoneyInput(body.amount, body.currency);
        if (!amount.ok) return amount;
        const maxBet = parseMoneyInput(body.maxBet, body.currency);
        if (!maxBet.ok) return maxBet;
        const actor = httpActor(request);
        const outcome = await deps.bonuses.grant({
          userId,
          grantedBy: actor.actorId,
          requestKey: `operator:${actor.actorId}:${key}`,
          terms: {
            amountMinor: amount.value.amount,
            currency: body.currency,
            wageringMultiplier: body.wageringMultiplier,
            maxBetMinor: maxBet.value.amount,
            days: body.days,
          },
        });
        await deps.audit.record({
          ...actor,
          action: "bonus.grant",
          target: `user:${userId}`,
          reason: body.reason ?? null,
          detail: {
            amount: body.amount,
            currency: body.currency,
            wageringMultiplier: body.wageringMultiplier,
            maxBet: body.maxBet,
            days: body.days,
            ...(outcome.ok ? { bonusId: outcome.value.id } : {}),
          },
          outcome: outcome.ok ? "applied" : outcome.error,
        });
        return outcome.ok ? { status: 201, body: toWireBonus(outcome.value) } : outcome;
      }),
  );

  app.post(
    "/v1/operator/bonuses/:id/cancel",
    {
      schema: {
        tags: ["operator"],
        summary: "Cancel an active bonus: what is left of it goes back to the house (bonus_forfeit)",
        security: bearer,
        params: BonusIdParams,
        body: BonusCancelRequest,
        response: { 200: Bonus, ...walletErrorResponses },
      },
      preHandler: operator,
    },
    async (request, reply) => {
      const { id } = request.params as BonusIdParams;
      const { reason } = request.body as BonusCancelRequest;
      const actor = httpActor(request);
      const outcome = await deps.bonuses.cancel(id, reason);
      await deps.audit.record({
        ...actor,
        action: "bonus.cancel",
        target: outcome.ok ? `user:${outcome.value.userId}` : `bonus:${id}`,
        reason,
        detail: { bonusId: id },
        outcome: outcome.ok ? "applied" : outcome.error,
      });
      return send(reply, outcome);
    },
  );

  app.get(
    "/v1/operator/bonuses",
    {
      schema: {
        tags: ["operator"],
        summary: "Bonuses, newest first, optionally of one status",
        security: bearer,
        querystring: BonusListQuery,
        response: { 200: BonusList, ...walletErrorResponses },
      },
      preHandler: operator,
    },
    async (request) => {
      const query = request.query as BonusListQuery;
      const bonuses = await deps.bonuses.list({
        limit: Number(query.limit ?? listLimitDefault),
        ...(query.status === undefined ? {} : { status: query.status }),
      });
      return { bonuses: bonuses.map(toWireBonus) } satisfies BonusList;
    },
  );

  app.get(
    "/v1/operator/players/:userId/bonuses",
    {
      schema: {
        tags: ["operator"],
        summary: "A player's bonuses, newest first",
        security: bearer,
        params: PlayerIdParams,
        response: { 200: BonusList, ...walletErrorResponses },
      },
      preHandler: operator,
    },
    async (request) => ({ bonuses: (await deps.bonuses.forPlayer((request.params as PlayerIdParams).userId)).map(toWireBonus) }) satisfies BonusList,
  );
}
