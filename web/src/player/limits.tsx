import { useEffect, useRef, useState } from "preact/hooks";
import type { Session } from "../shared/session.js";
import { whenOf } from "../shared/format.js";
import { Card, ErrorLine, Field, useAction } from "../shared/ui.js";
import { LimitTable, kinds, limitName, money, periods, type Limit, type Protection, type SessionLimit } from "../shared/limits.js";

interface LimitChange {
  status: "applied" | "pending";
  limit: Limit;
}
interface Exclusion {
  kind: "time_out" | "self_exclusion";
  startedAt: string;
  until: string;
}

const breaks = {
  time_out: { name: "time-out", min: 1, max: 42, start: "1", button: "Take a time-out…" },
  self_exclusion: { name: "self-exclusion", min: 183, max: 1826, start: "183", button: "Self-exclude…" },
} as const;
type BreakKind = keyof typeof breaks;

/**
 * The player's own limits (deposit, wager, loss over a rolling day, week and month), setting and
 * removing one, and a break: a time-out or a self-exclusion (docs/RESPONSIBLE-GAMING.md). A break ends
 * the session on every device, so the page hands over to the login page with what happened.
 */
export function Limits({ session }: { session: Session }) {
  const [protection, setProtection] = useState<Protection | null>(null);
  const { error, run } = useAction();
  const load = () => run(async () => setProtection(await session.api<Protection>("GET", "/v1/responsible-gaming")));
  useEffect(() => {
    void load();
  }, []);
  return (
    <>
      <h1>Limits and breaks</h1>
      <div class="grid2">
        <Card title="Your limits">
          <ErrorLine error={error} />
          {protection === null ? <p>Loading…</p> : <LimitTable limits={protection.limits} testId="limits" />}
          <p class="hint">
            A day, week and month are rolling: the last 24 hours, 7 days and 30 days. A lower limit applies at once; a higher one, or removing one, waits for a
            cooling-off period while the current limit holds.
          </p>
        </Card>
        <LimitForm session={session} onDone={load} />
        <SessionLimitForm session={session} current={protection?.sessionLimit ?? null} onDone={load} />
        <TakeABreak session={session} />
      </div>
    </>
  );
}

function LimitForm({ session, onDone }: { session: Session; onDone: () => Promise<void> }) {
  const [kind, setKind] = useState("deposit");
  const [period, setPeriod] = useState("day");
  const [amount, setAmount] = useState("");
  const [status, setStatus] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const send = (value: string | null) =>
    run(async () => {
      setStatus(null);
      const change = await session.api<LimitChange>("PUT", "/v1/responsible-gaming/limits", { kind, period, currency: "EUR", amount: value });
      const l = change.limit;
      if (change.status === "applied")
        setStatus(l.amount === null ? `Applied now: you have no ${limitName(l)}.` : `Applied now: your ${limitName(l)} is ${l.amount} ${l.currency}.`);
      else {
        const next = l.pending?.amount == null ? "is removed" : `becomes ${l.pending.amount} ${l.currency}`;
        setStatus(
          `Pending: your ${limitName(l)} stays ${money(l.amount, l.currency)} until ${l.pending === null ? "later" : whenOf(l.pending.appliesAt)}, then ${next}.`,
        );
      }
      await onDone();
    });
  return (
    <Card title="Set or remove a limit">
      <form
        data-testid="limit-form"
        onSubmit={(e) => {
          e.preventDefault();
          void send(amount.trim());
        }}
      >
        <div class="row pair">
          <Field label="Limit on">
            <select name="kind" value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
              {kinds.map((k) => (
                <option key={k.kind} value={k.kind}>
                  {k.label} ({k.what})
                </option>
              ))}
            </select>
          </Field>
          <Field label="Over">
            <select name="period" value={period} onChange={(e) => setPeriod(e.currentTarget.value)}>
              {periods.map((p) => (
                <option key={p.period} value={p.period}>
                  {p.label} ({p.what})
                </option>
              ))}
            </select>
          </Field>
        </div>
        <Field label="Amount (EUR)">
          <input name="amount" inputMode="decimal" pattern="[0-9]+(\.[0-9]{1,2})?" required value={amount} onInput={(e) => setAmount(e.currentTarget.value)} />
        </Field>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            Set limit
          </button>
          <button type="button" disabled={busy} onClick={() => send(null)}>
            Remove limit
          </button>
        </div>
        {status !== null && (
          <p class="status" role="status" data-testid="limit-status">
            {status}
          </p>
        )}
        <ErrorLine error={error} />
      </form>
    </Card>
  );
}

