import { useState } from "preact/hooks";
import { newId, type Session } from "../shared/session.js";
import { ErrorLine, Field, useAction } from "../shared/ui.js";

interface Payment {
  id: string;
  status: string;
  amount: string;
  currency: string;
  card: string;
}

/**
 * A player on a time-out or self-exclusion cannot log in, but may take their money out: the login and
 * password go with the request instead of a session (`POST /v1/responsible-gaming/withdrawals`), and the
 * money goes back to the card of one of their deposits.
 */
export function BreakWithdrawal({ session }: { session: Session }) {
  const [login, setLogin] = useState("");
  const [password, setPassword] = useState("");
  const [amount, setAmount] = useState("");
  const [status, setStatus] = useState<string | null>(null);
  const [key, setKey] = useState(newId);
  // The fields exist only while it is open, so the login form's "Username" and "Password" stay the only ones.
  const [open, setOpen] = useState(false);
  const { busy, error, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      setStatus(null);
      const w = await session.api<Payment>("POST", "/v1/responsible-gaming/withdrawals", { login, password, amount, currency: "EUR" }, key);
      setStatus(`Withdrawal of ${w.amount} ${w.currency} to ${w.card}: ${w.status} (reviewed before it is paid).`);
      setPassword("");
      setKey(newId());
    });
  };
  return (
    <details class="card" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>On a time-out or self-exclusion? Withdraw your money</summary>
      {open && (
        <form onSubmit={submit} data-testid="break-withdrawal">
          <p class="hint">No login needed: your username and password go with the request. The money goes back to the card you deposited with.</p>
          <Field label="Username or email">
            <input name="login" autocomplete="username" required value={login} onInput={(e) => setLogin(e.currentTarget.value)} />
          </Field>
          <Field label="Your password">
            <input
              name="password"
              type="password"
              autocomplete="current-password"
              required
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          </Field>
          <Field label="Amount to withdraw (EUR)">
            <input
              name="amount"
              inputMode="decimal"
              pattern="[0-9]+(\.[0-9]{1,2})?"
              required
              value={amount}
              onInput={(e) => setAmount(e.currentTarget.value)}
            />
          </Field>
          <button type="submit" disabled={busy}>
            Request withdrawal
          </button>
          {status !== null && (
            <p class="status" role="status">
              {status}
            </p>
          )}
          <ErrorLine error={error} />
        </form>
      )}
    </details>
  );
}
