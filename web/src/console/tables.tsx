import { useEffect, useState } from "preact/hooks";
import { newId, type Session } from "../shared/session.js";
import { Card, ErrorLine, useAction } from "../shared/ui.js";

interface TableSummary {
  room: string;
  kind: string;
  tableId: string;
  hosted: boolean;
  open: boolean;
  roundId: string | null;
  phase: string | null;
  players: { seat: number | null; userId: string }[];
  limits: Record<string, unknown> | null;
  nextLimits: Record<string, unknown> | null;
  dealer?: { userId: string | null; absent: boolean };
}

/** "betMin=1.00 betMax=500.00" → the action's fields (each game has its own: docs/GAMES.md). */
function limitsFields(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split(/[\s,]+/)
      .filter((p) => p.includes("="))
      .map((p) => p.split("=", 2) as [string, string]),
  );
}

/** Every table: open/close, limits, void the round in play with a reason. */
export function Tables({ session }: { session: Session }) {
  const [tables, setTables] = useState<TableSummary[]>([]);
  const { error, run } = useAction();
  const load = () => run(async () => setTables((await session.api<{ tables: TableSummary[] }>("GET", "/v1/operator/tables")).tables));
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), 3000);
    return () => clearInterval(timer);
  }, []);
  const act = (room: string, body: Record<string, unknown>) =>
    run(async () => {
      await session.api("POST", `/v1/operator/tables/${encodeURIComponent(room)}/actions`, body, newId());
      await load();
    });
  return (
    <Card title="Tables">
      <ErrorLine error={error} />
      <table class="list stack" data-testid="op-tables">
        <thead>
          <tr>
            <th>Table</th>
            <th>State</th>
            <th>Players</th>
            <th>Limits</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {tables.map((t) => (
            <TableRow key={t.room} table={t} act={act} />
          ))}
        </tbody>
      </table>
    </Card>
  );
}

function TableRow({ table: t, act }: { table: TableSummary; act: (room: string, body: Record<string, unknown>) => Promise<void> }) {
  const [reason, setReason] = useState("");
  const [limits, setLimits] = useState("");
  const [dealer, setDealer] = useState("");
  return (
    <tr data-room={t.room}>
      <td>
        <strong>{t.room}</strong> ·{" "}
        <a href={`/#/${t.kind}/${encodeURIComponent(t.tableId)}`} target="_blank" rel="noopener">
          watch
        </a>
        {t.kind === "live" && (
          <>
            {" "}
            · <a href={`#/dealer/${encodeURIComponent(t.tableId)}`}>dealer view</a>
          </>
        )}
      </td>
      <td>
        {t.open ? "open" : "closed"} · {t.phase ?? (t.hosted ? "idle" : "not started")}
        <br />
        {t.roundId !== null && (
          <small class="hint">
            <a href={`#/rounds/${encodeURIComponent(t.roundId)}`}>{t.roundId}</a>
          </small>
        )}
        {t.dealer !== undefined && (
          <>
            <br />
            <small data-testid="dealer-on-shift">
              dealer: {t.dealer.userId ?? "none on shift"}
              {t.dealer.absent ? " (absent)" : ""}
            </small>
          </>
        )}
      </td>
      <td>{t.players.length}</td>
      <td>
        <small>
          {t.limits === null
            ? "–"
            : Object.entries(t.limits)
                .filter(([, v]) => typeof v !== "object")
                .map(([k, v]) => `${k} ${String(v)}`)
                .join(", ")}
        </small>
      </td>
      <td>
        <div class="actions">
          {t.open ? (
            <button onClick={() => act(t.room, { kind: "table.close" })}>Close</button>
          ) : (
            <button onClick={() => act(t.room, { kind: "table.open" })}>Open</button>
          )}
          <input aria-label={`void reason for ${t.room}`} placeholder="void reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          <button
            class="danger"
            disabled={reason.trim() === "" || t.roundId === null}
            onClick={() => act(t.room, { kind: "round.void", reason }).then(() => setReason(""))}
          >
            Void round
          </button>
          <input
            aria-label={`limits for ${t.room}`}
            placeholder={
              t.kind === "holdem"
                ? "smallBlind=0.50 bigBlind=1.00"
                : t.kind === "blackjack" || t.kind === "liveblackjack"
                  ? "betMin=1.00 betMax=500.00"
                  : "roundStakeMax=100.00"
            }
            value={limits}
            onInput={(e) => setLimits(e.currentTarget.value)}
          />
          <button disabled={limits.trim() === ""} onClick={() => act(t.room, { kind: "table.limits", ...limitsFields(limits) })}>
            Set limits
          </button>
          {t.kind === "liveblackjack" && (
            <>
              <input aria-label={`dealer for ${t.room}`} placeholder="dealer's user id" value={dealer} onInput={(e) => setDealer(e.currentTarget.value)} />
              <button disabled={dealer.trim() === ""} onClick={() => act(t.room, { kind: "dealer.assign", dealer: dealer.trim() }).then(() => setDealer(""))}>
                Move dealer
              </button>
            </>
          )}
        </div>
      </td>
    </tr>
  );
}
