// The pure parts of payments, table-driven: amounts from the wire, withdrawal rules, webhook
// signatures, test cards and tokens, the canonical form that fingerprints a request.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseMoneyInput, ledgerError } from "../../src/app/payments/money-input.js";
import { judgeWithdrawal } from "../../src/app/payments/withdrawal-rules.js";
import { checkSignature, signWebhook } from "../../src/adapters/sandbox-payments/webhook-signature.js";
import { brandOf, expired, luhnValid, ruleOf } from "../../src/adapters/sandbox-payments/sandbox-cards.js";
import { SandboxPaymentProvider } from "../../src/adapters/sandbox-payments/sandbox-provider.js";
import { canonicalJson } from "../../src/gateway/http/wallet-http.js";
import { ledgerStatuses } from "../../src/engine/ledger/index.js";
import { errors } from "../../src/protocol/errors.js";
import { clockAt } from "../support/manual-clock.js";

describe("parseMoneyInput", () => {
  it.each([
    ["12.34", "EUR", { ok: true, value: { amount: 1234n } }],
    ["12", "JPY", { ok: true, value: { amount: 12n } }],
    ["0.01", "USD", { ok: true, value: { amount: 1n } }],
    [12.34, "EUR", { ok: false, error: "WALLET_AMOUNT_NOT_STRING" }],
    [12, "EUR", { ok: false, error: "WALLET_AMOUNT_NOT_STRING" }],
    [null, "EUR", { ok: false, error: "WALLET_AMOUNT_NOT_STRING" }],
    ["-1.00", "EUR", { ok: false, error: "WALLET_AMOUNT_NEGATIVE" }],
    ["0", "EUR", { ok: false, error: "WALLET_AMOUNT_ZERO" }],
    ["-0.00", "EUR", { ok: false, error: "WALLET_AMOUNT_ZERO" }],
    ["1.001", "EUR", { ok: false, error: "WALLET_AMOUNT_TOO_PRECISE" }],
    ["1.500", "EUR", { ok: false, error: "WALLET_AMOUNT_TOO_PRECISE" }],
    ["1e3", "EUR", { ok: false, error: "WALLET_AMOUNT_MALFORMED" }],
    ["0x10", "EUR", { ok: false, error: "WALLET_AMOUNT_MALFORMED" }],
    ["", "EUR", { ok: false, error: "WALLET_AMOUNT_MALFORMED" }],
    ["10000000000000.01", "EUR", { ok: false, error: "WALLET_AMOUNT_TOO_LARGE" }],
    ["1.00", "ABC", { ok: false, error: "WALLET_CURRENCY_UNKNOWN" }],
  ] as const)("%j %s", (amount, currency, expected) => {
    expect(parseMoneyInput(amount, currency)).toMatchObject(expected);
  });

  it("maps every ledger failure status onto a registry error", () => {
    for (const status of ledgerStatuses) if (status !== "ok") expect(errors[ledgerError(status)]).toBeDefined();
  });
});

describe("judgeWithdrawal", () => {
  const rules = { amountMinorMin: 1_000n, perPeriodMax: 2, periodMs: 60_000 };
  it.each([
    [999n, [], 0, null, "WALLET_WITHDRAWAL_BELOW_MINIMUM", false],
    [1_000n, [], 0, null, null, false],
    [5_000n, [10_000], 0, null, null, false],
    [5_000n, [10_000, 20_000], 0, 10_000 + 60_000 - 30_000, "WALLET_WITHDRAWAL_TOO_FREQUENT", false],
    [5_000n, [5_000, 10_000, 20_000], 0, 10_000 + 60_000 - 30_000, "WALLET_WITHDRAWAL_TOO_FREQUENT", false],
    // Counted requests whose hold still runs may yet be refused (and stop counting): undecided until they end.
    [5_000n, [10_000, 20_000], 1, 10_000 + 60_000 - 30_000, "WALLET_WITHDRAWAL_TOO_FREQUENT", true],
    [5_000n, [5_000, 10_000, 20_000], 1, 10_000 + 60_000 - 30_000, "WALLET_WITHDRAWAL_TOO_FREQUENT", false],
    [5_000n, [5_000, 10_000, 20_000], 2, 10_000 + 60_000 - 30_000, "WALLET_WITHDRAWAL_TOO_FREQUENT", true],
  ] as const)("amount %s after %j (%i still holding)", (amount, createdMs, holding, retryAfterMs, error, undecided) => {
    const verdict = judgeWithdrawal(amount, { count: createdMs.length, holding, createdMs }, 30_000, rules);
    expect(verdict?.error ?? null).toBe(error);
    if (retryAfterMs !== null) expect(verdict).toMatchObject({ retryAfterMs });
    expect(verdict !== null && "undecided" in verdict).toBe(undecided);
  });
});

