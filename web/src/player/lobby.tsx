import { useEffect, useState } from "preact/hooks";
import { followJackpots, type JackpotTotal } from "croupier/client";
import type { Session } from "../shared/session.js";
import { minorToAmount } from "../shared/format.js";
import { Card, ErrorLine, useAction } from "../shared/ui.js";

interface TableRow {
  room: string;
  kind: string;
  tableId: string;
  open: boolean;
  phase: string | null;
  playersSeated: number;
  limits: Record<string, unknown> | null;
}

const gameNames: Record<string, string> = {
  roulette: "Roulette",
  live: "Live roulette",
  blackjack: "Blackjack",
  liveblackjack: "Live blackjack",
  holdem: "Hold'em",
};
const playable = new Set(["roulette", "live", "blackjack", "liveblackjack", "holdem"]);

/** The lobby: every table with its phase, and the progressive jackpot ticking live from `lobby:main`. */
export function Lobby({ session }: { session: Session }) {
  const [tables, setTables] = useState<TableRow[] | null>(null);
  const { error, run } = useAction();
  useEffect(() => {
    const load = () => run(async () => setTables((await session.api<{ tables: TableRow[] }>("GET", "/v1/tables")).tables));
    void load();
    const timer = setInterval(() => void load(), 3000);
    return () => clearInterval(timer);
  }, []);
  return (
    <>
      <Jackpots session={session} />
      <Card title="Tables">
        <ErrorLine error={error} />
        {tables === null ? (
          <p>Loading…</p>
        ) : (
          <ul class="tables" data-testid="tables">
            <li class="table-row">
              <span class="game">Crown Jewels slot</span>
              <span class="phase">your own machine</span>
              <span />
              <a class="button primary" href="#/slots">
                Play
              </a>
            </li>
            {tables.map((t) => (
              <li class="table-row" key={t.room} data-room={t.room}>
                <span class="game">
                  {gameNames[t.kind] ?? t.kind} {t.tableId}
                </span>
                <span class="phase">{t.open ? (t.phase ?? "waiting") : "closed"}</span>
                <span class="players">{t.playersSeated} playing</span>
                {playable.has(t.kind) ? (
                  <a class="button primary" href={`#/${t.kind}/${encodeURIComponent(t.tableId)}`}>
                    Join
                  </a>
                ) : (
                  <span class="hint">no view yet</span>
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}

function Jackpots({ session }: { session: Session }) {
  const [totals, setTotals] = useState<JackpotTotal[]>([]);
  useEffect(() => {
    const stop = followJackpots(session.client, "lobby:main", (all) => setTotals([...all.values()]));
    session.client
      .connect()
      .then(() => session.client.join("lobby:main"))
      .catch(() => undefined);
    return () => {
      stop();
      session.client.leave("lobby:main").catch(() => undefined);
    };
  }, []);
  return (
    <Card title="Progressive jackpot" class="jackpot">
      {totals.length === 0 ? (
        <p class="hint">No jackpot yet.</p>
      ) : (
        totals.map((t) => (
          <p class="ticker" key={`${t.gameId}|${t.currency}`} data-testid="jackpot">
            <span>{t.gameId}</span>{" "}
            <strong>
              {minorToAmount(t.totalMinor)} {t.currency}
            </strong>
          </p>
        ))
      )}
    </Card>
  );
}
