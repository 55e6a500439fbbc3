/**
 * The wallet and sandbox-payments endpoints a simulated player uses (docs/PROTOCOL.md, "Wallet and
 * payments"). The SDK covers accounts and the WebSocket; these few calls are plain JSON over HTTP.
 */
import { requestJson, type FetchLike } from "../../client/index.js";
import type { Currency } from "../../engine/money/index.js";
import { parseAmount } from "../../engine/money/index.js";

/** A sandbox test card that is charged and confirmed by webhook (docs/PAYMENTS.md). */
const testCard = { number: "4242 4242 4242 4242", expMonth: 12, expYear: 2099, cvc: "123" };

export interface LedgerView {
  /** available + held of the cash purse: what the ledger says the player owns. */
  readonly totalMinor: bigint;
  readonly availableMinor: bigint;
  readonly heldMinor: bigint;
  /** The balance field, which must equal available + held. */
  readonly balanceMinor: bigint;
}

interface Balance {
  currency: string;
  purse: string;
  balance: string;
  held: string;
  available: string;
}
export interface DepositView {
  id: string;
  status: string;
  reason: string | null;
}

export class WalletApi {
  constructor(
    private readonly baseUrl: string,
    private readonly fetchImpl: FetchLike,
    private readonly token: () => string,
  ) {}

  private call<T>(method: "GET" | "POST", path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
    return requestJson<T>(
      this.fetchImpl,
      this.baseUrl + path,
      { method, body, token: this.token(), ...(idempotencyKey === undefined ? {} : { idempotencyKey }) },
      "HTTP_ERROR",
    );
  }

  async ledgerView(currency: Currency): Promise<LedgerView> {
    const { balances } = await this.call<{ balances: Balance[] }>("GET", "/v1/wallet");
    const cash = balances.find((b) => b.currency === currency.code && b.purse === "cash");
    if (cash === undefined) return { totalMinor: 0n, availableMinor: 0n, heldMinor: 0n, balanceMinor: 0n };
    const minor = (text: string): bigint => {
      const value = parseAmount(text, currency);
      if (typeof value !== "bigint") throw new Error(`the wallet answered an unparsable amount "${text}" (${value})`);
      return value;
    };
    const availableMinor = minor(cash.available);
    const heldMinor = minor(cash.held);
    return { totalMinor: availableMinor + heldMinor, availableMinor, heldMinor, balanceMinor: minor(cash.balance) };
  }

  async tokenizeTestCard(): Promise<string> {
    const { token } = await this.call<{ token: string }>("POST", "/v1/payments/sandbox/tokens", testCard);
    return token;
  }

  startDeposit(amount: string, currency: string, cardToken: string, idempotencyKey: string): Promise<DepositView> {
    return this.call<DepositView>("POST", "/v1/wallet/deposits", { amount, currency, cardToken }, idempotencyKey);
  }

  /** The deposit; with `waitMs`, the server answers as soon as a pending deposit is credited or fails (a long poll). */
  deposit(id: string, waitMs = 0): Promise<DepositView> {
    return this.call<DepositView>("GET", `/v1/wallet/deposits/${encodeURIComponent(id)}${waitMs > 0 ? `?waitMs=${waitMs}` : ""}`);
  }
}
