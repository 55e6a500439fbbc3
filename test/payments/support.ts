// Shared by the payments tests: a server with a known sandbox secret, players, an operator, cards.
import { expect } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { call, type JsonResponse } from "../support/http.js";
import { newStaff } from "../support/ws-client.js";

export const webhookSecret = "test-sandbox-secret-0123456789";
export const password = "correct horse battery";
export const cards = {
  visa: "4242 4242 4242 4242",
  declined: "4000 0000 0000 0002",
  failsLater: "4000 0000 0000 9995",
  payoutFails: "4000 0000 0000 0069",
} as const;

export interface Player {
  readonly userId: string;
  readonly token: string;
}

let n = 0;
const fresh = (prefix: string) => `${prefix}${++n}${Date.now().toString(36)}`;

export async function login(base: string, username: string): Promise<Player> {
  const res = await call<{ accessToken: string }>(base, "POST", "/v1/auth/login", { body: { login: username, password } });
  expect(res.status).toBe(200);
  const me = await call<{ id: string }>(base, "GET", "/v1/me", { token: res.body.accessToken });
  return { userId: me.body.id, token: res.body.accessToken };
}

export async function newPlayer(base: string): Promise<Player> {
  const username = fresh("p");
  expect((await call(base, "POST", "/v1/auth/register", { body: { username, password } })).status).toBe(201);
  return login(base, username);
}

export async function newOperator(server: RunningServer): Promise<Player> {
  return newStaff(server, ["operator", "player"]);
}

export async function tokenize(base: string, player: Player, number: string): Promise<string> {
  const res = await call<{ token: string; card: string }>(base, "POST", "/v1/payments/sandbox/tokens", {
    token: player.token,
    body: { number, expMonth: 12, expYear: 2099 },
  });
  expect(res.status).toBe(201);
  return res.body.token;
}

let keys = 0;
export const newKey = (name = "k") => `${name}-${++keys}-${Date.now().toString(36)}`;

export function money(base: string, player: Player, path: string, body: unknown, key: string | null = newKey()): Promise<JsonResponse> {
  return call(base, "POST", path, { token: player.token, body, headers: key === null ? {} : { "idempotency-key": key } });
}

export async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Waits until an approved withdrawal is paid. An approval pays at once when it can; when the outbox
 * relay already holds the payout (or the ledger is busy) it answers "approved" and the relay pays moments later.
 */
export async function untilPaid(base: string, operator: Player, id: string): Promise<void> {
  const paid = await until(
    () => call<{ withdrawals: { id: string }[] }>(base, "GET", "/v1/operator/withdrawals?status=paid&limit=200", { token: operator.token }),
    (res) => res.body.withdrawals.some((w) => w.id === id),
  );
  expect(paid.body.withdrawals.map((w) => w.id)).toContain(id);
}

export async function balances(base: string, player: Player): Promise<Record<string, { balance: string; held: string; available: string }>> {
  const res = await call<{ balances: { currency: string; purse: string; balance: string; held: string; available: string }[] }>(base, "GET", "/v1/wallet", {
    token: player.token,
  });
  expect(res.status).toBe(200);
  return Object.fromEntries(res.body.balances.map((b) => [`${b.purse}:${b.currency}`, { balance: b.balance, held: b.held, available: b.available }]));
}

/** Deposits and waits until the webhook credited it. */
export async function fund(base: string, player: Player, amount: string, currency = "EUR"): Promise<string> {
  const cardToken = await tokenize(base, player, cards.visa);
  const res = await money(base, player, "/v1/wallet/deposits", { amount, currency, cardToken });
  expect(res.status).toBe(201);
  const id = res.body.id as string;
  const final = await until(
    () => call(base, "GET", `/v1/wallet/deposits/${id}`, { token: player.token }),
    (r) => r.body.status === "credited",
  );
  expect(final.body.status).toBe("credited");
  return cardToken;
}
