import { useEffect, useState } from "preact/hooks";
import type { Session } from "../shared/session.js";
import { timeOf } from "../shared/format.js";
import { Card, ErrorLine, useAction } from "../shared/ui.js";

interface Entry { id: string; kind: string; amount: string; currency: string; reference: string | null; createdAt: string }

/**
 * A player's money history by user id (`GET /v1/operator/players/:userId/history`). There is no player
 * search endpoint yet, so the id comes from a withdrawal or a table.
 */
export function Players({ session, userId }: { session: Session; userId: string | undefined }) {
  const [id, setId] = useState(userId ?? "");
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const { error, run } = useAction();
  const load = (who: string) => run(async () => setEntries((await session.api<{ entries: Entry[] }>("GET", `/v1/operator/players/${encodeURIComponent(who)}/history?currency=EUR&limit=50`)).entries));
  useEffect(() => { if (userId !== undefined) void load(userId); }, [userId]);
  return (
    <Card title="Player">
      <form class="row" onSubmit={(e) => { e.preventDefault(); location.hash = `#/players/${encodeURIComponent(id.trim())}`; }}>
        <label class="field"><span>User id</span><input value={id} onInput={(e) => setId(e.currentTarget.value)} /></label>
        <button type="submit">Show</button>
      </form>
      <p class="hint">No search by name yet: the server has no player search endpoint. Open a player from the withdrawal queue.</p>
      <ErrorLine error={error} />
      {entries !== null && (
        <table class="list">
          <thead><tr><th>When</th><th>What</th><th>Reference</th><th class="num">Amount</th></tr></thead>
          <tbody>{entries.map((e) => <tr key={e.id}><td>{timeOf(e.createdAt)}</td><td>{e.kind}</td><td><small>{e.reference ?? ""}</small></td><td class="num">{e.amount} {e.currency}</td></tr>)}</tbody>
        </table>
      )}
    </Card>
  );
}
