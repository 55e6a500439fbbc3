import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { findCurrency, formatAmount, parseAmount } from "../../engine/money/index.js";
import type { Clock } from "../../app/ports/clock.js";
import {
  paymentEventTypes,
  type CardSummary,
  type CardTokenizer,
  type ChargeResult,
  type MoneyOrder,
  type PaymentEvent,
  type PaymentEventType,
  type PaymentProvider,
  type PayoutResult,
  type TokenizeResult,
  type WebhookVerdict,
} from "../../app/ports/payment-provider.js";
import { brandOf, expired, luhnValid, ruleOf, type CardRule } from "./sandbox-cards.js";
import { checkSignature, signatureHeader, signWebhook } from "./webhook-signature.js";

export interface SandboxOptions {
  /** Signs webhooks and card tokens. */
  readonly secret: string;
  /** First delivery of a charge's outcome; the pending event follows at 2x, the outcome again at 3x. */
  readonly webhookDelayMs: number;
  readonly webhookToleranceMs: number;
  /** Where webhooks go; set later with setWebhookUrl when it is this server's own address. */
  readonly webhookUrl?: string | null;
  readonly clock: Clock;
  readonly log?: { warn(context: object, message: string): void };
}

interface Charge {
  readonly id: string;
  readonly order: MoneyOrder;
  readonly rule: CardRule;
}

interface TokenClaims {
  readonly b: string;
  readonly l: string;
  readonly r: CardRule;
  readonly n: string;
  /** The player the token was made for: nobody else may use it. */
  readonly u: string;
  /** The card's fingerprint: the same for every token of one card number (a keyed hash of it). */
  readonly f: string;
}

/** Charges and payouts remembered for idempotency; the oldest are forgotten beyond it. */
const rememberedMax = 100_000;
/** Webhook deliveries waiting at once; beyond it new ones are dropped (and logged). */
const deliveriesMax = 10_000;
const deliveryAttemptsMax = 5;
const deliveryTimeoutMs = 5_000;

/**
 * The payment provider that ships with Croupier, for development and tests: no money moves. It
 * tokenizes test cards (the token carries brand, last four digits, the card's sandbox rule, the
 * player it was made for and a fingerprint of the number, signed so it cannot be forged; the number
 * itself is kept nowhere), charges and pays out by the
 * rules in sandbox-cards.ts, and delivers each charge's webhooks late, twice and out of order —
 * outcome, then "pending", then the outcome again — signed with HMAC-SHA256, as real providers may.
 */
export class SandboxPaymentProvider implements PaymentProvider, CardTokenizer {
  readonly name = "sandbox";
  private webhookUrl: string | null;
  private readonly tokenKey: Buffer;
  private readonly charges = new Map<string, Charge>();
  private readonly payouts = new Map<string, PayoutResult>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private closed = false;
  /** Calls of payout() and distinct payouts made, for tests that count effects. */
  payoutCalls = 0;
  readonly payoutsMade: MoneyOrder[] = [];

  constructor(private readonly options: SandboxOptions) {
    this.webhookUrl = options.webhookUrl ?? null;
    this.tokenKey = createHmac("sha256", options.secret).update("croupier sandbox card tokens").digest();
  }

  setWebhookUrl(url: string): void {
    this.webhookUrl = url;
  }

  tokenize(card: { number: string; expMonth: number; expYear: number; cvc?: string | undefined }, nowMs: number, ownerId: string): TokenizeResult {
    const digits = card.number.replace(/ /g, "");
    if (!luhnValid(digits)) return { status: "card_invalid", reason: "card number fails the Luhn check" };
    if (expired(card.expMonth, card.expYear, nowMs)) return { status: "card_invalid", reason: "card expired" };
    const fingerprint = createHmac("sha256", this.tokenKey).update(`fingerprint:${digits}`).digest("base64url").slice(0, 22);
    const claims: TokenClaims = {
      b: brandOf(digits),
      l: digits.slice(-4),
      r: ruleOf(digits),
      n: randomBytes(9).toString("base64url"),
      u: ownerId,
      f: fingerprint,
    };
    const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
    return { status: "ok", token: `tok_sbx_${payload}.${this.mac(payload)}`, card: summary(claims) };
  }

