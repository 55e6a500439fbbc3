// Responsible gaming over real HTTP and WebSocket, in embedded mode (PGlite, memory bus) and
// production mode (PostgreSQL, Redis): deposit limits under racing requests, exclusions, locks.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/gateway/http/wallet-http.js";
import type { RunningServer } from "../../src/main.js";
import { serviceAvailable } from "../support/services.js";
import { createShared, startTestServer, type Mode, type Shared } from "../support/server.js";
import { call } from "../support/http.js";
import { TestSocket } from "../support/ws-client.js";
import { balances, cards, fund, money, newKey, newOperator, password, tokenize, until, untilPaid, webhookSecret, type Player } from "../payments/support.js";
import { ifAssigned } from "../support/fixtures.js";
import { match } from "../support/matchers.js";

let n = 0;

async function register(base: string): Promise<Player & { username: string }> {
  const username = `rg${++n}${Date.now().toString(36)}`;
  expect((await call(base, "POST", "/v1/auth/register", { body: { username, password } })).status).toBe(201);
  const login = await call<{ accessToken: string }>(base, "POST", "/v1/auth/login", { body: { login: username, password } });
  const me = await call<{ id: string }>(base, "GET", "/v1/me", { token: login.body.accessToken });
  return { userId: me.body.id, token: login.body.accessToken, username };
}

