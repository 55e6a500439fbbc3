import { useEffect, useState } from "preact/hooks";
import type { Session } from "../shared/session.js";
import { fieldText, minorToAmount, timeOf } from "../shared/format.js";
import { Card, ErrorLine, useAction } from "../shared/ui.js";

/** One action of the risk engine, or an operator's limit (`rule: "operator"`): docs/PROTOCOL.md#risk. */
export interface RiskAction {
  id: string;
  userId: string;
  rule: string;
  action: "alert" | "limit" | "lock";
  evidence: Record<string, unknown>;
  score: number | null;
  at: string;
  reversed: { at: string; by: string; reason: string } | null;
}
export interface PlayerSummary {
  id: string;
  username: string;
  email: string | null;
  roles: string[];
  createdAt: string;
}

const featureNames: Record<string, string> = {
  betsPerMinute: "bets a minute",
  microStakeShare: "share of micro stakes",
  devicesPerHour: "devices in the last hour",
  depositsPerHour: "deposits in the last hour",
  withdrawalsPerDay: "withdrawals in 24 h",
  linkedAccounts: "linked accounts",
};
export const featureName = (f: string) => featureNames[f] ?? words(f);
const ruleNames: Record<string, string> = {
  betRate: "bet rate",
  microStakes: "micro stakes",
  depositVelocity: "deposit velocity",
  depositAmount: "deposit amount",
  withdrawalFrequency: "withdrawal frequency",
  deviceLinks: "device links",
  addressLinks: "address links",
  collusion: "collusion",
  operator: "operator",
};
export const ruleName = (r: string) => ruleNames[r] ?? words(r);

/** "betsPerMinuteMax" → "bets per minute max" */
function words(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
}

export const percent = (score: number) => `${(score * 100).toFixed(score < 0.1 ? 1 : 0)} %`;

/** The numbers that made the rule fire, in words; the player's features and the links are shown apart. */
export function evidenceItems(evidence: Record<string, unknown>): string[] {
  const items: string[] = [];
  for (const [key, value] of Object.entries(evidence)) {
    if (key === "features" || key === "topFeatures" || key === "linkedAccounts" || key === "by" || value === null) continue;
    if (key.endsWith("Ms") && typeof value === "number") items.push(`${words(key.slice(0, -2))} ${value / 1000} s`);
    else if (/Minor/.test(key) && typeof value === "string" && /^\d+$/.test(value)) items.push(`${words(key.replace("Minor", ""))} ${minorToAmount(value)}`);
    else if (Array.isArray(value)) items.push(`${words(key)} ${value.length === 0 ? "none" : value.join(", ")}`);
    else if (typeof value === "number" && !Number.isInteger(value)) items.push(`${words(key)} ${value.toFixed(2)}`);
    else items.push(`${words(key)} ${fieldText(value)}`);
  }
  return items;
}

function topFeatures(evidence: Record<string, unknown>): string | null {
  const top = evidence.topFeatures as { feature: string; contribution: number }[] | undefined;
  if (!Array.isArray(top) || top.length === 0) return null;
  return top.map((t) => `${featureName(t.feature)} ${t.contribution >= 0 ? "+" : ""}${t.contribution.toFixed(1)}`).join(", ");
}

/** Usernames for user ids, one exact-id search each (the actions carry ids only), remembered for the page's life. */
const names = new Map<string, string>();
export function usePlayerNames(session: Session, ids: readonly string[]): (id: string) => string {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const missing = [...new Set(ids)].filter((id) => !names.has(id));
    if (missing.length === 0) return;
    void Promise.all(
      missing.map(async (id) => {
        const found = await session.api<{ players: PlayerSummary[] }>("GET", `/v1/operator/players?query=${encodeURIComponent(id)}&limit=1`).catch(() => null);
        names.set(id, found?.players.find((p) => p.id === id)?.username ?? id.slice(0, 8));
      }),
    ).then(() => setVersion((v) => v + 1));
  }, [ids.join(",")]);
  return (id) => names.get(id) ?? id.slice(0, 8);
}

/** Rows of risk actions with their evidence and a Reverse that needs a reason. */
export function ActionTable({
  session,
  actions,
  onChange,
  showPlayer,
  testId,
}: {
  session: Session;
  actions: RiskAction[];
  onChange: () => Promise<unknown>;
  showPlayer: boolean;
  testId: string;
}) {
  const nameOf = usePlayerNames(session, showPlayer ? actions.map((a) => a.userId) : []);
  return (
    <table class="list stack" data-testid={testId}>
      <thead>
        <tr>
          {showPlayer && <th>Player</th>}
          <th>Rule</th>
          <th>Step</th>
          <th class="num">Score</th>
          <th>When</th>
          <th>Evidence</th>
          <th>Review</th>
        </tr>
      </thead>
      <tbody>
        {actions.map((a) => (
          <ActionRow key={a.id} session={session} action={a} onChange={onChange} player={showPlayer ? nameOf(a.userId) : null} />
        ))}
      </tbody>
    </table>
  );
}

