import { PlayerBonuses } from "./player-bonuses.js";
import { useEffect, useState } from "preact/hooks";
import type { Session } from "../shared/session.js";
import { amountToMinor, minorToAmount, timeOf, whenOf } from "../shared/format.js";
import { LimitTable, type Protection } from "../shared/limits.js";
import { Card, ErrorLine, Field, useAction } from "../shared/ui.js";
import { ActionTable, featureName, percent, usePlayerNames, type PlayerSummary, type RiskAction } from "./risk.js";

interface Entry {
  id: string;
  kind: string;
  amount: string;
  currency: string;
  reference: string | null;
  createdAt: string;
}
interface RiskLimit {
  userId: string;
  betsPerMinuteMax: number | null;
  stakeMinorMax: string | null;
  gamesBlocked: string[];
  setBy: string;
  reason: string;
  actionId: string | null;
  at: string;
}
interface PlayerRisk {
  userId: string;
  score: number;
  features: Record<string, number>;
  contributions: { feature: string; value: number; contribution: number }[];
  sessions: { id: string; deviceId: string; createdAt: string; revokedAt: string | null }[];
  linkedAccounts: { userId: string; deviceId: string }[];
  recentBets: { roundId: string; game: string; currency: string; stakeMinor: string; payoutMinor: string | null; at: string }[];
  limit: RiskLimit | null;
  actions: RiskAction[];
}

const games = ["slots", "roulette", "live", "blackjack", "liveblackjack", "holdem"];
const breakNames: Record<string, string> = { time_out: "time-out", self_exclusion: "self-exclusion" };
let lastQuery = "";

/** `#/players`: search; `#/players/<id>`: the player's file. */
export function Players({ session, userId }: { session: Session; userId: string | undefined }) {
  return userId === undefined ? <PlayerSearch session={session} /> : <PlayerFile key={userId} session={session} userId={userId} />;
}

/** Usernames and emails by their start, or an exact user id (`GET /v1/operator/players?query=`). */
function PlayerSearch({ session }: { session: Session }) {
  const [query, setQuery] = useState(lastQuery);
  const [found, setFound] = useState<{ query: string; players: PlayerSummary[] } | null>(null);
  const { busy, error, run } = useAction();
  const search = (q: string) =>
    run(async () => {
      lastQuery = q;
      setFound({
        query: q,
        players: (await session.api<{ players: PlayerSummary[] }>("GET", `/v1/operator/players?query=${encodeURIComponent(q)}&limit=50`)).players,
      });
    });
  useEffect(() => {
    if (lastQuery !== "") void search(lastQuery);
  }, []);
  return (
    <Card title="Players">
      <form
        class="row"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          if (query.trim() !== "") void search(query.trim());
        }}
      >
        <Field label="Username or email (its start), or user id">
          <input name="query" type="search" required value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
        </Field>
        <button type="submit" class="primary" disabled={busy}>
          Search
        </button>
      </form>
      <ErrorLine error={error} />
      {found !== null &&
        (found.players.length === 0 ? (
          <p class="empty" data-testid="no-players">
            No player matches “{found.query}”.
          </p>
        ) : (
          <ul class="results" data-testid="player-results">
            {found.players.map((p) => (
              <li key={p.id}>
                <a href={`#/players/${encodeURIComponent(p.id)}`}>{p.username}</a>
                <span class="hint">
                  {p.email ?? "no email"} · joined {timeOf(p.createdAt)}
                  {p.roles.some((r) => r !== "player") ? ` · ${p.roles.join(", ")}` : ""}
                </span>
              </li>
            ))}
          </ul>
        ))}
    </Card>
  );
}