for (const mode of ["embedded", "production"] as Mode[]) {
  const available = mode === "embedded" || (serviceAvailable("postgres") && serviceAvailable("redis"));
  describe.skipIf(!available)(`responsible gaming over HTTP (${mode})`, () => {
    let shared: Shared;
    let server: RunningServer;
    let base: string;

    beforeAll(async () => {
      shared = await createShared(mode);
      server = await startTestServer(shared, [
        "--payments-sandbox-webhook-secret",
        webhookSecret,
        "--payments-sandbox-webhook-delay-ms",
        "50",
        "--outbox-poll-interval-ms",
        "50",
      ]);
      base = server.url;
    });
    afterAll(async () => {
      await ifAssigned(server)?.close();
      await ifAssigned(shared)?.dispose();
    });

    const setLimit = (player: Player, amount: string | null, period = "day") =>
      call(base, "PUT", "/v1/responsible-gaming/limits", { token: player.token, body: { kind: "deposit", period, currency: "EUR", amount } });

    it("never lets 30 racing deposits at the edge of a daily limit exceed it", async () => {
      const player = await register(base);
      expect((await setLimit(player, "100.00")).body).toEqual({
        status: "applied",
        limit: { kind: "deposit", period: "day", currency: "EUR", amount: "100.00", pending: null },
      });
      const cardToken = await fund(base, player, "75.00");
      const answers = await Promise.all(
        Array.from({ length: 30 }, () => money(base, player, "/v1/wallet/deposits", { amount: "5.00", currency: "EUR", cardToken })),
      );
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(5);
      expect(statuses.filter((s) => s === 422)).toHaveLength(25);
      const refused = answers.find((a) => a.status === 422);
      expect(refused?.body).toMatchObject({
        code: "CROUPIER_ERR_RG_DEPOSIT_LIMIT_EXCEEDED",
        details: ["day deposit limit 100.00 EUR; 0.00 EUR left"],
        requestId: match.any(String),
      });
      const rows = await server.services.db.query<{ total: bigint }>(
        "select coalesce(sum(amount), 0)::int8 as total from payments_deposits where user_id = $1 and status in ('pending', 'credited')",
        [player.userId],
      );
      expect(rows[0]?.total).toBe(10_000n);
      await until(
        () => balances(base, player),
        (b) => b["cash:EUR"]?.balance === "100.00",
      );
      expect(await balances(base, player)).toMatchObject({ "cash:EUR": { balance: "100.00" } });
      // A refused deposit left its key free and nothing behind: the same key is judged again, and refused.
      const again = await money(base, player, "/v1/wallet/deposits", { amount: "0.01", currency: "EUR", cardToken }, "same-key");
      expect(again.body.code).toBe("CROUPIER_ERR_RG_DEPOSIT_LIMIT_EXCEEDED");
    });

    it("applies a lower limit at once and holds a higher one for the cooling-off", async () => {
      const player = await register(base);
      await setLimit(player, "50.00", "week");
      const higher = await setLimit(player, "500.00", "week");
      expect(higher.body).toMatchObject({ status: "pending", limit: { amount: "50.00", pending: { amount: "500.00", appliesAt: match.any(String) } } });
      const appliesAt = Date.parse((higher.body.limit as { pending: { appliesAt: string } }).pending.appliesAt);
      expect(appliesAt - Date.now()).toBeGreaterThan(86_400_000 - 60_000);
      const cardToken = await tokenize(base, player, cards.visa);
      expect((await money(base, player, "/v1/wallet/deposits", { amount: "50.01", currency: "EUR", cardToken })).body.code).toBe(
        "CROUPIER_ERR_RG_DEPOSIT_LIMIT_EXCEEDED",
      );
      const mine = await call(base, "GET", "/v1/responsible-gaming", { token: player.token });
      expect(mine.body).toMatchObject({
        userId: player.userId,
        access: "open",
        exclusion: null,
        lock: null,
        limits: [{ period: "week", amount: "50.00", pending: { amount: "500.00" } }],
      });
      const bad = await call(base, "PUT", "/v1/responsible-gaming/limits", {
        token: player.token,
        body: { kind: "deposit", period: "fortnight", currency: "EUR", amount: "1.00" },
      });
      expect([bad.status, bad.body.code]).toEqual([400, "CROUPIER_ERR_REQUEST_INVALID"]);
      const float = await setLimit(player, 1 as unknown as string);
      expect(float.body.code).toBe("CROUPIER_ERR_WALLET_AMOUNT_NOT_STRING");
    });

    it("self-exclusion closes every socket with 4003, refuses login and deposits, and still pays a withdrawal", async () => {
      const player = await register(base);
      const cardToken = await fund(base, player, "60.00");
      const socket = await TestSocket.authenticated(base, player.token);
      const short = await call(base, "POST", "/v1/responsible-gaming/exclusions", { token: player.token, body: { kind: "self_exclusion", days: 30 } });
      expect([short.status, short.body.code]).toEqual([400, "CROUPIER_ERR_RG_EXCLUSION_DURATION_INVALID"]);
      const excluded = await call(base, "POST", "/v1/responsible-gaming/exclusions", { token: player.token, body: { kind: "self_exclusion", days: 183 } });
      expect(excluded.status).toBe(200);
      expect(excluded.body).toMatchObject({ kind: "self_exclusion", until: match.any(String) });
      expect(await socket.waitClosed()).toBe(4003);
      expect((await call(base, "GET", "/v1/me", { token: player.token })).body.code).toBe("CROUPIER_ERR_AUTH_SESSION_REVOKED");
      expect((await money(base, player, "/v1/wallet/deposits", { amount: "1.00", currency: "EUR", cardToken })).body.code).toBe(
        "CROUPIER_ERR_AUTH_SESSION_REVOKED",
      );
      const login = await call(base, "POST", "/v1/auth/login", { body: { login: player.username, password } });
      expect([login.status, login.body.code]).toEqual([403, "CROUPIER_ERR_RG_EXCLUDED"]);
      expect(login.body.details).toEqual([`self_exclusion until ${excluded.body.until as string}`]);

      const withdraw = (body: Record<string, unknown>, key = newKey()) =>
        call(base, "POST", "/v1/responsible-gaming/withdrawals", { body, headers: { "idempotency-key": key } });
      expect((await withdraw({ login: player.username, password: "wrong password!", amount: "20.00", currency: "EUR" })).body.code).toBe(
        "CROUPIER_ERR_AUTH_INVALID_CREDENTIALS",
      );
      const key = newKey("excluded");
      const requested = await withdraw({ login: player.username, password, amount: "20.00", currency: "EUR" }, key);
      expect(requested.status).toBe(201);
      expect(requested.body).toMatchObject({ status: "pending", amount: "20.00", userId: player.userId, card: "visa •••• 4242" });
      expect((await withdraw({ login: player.username, password, amount: "20.00", currency: "EUR" }, key)).body).toEqual(requested.body);
      // The request's stored fingerprint (a plain SHA-256) leaves the password out.
      const [stored] = await server.services.db.query<{ fingerprint: string }>("select fingerprint from payments_request_keys where scope = $1 and key = $2", [
        player.userId,
        key,
      ]);
      const withoutPassword = createHash("sha256")
        .update(`POST /v1/responsible-gaming/withdrawals ${canonicalJson({ params: {}, body: { login: player.username, amount: "20.00", currency: "EUR" } })}`)
        .digest("base64url");
      expect(stored?.fingerprint).toBe(withoutPassword);
      const operator = await newOperator(server);
      const approved = await call(base, "POST", `/v1/operator/withdrawals/${requested.body.id as string}/approve`, {
        token: operator.token,
        headers: { "idempotency-key": newKey() },
      });
      expect(approved.body).toMatchObject({ status: expect.stringMatching(/^(approved|paid)$/) as unknown });
      await untilPaid(base, operator, requested.body.id as string);
      const view = await call(base, "GET", `/v1/operator/players/${player.userId}/protection`, { token: operator.token });
      expect(view.body).toMatchObject({ access: "excluded", exclusion: { kind: "self_exclusion" }, lock: null });
      // An operator's unlock lifts only a lock: the self-exclusion stays.
      expect(
        (await call(base, "POST", `/v1/operator/players/${player.userId}/unlock`, { token: operator.token, body: { reason: "asked by the player" } })).body,
      ).toMatchObject({ access: "excluded" });
      // Someone not excluded uses the ordinary endpoint.
      const other = await register(base);
      expect((await withdraw({ login: other.username, password, amount: "20.00", currency: "EUR" })).body.code).toBe("CROUPIER_ERR_RG_NOT_EXCLUDED");
    });

    it("an operator's lock ends sessions, holds withdrawals and is recorded; unlock restores the account", async () => {
      const player = await register(base);
      const operator = await newOperator(server);
      const cardToken = await fund(base, player, "40.00");
      const withdrawal = await money(base, player, "/v1/wallet/withdrawals", { amount: "15.00", currency: "EUR", cardToken });
      expect(withdrawal.status).toBe(201);
      const socket = await TestSocket.authenticated(base, player.token);
      const forbidden = await call(base, "POST", `/v1/operator/players/${player.userId}/lock`, { token: player.token, body: { reason: "me" } });
      expect(forbidden.body.code).toBe("CROUPIER_ERR_AUTH_FORBIDDEN");
      const locked = await call(base, "POST", `/v1/operator/players/${player.userId}/lock`, {
        token: operator.token,
        body: { reason: "chargeback review" },
        headers: { "x-request-id": "lock-1" },
      });
      expect(locked.body).toMatchObject({ access: "locked", lock: { lockedBy: operator.userId, reason: "chargeback review" } });
      expect(await socket.waitClosed()).toBe(4003);
      expect((await call(base, "POST", "/v1/auth/login", { body: { login: player.username, password } })).body.code).toBe("CROUPIER_ERR_RG_ACCOUNT_LOCKED");
      const approve = () =>
        call(base, "POST", `/v1/operator/withdrawals/${withdrawal.body.id as string}/approve`, {
          token: operator.token,
          headers: { "idempotency-key": newKey() },
        });
      expect((await approve()).body.code).toBe("CROUPIER_ERR_RG_ACCOUNT_LOCKED");
      // The money is kept.
      expect((await call(base, "GET", `/v1/operator/players/${player.userId}/history?currency=EUR`, { token: operator.token })).status).toBe(200);
      const missing = await call(base, "POST", "/v1/operator/players/00000000-0000-4000-8000-000000000000/lock", {
        token: operator.token,
        body: { reason: "x" },
      });
      expect([missing.status, missing.body.code]).toEqual([404, "CROUPIER_ERR_RG_PLAYER_NOT_FOUND"]);

      const unlocked = await call(base, "POST", `/v1/operator/players/${player.userId}/unlock`, { token: operator.token, body: { reason: "cleared" } });
      expect(unlocked.body).toMatchObject({ access: "open", lock: null });
      expect((await approve()).body).toMatchObject({ status: expect.stringMatching(/^(approved|paid)$/) as unknown });
      await untilPaid(base, operator, withdrawal.body.id as string);
      expect((await call(base, "POST", "/v1/auth/login", { body: { login: player.username, password } })).status).toBe(200);
      const audit = await call<{ entries: { action: string; reason: string; outcome: string; requestId: string }[] }>(
        base,
        "GET",
        `/v1/operator/audit?target=user:${player.userId}`,
        { token: operator.token },
      );
      expect(audit.body.entries.map((e) => [e.action, e.reason, e.outcome])).toEqual([
        ["account.unlock", "cleared", "applied"],
        ["account.lock", "chargeback review", "applied"],
      ]);
      expect(audit.body.entries[1]?.requestId).toBe("lock-1");
    });
  });
}