function ActionRow({
  session,
  action: a,
  onChange,
  player,
}: {
  session: Session;
  action: RiskAction;
  onChange: () => Promise<unknown>;
  player: string | null;
}) {
  const [reason, setReason] = useState("");
  const { busy, error, run } = useAction();
  const reverse = () =>
    run(async () => {
      await session.api("POST", `/v1/operator/risk/actions/${a.id}/reverse`, { reason: reason.trim() });
      setReason("");
      await onChange();
    });
  const linked = Array.isArray(a.evidence.linkedAccounts) ? (a.evidence.linkedAccounts as string[]) : [];
  const top = topFeatures(a.evidence);
  return (
    <tr data-action={a.id} data-user={a.userId}>
      {player !== null && (
        <td data-label="Player">
          <a href={`#/players/${encodeURIComponent(a.userId)}`}>{player}</a>
        </td>
      )}
      <td data-label="Rule">{ruleName(a.rule)}</td>
      <td data-label="Step">
        <span class={`step step-${a.action}`}>{a.action}</span>
      </td>
      <td data-label="Score" class="num">
        {a.score === null ? "–" : percent(a.score)}
      </td>
      <td data-label="When">{timeOf(a.at)}</td>
      <td data-label="Evidence">
        <ul class="evidence">
          {evidenceItems(a.evidence).map((item, i) => (
            <li key={i}>{item}</li>
          ))}
          {top !== null && <li>score reasons: {top}</li>}
          {linked.length > 0 && (
            <li>
              linked:{" "}
              {linked.map((id, i) => (
                <span key={id}>
                  {i > 0 && ", "}
                  <a href={`#/players/${encodeURIComponent(id)}`}>{id.slice(0, 8)}</a>
                </span>
              ))}
            </li>
          )}
        </ul>
      </td>
      <td data-label="Review">
        {a.reversed !== null ? (
          <small>
            reversed {timeOf(a.reversed.at)}: {a.reversed.reason}
          </small>
        ) : (
          <form
            class="actions"
            onSubmit={(e) => {
              e.preventDefault();
              void reverse();
            }}
          >
            <input
              aria-label={`reason to reverse action ${a.id}`}
              placeholder="reason"
              maxLength={500}
              value={reason}
              onInput={(e) => setReason(e.currentTarget.value)}
            />
            <button type="submit" disabled={busy || reason.trim() === ""}>
              Reverse
            </button>
          </form>
        )}
        <ErrorLine error={error} />
      </td>
    </tr>
  );
}

const pageSize = 25;

/** Open risk actions, newest first, a page at a time (`before` the last id of the page shown). */
export function Risk({ session }: { session: Session }) {
  const [actions, setActions] = useState<RiskAction[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [cursors, setCursors] = useState<string[]>([]);
  const { error, run } = useAction();
  const before = cursors.at(-1);
  const load = () =>
    run(async () => {
      const page = await session.api<{ actions: RiskAction[]; next: string | null }>(
        "GET",
        `/v1/operator/risk/actions?open=true&limit=${pageSize}${before === undefined ? "" : `&before=${before}`}`,
      );
      setActions(page.actions);
      setNext(page.next);
    });
  useEffect(() => {
    void load();
  }, [before]);
  return (
    <Card title="Open risk actions">
      <p class="hint">
        What the risk engine did (alert, limit, lock) and operators' limits, not yet reversed; newest first. Reverse one with the reason your review reached: an
        alert is dismissed, a limit lifted, a lock undone.
      </p>
      <div class="actions">
        <button onClick={load}>Refresh</button>
        {cursors.length > 0 && <button onClick={() => setCursors([])}>Newest</button>}
      </div>
      <ErrorLine error={error} />
      {actions === null ? (
        <p>Loading…</p>
      ) : actions.length === 0 ? (
        <p class="empty" data-testid="risk-empty">
          {cursors.length === 0 ? "No open risk actions: the engine has flagged nobody, or every action has been reviewed." : "No older open actions."}
        </p>
      ) : (
        <ActionTable session={session} actions={actions} onChange={load} showPlayer testId="risk-actions" />
      )}
      <div class="actions pager">
        {cursors.length > 0 && <button onClick={() => setCursors(cursors.slice(0, -1))}>Newer</button>}
        {next !== null && <button onClick={() => setCursors([...cursors, next])}>Older</button>}
      </div>
    </Card>
  );
}