  describeToken(token: string, ownerId: string): CardSummary | null {
    const claims = this.claimsOf(token);
    // Another player's token is as unknown as a forged one: the answer tells nothing about it.
    return claims === null || claims.u !== ownerId ? null : summary(claims);
  }

  async charge(order: MoneyOrder): Promise<ChargeResult> {
    const claims = this.claimsOf(order.token);
    if (claims === null) return { status: "declined", reason: "token_unknown" };
    if (claims.r === "decline") return { status: "declined", reason: "card_declined" };
    const known = this.charges.get(order.idempotencyKey);
    if (known !== undefined) return { status: "pending", providerPaymentId: known.id };
    const charge: Charge = { id: `pay_${randomBytes(12).toString("hex")}`, order, rule: claims.r };
    remember(this.charges, order.idempotencyKey, charge);
    this.scheduleWebhooks(charge);
    return { status: "pending", providerPaymentId: charge.id };
  }

  async payout(order: MoneyOrder): Promise<PayoutResult> {
    this.payoutCalls += 1;
    const known = this.payouts.get(order.idempotencyKey);
    if (known !== undefined) return known;
    const claims = this.claimsOf(order.token);
    const result: PayoutResult =
      claims === null
        ? { status: "failed", reason: "token_unknown" }
        : claims.r === "payout_fail"
          ? { status: "failed", reason: "payout_refused" }
          : { status: "paid", providerPayoutId: `po_${randomBytes(12).toString("hex")}` };
    if (result.status === "paid") this.payoutsMade.push(order);
    remember(this.payouts, order.idempotencyKey, result);
    return result;
  }

  verifyWebhook(rawBody: string, signature: string | undefined, nowMs: number): WebhookVerdict {
    const check = checkSignature(this.options.secret, rawBody, signature, nowMs, this.options.webhookToleranceMs);
    if (check === "missing") return { status: "signature_missing" };
    if (check === "invalid") return { status: "signature_invalid" };
    if (check === "stale") return { status: "stale" };
    const event = parseEvent(rawBody);
    return event === null ? { status: "payload_invalid" } : { status: "ok", event };
  }

