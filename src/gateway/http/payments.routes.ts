import type { FastifyInstance } from "fastify";
import type { Principal } from "../../app/auth/auth.service.js";
import type { Clock } from "../../app/ports/clock.js";
import type { CardTokenizer } from "../../app/ports/payment-provider.js";
import { CardToken, CardTokenRequest, WebhookAck } from "../../protocol/wallet.schemas.js";
import { requireAuth } from "./auth.routes.js";
import { sendError } from "./http-errors.js";
import { bearer, walletErrorResponses, type WalletHttpDeps } from "./wallet.routes.js";

export interface PaymentsHttpDeps extends WalletHttpDeps {
  /** The sandbox's tokenizer; null when the sandbox is disabled (a real provider tokenizes in the browser). */
  readonly tokenizer: CardTokenizer | null;
  readonly clock: Clock;
  readonly webhookBodyBytesMax: number;
  /** The signature header of the provider's webhooks. */
  readonly signatureHeader: string;
}

/** Provider-facing endpoints: the sandbox's card tokenization (part of the player API), and webhooks. */
export async function registerPaymentsRoutes(app: FastifyInstance, deps: PaymentsHttpDeps, serves = { api: true, webhooks: true }): Promise<void> {
  const { payments, tokenizer } = deps;

  if (tokenizer !== null && serves.api) {
    app.post(
      "/v1/payments/sandbox/tokens",
      {
        schema: {
          tags: ["payments"],
          summary: "Sandbox only: turn a test card into a token (the number is kept nowhere)",
          security: bearer,
          body: CardTokenRequest,
          response: { 201: CardToken, ...walletErrorResponses },
        },
        preHandler: requireAuth(deps.auth),
      },
      async (request, reply) => {
        const result = tokenizer.tokenize(request.body as CardTokenRequest, deps.clock.nowMs(), (request.principal as Principal).userId);
        if (result.status !== "ok") return sendError(reply, "PAYMENT_CARD_INVALID", { details: [result.reason] });
        return reply.code(201).send({ token: result.token, card: result.card.label } satisfies CardToken);
      },
    );
  }

  if (!serves.webhooks) return;
  // The signature covers the exact bytes sent, so this route keeps the body as text: a parsed and
  // re-serialized object would not verify.
  await app.register(async (scope) => {
    scope.addContentTypeParser("application/json", { parseAs: "string", bodyLimit: deps.webhookBodyBytesMax }, (_request, body, done) => done(null, body));
    scope.post(
      `/v1/payments/webhooks/${payments.providerName}`,
      {
        schema: {
          tags: ["payments"],
          summary: "Provider webhooks, HMAC-SHA256 signed; each deposit is credited once",
          response: { 200: WebhookAck, ...walletErrorResponses },
        },
      },
      async (request, reply) => {
        const header = request.headers[deps.signatureHeader];
        const outcome = await payments.receiveWebhook(typeof request.body === "string" ? request.body : "", typeof header === "string" ? header : undefined);
        if (!outcome.ok) return sendError(reply, outcome.error, outcome.details ? { details: outcome.details } : {});
        return reply.send({ received: true, outcome: outcome.value } satisfies WebhookAck);
      },
    );
  });
}
