import { useState } from "preact/hooks";
import type { Session } from "../shared/session.js";
import { minorToAmount } from "../shared/format.js";
import { Cards } from "../shared/cards.js";
import { useRoom, useServerNow } from "../shared/hooks.js";
import { Card, ErrorLine, useAction } from "../shared/ui.js";
import { actAgainIfStale } from "../shared/act.js";
import { LiveExtras } from "../shared/live.js";
import { applyBlackjackEvent, blackjackFromSnapshot, type BlackjackView } from "../shared/blackjack-state.js";

/**
 * A blackjack table (`blackjack:<id>`, or `liveblackjack:<id>` with its dealer, video and cues): seats,
 * bet, the actions on the player's turn with its timer, the dealer's hand, payouts. At a live table the
 * SDK hands each card over at its `revealAt`, so a card appears when the video shows it dealt.
 */
export function Blackjack({ session, room }: { session: Session; room: string }) {
  const client = session.client;
  const { error, run } = useAction();
  const { state, watching } = useRoom<BlackjackView>(client, room, blackjackFromSnapshot, applyBlackjackEvent, (e) => {
    void run(() => Promise.reject(e));
  });
  const now = useServerNow(client, 250);
  const [bet, setBet] = useState("10.00");
  const me = session.me?.id ?? "";
  const mySeat = state?.seats.indexOf(me) ?? -1;
  const act = (action: { kind: string; [key: string]: unknown }) => run(() => client.act(room, action));
  // Sitting down and leaving are sent again when a hand started meanwhile.
  const seatAct = (action: { kind: string; [key: string]: unknown }) => run(() => actAgainIfStale(client, room, action));
  const myTurn = state?.turn !== null && state?.turn?.seat === mySeat && mySeat >= 0;
  const left = state?.phase === "betting" && state.deadline !== null ? Math.max(0, Math.ceil((state.deadline - now) / 1000)) : null;
  const seatsShown = Math.max(state?.seats.length ?? 0, 1);
  return (
    <div class="roulette">
      <Card title={`${state?.live != null ? "Live blackjack" : "Blackjack"} ${room.split(":")[1] ?? ""}`} class="wide">
        <div class="table-status">
          <span class="phase" data-testid="phase">
            {state?.phase ?? "joining…"}
          </span>
          {left !== null && (
            <span class="countdown" data-testid="countdown">
              {left}s to bet
            </span>
          )}
          {myTurn && <span class="cue">your turn</span>}
          {state?.voided != null && <span class="error">round voided: {state.voided}</span>}
          <span class="hint">
            {watching} here{state?.limits ? ` · bets ${minorToAmount(state.limits.betMinMinor)}–${minorToAmount(state.limits.betMaxMinor)} EUR` : ""}
          </span>
          {state?.live != null && (
            <span class="hint" data-testid="dealer-status">
              {state.live.dealer === null
                ? "no dealer on shift"
                : state.live.dealerAbsent
                  ? "the dealer is away: waiting for a replacement"
                  : "dealer on shift"}
              {state.live.waiting !== null && state.phase === "waiting" ? ` · ${state.live.waiting}` : ""}
            </span>
          )}
        </div>
        {state?.live != null && <LiveExtras client={client} room={room} streamUrl={state.live.streamUrl} latencyMs={state.live.streamLatencyMs} />}
        <div class="dealer">
          <strong>Dealer</strong> <Cards cards={state?.dealer ?? []} hidden={state?.holeHidden ?? false} />
        </div>
        <ul class="seats" data-testid="seats">
          {Array.from({ length: seatsShown }, (_, seat) => {
            const owner = state?.seats[seat] ?? null;
            return (
              <li key={seat} class={`seat ${seat === mySeat ? "mine" : ""} ${state?.turn?.seat === seat ? "turn" : ""}`}>
                <span class="hint">
                  seat {seat + 1}
                  {owner === null ? "" : owner === me ? " · you" : ` · ${owner.slice(0, 6)}`}
                </span>
                {(state?.hands[seat] ?? []).map((h, i) => (
                  <div key={i}>
                    <Cards cards={h.cards} />{" "}
                    <small>
                      {minorToAmount(h.stakeMinor)}
                      {h.outcome === undefined ? "" : ` · ${h.outcome} ${minorToAmount(h.returnMinor ?? "0")}`}
                    </small>
                  </div>
                ))}
                {owner === null && mySeat < 0 && <button onClick={() => seatAct({ kind: "sit", seat })}>Sit here</button>}
              </li>
            );
          })}
        </ul>
        {mySeat >= 0 && (
          <div class="actions">
            <input aria-label="bet (EUR)" value={bet} onInput={(e) => setBet(e.currentTarget.value)} />
            <button class="primary" disabled={state?.phase !== "betting"} onClick={() => act({ kind: "bet", roundId: state?.roundId, amount: bet })}>
              Bet
            </button>
            {["hit", "stand", "double", "split"].map((k) => (
              <button key={k} disabled={!myTurn} onClick={() => act({ kind: k })}>
                {k[0]?.toUpperCase()}
                {k.slice(1)}
              </button>
            ))}
            <button disabled={state?.phase !== "playing"} onClick={() => act({ kind: "insurance", take: true })}>
              Insurance
            </button>
            <button class="link" onClick={() => seatAct({ kind: "leave_seat" })}>
              Leave seat
            </button>
          </div>
        )}
        {state?.returns != null && mySeat >= 0 && <p data-testid="bj-return">You got back {minorToAmount(state.returns[String(mySeat)] ?? "0")} EUR</p>}
        <ErrorLine error={error} />
      </Card>
    </div>
  );
}
