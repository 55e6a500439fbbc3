import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AuthService, Principal } from "../../app/auth/auth.service.js";
import type { Outcome } from "../../app/outcome.js";
import { ErrorResponse, LoginRequest, Me, RefreshRequest, RegisterRequest, TokenPair, User, type Role } from "../../protocol/auth.schemas.js";
import { sendError } from "./http-errors.js";

declare module "fastify" {
  interface FastifyRequest {
    principal?: Principal;
  }
}

const errorResponses = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  409: ErrorResponse,
  413: ErrorResponse,
  415: ErrorResponse,
  429: ErrorResponse,
  503: ErrorResponse,
};
const bearer = [{ bearerAuth: [] }];

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? "";
}

/** A preHandler that authenticates the bearer token and, if given, requires one of `roles`. */
export function requireAuth(auth: AuthService, roles: readonly Role[] = []) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const outcome = await auth.authenticate(bearerToken(request));
    if (!outcome.ok) {
      await sendError(reply, outcome.error);
      return;
    }
    if (roles.length > 0 && !outcome.value.roles.some((r) => roles.includes(r))) {
      await sendError(reply, "AUTH_FORBIDDEN");
      return;
    }
    request.principal = outcome.value;
    request.log = request.log.child({ userId: outcome.value.userId, sessionId: outcome.value.sessionId });
  };
}

function send<T>(reply: FastifyReply, outcome: Outcome<T>, status = 200): FastifyReply {
  if (!outcome.ok)
    return sendError(reply, outcome.error, {
      ...(outcome.details ? { details: outcome.details } : {}),
      ...(outcome.retryAfterMs !== undefined ? { retryAfterMs: outcome.retryAfterMs } : {}),
    });
  return reply.code(status).send(outcome.value);
}

export function registerAuthRoutes(app: FastifyInstance, auth: AuthService): void {
  app.post(
    "/v1/auth/register",
    {
      schema: { tags: ["auth"], summary: "Create a player account", body: RegisterRequest, response: { 201: User, ...errorResponses } },
    },
    async (request, reply) => {
      const body = request.body as RegisterRequest;
      return send(reply, await auth.register({ username: body.username, email: body.email, password: body.password, clientAddress: request.ip }), 201);
    },
  );

  app.post(
    "/v1/auth/login",
    {
      schema: {
        tags: ["auth"],
        summary: "Exchange credentials for an access and a refresh token",
        body: LoginRequest,
        response: { 200: TokenPair, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body as LoginRequest;
      return send(reply, await auth.login({ login: body.login, password: body.password, deviceId: body.deviceId, clientAddress: request.ip }));
    },
  );

  app.post(
    "/v1/auth/refresh",
    {
      schema: {
        tags: ["auth"],
        summary: "Rotate a refresh token into a new token pair",
        body: RefreshRequest,
        response: { 200: TokenPair, ...errorResponses },
      },
    },
    async (request, reply) => send(reply, await auth.refresh((request.body as RefreshRequest).refreshToken)),
  );

  app.post(
    "/v1/auth/logout",
    {
      schema: { tags: ["auth"], summary: "Revoke the current session", security: bearer, response: { ...errorResponses } },
      preHandler: requireAuth(auth),
    },
    async (request, reply) => {
      await auth.logout(request.principal as Principal);
      return reply.code(204).send();
    },
  );

  app.get(
    "/v1/me",
    {
      schema: { tags: ["auth"], summary: "The authenticated account", security: bearer, response: { 200: Me, ...errorResponses } },
      preHandler: requireAuth(auth),
    },
    async (request, reply) => send(reply, await auth.me(request.principal as Principal)),
  );
}
