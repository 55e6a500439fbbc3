import { useEffect, useState } from "preact/hooks";
import type { Session } from "../shared/session.js";
import { timeOf } from "../shared/format.js";
import { Card, ErrorLine, StatusSelect, useAction } from "../shared/ui.js";

interface Deposit {
  id: string;
  userId: string;
  status: string;
  amount: string;
  currency: string;
  card: string;
  reason: string | null;
  createdAt: string;
}
interface OutboxEntry {
  id: string;
  kind: string;
  subjectId: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  nextAttemptAt: string;
  parkedAt: string | null;
}

/** Deposits, newest first (`GET /v1/operator/deposits`), by status, a page at a time. */
export function Deposits({ session }: { session: Session }) {
  const [status, setStatus] = useState("");
  const [rows, setRows] = useState<Deposit[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const { error, run } = useAction();
  const load = (before: string | null) =>
    run(async () => {
      const page = await session.api<{ deposits: Deposit[]; nextCursor: string | null }>(
        "GET",
        `/v1/operator/deposits?limit=25${status === "" ? "" : `&status=${status}`}${before === null ? "" : `&before=${before}`}`,
      );
      setRows((shown) => (before === null ? page.deposits : [...shown, ...page.deposits]));
      setNext(page.nextCursor);
    });
  useEffect(() => {
    void load(null);
  }, [status]);
  return (
    <Card title="Deposits">
      <div class="row">
        <StatusSelect label="Deposit status" value={status} options={["", "pending", "credited", "declined", "failed"]} onChange={setStatus} />
        <button onClick={() => load(null)}>Refresh</button>
      </div>
      <ErrorLine error={error} />
      <table class="list stack" data-testid="deposits">
        <thead>
          <tr>
            <th>Created</th>
            <th>Player</th>
            <th class="num">Amount</th>
            <th>Card</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.id} data-id={d.id}>
              <td>{timeOf(d.createdAt)}</td>
              <td>
                <a href={`#/players/${d.userId}`}>{d.userId.slice(0, 8)}</a>
              </td>
              <td class="num">
                {d.amount} {d.currency}
              </td>
              <td>{d.card}</td>
              <td>
                {d.status}
                {d.reason === null ? "" : ` (${d.reason})`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p class="hint">Nothing here.</p>}
      {next !== null && <button onClick={() => load(next)}>More</button>}
    </Card>
  );
}

/**
 * The outbox: parked entries (a payout or export whose delivery gave up after its attempts) with their
 * last error, put back with one click once the cause is fixed; and the entries still being tried.
 */
export function Outbox({ session }: { session: Session }) {
  const [state, setState] = useState<"parked" | "waiting">("parked");
  const [rows, setRows] = useState<OutboxEntry[]>([]);
  const { error, run } = useAction();
  const load = () => run(async () => setRows((await session.api<{ entries: OutboxEntry[] }>("GET", `/v1/operator/outbox?state=${state}&limit=50`)).entries));
  useEffect(() => {
    void load();
  }, [state]);
  const requeue = (id: string) =>
    run(async () => {
      await session.api("POST", `/v1/operator/outbox/${id}/requeue`);
      await load();
    });
  return (
    <Card title="Outbox">
      <div class="row">
        <div class="modes" role="radiogroup" aria-label="outbox entries">
          {(["parked", "waiting"] as const).map((s) => (
            <button key={s} role="radio" aria-checked={state === s} class={state === s ? "on" : ""} onClick={() => setState(s)}>
              {s}
            </button>
          ))}
        </div>
        <button onClick={load}>Refresh</button>
      </div>
      <ErrorLine error={error} />
      <table class="list stack" data-testid="outbox">
        <thead>
          <tr>
            <th>#</th>
            <th>Kind</th>
            <th>Subject</th>
            <th class="num">Attempts</th>
            <th>Last error</th>
            <th>{state === "parked" ? "Parked" : "Next attempt"}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => (
            <tr key={e.id} data-id={e.id}>
              <td>{e.id}</td>
              <td>{e.kind}</td>
              <td class="mono">{e.subjectId}</td>
              <td class="num">{e.attempts}</td>
              <td>{e.lastError ?? "–"}</td>
              <td>{timeOf(e.parkedAt ?? e.nextAttemptAt)}</td>
              <td>{e.parkedAt !== null && <button onClick={() => requeue(e.id)}>Deliver again</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p class="hint">{state === "parked" ? "Nothing parked: every delivery succeeded or is still being tried." : "Nothing waiting."}</p>}
    </Card>
  );
}