  /** Builds the signed body and header a delivery of `event` carries (tests use it to forge and replay). */
  signedDelivery(event: PaymentEvent, timestampMs = this.options.clock.nowMs()): { body: string; headers: Record<string, string> } {
    const body = serializeEvent(event);
    return { body, headers: { "content-type": "application/json", [signatureHeader]: signWebhook(this.options.secret, body, Math.floor(timestampMs / 1000)) } };
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private scheduleWebhooks(charge: Charge): void {
    const outcome: PaymentEventType = charge.rule === "fail_later" ? "charge.failed" : "charge.succeeded";
    const reason = charge.rule === "fail_later" ? "insufficient_funds" : null;
    const event = (type: PaymentEventType): PaymentEvent => ({
      id: `evt_${randomBytes(10).toString("hex")}`,
      type,
      providerPaymentId: charge.id,
      reference: charge.order.reference,
      amount: charge.order.amount,
      currency: charge.order.currency,
      reason: type === "charge.failed" ? reason : null,
      createdAtMs: this.options.clock.nowMs(),
    });
    const final = event(outcome);
    const d = this.options.webhookDelayMs;
    // Out of order and twice: the outcome first, the older "pending" after it, the outcome again.
    this.later(d, () => this.deliver(final, 1));
    this.later(2 * d, () => this.deliver(event("charge.pending"), 1));
    this.later(3 * d, () => this.deliver(final, 1));
  }

  private later(ms: number, work: () => Promise<void>): void {
    if (this.closed) return;
    if (this.timers.size >= deliveriesMax) {
      this.options.log?.warn({ deliveriesMax }, "sandbox webhook dropped: too many deliveries waiting");
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void work();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  private async deliver(event: PaymentEvent, attempt: number): Promise<void> {
    if (this.closed || this.webhookUrl === null) return;
    const { body, headers } = this.signedDelivery(event);
    let ok = false;
    try {
      const response = await fetch(this.webhookUrl, { method: "POST", headers, body, signal: AbortSignal.timeout(deliveryTimeoutMs) });
      ok = response.ok;
      await response.arrayBuffer();
    } catch {
      ok = false;
    }
    // Like a real provider: anything but a 2xx is delivered again, later, a few times.
    if (!ok && attempt < deliveryAttemptsMax) this.later(Math.max(100, this.options.webhookDelayMs) * 2 ** attempt, () => this.deliver(event, attempt + 1));
    else if (!ok) this.options.log?.warn({ eventId: event.id }, "sandbox webhook given up after its last attempt");
  }

  private mac(payload: string): string {
    return createHmac("sha256", this.tokenKey).update(payload).digest("base64url").slice(0, 32);
  }

  private claimsOf(token: string): TokenClaims | null {
    const match = /^tok_sbx_([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{32})$/.exec(token);
    if (match === null) return null;
    const [, payload = "", mac = ""] = match;
    if (!timingSafeEqual(Buffer.from(mac), Buffer.from(this.mac(payload)))) return null;
    try {
      const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as TokenClaims;
      return typeof claims.b === "string" &&
        typeof claims.l === "string" &&
        typeof claims.r === "string" &&
        typeof claims.u === "string" &&
        typeof claims.f === "string"
        ? claims
        : null;
    } catch {
      return null;
    }
  }
}

function summary(claims: TokenClaims): CardSummary {
  return { brand: claims.b, last4: claims.l, label: `${claims.b} •••• ${claims.l}`, fingerprint: claims.f };
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= rememberedMax) map.delete(map.keys().next().value as string);
  map.set(key, value);
}

/** The wire form of an event: amounts as decimal strings, as everywhere money is written down. */
export function serializeEvent(event: PaymentEvent): string {
  const currency = findCurrency(event.currency);
  const amount = currency === null ? event.amount.toString() : formatAmount(event.amount, currency);
  return JSON.stringify({
    id: event.id,
    type: event.type,
    created: event.createdAtMs,
    data: { paymentId: event.providerPaymentId, reference: event.reference, amount, currency: event.currency, reason: event.reason },
  });
}

function parseEvent(rawBody: string): PaymentEvent | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    return null;
  }
  const e = parsed as { id?: unknown; type?: unknown; created?: unknown; data?: Record<string, unknown> | null };
  const d = e.data;
  if (
    typeof e.id !== "string" ||
    typeof e.created !== "number" ||
    !paymentEventTypes.includes(e.type as PaymentEventType) ||
    typeof d !== "object" ||
    d === null
  )
    return null;
  if (typeof d.paymentId !== "string" || typeof d.reference !== "string" || typeof d.amount !== "string" || typeof d.currency !== "string") return null;
  const currency = findCurrency(d.currency);
  const amount = currency === null ? null : parseAmount(d.amount, currency);
  if (typeof amount !== "bigint" || amount <= 0n) return null;
  return {
    id: e.id,
    type: e.type as PaymentEventType,
    providerPaymentId: d.paymentId,
    reference: d.reference,
    amount,
    currency: d.currency,
    reason: typeof d.reason === "string" ? d.reason : null,
    createdAtMs: e.created,
  };
}

/**
 * The sandbox secret when none is configured: generated once and kept in the data folder, so card
 * tokens stored with withdrawals stay valid across restarts.
 */
export function loadOrCreateSandboxSecret(path: string): string {
  if (existsSync(path)) return readFileSync(path, "utf8").trim();
  mkdirSync(dirname(path), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  try {
    writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as { code?: string }).code === "EEXIST") return readFileSync(path, "utf8").trim();
    throw error;
  }
  return secret;
}
