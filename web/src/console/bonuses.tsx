import { useEffect, useState } from "preact/hooks";
import type { Session } from "../shared/session.js";
import { BonusTable, type Bonus } from "../shared/bonuses.js";
import { Card, ErrorLine, StatusSelect, useAction } from "../shared/ui.js";

const statuses = ["", "pending", "active", "converted", "expired", "cancelled"];

/** Every bonus, newest first (`GET /v1/operator/bonuses`), by status: the operators' review; grant and cancel are in a player's file. */
export function Bonuses({ session }: { session: Session }) {
  const [status, setStatus] = useState("active");
  const [bonuses, setBonuses] = useState<Bonus[] | null>(null);
  const { error, run } = useAction();
  const load = () =>
    run(async () =>
      setBonuses((await session.api<{ bonuses: Bonus[] }>("GET", `/v1/operator/bonuses?limit=100${status === "" ? "" : `&status=${status}`}`)).bonuses),
    );
  useEffect(() => {
    void load();
  }, [status]);
  return (
    <Card title="Bonuses" class="wide">
      <div class="row">
        <StatusSelect label="Bonus status" value={status} options={statuses} onChange={setStatus} />
        <button onClick={load}>Refresh</button>
      </div>
      <ErrorLine error={error} />
      {bonuses !== null &&
        (bonuses.length === 0 ? (
          <p class="hint" data-testid="no-bonuses">
            No bonus here.
          </p>
        ) : (
          <BonusTable
            bonuses={bonuses}
            testId="all-bonuses"
            action={(b) => <a href={`#/players/${encodeURIComponent(b.userId)}`}>player {b.userId.slice(0, 8)}</a>}
          />
        ))}
    </Card>
  );
}