describe("webhook signatures", () => {
  const secret = "whsec-test-0123456789";
  const body = '{"id":"evt_1"}';
  const now = 1_700_000_000_000;
  const header = signWebhook(secret, body, now / 1000);

  it.each([
    ["valid", secret, body, header, now, "ok"],
    ["no header", secret, body, undefined, now, "missing"],
    ["empty header", secret, body, "", now, "missing"],
    ["another secret", "whsec-other-0123456789", body, header, now, "invalid"],
    ["tampered body", secret, '{"id":"evt_2"}', header, now, "invalid"],
    ["no v1", secret, body, `t=${now / 1000}`, now, "invalid"],
    ["no timestamp", secret, body, header.replace(/^t=\d+,/, ""), now, "invalid"],
    ["truncated signature", secret, body, header.slice(0, -2), now, "invalid"],
    ["old", secret, body, header, now + 300_001, "stale"],
    ["from the future", secret, body, header, now - 300_001, "stale"],
    ["rotation: one of two v1 matches", secret, body, `${header},v1=${"0".repeat(64)}`, now, "ok"],
  ] as const)("%s", (_name, key, text, sig, at, expected) => {
    expect(checkSignature(key, text, sig, at, 300_000)).toBe(expected);
  });

  it("refuses any single-character change of a signed body", () => {
    fc.assert(
      fc.property(fc.nat({ max: body.length - 1 }), fc.string({ minLength: 1, maxLength: 1 }), (i, c) => {
        const changed = body.slice(0, i) + c + body.slice(i + 1);
        return checkSignature(secret, changed, header, now, 300_000) === (changed === body ? "ok" : "invalid");
      }),
    );
  });
});

describe("sandbox cards and tokens", () => {
  const clock = clockAt(() => Date.UTC(2026, 5, 15));
  const sandbox = new SandboxPaymentProvider({ secret: "sandbox-token-test-0123", webhookDelayMs: 0, webhookToleranceMs: 1_000, clock });

  it("checks Luhn, brand, expiry and rules", () => {
    expect([luhnValid("4242424242424242"), luhnValid("4242424242424241"), luhnValid("42"), luhnValid("42424242424242a2")]).toEqual([true, false, false, false]);
    expect([brandOf("4242"), brandOf("5555"), brandOf("3782"), brandOf("6011")]).toEqual(["visa", "mastercard", "amex", "card"]);
    expect([expired(5, 2026, clock.nowMs()), expired(6, 2026, clock.nowMs()), expired(12, 2025, clock.nowMs())]).toEqual([true, false, true]);
    expect([ruleOf("4000000000000002"), ruleOf("4000000000009995"), ruleOf("4111111111111111")]).toEqual(["decline", "fail_later", "approve"]);
  });

  it("issues tokens that carry no card number, cannot be forged and serve only their player", () => {
    const result = sandbox.tokenize({ number: "4242 4242 4242 4242", expMonth: 12, expYear: 2030 }, clock.nowMs(), "p1");
    if (result.status !== "ok") throw new Error("tokenize failed");
    expect(result.card.label).toBe("visa •••• 4242");
    expect(Buffer.from(result.token.slice(8).split(".")[0] as string, "base64url").toString()).not.toContain("424242424242");
    expect(sandbox.describeToken(result.token, "p1")).toEqual(result.card);
    expect(sandbox.describeToken(result.token, "p2")).toBeNull();
    // One card, two tokens: the same fingerprint; another card: another one.
    const again = sandbox.tokenize({ number: "4242424242424242", expMonth: 1, expYear: 2031 }, clock.nowMs(), "p1");
    const otherCard = sandbox.tokenize({ number: "5555 5555 5555 4444", expMonth: 12, expYear: 2030 }, clock.nowMs(), "p1");
    if (again.status !== "ok" || otherCard.status !== "ok") throw new Error("tokenize failed");
    expect([again.token === result.token, again.card.fingerprint, otherCard.card.fingerprint === result.card.fingerprint]).toEqual([
      false,
      result.card.fingerprint,
      false,
    ]);
    expect(result.card.fingerprint).not.toContain("4242");
    const [payload, mac] = result.token.split(".") as [string, string];
    const forgedPayload = Buffer.from(JSON.stringify({ b: "visa", l: "4242", r: "approve", n: "x", u: "p2", f: result.card.fingerprint })).toString(
      "base64url",
    );
    expect(sandbox.describeToken(`tok_sbx_${forgedPayload}.${mac}`, "p2")).toBeNull();
    expect(sandbox.describeToken(`${payload}.${mac.replace(/.$/, (c) => (c === "A" ? "B" : "A"))}`, "p1")).toBeNull();
    const other = new SandboxPaymentProvider({ secret: "another-sandbox-secret-99", webhookDelayMs: 0, webhookToleranceMs: 1_000, clock });
    expect(other.describeToken(result.token, "p1")).toBeNull();
    expect(sandbox.tokenize({ number: "4242 4242 4242 4242", expMonth: 1, expYear: 2026 }, clock.nowMs(), "p1")).toMatchObject({ status: "card_invalid" });
  });

  it("pays out once per idempotency key", async () => {
    const token = (sandbox.tokenize({ number: "4242424242424242", expMonth: 12, expYear: 2030 }, clock.nowMs(), "p1") as { token: string }).token;
    const order = { reference: "w1", token, amount: 500n, currency: "EUR", idempotencyKey: "withdrawal:w1" };
    const [a, b] = await Promise.all([sandbox.payout(order), sandbox.payout(order)]);
    expect(a).toEqual(b);
    expect(sandbox.payoutsMade).toHaveLength(1);
  });
});

describe("canonicalJson", () => {
  it("orders keys at every depth and drops undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: "s" }, u: undefined })).toBe('{"a":{"c":"s","d":[1,{"x":1,"y":2}]},"b":1}');
    expect(canonicalJson(null)).toBe("null");
  });
});
