import { useEffect, useState } from "preact/hooks";
import { roulette } from "croupier/engine";
import { CroupierError } from "croupier/client";
import type { Session } from "../shared/session.js";
import { minorToAmount, pocketColor } from "../shared/format.js";
import { useRoom, useServerNow } from "../shared/hooks.js";
import { applyRouletteEvent, rouletteFromSnapshot, type RouletteState } from "../shared/roulette-state.js";
import { Card, ErrorLine, useAction } from "../shared/ui.js";
import { Chat } from "../shared/chat.js";
import { LiveExtras } from "../shared/live.js";

type InsideType = "straight" | "split" | "street" | "corner" | "six_line";
interface Bet {
  type: string;
  numbers?: number[];
  index?: number;
  amount: string;
}

const chips = ["0.50", "1.00", "5.00", "10.00", "25.00"];
const insideTypes: { type: InsideType; label: string; picks: number }[] = [
  { type: "straight", label: "Straight", picks: 1 },
  { type: "split", label: "Split", picks: 2 },
  { type: "street", label: "Street", picks: 3 },
  { type: "corner", label: "Corner", picks: 4 },
  { type: "six_line", label: "Line", picks: 6 },
];
const outside: { type: string; index?: number; label: string }[] = [
  { type: "dozen", index: 1, label: "1st 12" },
  { type: "dozen", index: 2, label: "2nd 12" },
  { type: "dozen", index: 3, label: "3rd 12" },
  { type: "column", index: 1, label: "Col 1" },
  { type: "column", index: 2, label: "Col 2" },
  { type: "column", index: 3, label: "Col 3" },
  { type: "low", label: "1–18" },
  { type: "even", label: "Even" },
  { type: "red", label: "Red" },
  { type: "black", label: "Black" },
  { type: "odd", label: "Odd" },
  { type: "high", label: "19–36" },
];
// Numbers in the order the layout's grid shows them: columns of 3, 2, 1 from the top (see styles.css).
const layoutOrder = Array.from({ length: 12 }, (_, c) => [3 * c + 3, 3 * c + 2, 3 * c + 1]).flat();
const sameSet = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && [...a].sort((x, y) => x - y).every((n, i) => n === [...b].sort((x, y) => x - y)[i]);

