import { useEffect, useState } from "preact/hooks";
import { newId, type Session } from "../shared/session.js";
import { timeOf } from "../shared/format.js";
import { Card, ErrorLine, Field, useAction } from "../shared/ui.js";
import { BonusTable, type Bonus } from "../shared/bonuses.js";

interface Balance {
  currency: string;
  purse: string;
  balance: string;
  held: string;
  available: string;
}
interface Entry {
  id: string;
  kind: string;
  amount: string;
  currency: string;
  reference: string | null;
  createdAt: string;
}
interface Payment {
  id: string;
  status: string;
  amount: string;
  currency: string;
  card: string;
  reason: string | null;
}

/**
 * The card goes to the payment provider's tokenization endpoint only (the sandbox provider's, which this
 * server hosts for demos: docs/PAYMENTS.md); the wallet API is given the token, never the number.
 */
async function tokenize(session: Session, card: { number: string; exp: string; cvc: string }): Promise<string> {
  const [month = "", year = ""] = card.exp.split("/").map((p) => p.trim());
  const fullYear = year.length === 2 ? 2000 + Number(year) : Number(year);
  const reply = await session.api<{ token: string }>("POST", "/v1/payments/sandbox/tokens", {
    number: card.number,
    expMonth: Number(month),
    expYear: fullYear,
    cvc: card.cvc,
  });
  return reply.token;
}

export function Wallet({ session }: { session: Session }) {
  const [balances, setBalances] = useState<Balance[]>([]);
  const [history, setHistory] = useState<Entry[]>([]);
  const load = async () => {
    setBalances((await session.api<{ balances: Balance[] }>("GET", "/v1/wallet")).balances);
    setHistory((await session.api<{ entries: Entry[] }>("GET", "/v1/wallet/history?currency=EUR&limit=20")).entries);
  };
  useEffect(() => {
    void load();
  }, []);
  const cash = balances.find((b) => b.currency === "EUR" && b.purse === "cash");
  return (
    <div class="grid2">
      <Card title="Balance">
        <p class="balance" data-testid="balance">
          {cash?.available ?? "0.00"} <small>EUR available</small>
        </p>
        {balances
          .filter((b) => b !== cash)
          .map((b) => (
            <p class="hint" key={b.purse}>
              {b.purse.replace(/_/g, " ")}: {b.available} {b.currency}
            </p>
          ))}
        {cash !== undefined && cash.held !== "0.00" && <p class="hint">{cash.held} EUR in bets not yet settled</p>}
      </Card>
      <PaymentForm session={session} kind="deposit" onDone={load} />
      <PaymentForm session={session} kind="withdrawal" onDone={load} />
      <Bonuses session={session} onChange={load} />
      <Card title="History" class="wide">
        <table class="list" data-testid="history">
          <thead>
            <tr>
              <th>When</th>
              <th>What</th>
              <th class="num">Amount</th>
            </tr>
          </thead>
          <tbody>
            {history.map((e) => (
              <tr key={e.id}>
                <td>{timeOf(e.createdAt)}</td>
                <td>
                  {e.kind.replace(/_/g, " ")}
                  {e.reference !== null && e.kind.startsWith("bet") ? (
                    <>
                      {" "}
                      · <a href={`#/history/${encodeURIComponent(e.reference)}`}>round</a>
                    </>
                  ) : null}
                </td>
                <td class={`num ${e.amount.startsWith("-") ? "neg" : "pos"}`}>
                  {e.amount} {e.currency}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {history.length === 0 && <p class="hint">Nothing yet.</p>}
      </Card>
    </div>
  );
}

/** The player's bonuses: balance and wagering progress, and the welcome bonus to claim (docs/BONUSES.md). */
function Bonuses({ session, onChange }: { session: Session; onChange: () => Promise<void> }) {
  const [bonuses, setBonuses] = useState<Bonus[] | null>(null);
  const { busy, error, run } = useAction();
  const load = () => run(async () => setBonuses((await session.api<{ bonuses: Bonus[] }>("GET", "/v1/bonuses")).bonuses));
  useEffect(() => {
    void load();
  }, []);
  const claim = () =>
    run(async () => {
      await session.api("POST", "/v1/bonuses/welcome");
      await load();
      await onChange();
    });
  return (
    <Card title="Bonuses" class="wide">
      {bonuses !== null && bonuses.length > 0 && <BonusTable bonuses={bonuses} testId="bonuses" />}
      {bonuses !== null && bonuses.length === 0 && <p class="hint">No bonus yet.</p>}
      <p class="hint">
        Bonus money is kept apart from cash. Stakes come from cash first; a bonus becomes cash once its wagering is done, and goes back if it expires first.
      </p>
      {bonuses !== null && !bonuses.some((b) => b.kind === "welcome") && (
        <button class="primary" disabled={busy} onClick={claim}>
          Claim your welcome bonus
        </button>
      )}
      <ErrorLine error={error} />
    </Card>
  );
}

function PaymentForm({ session, kind, onDone }: { session: Session; kind: "deposit" | "withdrawal"; onDone: () => Promise<void> }) {
  const [amount, setAmount] = useState(kind === "deposit" ? "100.00" : "20.00");
  const [number, setNumber] = useState("4242 4242 4242 4242");
  const [exp, setExp] = useState("12/30");
  const [cvc, setCvc] = useState("123");
  const [status, setStatus] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      setStatus("sending…");
      const cardToken = await tokenize(session, { number, exp, cvc });
      // One key per intended payment: a retry of this submit after a network error charges once.
      const path = kind === "deposit" ? "/v1/wallet/deposits" : "/v1/wallet/withdrawals";
      let payment = await session.api<Payment>("POST", path, { amount, currency: "EUR", cardToken }, newId());
      setStatus(`${payment.status} · ${payment.card}`);
      for (let i = 0; kind === "deposit" && payment.status === "pending" && i < 100; i++) {
        await new Promise((r) => setTimeout(r, 200));
        payment = await session.api<Payment>("GET", `${path}/${payment.id}`);
      }
      setStatus(`${kind} ${payment.amount} ${payment.currency}: ${payment.status}${payment.reason === null ? "" : ` (${payment.reason})`}`);
      await onDone();
    });
  };
  return (
    <Card title={kind === "deposit" ? "Deposit" : "Withdraw"}>
      <form onSubmit={submit} data-testid={kind}>
        <Field label="Amount (EUR)">
          <input name="amount" inputMode="decimal" pattern="[0-9]+(\.[0-9]{1,2})?" required value={amount} onInput={(e) => setAmount(e.currentTarget.value)} />
        </Field>
        <Field label="Card number">
          <input name="card" inputMode="numeric" autocomplete="cc-number" required value={number} onInput={(e) => setNumber(e.currentTarget.value)} />
        </Field>
        <div class="row">
          <Field label="Expiry (MM/YY)">
            <input name="exp" autocomplete="cc-exp" required value={exp} onInput={(e) => setExp(e.currentTarget.value)} />
          </Field>
          <Field label="CVC">
            <input name="cvc" autocomplete="cc-csc" required size={4} value={cvc} onInput={(e) => setCvc(e.currentTarget.value)} />
          </Field>
        </div>
        {kind === "deposit" && <p class="hint">Sandbox test cards: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined.</p>}
        <button type="submit" class="primary" disabled={busy}>
          {kind === "deposit" ? "Deposit" : "Request withdrawal"}
        </button>
        {status !== null && (
          <p class="status" data-testid={`${kind}-status`}>
            {status}
          </p>
        )}
        <ErrorLine error={error} />
      </form>
    </Card>
  );
}
