import { useState } from "preact/hooks";
import { slots } from "croupier/engine";
import type { Session } from "../shared/session.js";
import { minorToAmount } from "../shared/format.js";
import { useRoom } from "../shared/hooks.js";
import { Card, ErrorLine, Field, useAction } from "../shared/ui.js";
import { SeedPair } from "../shared/fairness.js";
import { rotateSeeds, seedPairOf, setClientSeed, type RoomEvent, type SeedPairView, type SeedRotation } from "croupier/client";

interface LineWin {
  line: number;
  symbol: string;
  count: number;
  winMinor: string;
}
interface FreeSpin {
  grid?: string[][];
  totalWinMinor?: string;
}
interface Spin {
  spinId: string;
  stakeMinor: string;
  grid: string[][];
  lineWins: LineWin[];
  scatterCount: number;
  freeSpins: FreeSpin[];
  totalWinMinor: string;
  jackpotTriggered: boolean;
  jackpotWinMinor?: string;
  availableMinor: string;
  jackpotTotalMinor: string;
}

const paylines = slots.crownJewels.paylines;
const stakes = ["0.10", "0.20", "0.50", "1.00", "2.00", "5.00"];
const glyph: Record<string, string> = { wild: "★", scatter: "☀", crown: "♛", diamond: "◆", bell: "♫", ace: "A", king: "K", queen: "Q", jack: "J", ten: "10" };
const blank = Array.from({ length: 5 }, () => ["crown", "diamond", "bell"]);

/** Crown Jewels on the player's own machine (`slots:<userId>`): stake, spin, line wins highlighted. */
export function Slots({ session }: { session: Session }) {
  const room = `slots:${session.me?.id ?? ""}`;
  const { error, run, busy } = useAction();
  const [stake, setStake] = useState("1.00");
  const [last, setLast] = useState<Spin | null>(null);
  const [shownLine, setShownLine] = useState<number | null>(null);
  const seeds = useRoom<MachineSeeds>(
    session.client,
    room,
    (_, snapshot) => ({ pair: seedPairOf(snapshot), rotated: null }),
    seedsAfter,
    (e) => {
      void run(() => Promise.reject(e));
    },
  );
  const seeding = useAction();
  const spin = () =>
    run(async () => {
      const ack = await session.client.act(room, { kind: "spin", stake });
      setLast(ack.result as Spin);
      setShownLine(null);
    });
  const grid = last?.grid ?? blank;
  const lit = new Set<string>();
  for (const win of last?.lineWins ?? []) {
    if (shownLine !== null && shownLine !== win.line) continue;
    const line = paylines[win.line] ?? [];
    for (let reel = 0; reel < win.count; reel++) lit.add(`${reel}:${line[reel]}`);
  }
  return (
    <div class="grid2">
      <Card title="Crown Jewels" class="slots">
        <div class="reels" role="grid" aria-label="reels" data-testid="reels">
          {[0, 1, 2].map((row) => (
            <div class="reel-row" role="row" key={row}>
              {grid.map((reel, r) => {
                const symbol = reel[row] ?? "";
                return (
                  <span role="gridcell" key={r} class={`sym sym-${symbol} ${lit.has(`${r}:${row}`) ? "lit" : ""}`} title={symbol}>
                    {glyph[symbol] ?? symbol}
                  </span>
                );
              })}
            </div>
          ))}
        </div>
        <div class="row controls">
          <Field label="Stake (EUR)">
            <select value={stake} onChange={(e) => setStake(e.currentTarget.value)}>
              {stakes.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </Field>
          <button class="primary big" onClick={spin} disabled={busy} data-testid="spin">
            Spin
          </button>
        </div>
        <ErrorLine error={error} />
      </Card>
      <Card title="Result">
        {last === null ? (
          <p class="hint">Choose a stake and spin. Wins pay left to right on 10 lines.</p>
        ) : (
          <div data-testid="spin-result">
            <p class="win">
              {last.totalWinMinor === "0" ? (
                "No win"
              ) : (
                <>
                  Win <strong>{minorToAmount(last.totalWinMinor)} EUR</strong>
                </>
              )}
            </p>
            {last.jackpotTriggered && <p class="jackpot-win">JACKPOT! {minorToAmount(last.jackpotWinMinor ?? "0")} EUR</p>}
            <ul class="wins">
              {last.lineWins.map((w) => (
                <li key={w.line}>
                  <button class="link" onMouseEnter={() => setShownLine(w.line)} onFocus={() => setShownLine(w.line)} onClick={() => setShownLine(w.line)}>
                    line {w.line + 1}: {w.count} × {w.symbol} — {minorToAmount(w.winMinor)}
                  </button>
                </li>
              ))}
            </ul>
            {last.scatterCount >= 3 && <p>{last.scatterCount} scatters</p>}
            {last.freeSpins.length > 0 && <p class="feature">{last.freeSpins.length} free spins played (wins ×3)</p>}
            <p class="hint">
              Balance {minorToAmount(last.availableMinor)} EUR · jackpot {minorToAmount(last.jackpotTotalMinor)} EUR
            </p>
          </div>
        )}
      </Card>
      <Card title="Provably fair">
        <SeedPair
          pair={seeds.state?.pair ?? null}
          rotated={seeds.state?.rotated ?? null}
          busy={seeding.busy}
          onSetClientSeed={(clientSeed) => void seeding.run(() => setClientSeed(session.client, room, clientSeed))}
          onRotate={() => void seeding.run(() => rotateSeeds(session.client, room))}
        />
        <ErrorLine error={seeding.error} />
        {last !== null && (
          <p class="hint">
            Last spin:{" "}
            <a href={`#/history/${encodeURIComponent(last.spinId)}`} data-testid="last-spin">
              its round, to verify
            </a>
          </p>
        )}
      </Card>
    </div>
  );
}

interface MachineSeeds {
  pair: SeedPairView | null;
  rotated: SeedRotation | null;
}

/** The machine's seed pair as its private events move it: set, rotated, and a nonce consumed by each paid spin. */
function seedsAfter(seeds: MachineSeeds, event: RoomEvent): MachineSeeds {
  if (event.kind === "fairness.seeds") return { ...seeds, pair: event.data as SeedPairView };
  if (event.kind === "fairness.rotated") return { pair: (event.data as SeedRotation).next, rotated: event.data as SeedRotation };
  const spent = (event.data as { fairness?: { nonce?: number } } | null)?.fairness?.nonce;
  if (event.kind === "slots.spin" && seeds.pair !== null && typeof spent === "number" && spent >= seeds.pair.nonce)
    return { ...seeds, pair: { ...seeds.pair, nonce: spent + 1 } };
  return seeds;
}
