// Deposits, webhooks, withdrawals and idempotency over real HTTP, in embedded mode (PGlite, memory
// bus) and production mode (PostgreSQL, Redis).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import type { PaymentEvent } from "../../src/app/ports/payment-provider.js";
import { SandboxPaymentProvider } from "../../src/adapters/sandbox-payments/sandbox-provider.js";
import { signatureHeader } from "../../src/adapters/sandbox-payments/webhook-signature.js";
import { serviceAvailable } from "../support/services.js";
import { createShared, startTestServer, type Mode, type Shared } from "../support/server.js";
import { call } from "../support/http.js";
import { balances, cards, fund, money, newKey, newOperator, newPlayer, tokenize, until, untilPaid, webhookSecret, type Player } from "./support.js";
import { clockAt } from "../support/manual-clock.js";
import { ifAssigned } from "../support/fixtures.js";

// Long enough that a deposit is still unconfirmed when its POST returns, on a loaded machine too.
const delayMs = 300;

for (const mode of ["embedded", "production"] as Mode[]) {
  const available = mode === "embedded" || (serviceAvailable("postgres") && serviceAvailable("redis"));
  describe.skipIf(!available)(`payments over HTTP (${mode})`, () => {
    let shared: Shared;
    let server: RunningServer;
    let base: string;
    // Signs like the sandbox does, with the server's secret: the tests' own webhook sender.
    const signer = new SandboxPaymentProvider({ secret: webhookSecret, webhookDelayMs: 0, webhookToleranceMs: 300_000, clock: clockAt(() => Date.now()) });
    const webhook = (body: string, headers: Record<string, string>) => call(base, "POST", "/v1/payments/webhooks/sandbox", { rawBody: body, headers });

    async function transfers(player: Player, kind: string): Promise<number> {
      const rows = await server.services.db.query<{ n: bigint }>(
        `select count(*) as n from ledger_transfers t join ledger_accounts a on a.id = t.credit_account_id or a.id = t.debit_account_id
         where a.owner = $1 and a.kind = 'player_cash' and t.kind = $2`,
        [player.userId, kind],
      );
      return Number(rows[0]?.n ?? 0n);
    }

    beforeAll(async () => {
      shared = await createShared(mode);
      server = await startTestServer(shared, [
        "--payments-sandbox-webhook-secret",
        webhookSecret,
        "--payments-sandbox-webhook-delay-ms",
        String(delayMs),
        "--withdrawals-per-period-max",
        "3",
        "--withdrawal-amount-minor-min",
        "500",
        "--outbox-poll-interval-ms",
        "50",
      ]);
      base = server.url;
    });
    afterAll(async () => {
      await ifAssigned(server)?.close();
      await ifAssigned(shared)?.dispose();
    });

    it("answers a long poll on a pending deposit when its webhook credits it, not before and not after its wait", async () => {
      const player = await newPlayer(base);
      const cardToken = await tokenize(base, player, cards.visa);
      const res = await money(base, player, "/v1/wallet/deposits", { amount: "7.00", currency: "EUR", cardToken });
      expect(res.body).toMatchObject({ status: "pending" });
      const id = res.body.id as string;
      const started = Date.now();
      const waited = await call(base, "GET", `/v1/wallet/deposits/${id}?waitMs=20000`, { token: player.token });
      const tookMs = Date.now() - started;
      expect(waited.body).toMatchObject({ id, status: "credited" });
      // Answered when the webhook came (300 ms after the charge), far inside the 20 s it could wait.
      expect(tookMs).toBeLessThan(10_000);
      expect(await balances(base, player)).toEqual({ "cash:EUR": { balance: "7.00", held: "0.00", available: "7.00" } });
      // A settled deposit is answered at once; another player's is not found, waiting or not.
      const again = Date.now();
      expect((await call(base, "GET", `/v1/wallet/deposits/${id}?waitMs=20000`, { token: player.token })).body.status).toBe("credited");
      expect(Date.now() - again).toBeLessThan(5_000);
      const other = await newPlayer(base);
      expect((await call(base, "GET", `/v1/wallet/deposits/${id}?waitMs=1000`, { token: other.token })).body.code).toBe(
        "CROUPIER_ERR_PAYMENT_DEPOSIT_NOT_FOUND",
      );
      expect((await call(base, "GET", `/v1/wallet/deposits/${id}?waitMs=60000`, { token: player.token })).status).toBe(400);
    });

    it("credits a deposit once, though its webhooks come late, twice and out of order", async () => {
      const player = await newPlayer(base);
      const cardToken = await tokenize(base, player, cards.visa);
      expect(cardToken).not.toContain("4242424242424242");
      const res = await money(base, player, "/v1/wallet/deposits", { amount: "25.00", currency: "EUR", cardToken });
      expect(res.status).toBe(201);
      // Late: the provider has not confirmed it yet, so nothing is credited.
      expect(res.body).toMatchObject({ status: "pending", amount: "25.00", currency: "EUR", card: "visa •••• 4242", provider: "sandbox" });
      expect(await balances(base, player)).toEqual({});
      const id = res.body.id as string;
      const credited = await until(
        () => call(base, "GET", `/v1/wallet/deposits/${id}`, { token: player.token }),
        (r) => r.body.status === "credited",
      );
      expect(credited.body.status).toBe("credited");
      // Let the out-of-order "pending" and the duplicate outcome arrive too.
      await new Promise((resolve) => setTimeout(resolve, 3 * delayMs + 200));
      expect(await balances(base, player)).toEqual({ "cash:EUR": { balance: "25.00", held: "0.00", available: "25.00" } });
      expect(await transfers(player, "deposit")).toBe(1);
      const history = await call<{ entries: { kind: string; amount: string; reference: string }[] }>(base, "GET", "/v1/wallet/history?currency=EUR", {
        token: player.token,
      });
      expect(history.body.entries).toEqual([expect.objectContaining({ kind: "deposit", amount: "25.00", reference: `deposit:${id}` })]);
      // The card number is stored nowhere: only the token and its masked label.
      const stored = await server.services.db.query<{ n: bigint }>(
        "select count(*) as n from payments_deposits where card_label like '%4242424242424242%' or card_token like '%4242424242424242%'",
      );
      expect(stored[0]?.n).toBe(0n);
    });

    it("credits once when the same signed webhook arrives many times at once and after", async () => {
      const player = await newPlayer(base);
      const cardToken = await tokenize(base, player, cards.visa);
      const res = await money(base, player, "/v1/wallet/deposits", { amount: "7.50", currency: "EUR", cardToken });
      const deposit = await server.services.payments.findDeposit(res.body.id as string);
      const event: PaymentEvent = {
        id: "evt_manual",
        type: "charge.succeeded",
        providerPaymentId: deposit?.providerPaymentId as string,
        reference: deposit?.id as string,
        amount: 750n,
        currency: "EUR",
        reason: null,
        createdAtMs: Date.now(),
      };
      const delivery = signer.signedDelivery(event);
      const answers = await Promise.all(Array.from({ length: 6 }, () => webhook(delivery.body, delivery.headers)));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(answers.filter((a) => a.body.outcome === "credited").length).toBeLessThanOrEqual(1);
      const late = signer.signedDelivery({ ...event, type: "charge.pending" });
      expect((await webhook(late.body, late.headers)).body.outcome).toBe("noted");
      await new Promise((resolve) => setTimeout(resolve, 3 * delayMs + 200));
      expect((await balances(base, player))["cash:EUR"]?.balance).toBe("7.50");
      expect(await transfers(player, "deposit")).toBe(1);
    });

    it("refuses unsigned, forged, tampered and stale webhooks, changing nothing", async () => {
      const player = await newPlayer(base);
      const cardToken = await tokenize(base, player, cards.visa);
      const res = await call(base, "POST", "/v1/wallet/deposits", {
        token: player.token,
        body: { amount: "5.00", currency: "EUR", cardToken },
        headers: { "idempotency-key": newKey() },
      });
      const deposit = await server.services.payments.findDeposit(res.body.id as string);
      const event: PaymentEvent = {
        id: "evt_forged",
        type: "charge.succeeded",
        providerPaymentId: deposit?.providerPaymentId as string,
        reference: deposit?.id as string,
        amount: 500n,
        currency: "EUR",
        reason: null,
        createdAtMs: Date.now(),
      };
      const good = signer.signedDelivery(event);
      const forger = new SandboxPaymentProvider({
        secret: "not-the-secret-at-all-000",
        webhookDelayMs: 0,
        webhookToleranceMs: 300_000,
        clock: clockAt(() => Date.now()),
      });
      const forged = forger.signedDelivery(event);
      const stale = signer.signedDelivery(event, Date.now() - 10 * 60_000);
      const cases: Array<[string, Record<string, string>, number, string]> = [
        [good.body, { "content-type": "application/json" }, 401, "CROUPIER_ERR_PAYMENT_WEBHOOK_SIGNATURE_MISSING"],
        [forged.body, forged.headers, 401, "CROUPIER_ERR_PAYMENT_WEBHOOK_SIGNATURE_INVALID"],
        [good.body.replace('"5.00"', '"500.00"'), good.headers, 401, "CROUPIER_ERR_PAYMENT_WEBHOOK_SIGNATURE_INVALID"],
        [good.body, { ...good.headers, [signatureHeader]: "t=abc,v1=00" }, 401, "CROUPIER_ERR_PAYMENT_WEBHOOK_SIGNATURE_INVALID"],
        [stale.body, stale.headers, 401, "CROUPIER_ERR_PAYMENT_WEBHOOK_STALE"],
      ];
      for (const [body, headers, status, code] of cases) {
        const answer = await webhook(body, headers);
        expect([code, answer.status, answer.body.code]).toEqual([code, status, code]);
      }
      const junk = signer.signedDelivery(event);
      const junkBody = '{"hello":"world"}';
      const junkSigned = {
        ...junk.headers,
        [signatureHeader]: (await import("../../src/adapters/sandbox-payments/webhook-signature.js")).signWebhook(
          webhookSecret,
          junkBody,
          Math.floor(Date.now() / 1000),
        ),
      };
      expect((await webhook(junkBody, junkSigned)).body.code).toBe("CROUPIER_ERR_PAYMENT_WEBHOOK_PAYLOAD_INVALID");
      expect(await transfers(player, "deposit")).toBe(0);
    });

    it("declines a declined card at once and fails a card the provider fails later", async () => {
      const player = await newPlayer(base);
      const declined = await money(base, player, "/v1/wallet/deposits", {
        amount: "10.00",
        currency: "EUR",
        cardToken: await tokenize(base, player, cards.declined),
      });
      expect([declined.status, declined.body.code, declined.body.details]).toEqual([402, "CROUPIER_ERR_PAYMENT_DECLINED", ["card_declined"]]);
      const later = await money(base, player, "/v1/wallet/deposits", {
        amount: "10.00",
        currency: "EUR",
        cardToken: await tokenize(base, player, cards.failsLater),
      });
      expect(later.body.status).toBe("pending");
      const final = await until(
        () => call(base, "GET", `/v1/wallet/deposits/${later.body.id as string}`, { token: player.token }),
        (r) => r.body.status !== "pending",
      );
      expect(final.body).toMatchObject({ status: "failed", reason: "insufficient_funds" });
      expect(await balances(base, player)).toEqual({});
      const bad = await call(base, "POST", "/v1/payments/sandbox/tokens", {
        token: player.token,
        body: { number: "4242 4242 4242 4241", expMonth: 1, expYear: 2099 },
      });
      expect(bad.body.code).toBe("CROUPIER_ERR_PAYMENT_CARD_INVALID");
    });

    it("lists deposits for operators by player and status, page by page, and shows the outbox; a player may not", async () => {
      const player = await newPlayer(base);
      const operator = await newOperator(server);
      await fund(base, player, "5.00");
      await fund(base, player, "6.00");
      await money(base, player, "/v1/wallet/deposits", { amount: "7.00", currency: "EUR", cardToken: await tokenize(base, player, cards.declined) });
      const all = await call(base, "GET", `/v1/operator/deposits?userId=${player.userId}`, { token: operator.token });
      expect(all.status).toBe(200);
      expect((all.body.deposits as { amount: string; status: string; userId: string }[]).map((d) => [d.amount, d.status, d.userId])).toEqual([
        ["7.00", "declined", player.userId],
        ["6.00", "credited", player.userId],
        ["5.00", "credited", player.userId],
      ]);
      expect(all.body.nextCursor).toBeNull();
      const first = await call(base, "GET", `/v1/operator/deposits?userId=${player.userId}&status=credited&limit=1`, { token: operator.token });
      expect((first.body.deposits as { amount: string }[]).map((d) => d.amount)).toEqual(["6.00"]);
      const second = await call(
        base,
        "GET",
        `/v1/operator/deposits?userId=${player.userId}&status=credited&limit=1&before=${first.body.nextCursor as string}`,
        { token: operator.token },
      );
      expect((second.body.deposits as { amount: string }[]).map((d) => d.amount)).toEqual(["5.00"]);
      expect((await call(base, "GET", "/v1/operator/deposits?status=refunded", { token: operator.token })).body.code).toBe("CROUPIER_ERR_REQUEST_INVALID");

      const outbox = await call(base, "GET", "/v1/operator/outbox?state=parked", { token: operator.token });
      expect([outbox.status, Array.isArray(outbox.body.entries)]).toEqual([200, true]);
      const notParked = await call(base, "POST", "/v1/operator/outbox/999999999/requeue", { token: operator.token });
      expect([notParked.status, notParked.body.code]).toEqual([409, "CROUPIER_ERR_PAYMENT_OUTBOX_NOT_PARKED"]);
      for (const [method, path] of [
        ["GET", "/v1/operator/deposits"],
        ["GET", "/v1/operator/outbox"],
        ["POST", "/v1/operator/outbox/1/requeue"],
      ] as const) {
        const res = await call(base, method, path, { token: player.token });
        expect([path, res.status, res.body.code]).toEqual([path, 403, "CROUPIER_ERR_AUTH_FORBIDDEN"]);
      }
    });

    it("gives each bad amount its own code and creates nothing", async () => {
      const player = await newPlayer(base);
      const cardToken = await tokenize(base, player, cards.visa);
      const cases: Array<[unknown, string, string]> = [
        [10, "EUR", "CROUPIER_ERR_WALLET_AMOUNT_NOT_STRING"],
        [10.5, "EUR", "CROUPIER_ERR_WALLET_AMOUNT_NOT_STRING"],
        ["-5.00", "EUR", "CROUPIER_ERR_WALLET_AMOUNT_NEGATIVE"],
        ["1.234", "EUR", "CROUPIER_ERR_WALLET_AMOUNT_TOO_PRECISE"],
        ["1.5", "JPY", "CROUPIER_ERR_WALLET_AMOUNT_TOO_PRECISE"],
        ["1e3", "EUR", "CROUPIER_ERR_WALLET_AMOUNT_MALFORMED"],
        [" 1", "EUR", "CROUPIER_ERR_WALLET_AMOUNT_MALFORMED"],
        ["0.00", "EUR", "CROUPIER_ERR_WALLET_AMOUNT_ZERO"],
        ["99999999999999999", "EUR", "CROUPIER_ERR_WALLET_AMOUNT_TOO_LARGE"],
        ["1.00", "XXX", "CROUPIER_ERR_WALLET_CURRENCY_UNKNOWN"],
        ["1.00", "eur", "CROUPIER_ERR_REQUEST_INVALID"],
      ];
      for (const [amount, currency, code] of cases) {
        for (const path of ["/v1/wallet/deposits", "/v1/wallet/withdrawals"]) {
          const res = await money(base, player, path, { amount, currency, cardToken });
          expect([path, amount, res.status, res.body.code]).toEqual([path, amount, 400, code]);
        }
      }
      const noKey = await money(base, player, "/v1/wallet/deposits", { amount: "1.00", currency: "EUR", cardToken }, null);
      expect(noKey.body.code).toBe("CROUPIER_ERR_WALLET_IDEMPOTENCY_KEY_MISSING");
      const badKey = await money(base, player, "/v1/wallet/deposits", { amount: "1.00", currency: "EUR", cardToken }, "has space");
      expect(badKey.body.code).toBe("CROUPIER_ERR_WALLET_IDEMPOTENCY_KEY_INVALID");
      const forgedToken = await money(base, player, "/v1/wallet/deposits", { amount: "1.00", currency: "EUR", cardToken: `${cardToken.slice(0, -4)}AAAA` });
      expect(forgedToken.body.code).toBe("CROUPIER_ERR_PAYMENT_TOKEN_INVALID");
      const rows = await server.services.db.query<{ n: bigint }>(
        "select (select count(*) from payments_deposits where user_id = $1) + (select count(*) from payments_withdrawals where user_id = $1) as n",
        [player.userId],
      );
      expect(rows[0]?.n).toBe(0n);
    });

    it("replays the same key and request, and refuses the same key with another request", async () => {
      const player = await newPlayer(base);
      const cardToken = await tokenize(base, player, cards.visa);
      const key = newKey("idem");
      const first = await money(base, player, "/v1/wallet/deposits", { amount: "3.00", currency: "EUR", cardToken }, key);
      expect(first.status).toBe(201);
      // Same request with its fields in another order: the same request.
      const again = await money(base, player, "/v1/wallet/deposits", { cardToken, currency: "EUR", amount: "3.00" }, key);
      expect([again.status, again.body, again.headers.get("idempotent-replayed")]).toEqual([201, first.body, "true"]);
      const other = await money(base, player, "/v1/wallet/deposits", { amount: "4.00", currency: "EUR", cardToken }, key);
      expect([other.status, other.body.code]).toEqual([422, "CROUPIER_ERR_WALLET_IDEMPOTENCY_KEY_CONFLICT"]);
      const elsewhere = await money(base, player, "/v1/wallet/withdrawals", { amount: "3.00", currency: "EUR", cardToken }, key);
      expect(elsewhere.body.code).toBe("CROUPIER_ERR_WALLET_IDEMPOTENCY_KEY_CONFLICT");
      // Keys are per caller: another player may use the same key for its own request.
      const someoneElse = await newPlayer(base);
      const theirs = await money(
        base,
        someoneElse,
        "/v1/wallet/deposits",
        { amount: "3.00", currency: "EUR", cardToken: await tokenize(base, someoneElse, cards.visa) },
        key,
      );
      // A card token serves only the player who made it: another player's is as unknown as a forged one.
      for (const path of ["/v1/wallet/deposits", "/v1/wallet/withdrawals"]) {
        const stolen = await money(base, someoneElse, path, { amount: "3.00", currency: "EUR", cardToken });
        expect([stolen.status, stolen.body.code]).toEqual([400, "CROUPIER_ERR_PAYMENT_TOKEN_INVALID"]);
      }
      expect(theirs.status).toBe(201);
      expect(theirs.body.id).not.toBe(first.body.id);
      await until(
        () => balances(base, player),
        (b) => b["cash:EUR"]?.balance === "3.00",
      );
      await new Promise((resolve) => setTimeout(resolve, 3 * delayMs + 200));
      expect(await transfers(player, "deposit")).toBe(1);
    });

    it("holds a withdrawal, lets an operator approve (paid once) or reject (released), and enforces the rules", async () => {
      const player = await newPlayer(base);
      const operator = await newOperator(server);
      const cardToken = await fund(base, player, "100.00");
      const first = await money(base, player, "/v1/wallet/withdrawals", { amount: "30.00", currency: "EUR", cardToken });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ status: "pending", amount: "30.00", userId: player.userId, card: "visa •••• 4242" });
      expect(await balances(base, player)).toMatchObject({ "cash:EUR": { balance: "70.00" }, "withdrawals_pending:EUR": { balance: "30.00" } });

      // Operator-only endpoints refuse a player.
      for (const [method, path] of [
        ["GET", "/v1/operator/withdrawals?status=pending"],
        ["POST", `/v1/operator/withdrawals/${first.body.id as string}/approve`],
        ["POST", `/v1/operator/withdrawals/${first.body.id as string}/reject`],
        ["GET", "/v1/operator/ledger/check"],
        ["GET", `/v1/operator/players/${player.userId}/history?currency=EUR`],
      ] as const) {
        const res = await call(base, method, path, { token: player.token, headers: { "idempotency-key": newKey() } });
        expect([path, res.status, res.body.code]).toEqual([path, 403, "CROUPIER_ERR_AUTH_FORBIDDEN"]);
      }
      const list = await call<{ withdrawals: { id: string }[] }>(base, "GET", "/v1/operator/withdrawals?status=pending&limit=200", { token: operator.token });
      expect(list.body.withdrawals.map((w) => w.id)).toContain(first.body.id);

      const approveKey = newKey("approve");
      const approve = () =>
        call(base, "POST", `/v1/operator/withdrawals/${first.body.id as string}/approve`, {
          token: operator.token,
          headers: { "idempotency-key": approveKey },
        });
      const approved = await approve();
      expect(approved.status).toBe(200);
      // The payout runs right after the decision; when the outbox relay already holds the entry (or the
      // ledger is busy) the answer is "approved" and the relay pays it moments later.
      expect(approved.body).toMatchObject({ status: expect.stringMatching(/^(approved|paid)$/) as unknown, decidedBy: operator.userId });
      expect((await approve()).body).toEqual(approved.body);
      await untilPaid(base, operator, first.body.id as string);
      const twice = await call(base, "POST", `/v1/operator/withdrawals/${first.body.id as string}/approve`, {
        token: operator.token,
        headers: { "idempotency-key": newKey() },
      });
      expect([twice.status, twice.body.code]).toEqual([409, "CROUPIER_ERR_WALLET_WITHDRAWAL_NOT_PENDING"]);
      expect(server.services.sandbox.payoutsMade.filter((p) => p.reference === first.body.id)).toHaveLength(1);
      expect(await balances(base, player)).toMatchObject({ "cash:EUR": { balance: "70.00" }, "withdrawals_pending:EUR": { balance: "0.00" } });

      const second = await money(base, player, "/v1/wallet/withdrawals", { amount: "20.00", currency: "EUR", cardToken });
      const rejected = await call(base, "POST", `/v1/operator/withdrawals/${second.body.id as string}/reject`, {
        token: operator.token,
        headers: { "idempotency-key": newKey() },
      });
      expect(rejected.body).toMatchObject({ status: "rejected" });
      await until(
        () => balances(base, player),
        (b) => b["cash:EUR"]?.balance === "70.00",
      );
      expect(await balances(base, player)).toMatchObject({
        "cash:EUR": { balance: "70.00", available: "70.00" },
        "withdrawals_pending:EUR": { balance: "0.00" },
      });

      const small = await money(base, player, "/v1/wallet/withdrawals", { amount: "4.99", currency: "EUR", cardToken });
      expect([small.status, small.body.code]).toEqual([422, "CROUPIER_ERR_WALLET_WITHDRAWAL_BELOW_MINIMUM"]);
      const tooMuchKey = newKey("too-much");
      const tooMuch = await money(base, player, "/v1/wallet/withdrawals", { amount: "70.01", currency: "EUR", cardToken }, tooMuchKey);
      expect([tooMuch.status, tooMuch.body.code]).toEqual([422, "CROUPIER_ERR_WALLET_INSUFFICIENT_FUNDS"]);
      // Refused, so nothing was recorded under the key: the same request is tried again, and refused again.
      expect((await money(base, player, "/v1/wallet/withdrawals", { amount: "70.01", currency: "EUR", cardToken }, tooMuchKey)).body.code).toBe(
        "CROUPIER_ERR_WALLET_INSUFFICIENT_FUNDS",
      );
      const third = await money(base, player, "/v1/wallet/withdrawals", { amount: "10.00", currency: "EUR", cardToken });
      expect(third.status).toBe(201);
      // Three withdrawals in the period (the refused one does not count): the fourth waits.
      const fourth = await money(base, player, "/v1/wallet/withdrawals", { amount: "10.00", currency: "EUR", cardToken });
      expect([fourth.status, fourth.body.code]).toEqual([429, "CROUPIER_ERR_WALLET_WITHDRAWAL_TOO_FREQUENT"]);
      expect(Number(fourth.headers.get("retry-after"))).toBeGreaterThan(80_000);

      const history = await call<{ entries: { kind: string; amount: string }[] }>(base, "GET", `/v1/operator/players/${player.userId}/history?currency=EUR`, {
        token: operator.token,
      });
      expect(history.body.entries.map((e) => [e.kind, e.amount])).toEqual([
        ["withdrawal_request", "-10.00"],
        ["withdrawal_reject", "20.00"],
        ["withdrawal_request", "-20.00"],
        ["withdrawal_request", "-30.00"],
        ["deposit", "100.00"],
      ]);
      const check = await call(base, "GET", "/v1/operator/ledger/check", { token: operator.token });
      expect(check.body).toMatchObject({ ok: true, accountsMismatched: 0, accountsNegative: 0 });
    });

    it("lets no concurrent requests past the frequency rule, and runs one of several with the same key", async () => {
      const player = await newPlayer(base);
      const cardToken = await fund(base, player, "100.00");
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => money(base, player, "/v1/wallet/withdrawals", { amount: "10.00", currency: "EUR", cardToken })),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 201, 429, 429, 429]);
      expect(await balances(base, player)).toMatchObject({ "cash:EUR": { balance: "70.00" }, "withdrawals_pending:EUR": { balance: "30.00" } });

      const key = newKey("same");
      const same = await Promise.all(
        Array.from({ length: 4 }, () => money(base, player, "/v1/wallet/deposits", { amount: "1.00", currency: "EUR", cardToken }, key)),
      );
      const created = same.filter((a) => a.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      for (const answer of same) {
        if (answer.status === 201) expect(answer.body).toEqual(created[0]?.body);
        else expect([answer.status, answer.body.code]).toEqual([409, "CROUPIER_ERR_WALLET_IDEMPOTENCY_KEY_IN_PROGRESS"]);
      }
      const rows = await server.services.db.query<{ n: bigint }>("select count(*) as n from payments_deposits where user_id = $1", [player.userId]);
      expect(rows[0]?.n).toBe(2n);
    });

    it("answers each concurrent request with its hold's outcome: refused for funds (422), never busy, and refused ones do not count", async () => {
      const player = await newPlayer(base);
      const cardToken = await fund(base, player, "100.00");
      // Six at once, funds for two: the other four are refused for funds, and being refused they leave
      // the frequency rule (3 per period) room — none is answered 429 or 503.
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => money(base, player, "/v1/wallet/withdrawals", { amount: "40.00", currency: "EUR", cardToken })),
      );
      expect(answers.map((a) => `${a.status} ${(a.body.code as string | undefined) ?? ""}`).sort()).toEqual([
        "201 ",
        "201 ",
        ...Array.from({ length: 4 }, () => "422 CROUPIER_ERR_WALLET_INSUFFICIENT_FUNDS"),
      ]);
      expect(await balances(base, player)).toMatchObject({ "cash:EUR": { balance: "20.00" }, "withdrawals_pending:EUR": { balance: "80.00" } });
      // The third counted request still fits; over the balance it is refused for funds, each time (the relay polls every 50 ms meanwhile).
      for (let i = 0; i < 5; i++) {
        const over = await money(base, player, "/v1/wallet/withdrawals", { amount: "30.00", currency: "EUR", cardToken });
        expect([over.status, over.body.code]).toEqual([422, "CROUPIER_ERR_WALLET_INSUFFICIENT_FUNDS"]);
      }
      expect(await balances(base, player)).toMatchObject({ "cash:EUR": { balance: "20.00" }, "withdrawals_pending:EUR": { balance: "80.00" } });
      const rows = await server.services.db.query<{ status: string; n: bigint }>(
        "select status, count(*) as n from payments_withdrawals where user_id = $1 group by status order by status",
        [player.userId],
      );
      expect(rows.map((r) => [r.status, Number(r.n)])).toEqual([
        ["pending", 2],
        ["refused", 9],
      ]);
    });

    it("returns the money when the provider refuses a payout; a card never deposited with needs the operator's explicit word (closed loop)", async () => {
      const player = await newPlayer(base);
      const operator = await newOperator(server);
      await fund(base, player, "50.00");
      const cardToken = await tokenize(base, player, cards.payoutFails);
      const w = await money(base, player, "/v1/wallet/withdrawals", { amount: "20.00", currency: "EUR", cardToken });
      const approve = (body?: unknown) =>
        call(base, "POST", `/v1/operator/withdrawals/${w.body.id as string}/approve`, {
          token: operator.token,
          headers: { "idempotency-key": newKey() },
          ...(body === undefined ? {} : { body }),
        });
      const outside = await approve();
      expect([outside.status, outside.body.code]).toEqual([409, "CROUPIER_ERR_WALLET_WITHDRAWAL_OUTSIDE_CLOSED_LOOP"]);
      expect((await approve({ outsideClosedLoop: "yes" })).body.code).toBe("CROUPIER_ERR_REQUEST_INVALID");
      const approved = await approve({ outsideClosedLoop: true });
      expect(approved.body).toMatchObject({ status: "failed", reason: "payout_refused" });
      // Both decisions are in the audit log, the override with it.
      const audit = await call<{ entries: { action: string; target: string; outcome: string; detail: Record<string, unknown> }[] }>(
        base,
        "GET",
        `/v1/operator/audit?target=withdrawal:${w.body.id as string}`,
        { token: operator.token },
      );
      expect(audit.body.entries.map((e) => [e.action, e.outcome, e.detail.outsideClosedLoop])).toEqual([
        ["withdrawal.approve", "applied", true],
        ["withdrawal.approve", "WALLET_WITHDRAWAL_OUTSIDE_CLOSED_LOOP", false],
      ]);
      expect(await balances(base, player)).toMatchObject({ "cash:EUR": { balance: "50.00" }, "withdrawals_pending:EUR": { balance: "0.00" } });
      const missing = await call(base, "POST", "/v1/operator/withdrawals/00000000-0000-4000-8000-000000000000/approve", {
        token: operator.token,
        headers: { "idempotency-key": newKey() },
      });
      expect([missing.status, missing.body.code]).toEqual([404, "CROUPIER_ERR_WALLET_WITHDRAWAL_NOT_FOUND"]);
    });
  });
}