/** One player: account, protection (limits, break, lock), the risk file and limit, risk actions, money. */
function PlayerFile({ session, userId }: { session: Session; userId: string }) {
  const [account, setAccount] = useState<PlayerSummary | null | undefined>(undefined);
  const [protection, setProtection] = useState<Protection | null>(null);
  const [risk, setRisk] = useState<PlayerRisk | null>(null);
  const [history, setHistory] = useState<Entry[] | null>(null);
  const { error, run } = useAction();
  const base = `/v1/operator/players/${encodeURIComponent(userId)}`;
  const loadRisk = async () => setRisk(await session.api<PlayerRisk>("GET", `${base}/risk`));
  useEffect(() => {
    void run(async () => {
      const found = await session.api<{ players: PlayerSummary[] }>("GET", `/v1/operator/players?query=${encodeURIComponent(userId)}&limit=1`);
      const player = found.players.find((p) => p.id === userId) ?? null;
      setAccount(player);
      if (player === null) return;
      await Promise.all([
        session.api<Protection>("GET", `${base}/protection`).then(setProtection),
        loadRisk(),
        session.api<{ entries: Entry[] }>("GET", `${base}/history?currency=EUR&limit=50`).then((h) => setHistory(h.entries)),
      ]);
    });
  }, []);
  const nameOf = usePlayerNames(session, [
    ...(risk?.linkedAccounts.map((l) => l.userId) ?? []),
    ...(risk?.limit ? [risk.limit.setBy] : []),
    ...(protection?.lock && !protection.lock.lockedBy.startsWith("risk:") ? [protection.lock.lockedBy] : []),
  ]);
  return (
    <>
      <p>
        <a href="#/players">← Player search</a>
      </p>
      <h1 data-testid="player-name">{account === undefined ? "Player" : account === null ? "No such player" : account.username}</h1>
      <ErrorLine error={error} />
      {account === null && <p class="empty">No user has the id {userId}.</p>}
      {account != null && (
        <div class="grid2">
          <Card title="Account">
            <dl class="facts" data-testid="account">
              <dt>Username</dt>
              <dd>{account.username}</dd>
              <dt>Email</dt>
              <dd>{account.email ?? "none"}</dd>
              <dt>User id</dt>
              <dd>
                <code>{account.id}</code>
              </dd>
              <dt>Joined</dt>
              <dd>{timeOf(account.createdAt)}</dd>
              <dt>Roles</dt>
              <dd>{account.roles.join(", ")}</dd>
            </dl>
          </Card>
          {protection === null ? (
            <Card title="Protection">
              <p>Loading…</p>
            </Card>
          ) : (
            <ProtectionCard session={session} base={base} protection={protection} onChange={setProtection} nameOf={nameOf} />
          )}
          {risk !== null && (
            <>
              <ScoreCard risk={risk} />
              <RiskLimitCard session={session} base={base} limit={risk.limit} onChange={loadRisk} nameOf={nameOf} />
              <Card title="Sessions and devices">
                {risk.sessions.length === 0 ? (
                  <p class="hint">No sessions.</p>
                ) : (
                  <table class="list" data-testid="sessions">
                    <thead>
                      <tr>
                        <th>Device</th>
                        <th>Opened</th>
                        <th>Ended</th>
                      </tr>
                    </thead>
                    <tbody>
                      {risk.sessions.map((s) => (
                        <tr key={s.id}>
                          <td>{s.deviceId}</td>
                          <td>{timeOf(s.createdAt)}</td>
                          <td>{s.revokedAt === null ? <span class="ok">active</span> : timeOf(s.revokedAt)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
                <h3>Linked accounts</h3>
                {risk.linkedAccounts.length === 0 ? (
                  <p class="hint">No other account shares a device with this one.</p>
                ) : (
                  <ul class="results" data-testid="linked">
                    {risk.linkedAccounts.map((l) => (
                      <li key={`${l.userId}:${l.deviceId}`}>
                        <a href={`#/players/${encodeURIComponent(l.userId)}`}>{nameOf(l.userId)}</a> <span class="hint">shares device {l.deviceId}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </Card>
              <Card title="Recent bets">
                {risk.recentBets.length === 0 ? (
                  <p class="hint">No bets recorded.</p>
                ) : (
                  <table class="list" data-testid="recent-bets">
                    <thead>
                      <tr>
                        <th>When</th>
                        <th>Game</th>
                        <th class="num">Stake</th>
                        <th class="num">Paid</th>
                      </tr>
                    </thead>
                    <tbody>
                      {risk.recentBets.map((b, i) => (
                        <tr key={`${b.roundId}:${i}`} title={`round ${b.roundId}`}>
                          <td>
                            <a href={`#/rounds/${encodeURIComponent(b.roundId)}`}>{timeOf(b.at)}</a>
                          </td>
                          <td>{b.game}</td>
                          <td class="num">
                            {minorToAmount(b.stakeMinor)} {b.currency}
                          </td>
                          <td class="num">{b.payoutMinor === null ? "open" : `${minorToAmount(b.payoutMinor)} ${b.currency}`}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </Card>
              <Card title="Risk actions" class="wide">
                {risk.actions.length === 0 ? (
                  <p class="hint" data-testid="no-actions">
                    The risk engine has taken no action on this player.
                  </p>
                ) : (
                  <ActionTable session={session} actions={risk.actions} onChange={loadRisk} showPlayer={false} testId="player-actions" />
                )}
              </Card>
            </>
          )}
          <PlayerBonuses session={session} userId={userId} />
          <Card title="Money (EUR)" class="wide">
            {history === null ? (
              <p>Loading…</p>
            ) : history.length === 0 ? (
              <p class="hint">No transfers.</p>
            ) : (
              <table class="list stack" data-testid="money">
                <thead>
                  <tr>
                    <th>When</th>
                    <th>What</th>
                    <th>Reference</th>
                    <th class="num">Amount</th>
                  </tr>
                </thead>
                <tbody>
                  {history.map((e) => (
                    <tr key={e.id}>
                      <td>{timeOf(e.createdAt)}</td>
                      <td>{e.kind.replace(/_/g, " ")}</td>
                      <td>
                        <small class="ref">{e.reference ?? ""}</small>
                      </td>
                      <td class={`num ${e.amount.startsWith("-") ? "neg" : "pos"}`}>
                        {e.amount} {e.currency}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
        </div>
      )}
    </>
  );
}

/** Limits with any loosening waiting, a running break, the lock; Lock and Unlock with a reason. */
function ProtectionCard({
  session,
  base,
  protection: p,
  onChange,
  nameOf,
}: {
  session: Session;
  base: string;
  protection: Protection;
  onChange: (p: Protection) => void;
  nameOf: (id: string) => string;
}) {
  const [reason, setReason] = useState("");
  const { busy, error, run } = useAction();
  const act = (what: "lock" | "unlock") =>
    run(async () => {
      onChange(await session.api<Protection>("POST", `${base}/${what}`, { reason: reason.trim() }));
      setReason("");
    });
  const locked = p.lock !== null;
  return (
    <Card title="Protection">
      <p data-testid="access">
        Access: <strong class={p.access === "open" ? "ok" : "bad"}>{p.access}</strong>
      </p>
      {p.exclusion !== null && (
        <p data-testid="exclusion">
          <strong>{breakNames[p.exclusion.kind] ?? p.exclusion.kind}</strong> since {whenOf(p.exclusion.startedAt)}, until{" "}
          <strong>{whenOf(p.exclusion.until)}</strong> (an unlock does not lift it)
        </p>
      )}
      {p.lock !== null && (
        <p data-testid="lock">
          Locked {whenOf(p.lock.lockedAt)} by {p.lock.lockedBy.startsWith("risk:") ? `the risk engine (${p.lock.lockedBy.slice(5)})` : nameOf(p.lock.lockedBy)}:{" "}
          {p.lock.reason}
        </p>
      )}
      <h3>Limits set by the player</h3>
      <LimitTable limits={p.limits} testId="player-limits" />
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          void act(locked ? "unlock" : "lock");
        }}
      >
        <Field label={locked ? "Reason to unlock" : "Reason to lock"}>
          <input name="lock-reason" maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </Field>
        {locked ? (
          <button type="submit" class="primary" disabled={busy || reason.trim() === ""}>
            Unlock
          </button>
        ) : (
          <button type="submit" class="danger" disabled={busy || reason.trim() === ""}>
            Lock
          </button>
        )}
      </form>
      <p class="hint">
        {locked
          ? "Unlocking lifts the lock only: a running time-out or self-exclusion stays until its end."
          : "Locking ends every session of the player now; login, play and deposits stop, the money stays, withdrawals wait for review."}
      </p>
      <ErrorLine error={error} />
    </Card>
  );
}

function ScoreCard({ risk }: { risk: PlayerRisk }) {
  return (
    <Card title="Risk score">
      <p class="score" data-testid="score">
        <b>{percent(risk.score)}</b> <span class="hint">the model's estimate that this is abusive play; it informs, the rules decide</span>
      </p>
      <table class="list" data-testid="contributions">
        <thead>
          <tr>
            <th>Feature</th>
            <th class="num">Value</th>
            <th class="num">Contribution</th>
          </tr>
        </thead>
        <tbody>
          {risk.contributions.map((c) => (
            <tr key={c.feature}>
              <td>{featureName(c.feature)}</td>
              <td class="num">{Number.isInteger(c.value) ? c.value : c.value.toFixed(2)}</td>
              <td class={`num ${c.contribution > 0 ? "neg" : ""}`}>
                {c.contribution >= 0 ? "+" : ""}
                {c.contribution.toFixed(2)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="hint">Contributions are in log-odds: positive ones raise the score.</p>
    </Card>
  );
}

/** The player's risk limit (an operator's, or one the engine set) and a form to set or clear it, each with a reason. */
function RiskLimitCard({
  session,
  base,
  limit,
  onChange,
  nameOf,
}: {
  session: Session;
  base: string;
  limit: RiskLimit | null;
  onChange: () => Promise<void>;
  nameOf: (id: string) => string;
}) {
  const [bets, setBets] = useState(limit?.betsPerMinuteMax?.toString() ?? "");
  const [stake, setStake] = useState(limit?.stakeMinorMax == null ? "" : minorToAmount(limit.stakeMinorMax).replace(/,/g, ""));
  const [blocked, setBlocked] = useState<string[]>(limit?.gamesBlocked ?? []);
  const [reason, setReason] = useState("");
  const { busy, error, run, setError } = useAction();
  const stakeValid = stake.trim() === "" || /^[0-9]+(\.[0-9]{1,2})?$/.test(stake.trim());
  const stakeMinor = stakeValid && stake.trim() !== "" ? amountToMinor(stake.trim()) : null;
  const set = (e: Event) => {
    e.preventDefault();
    if (!stakeValid || stakeMinor === 0n) {
      setError("The largest stake is an amount in EUR above 0.00, or empty for no cap.");
      return;
    }
    void run(async () => {
      await session.api("PUT", `${base}/risk-limit`, {
        betsPerMinuteMax: bets.trim() === "" ? null : Number(bets),
        stakeMinorMax: stakeMinor === null ? null : stakeMinor.toString(),
        gamesBlocked: blocked,
        reason: reason.trim(),
      });
      setReason("");
      await onChange();
    });
  };
  const clear = () =>
    run(async () => {
      await session.api("DELETE", `${base}/risk-limit`, { reason: reason.trim() });
      setReason("");
      setBets("");
      setStake("");
      setBlocked([]);
      await onChange();
    });
  return (
    <Card title="Risk limit">
      <div data-testid="risk-limit">
        {limit === null ? (
          <p>No risk limit: the player's bets are not capped.</p>
        ) : (
          <>
            <ul class="facts-list">
              <li>
                Bets a minute:{" "}
                <strong>{limit.betsPerMinuteMax === null ? "no cap" : limit.betsPerMinuteMax === 0 ? "0 (no betting)" : limit.betsPerMinuteMax}</strong>
              </li>
              <li>
                Largest stake:{" "}
                <strong>{limit.stakeMinorMax === null ? "no cap" : `${minorToAmount(limit.stakeMinorMax)} (${limit.stakeMinorMax} minor units)`}</strong>
              </li>
              <li>
                Blocked games: <strong>{limit.gamesBlocked.length === 0 ? "none" : limit.gamesBlocked.join(", ")}</strong>
              </li>
            </ul>
            <p class="hint">
              Set {timeOf(limit.at)} by{" "}
              {limit.setBy.startsWith("risk:") ? `the risk engine (rule ${limit.setBy.slice(5)}, action ${limit.actionId ?? "?"})` : nameOf(limit.setBy)}:{" "}
              {limit.reason}
            </p>
          </>
        )}
      </div>
      <form onSubmit={set} data-testid="risk-limit-form">
        <div class="row">
          <Field label="Bets a minute (empty: no cap, 0: none)">
            <input name="bets" type="number" inputMode="numeric" min={0} max={100000} value={bets} onInput={(e) => setBets(e.currentTarget.value)} />
          </Field>
          <Field label="Largest stake, EUR (empty: no cap)">
            <input name="stake" inputMode="decimal" value={stake} aria-invalid={!stakeValid} onInput={(e) => setStake(e.currentTarget.value)} />
          </Field>
        </div>
        {stakeMinor !== null && <p class="hint">= {stakeMinor.toString()} minor units, in any currency</p>}
        <fieldset class="plain games">
          <legend>Blocked games</legend>
          {games.map((g) => (
            <label key={g} class="check">
              <input
                type="checkbox"
                checked={blocked.includes(g)}
                onChange={(e) => setBlocked(e.currentTarget.checked ? [...blocked, g] : blocked.filter((b) => b !== g))}
              />{" "}
              {g}
            </label>
          ))}
        </fieldset>
        <Field label="Reason (kept in the audit log)">
          <input name="limit-reason" maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </Field>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || reason.trim() === ""}>
            Set limit
          </button>
          <button type="button" class="danger" disabled={busy || reason.trim() === "" || limit === null} onClick={clear}>
            Clear limit
          </button>
        </div>
        <ErrorLine error={error} />
      </form>
    </Card>
  );
}
