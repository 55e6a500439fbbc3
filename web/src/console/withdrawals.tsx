import { useEffect, useState } from "preact/hooks";
import { newId, type Session } from "../shared/session.js";
import { timeOf } from "../shared/format.js";
import { Card, ErrorLine, StatusSelect, useAction } from "../shared/ui.js";

interface Withdrawal {
  id: string;
  userId: string;
  status: string;
  amount: string;
  currency: string;
  card: string;
  reason: string | null;
  createdAt: string;
}

/** The withdrawal review queue: approve (pays out through the outbox) or reject (funds back to cash). */
export function Withdrawals({ session }: { session: Session }) {
  const [status, setStatus] = useState("pending");
  const [rows, setRows] = useState<Withdrawal[]>([]);
  const { error, run } = useAction();
  const load = () =>
    run(async () =>
      setRows(
        (await session.api<{ withdrawals: Withdrawal[] }>("GET", `/v1/operator/withdrawals?limit=50${status === "" ? "" : `&status=${status}`}`)).withdrawals,
      ),
    );
  useEffect(() => {
    void load();
  }, [status]);
  const decide = (id: string, decision: "approve" | "reject") =>
    run(async () => {
      await session.api("POST", `/v1/operator/withdrawals/${id}/${decision}`, undefined, `${decision}-${id}-${newId().slice(0, 8)}`);
      await load();
    });
  return (
    <Card title="Withdrawals">
      <div class="row">
        <StatusSelect label="Status" value={status} options={["pending", "approved", "paid", "rejected", "failed", ""]} onChange={setStatus} />
        <button onClick={load}>Refresh</button>
      </div>
      <ErrorLine error={error} />
      <table class="list stack" data-testid="withdrawals">
        <thead>
          <tr>
            <th>Requested</th>
            <th>Player</th>
            <th class="num">Amount</th>
            <th>Card</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((w) => (
            <tr key={w.id} data-id={w.id}>
              <td>{timeOf(w.createdAt)}</td>
              <td>
                <a href={`#/players/${w.userId}`}>{w.userId.slice(0, 8)}</a>
              </td>
              <td class="num">
                {w.amount} {w.currency}
              </td>
              <td>{w.card}</td>
              <td data-testid="wd-status">
                {w.status}
                {w.reason === null ? "" : ` (${w.reason})`}
              </td>
              <td>
                {w.status === "pending" && (
                  <div class="actions">
                    <button class="primary" onClick={() => decide(w.id, "approve")}>
                      Approve
                    </button>
                    <button class="danger" onClick={() => decide(w.id, "reject")}>
                      Reject
                    </button>
                  </div>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p class="hint">Nothing here.</p>}
    </Card>
  );
}
