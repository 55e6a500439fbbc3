import { whenOf } from "./format.js";

/** The body of `GET /v1/responsible-gaming` and of the operator's `.../protection` (docs/PROTOCOL.md#responsible-gaming). */
export interface Limit {
  kind: string;
  period: string;
  currency: string;
  amount: string | null;
  pending: { amount: string | null; appliesAt: string } | null;
}
export interface Protection {
  userId: string;
  access: "open" | "excluded" | "locked";
  exclusion: { kind: string; startedAt: string; until: string } | null;
  lock: { lockedAt: string; lockedBy: string; reason: string } | null;
  limits: Limit[];
  /** How long one session may last (minutes), with a loosening still cooling off. */
  sessionLimit: SessionLimit;
}
export interface SessionLimit {
  minutes: number | null;
  pending: { minutes: number | null; appliesAt: string } | null;
}

export const kinds = [
  { kind: "deposit", label: "Deposit", what: "money deposited" },
  { kind: "wager", label: "Wager", what: "stakes placed" },
  { kind: "loss", label: "Loss", what: "stakes placed less wins paid" },
] as const;
export const periods = [
  { period: "day", label: "Day", what: "the last 24 hours" },
  { period: "week", label: "Week", what: "the last 7 days" },
  { period: "month", label: "Month", what: "the last 30 days" },
] as const;
const kindLabel = (kind: string) => kinds.find((k) => k.kind === kind)?.label.toLowerCase() ?? kind;
const periodLabel = (period: string) => periods.find((p) => p.period === period)?.label.toLowerCase() ?? period;
export const limitName = (l: { kind: string; period: string }) => `${kindLabel(l.kind)} limit per ${periodLabel(l.period)}`;
export const money = (amount: string | null, currency: string) => (amount === null ? "none" : `${amount} ${currency}`);

/** "10.00 EUR until 4 Dec 2026, 13:05, then 20.00 EUR" */
export function pendingText(l: Limit): string {
  if (l.pending === null) return "";
  const next = l.pending.amount === null ? "removed" : `${l.pending.amount} ${l.currency}`;
  return `${money(l.amount, l.currency)} until ${whenOf(l.pending.appliesAt)}, then ${next}`;
}

/** Kinds down, periods across; a loosening still cooling off is listed under the table with its time. */
export function LimitTable({ limits, testId }: { limits: Limit[]; testId: string }) {
  const find = (kind: string, period: string) => limits.find((l) => l.kind === kind && l.period === period && l.currency === "EUR");
  const waiting = limits.filter((l) => l.pending !== null);
  return (
    <>
      <table class="list limits" data-testid={testId}>
        <thead>
          <tr>
            <th>EUR</th>
            {periods.map((p) => (
              <th key={p.period} class="num" scope="col">
                {p.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {kinds.map((k) => (
            <tr key={k.kind} data-kind={k.kind}>
              <th scope="row">
                {k.label}
                <br />
                <small class="hint">{k.what}</small>
              </th>
              {periods.map((p) => {
                const l = find(k.kind, p.period);
                return (
                  <td key={p.period} class="num" data-period={p.period}>
                    {l?.amount ?? (
                      <span class="hint" aria-label="no limit">
                        –
                      </span>
                    )}
                    {l?.pending != null && (
                      <>
                        <br />
                        <small class="pending-mark">changing</small>
                      </>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {waiting.length > 0 && (
        <>
          <h3>Waiting to apply</h3>
          <ul class="pending" data-testid={`${testId}-pending`}>
            {waiting.map((l) => (
              <li key={`${l.kind}:${l.period}:${l.currency}`}>
                <strong>{limitName(l)}</strong>: {pendingText(l)}.
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
