import { useState } from "preact/hooks";
import type { Session } from "../shared/session.js";
import { pocketColor } from "../shared/format.js";
import { useRoom, useServerNow } from "../shared/hooks.js";
import { applyRouletteEvent, rouletteFromSnapshot, type RouletteState } from "../shared/roulette-state.js";
import { Card, ErrorLine, useAction } from "../shared/ui.js";
import { Chat } from "../shared/chat.js";

/** The cue catalogue's cues that need no payload, plus a latency marker (docs/GAMES.md, "Dealer cues"). */
const cues = ["betting-open", "no-more-bets", "result", "shuffle"];

/** Cue buttons, and a marker: its id shown large for the camera as it is sent (docs/GAMES.md, "Measuring the delay"). */
export function CueButtons({ act }: { act: (action: { kind: string; [key: string]: unknown }) => Promise<unknown> }) {
  const [marker, setMarker] = useState<string | null>(null);
  const sendMarker = () => {
    const id = `m${Date.now().toString(36).slice(-5)}`;
    setMarker(id);
    void act({ kind: "cue", name: "marker", data: { id } });
  };
  return (
    <>
      <h3>Cues</h3>
      <div class="actions">
        {cues.map((c) => (
          <button key={c} onClick={() => act({ kind: "cue", name: c })}>
            {c.replace(/-/g, " ")}
          </button>
        ))}
        <button onClick={() => act({ kind: "cue", name: "last-call", data: { secondsLeft: 5 } })}>last call</button>
        <button onClick={sendMarker}>Send latency marker</button>
      </div>
      {marker !== null && (
        <p class="marker" data-testid="dealer-marker" aria-live="polite">
          {marker}
        </p>
      )}
    </>
  );
}

/** The dealer's view of a live table (`live:<id>`): open/close betting, the result (entered or drawn), cues, chat moderation. */
export function Dealer({ session, tableId }: { session: Session; tableId: string }) {
  const room = `live:${tableId}`;
  const client = session.client;
  const { error, run } = useAction();
  const { state, watching } = useRoom<RouletteState>(client, room, rouletteFromSnapshot, applyRouletteEvent, (e) => {
    void run(() => Promise.reject(e));
  });
  const now = useServerNow(client, 500);
  const [number, setNumber] = useState("");
  const act = (action: { kind: string; [key: string]: unknown }) => run(() => client.act(room, action));
  const round = state?.round ?? null;
  const left = round?.phase === "betting" && round.closesAt !== null ? Math.max(0, Math.ceil((round.closesAt - now) / 1000)) : null;
  return (
    <div class="roulette">
      <Card title={`Dealer · live table ${tableId}`}>
        <p class="table-status">
          <span class="phase" data-testid="dealer-phase">
            {state === null ? "joining…" : state.open ? (round?.phase ?? "waiting") : "table closed"}
          </span>
          {left !== null && <span class="countdown">{left}s</span>}
          {round?.phase === "results" && round.number !== null && (
            <span class={`result pocket-${pocketColor(round.number)}`} data-testid="dealer-result">
              {round.number}
            </span>
          )}
          <span class="hint">{watching} watching</span>
        </p>
        <fieldset class="actions plain" disabled={state === null}>
          <button class="primary" onClick={() => act({ kind: "open" })}>
            Open betting
          </button>
          <button onClick={() => act({ kind: "close" })}>Close betting</button>
          <input aria-label="result number" inputMode="numeric" placeholder="0–36" value={number} onInput={(e) => setNumber(e.currentTarget.value)} />
          <button
            disabled={!/^\d{1,2}$/.test(number) || Number(number) > 36}
            onClick={() => act({ kind: "result", number: Number(number) }).then(() => setNumber(""))}
          >
            Enter result
          </button>
          <button onClick={() => act({ kind: "result", rng: true })}>Ask the RNG</button>
        </fieldset>
        <CueButtons act={act} />
        <ErrorLine error={error} />
        <h3>Last results</h3>
        <p class="history">
          {state?.history.map((n, i) => (
            <span key={i} class={`mini pocket-${pocketColor(n)}`}>
              {n}
            </span>
          ))}
        </p>
      </Card>
      {state !== null && <Chat client={client} room={room} lines={state.chat} moderate />}
    </div>
  );
}
