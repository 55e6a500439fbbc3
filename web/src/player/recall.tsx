import { useEffect, useState } from "preact/hooks";
import type { Session } from "../shared/session.js";
import { minorToAmount, timeOf } from "../shared/format.js";
import { Card, ErrorLine, useAction } from "../shared/ui.js";
import { RoundFairness } from "../shared/fairness.js";

interface RecalledBet {
  betId: string;
  stakeMinor: string;
  payoutMinor: string | null;
  detail: unknown;
}
interface RecalledRound {
  roundId: string;
  tableId: string;
  game: string;
  status: string;
  outcome: unknown;
  verification: unknown;
  voidReason: string | null;
  openedAt: string;
  bets: RecalledBet[];
}

const sum = (bets: RecalledBet[], pick: (b: RecalledBet) => string | null) => bets.reduce((s, b) => s + BigInt(pick(b) ?? "0"), 0n);

/** Game recall: the player's past rounds (`GET /v1/rounds`), and one round in full. */
export function Recall({ session, roundId }: { session: Session; roundId: string | undefined }) {
  const [rounds, setRounds] = useState<RecalledRound[] | null>(null);
  const { error, run } = useAction();
  useEffect(() => {
    void run(async () => {
      if (roundId === undefined) setRounds((await session.api<{ rounds: RecalledRound[] }>("GET", "/v1/rounds?limit=30")).rounds);
      else setRounds([await session.api<RecalledRound>("GET", `/v1/rounds/${encodeURIComponent(roundId)}`)]);
    });
  }, [roundId]);
  return (
    <Card title={roundId === undefined ? "Your rounds" : `Round ${roundId}`} class="wide">
      <ErrorLine error={error} />
      {rounds !== null && rounds.length === 0 && <p class="hint">No rounds yet: play a table game and it appears here.</p>}
      <table class="list" data-testid="rounds">
        <thead>
          <tr>
            <th>When</th>
            <th>Game</th>
            <th>Outcome</th>
            <th class="num">Staked</th>
            <th class="num">Returned</th>
          </tr>
        </thead>
        <tbody>
          {(rounds ?? []).map((r) => (
            <tr key={r.roundId}>
              <td>
                <a href={`#/history/${encodeURIComponent(r.roundId)}`}>{timeOf(r.openedAt)}</a>
              </td>
              <td>
                {r.game} {r.tableId}
              </td>
              <td>{r.status === "voided" ? `voided: ${r.voidReason ?? ""}` : outcomeText(r)}</td>
              <td class="num">{minorToAmount(sum(r.bets, (b) => b.stakeMinor))}</td>
              <td class="num">{minorToAmount(sum(r.bets, (b) => b.payoutMinor))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {roundId !== undefined && rounds?.[0] !== undefined && <h3>Fairness</h3>}
      {roundId !== undefined && rounds?.[0] !== undefined && <RoundFairness round={rounds[0]} />}
      {roundId !== undefined && rounds?.[0] !== undefined && (
        <details>
          <summary>Recorded outcome and verification data</summary>
          <pre class="json">{JSON.stringify({ outcome: rounds[0].outcome, verification: rounds[0].verification, bets: rounds[0].bets }, null, 2)}</pre>
        </details>
      )}
    </Card>
  );
}

function outcomeText(r: RecalledRound): string {
  const o = r.outcome as { number?: number; color?: string } | null;
  if (o !== null && typeof o.number === "number") return `${o.number} ${o.color ?? ""}`;
  return r.status;
}