/** A shared roulette table (`roulette:<id>`) or a live-dealer one (`live:<id>`: video, cues, chat). */
export function Roulette({ session, room }: { session: Session; room: string }) {
  const client = session.client;
  const { error, run, setError } = useAction();
  const { state, watching } = useRoom<RouletteState>(client, room, rouletteFromSnapshot, applyRouletteEvent, (e) => {
    void run(() => Promise.reject(e));
  });
  const now = useServerNow(client, 200);
  const [chip, setChip] = useState("1.00");
  const [mode, setMode] = useState<InsideType>("straight");
  const [picked, setPicked] = useState<number[]>([]);
  const [slip, setSlip] = useState<Bet[]>([]);
  const [placed, setPlaced] = useState<{ roundId: string; bets: Bet[]; stakeMinor: string } | null>(null);
  const [revealed, setRevealed] = useState<{ roundId: string; number: number; atMs: number } | null>(null);
  // The moment the SDK hands over the result (at `revealAt` by the synced clock), on that clock: the
  // page shows it now, and tests compare it across browsers.
  useEffect(
    () =>
      client.on("event", (e) => {
        if (e.room === room && e.kind === "round.result") {
          const d = e.data as { roundId: string; number: number };
          setRevealed({ roundId: d.roundId, number: d.number, atMs: client.serverNow() });
        }
      }),
    [client, room],
  );
  useEffect(() => {
    setSlip([]);
    setPicked([]);
  }, [state?.round?.id]);

  const live = room.startsWith("live:");
  const round = state?.round ?? null;
  const betting = round?.phase === "betting" && state?.open !== false;
  const secondsLeft = round?.phase === "betting" && round.closesAt !== null ? Math.max(0, Math.ceil((round.closesAt - now) / 1000)) : null;

  const pick = (n: number) => {
    const spec = insideTypes.find((t) => t.type === mode);
    if (spec === undefined) return;
    const next = picked.includes(n) ? picked.filter((p) => p !== n) : [...picked, n];
    if (next.length < spec.picks) {
      setPicked(next);
      return;
    }
    setPicked([]);
    const valid = mode === "straight" || roulette.validPocketSets(mode).some((set) => sameSet(set, next));
    if (!valid) {
      setError(`${next.join(", ")} is not a ${spec.label.toLowerCase()} on the layout`);
      return;
    }
    setError(null);
    setSlip([...slip, { type: mode, numbers: next.sort((a, b) => a - b), amount: chip }]);
  };
  const place = () =>
    run(async () => {
      if (round === null) return;
      const bets = slip;
      for (let attempt = 0; ; attempt++) {
        try {
          const ack = await client.act(room, { kind: "bet", roundId: round.id, bets });
          const result = ack.result as { stakeMinor: string };
          setPlaced((p) => ({
            roundId: round.id,
            bets: [...(p?.roundId === round.id ? p.bets : []), ...bets],
            stakeMinor: (BigInt(p?.roundId === round.id ? p.stakeMinor : "0") + BigInt(result.stakeMinor)).toString(),
          }));
          setSlip([]);
          return;
        } catch (e) {
          // Another player's bet moved the table on between our last event and this action: send it again.
          if (!(e instanceof CroupierError && e.code === "ACTION_STALE" && attempt < 3)) throw e;
        }
      }
    });
  const myReturn = state?.payouts?.reduce((sum, p) => sum + BigInt(p.returnMinor), 0n) ?? null;
  const shown = revealed !== null && round?.id === revealed.roundId ? revealed : null;

  return (
    <div class="roulette">
      <Card title={`${live ? "Live roulette" : "Roulette"} ${room.split(":")[1] ?? ""}`} class="wide">
        <div class="table-status">
          <span class="phase" data-testid="phase">
            {state === null ? "joining…" : state.open ? (round?.phase ?? "waiting") : "table closed"}
          </span>
          {secondsLeft !== null && (
            <span class="countdown" data-testid="countdown" aria-live="off">
              {secondsLeft}s to bet
            </span>
          )}
          <span class="hint">{watching} here</span>
          {shown !== null && (
            <span
              class={`result pocket-${pocketColor(shown.number)}`}
              data-testid="result"
              data-round={shown.roundId}
              data-number={shown.number}
              data-revealed-at={shown.atMs}
              aria-live="polite"
            >
              {shown.number}
            </span>
          )}
          {round?.phase === "voided" && <span class="error">round voided: {round.voidReason}</span>}
          {state?.cue != null && (
            <span class="cue" data-testid="cue">
              dealer: {state.cue}
            </span>
          )}
        </div>
        {live && state !== null && <LiveExtras client={client} room={room} streamUrl={state.streamUrl} latencyMs={state.streamLatencyMs} />}
        <div class="chips" role="radiogroup" aria-label="chip">
          {chips.map((c) => (
            <button key={c} role="radio" aria-checked={chip === c} class={`chip ${chip === c ? "on" : ""}`} onClick={() => setChip(c)}>
              {c}
            </button>
          ))}
        </div>
        <div class="modes" role="radiogroup" aria-label="inside bet">
          {insideTypes.map((t) => (
            <button
              key={t.type}
              role="radio"
              aria-checked={mode === t.type}
              class={mode === t.type ? "on" : ""}
              onClick={() => {
                setMode(t.type);
                setPicked([]);
              }}
            >
              {t.label}
            </button>
          ))}
        </div>
        <div class="layout" data-testid="layout">
          <button class="pocket zero pocket-green" onClick={() => pick(0)} disabled={!betting} aria-pressed={picked.includes(0)}>
            0
          </button>
          <div class="numbers">
            {layoutOrder.map((n) => (
              <button
                key={n}
                class={`pocket pocket-${pocketColor(n)} ${picked.includes(n) ? "picked" : ""}`}
                onClick={() => pick(n)}
                disabled={!betting}
                aria-pressed={picked.includes(n)}
                data-number={n}
              >
                {n}
              </button>
            ))}
          </div>
          <div class="outside">
            {outside.map((o) => (
              <button
                key={o.label}
                class={`out out-${o.type}`}
                disabled={!betting}
                onClick={() => setSlip([...slip, { type: o.type, ...(o.index === undefined ? {} : { index: o.index }), amount: chip }])}
              >
                {o.label}
              </button>
            ))}
          </div>
        </div>
        <div class="row slip">
          <span data-testid="slip">
            {slip.length === 0
              ? "Pick bets on the layout."
              : slip.map((b) => `${b.type}${b.numbers ? ` ${b.numbers.join("/")}` : b.index ? ` ${b.index}` : ""} ${b.amount}`).join(" · ")}
          </span>
          <button class="link" onClick={() => setSlip([])} disabled={slip.length === 0}>
            Clear
          </button>
          <button class="primary" onClick={place} disabled={!betting || slip.length === 0} data-testid="place">
            Place bets
          </button>
        </div>
        <ErrorLine error={error} />
      </Card>
      <Card title="This round">
        {placed !== null && placed.roundId === round?.id ? (
          <p data-testid="placed">
            Your stake: {minorToAmount(placed.stakeMinor)} EUR on {placed.bets.length} bet(s)
          </p>
        ) : (
          <p class="hint">No bets from you yet.</p>
        )}
        {myReturn !== null && (
          <p data-testid="payout">
            You got back <strong>{minorToAmount(myReturn)} EUR</strong>
          </p>
        )}
        {state?.refunds != null && <p>Refunded {minorToAmount(state.refunds.reduce((s, r) => s + BigInt(r.stakeMinor), 0n))} EUR</p>}
        <h3>Last results</h3>
        <p class="history" data-testid="last-results">
          {state?.history.map((n, i) => (
            <span key={i} class={`mini pocket-${pocketColor(n)}`}>
              {n}
            </span>
          ))}
        </p>
      </Card>
      {live && state !== null && <Chat client={client} room={room} lines={state.chat} />}
    </div>
  );
}
