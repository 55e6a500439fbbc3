import type { FastifyInstance } from "fastify";
import type { AuthService, Principal } from "../../app/auth/auth.service.js";
import type { RecalledRound as StoredRound, RoundStore } from "../../app/ports/round-store.js";
import { ErrorResponse } from "../../protocol/auth.schemas.js";
import { RecalledRound, RoundList, RoundListQuery, RoundParams, type RecalledRound as WireRound } from "../../protocol/rounds.schemas.js";
import { requireAuth } from "./auth.routes.js";
import { instantOf, sendError } from "./http-errors.js";

const listLimitMax = 100;
const listLimitDefault = 20;

/** A player sees only their own bets in a round; an operator sees all of them. */
function toWire(round: StoredRound, viewer: Principal): WireRound {
  const operator = viewer.roles.includes("operator");
  return {
    roundId: round.roundId,
    tableId: round.tableId,
    game: round.game,
    status: round.status,
    // The outcome of a round still taking bets is not fixed; once fixed it is shown only after the round closed.
    outcome: round.status === "open" ? null : round.outcome,
    verification: round.verification,
    voidReason: round.voidReason,
    openedAt: round.openedAt.toISOString(),
    closedAt: round.closedAt?.toISOString() ?? null,
    settledAt: round.settledAt?.toISOString() ?? null,
    bets: round.bets
      .filter((b) => operator || b.userId === viewer.userId)
      .map((b) => ({
        betId: b.betId,
        userId: b.userId,
        currency: b.currency,
        stakeMinor: b.stakeMinor.toString(),
        payoutMinor: b.payoutMinor?.toString() ?? null,
        detail: b.detail,
        placedAt: b.placedAt.toISOString(),
      })),
  };
}

/** Game recall: `GET /v1/rounds` (my rounds) and `GET /v1/rounds/:roundId`. */
export function registerRoundRoutes(app: FastifyInstance, auth: AuthService, rounds: RoundStore): void {
  const errors = { 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse };
  app.get(
    "/v1/rounds",
    {
      schema: {
        tags: ["games"],
        summary: "Rounds I played, newest first",
        querystring: RoundListQuery,
        security: [{ bearerAuth: [] }],
        response: { 200: RoundList, ...errors },
      },
      preHandler: requireAuth(auth),
    },
    async (request, reply) => {
      const viewer = request.principal as Principal;
      const query = request.query as { limit?: string; before?: string };
      const limit = Math.min(Number(query.limit ?? listLimitDefault), listLimitMax);
      const before = query.before === undefined ? undefined : instantOf(query.before);
      if (before === null) return sendError(reply, "REQUEST_INVALID", { details: ["/before is not a representable date-time"] });
      const found = await rounds.listForUser(viewer.userId, limit, before);
      return { rounds: found.map((r) => toWire(r, viewer)), next: found.length === limit ? (found.at(-1)?.openedAt.toISOString() ?? null) : null };
    },
  );

  app.get(
    "/v1/rounds/:roundId",
    {
      schema: {
        tags: ["games"],
        summary: "One round: bets, outcome, verification data, payouts",
        params: RoundParams,
        security: [{ bearerAuth: [] }],
        response: { 200: RecalledRound, ...errors },
      },
      preHandler: requireAuth(auth),
    },
    async (request, reply) => {
      const viewer = request.principal as Principal;
      const round = await rounds.find((request.params as { roundId: string }).roundId);
      // A player may recall a round only if they played in it; to anyone else it does not exist.
      if (round === null || (!viewer.roles.includes("operator") && !round.bets.some((b) => b.userId === viewer.userId)))
        return sendError(reply, "ROUND_NOT_FOUND");
      return toWire(round, viewer);
    },
  );
}
