import type { FastifyInstance } from "fastify";
import { Type } from "@sinclair/typebox";
import type { AuthService } from "../../app/auth/auth.service.js";
import type { CertificationReports } from "../../app/ports/certification-reports.js";
import { ErrorResponse } from "../../protocol/auth.schemas.js";
import { requireAuth } from "./auth.routes.js";
import { sendError } from "./http-errors.js";

const reportsListed = 20;

const CertificationReportSummary = Type.Object(
  {
    id: Type.String(),
    startedAt: Type.String(),
    rng: Type.String(),
    passed: Type.Boolean(),
    alpha: Type.Number(),
    decisions: Type.Integer(),
    rejected: Type.Integer(),
    hasHtml: Type.Boolean(),
    games: Type.Array(
      Type.Object(
        {
          game: Type.String(),
          rounds: Type.Integer(),
          passed: Type.Boolean(),
          rtp: Type.Union([Type.Number(), Type.Null()]),
          theoreticalRtp: Type.Union([Type.Number(), Type.Null()]),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
const ReportParams = Type.Object({ id: Type.String({ pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$" }) }, { additionalProperties: false });

/**
 * The certification reports in the reports folder (`croupier certify --out <certificationDir>/<run>`),
 * for operators: a summary of each run, newest first, and each run's self-contained HTML report.
 */
export function registerCertificationRoutes(app: FastifyInstance, auth: AuthService, reports: CertificationReports): void {
  const operator = requireAuth(auth, ["operator"]);
  const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
  app.get(
    "/v1/operator/certification",
    {
      schema: {
        tags: ["operator"],
        summary: `The newest ${reportsListed} certification runs in the reports folder, newest first`,
        security: [{ bearerAuth: [] }],
        response: { 200: Type.Object({ reports: Type.Array(CertificationReportSummary) }), ...errors },
      },
      preHandler: operator,
    },
    async () => ({ reports: await reports.list(reportsListed) }),
  );

  app.get(
    "/v1/operator/certification/:id/report.html",
    {
      schema: {
        tags: ["operator"],
        summary: "A certification run's HTML report (self-contained: no scripts or external assets)",
        security: [{ bearerAuth: [] }],
        params: ReportParams,
        response: errors,
      },
      preHandler: operator,
    },
    async (request, reply) => {
      const html = await reports.html((request.params as { id: string }).id);
      if (html === null) return sendError(reply, "CERTIFICATION_REPORT_NOT_FOUND");
      return reply.header("content-type", "text/html; charset=utf-8").header("content-disposition", 'attachment; filename="report.html"').send(html);
    },
  );
}
