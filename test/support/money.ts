// Funds a player the way a real one is funded: a sandbox card token, a deposit with an
// Idempotency-Key, then the provider's (late) webhook crediting it.
import { call } from "./http.js";

export async function depositBySandbox(base: string, token: string, amount: string, currency = "EUR"): Promise<void> {
  const card = await call<{ token: string }>(base, "POST", "/v1/payments/sandbox/tokens", {
    token,
    body: { number: "4242 4242 4242 4242", expMonth: 12, expYear: 2099, cvc: "123" },
  });
  if (card.status !== 200 && card.status !== 201) throw new Error(`tokenize: ${card.status} ${JSON.stringify(card.body)}`);
  const key = `dep-${Date.now().toString(36)}-${Math.floor(performance.now() * 1000).toString(36)}`;
  const deposit = await call(base, "POST", "/v1/wallet/deposits", {
    token,
    body: { amount, currency, cardToken: card.body.token },
    headers: { "idempotency-key": key },
  });
  if (deposit.status >= 300) throw new Error(`deposit: ${deposit.status} ${JSON.stringify(deposit.body)}`);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const wallet = await call<{ balances?: Array<{ currency: string; purse: string; available: string }> }>(base, "GET", "/v1/wallet", { token });
    const cash = wallet.body.balances?.find((b) => b.currency === currency && b.purse === "cash");
    if (cash !== undefined && cash.available !== "0.00" && cash.available !== "0") return;
    if (Date.now() > deadline) throw new Error(`deposit not credited: ${JSON.stringify(wallet.body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
