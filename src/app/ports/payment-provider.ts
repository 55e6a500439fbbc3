/**
 * A payment service provider (PSP) as the wallet sees it. The provider holds the card; Croupier only
 * ever holds its token and a masked label. Business outcomes (a decline, a failed payout, a forged
 * webhook) are statuses; a rejected promise means the provider did not answer, and the call may be
 * repeated with the same idempotency key without a second effect.
 */
export interface CardSummary {
  readonly brand: string;
  readonly last4: string;
  /** What a player and an operator see, e.g. "visa •••• 4242". */
  readonly label: string;
  /**
   * The same for every token of one card (the instrument), different for different cards, and not
   * the number: how the closed loop tells that a withdrawal goes back to a card a deposit came from.
   */
  readonly fingerprint: string;
}

export interface MoneyOrder {
  /** Croupier's id of the deposit or withdrawal; the provider echoes it in its webhooks. */
  readonly reference: string;
  readonly token: string;
  readonly amount: bigint;
  readonly currency: string;
  /** The provider applies one effect per key, however often it is called with it. */
  readonly idempotencyKey: string;
}

export type ChargeResult =
  /** Accepted; a webhook confirms or fails it later. */
  { readonly status: "pending"; readonly providerPaymentId: string } | { readonly status: "declined"; readonly reason: string };

export type PayoutResult = { readonly status: "paid"; readonly providerPayoutId: string } | { readonly status: "failed"; readonly reason: string };

export const paymentEventTypes = ["charge.pending", "charge.succeeded", "charge.failed"] as const;
export type PaymentEventType = (typeof paymentEventTypes)[number];

/** A verified webhook event about a charge. */
export interface PaymentEvent {
  readonly id: string;
  readonly type: PaymentEventType;
  readonly providerPaymentId: string;
  readonly reference: string;
  readonly amount: bigint;
  readonly currency: string;
  readonly reason: string | null;
  readonly createdAtMs: number;
}

export type WebhookVerdict =
  { readonly status: "ok"; readonly event: PaymentEvent } | { readonly status: "signature_missing" | "signature_invalid" | "stale" | "payload_invalid" };

export interface PaymentProvider {
  /** Stable name: the owner of its clearing account ("payments:<name>") and its webhook path. */
  readonly name: string;
  /**
   * The card behind a token, or null when the token is not one this provider issued to `ownerId`:
   * a token is bound to the player who made it, so a leaked token is worthless to anyone else.
   */
  describeToken(token: string, ownerId: string): CardSummary | null;
  charge(order: MoneyOrder): Promise<ChargeResult>;
  payout(order: MoneyOrder): Promise<PayoutResult>;
  /**
   * Verifies a webhook from its raw body and signature header: signature (constant time) and
   * timestamp (within the tolerance, against replays), then the payload.
   */
  verifyWebhook(rawBody: string, signatureHeader: string | undefined, nowMs: number): WebhookVerdict;
}

export interface CardInput {
  readonly number: string;
  readonly expMonth: number;
  readonly expYear: number;
  readonly cvc?: string | undefined;
}

export type TokenizeResult =
  { readonly status: "ok"; readonly token: string; readonly card: CardSummary } | { readonly status: "card_invalid"; readonly reason: string };

/**
 * Turns a card into a token. A real provider does this in the player's browser (hosted fields), so
 * the card never reaches Croupier; the sandbox provider offers it over HTTP for tests and demos.
 */
export interface CardTokenizer {
  /** `ownerId`: the player the token is for; only that player can use it (describeToken). */
  tokenize(card: CardInput, nowMs: number, ownerId: string): TokenizeResult;
}
