import { whenOf } from "./format.js";

/** A bonus as `GET /v1/bonuses` and the operator's list show it (docs/PROTOCOL.md#bonuses). */
export interface Bonus {
  id: string;
  userId: string;
  kind: "welcome" | "manual";
  status: string;
  currency: string;
  amount: string;
  balance: string | null;
  held: string | null;
  wageringRequired: string;
  wagered: string;
  progressPercent: number;
  maxBet: string;
  gameWeights: Record<string, number>;
  expiresAt: string;
  grantedBy: string;
  createdAt: string;
  endedAt: string | null;
  endReason: string | null;
  closedAmount: string | null;
}

/** The bonuses as a table: balance, wagering progress, max bet, expiry; `action` adds a cell per row (an operator's Cancel). */
export function BonusTable({ bonuses, action, testId }: { bonuses: Bonus[]; action?: (b: Bonus) => preact.ComponentChildren; testId: string }) {
  return (
    <table class="list" data-testid={testId}>
      <thead>
        <tr>
          <th>Bonus</th>
          <th class="num">Balance</th>
          <th>Wagering</th>
          <th class="num">Max bet</th>
          <th>Until</th>
          {action !== undefined && <th />}
        </tr>
      </thead>
      <tbody>
        {bonuses.map((b) => (
          <tr key={b.id} data-status={b.status}>
            <td>
              {b.amount} {b.currency} · {b.kind}
              <br />
              <small class="hint">
                {b.status}
                {b.endReason === null ? "" : `: ${b.endReason}`}
                {b.closedAmount === null ? "" : ` (${b.closedAmount} ${b.status === "converted" ? "to cash" : "back to the house"})`}
              </small>
            </td>
            <td class="num">{b.balance ?? "–"}</td>
            <td>
              <progress max={100} value={b.progressPercent} aria-label={`wagering progress of the ${b.amount} ${b.currency} bonus`} />{" "}
              <small>
                {b.wagered} of {b.wageringRequired} ({b.progressPercent} %)
              </small>
            </td>
            <td class="num">{b.maxBet}</td>
            <td>
              <small>{whenOf(b.expiresAt)}</small>
            </td>
            {action !== undefined && <td>{action(b)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