/** The session time limit: the server ends a session that lasts longer, on every device (docs/RESPONSIBLE-GAMING.md). */
function SessionLimitForm({ session, current, onDone }: { session: Session; current: SessionLimit | null; onDone: () => Promise<void> }) {
  const [minutes, setMinutes] = useState("60");
  const [status, setStatus] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const describe = (l: SessionLimit) => (l.minutes === null ? "no session limit" : `sessions end after ${l.minutes} minutes`);
  const send = (value: number | null) =>
    run(async () => {
      setStatus(null);
      const change = await session.api<{ status: "applied" | "pending"; sessionLimit: SessionLimit }>("PUT", "/v1/responsible-gaming/session-limit", {
        minutes: value,
      });
      const l = change.sessionLimit;
      setStatus(
        change.status === "applied"
          ? `Applied now: ${describe(l)}.`
          : `Pending: ${describe(l)} until ${l.pending === null ? "later" : whenOf(l.pending.appliesAt)}, then ${l.pending?.minutes == null ? "no limit" : `${l.pending.minutes} minutes`}.`,
      );
      await onDone();
    });
  return (
    <Card title="Session time limit">
      <p data-testid="session-limit">
        {current === null ? "Loading…" : `Now: ${describe(current)}.`}
        {current?.pending != null && ` Changing on ${whenOf(current.pending.appliesAt)}.`}
      </p>
      <form
        data-testid="session-limit-form"
        onSubmit={(e) => {
          e.preventDefault();
          void send(Number(minutes));
        }}
      >
        <Field label="Minutes (5 to 1440)">
          <input name="minutes" inputMode="numeric" pattern="[0-9]{1,4}" required value={minutes} onInput={(e) => setMinutes(e.currentTarget.value)} />
        </Field>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            Set session limit
          </button>
          <button type="button" disabled={busy} onClick={() => send(null)}>
            Remove it
          </button>
        </div>
        <p class="hint">
          When a session reaches it you are logged out on every device; logging in again starts a new session. A shorter limit applies at once, a longer one
          after the cooling-off.
        </p>
        {status !== null && (
          <p class="status" role="status" data-testid="session-limit-status">
            {status}
          </p>
        )}
        <ErrorLine error={error} />
      </form>
    </Card>
  );
}

function TakeABreak({ session }: { session: Session }) {
  const [days, setDays] = useState<Record<BreakKind, string>>({ time_out: breaks.time_out.start, self_exclusion: breaks.self_exclusion.start });
  const [confirming, setConfirming] = useState<{ kind: BreakKind; days: number } | null>(null);
  const opener = useRef<HTMLElement | null>(null);
  const { busy, error, run, setError } = useAction();
  const ask = (kind: BreakKind) => (e: Event) => {
    e.preventDefault();
    const spec = breaks[kind];
    const n = Number(days[kind]);
    if (!Number.isInteger(n) || n < spec.min || n > spec.max) {
      setError(`A ${spec.name} lasts ${spec.min} to ${spec.max} days.`);
      return;
    }
    setError(null);
    opener.current = document.activeElement as HTMLElement | null;
    setConfirming({ kind, days: n });
  };
  const start = () =>
    run(async () => {
      if (confirming === null) return;
      const taken = await session.api<Exclusion>("POST", "/v1/responsible-gaming/exclusions", { kind: confirming.kind, days: confirming.days });
      // Every session of the player is revoked before the answer (the socket closes with 4003): log out here, say what happened.
      session.end(
        `Your ${breaks[taken.kind].name} has started. You are logged out on every device until ${whenOf(taken.until)}, and it cannot be undone before then. You can still withdraw your money (below).`,
      );
    });
  return (
    <Card title="Take a break" class="wide">
      <p>
        A break logs you out on every device at once. Until it ends you cannot log in, play or deposit, and nobody can end it early, not even our staff. You can
        still withdraw your money.
      </p>
      <div class="grid2">
        {(Object.keys(breaks) as BreakKind[]).map((kind) => {
          const spec = breaks[kind];
          return (
            <form key={kind} class="break" data-testid={kind} onSubmit={ask(kind)}>
              <h3>{kind === "time_out" ? "Time-out: 1 day to 6 weeks" : "Self-exclusion: 6 months to 5 years"}</h3>
              <Field label={`Days (${spec.min}–${spec.max})`}>
                <input
                  name="days"
                  type="number"
                  inputMode="numeric"
                  min={spec.min}
                  max={spec.max}
                  required
                  value={days[kind]}
                  onInput={(e) => setDays({ ...days, [kind]: e.currentTarget.value })}
                />
              </Field>
              {kind === "self_exclusion" && <p class="hint">6 months = 183 days, 1 year = 365, 2 years = 730, 5 years = 1826.</p>}
              <button type="submit" disabled={busy}>
                {spec.button}
              </button>
            </form>
          );
        })}
      </div>
      {confirming !== null && (
        <ConfirmBreak
          kind={confirming.kind}
          days={confirming.days}
          busy={busy}
          onConfirm={start}
          onCancel={() => {
            setConfirming(null);
            opener.current?.focus();
          }}
        />
      )}
      <ErrorLine error={error} />
    </Card>
  );
}

function ConfirmBreak({
  kind,
  days,
  busy,
  onConfirm,
  onCancel,
}: {
  kind: BreakKind;
  days: number;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  // The question takes the focus (and again when the other break is asked for instead); Escape cancels.
  useEffect(() => box.current?.focus(), [kind, days]);
  const name = breaks[kind].name;
  const until = whenOf(Date.now() + days * 86_400_000);
  return (
    <div
      class="confirm"
      role="alertdialog"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-what"
      tabIndex={-1}
      ref={box}
      data-testid="confirm-break"
      onKeyDown={(e) => {
        if (e.key === "Escape") onCancel();
      }}
    >
      <h3 id="confirm-title">
        Start a {days}-day {name} now?
      </h3>
      <ul id="confirm-what">
        <li>
          You are <strong>logged out now, on every device</strong>.
        </li>
        <li>
          Until about <strong>{until}</strong> you cannot log in, play or deposit.
        </li>
        <li>
          It <strong>cannot be undone or shortened</strong> before it ends, by you or by us.
        </li>
        <li>Withdrawals are still possible: from the login page, with your username and password.</li>
      </ul>
      <div class="actions">
        <button class="danger" disabled={busy} onClick={onConfirm}>
          Yes, start my {name}
        </button>
        <button disabled={busy} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
