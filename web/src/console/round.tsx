import { useEffect, useState } from "preact/hooks";
import type { Session } from "../shared/session.js";
import { minorToAmount, timeOf } from "../shared/format.js";
import { RoundFairness } from "../shared/fairness.js";
import { Card, ErrorLine, useAction } from "../shared/ui.js";

interface Bet {
  betId: string;
  userId: string;
  currency: string;
  stakeMinor: string;
  payoutMinor: string | null;
  detail: unknown;
  placedAt: string;
}
interface Round {
  roundId: string;
  tableId: string;
  game: string;
  status: string;
  outcome: unknown;
  verification: unknown;
  voidReason: string | null;
  openedAt: string;
  closedAt: string | null;
  settledAt: string | null;
  bets: Bet[];
}

/** `#/rounds/<id>`: any round as game recall holds it, every player's bet, and its fairness check. */
export function RoundView({ session, roundId }: { session: Session; roundId: string }) {
  const [round, setRound] = useState<Round | null>(null);
  const { error, run } = useAction();
  useEffect(() => {
    void run(async () => setRound(await session.api<Round>("GET", `/v1/rounds/${encodeURIComponent(roundId)}`)));
  }, [roundId]);
  return (
    <Card title={`Round ${roundId}`} class="wide">
      <ErrorLine error={error} />
      {round !== null && (
        <>
          <p data-testid="round-status">
            {round.game} at {round.tableId} · <strong>{round.status}</strong>
            {round.voidReason === null ? "" : `: ${round.voidReason}`} · opened {timeOf(round.openedAt)}
            {round.settledAt === null ? "" : ` · ended ${timeOf(round.settledAt)}`}
          </p>
          <table class="list stack" data-testid="round-bets">
            <thead>
              <tr>
                <th>Placed</th>
                <th>Player</th>
                <th>Bet</th>
                <th class="num">Stake</th>
                <th class="num">Paid</th>
              </tr>
            </thead>
            <tbody>
              {round.bets.map((b) => (
                <tr key={b.betId}>
                  <td>{timeOf(b.placedAt)}</td>
                  <td>
                    <a href={`#/players/${encodeURIComponent(b.userId)}`}>{b.userId.slice(0, 8)}</a>
                  </td>
                  <td class="mono">{JSON.stringify(b.detail)}</td>
                  <td class="num">
                    {minorToAmount(b.stakeMinor)} {b.currency}
                  </td>
                  <td class="num">{b.payoutMinor === null ? "open" : `${minorToAmount(b.payoutMinor)} ${b.currency}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {round.bets.length === 0 && <p class="hint">No bets in this round.</p>}
          <h3>Fairness</h3>
          <RoundFairness round={round} />
          <details>
            <summary>Recorded outcome</summary>
            <pre class="json">{JSON.stringify(round.outcome, null, 2)}</pre>
          </details>
        </>
      )}
    </Card>
  );
}
