import { useState } from "preact/hooks";
import type { RoomEvent } from "croupier/client";
import type { Session } from "../shared/session.js";
import { minorToAmount } from "../shared/format.js";
import { Cards } from "./cards.js";
import { useRoom, useServerNow } from "../shared/hooks.js";
import { Card, ErrorLine, useAction } from "../shared/ui.js";

interface Hand { cards: number[]; stakeMinor: string; outcome?: string; returnMinor?: string }
interface BlackjackView {
  seats: (string | null)[]; phase: string; roundId: string | null; deadline: number | null;
  dealer: number[]; holeHidden: boolean; hands: Record<number, Hand[]>; turn: { seat: number; hand: number } | null;
  returns: Record<string, string> | null; limits: { betMinMinor: string; betMaxMinor: string } | null; voided: string | null;
}

function fromSnapshot(pub: Record<string, unknown>): BlackjackView {
  const view = pub.hand as { phase: string; turn: { seat: number; hand: number } | null; dealer: number[]; seats: { hands: Hand[] }[] } | null;
  const hands: Record<number, Hand[]> = {};
  view?.seats.forEach((s, i) => { if (s.hands.length > 0) hands[i] = s.hands; });
  return {
    seats: (pub.seats as (string | null)[] | undefined) ?? [], phase: (pub.phase as string | undefined) ?? "waiting", roundId: (pub.roundId as string | null | undefined) ?? null,
    deadline: (pub.deadline as number | null | undefined) ?? null, dealer: view?.dealer ?? [], holeHidden: view !== null && view.dealer.length === 1,
    hands, turn: view?.turn ?? null, returns: null, limits: (pub.limits as BlackjackView["limits"]) ?? null, voided: null,
  };
}

const withHand = (s: BlackjackView, seat: number, hand: number, change: (h: Hand) => Hand): BlackjackView => {
  const hands = [...(s.hands[seat] ?? [])];
  hands[hand] = change(hands[hand] ?? { cards: [], stakeMinor: "0" });
  return { ...s, hands: { ...s.hands, [seat]: hands } };
};

/** Folds blackjack events (docs/PROTOCOL.md, table events) into the view. */
function apply(s: BlackjackView, e: RoomEvent): BlackjackView {
  const d = (e.data ?? {}) as Record<string, unknown>;
  const seat = d.seat as number;
  switch (e.kind) {
    case "blackjack.seat_taken": { const seats = [...s.seats]; seats[seat] = d.userId as string; return { ...s, seats }; }
    case "blackjack.seat_left": { const seats = [...s.seats]; seats[seat] = null; return { ...s, seats }; }
    case "blackjack.betting_opened":
      return { ...s, phase: "betting", roundId: d.roundId as string, deadline: d.closesAt as number, dealer: [], holeHidden: false, hands: {}, turn: null, returns: null, voided: null, limits: { betMinMinor: d.betMinMinor as string, betMaxMinor: d.betMaxMinor as string } };
    case "blackjack.bet_placed": return withHand(s, seat, 0, (h) => ({ ...h, stakeMinor: d.amountMinor as string }));
    case "blackjack.card_dealt": return withHand({ ...s, phase: "playing" }, seat, d.hand as number, (h) => ({ ...h, cards: [...h.cards, d.card as number] }));
    case "blackjack.dealer_card_dealt": return { ...s, phase: "playing", dealer: [...s.dealer, d.card as number] };
    case "blackjack.dealer_hole_card_dealt": return { ...s, holeHidden: true };
    case "blackjack.dealer_hole_card_revealed": return { ...s, holeHidden: false, dealer: [...s.dealer, d.card as number], turn: null };
    case "blackjack.turn": return { ...s, turn: { seat, hand: d.hand as number } };
    case "blackjack.stake_added": return withHand(s, seat, d.hand as number, (h) => ({ ...h, stakeMinor: (BigInt(h.stakeMinor) + (d.reason === "insurance" ? 0n : BigInt(d.amountMinor as string))).toString() }));
    case "blackjack.hand_split": {
      const hands = s.hands[seat] ?? [];
      const first = hands[d.hand as number];
      if (first === undefined) return s;
      const split = [...hands];
      split.splice(d.hand as number, 1, { ...first, cards: first.cards.slice(0, 1) }, { cards: first.cards.slice(1), stakeMinor: first.stakeMinor });
      return { ...s, hands: { ...s.hands, [seat]: split } };
    }
    case "blackjack.hand_settled": return withHand(s, seat, d.hand as number, (h) => ({ ...h, outcome: d.outcome as string, returnMinor: d.returnMinor as string }));
    case "blackjack.round_paid": return { ...s, phase: "results", returns: d.returns as Record<string, string>, turn: null };
    case "round.voided": return { ...s, phase: "results", voided: d.reason as string, turn: null };
    default: return s;
  }
}

/** A blackjack table (`blackjack:<id>`): seats, bet, the actions on the player's turn with its timer, the dealer, payouts. */
export function Blackjack({ session, room }: { session: Session; room: string }) {
  const client = session.client;
  const { error, run } = useAction();
  const { state, watching } = useRoom<BlackjackView>(client, room, fromSnapshot, apply, (e) => run(() => Promise.reject(e)));
  const now = useServerNow(client, 250);
  const [bet, setBet] = useState("10.00");
  const me = session.me?.id ?? "";
  const mySeat = state?.seats.indexOf(me) ?? -1;
  const act = (action: { kind: string; [key: string]: unknown }) => run(() => client.act(room, action));
  const myTurn = state?.turn !== null && state?.turn?.seat === mySeat && mySeat >= 0;
  const left = state?.phase === "betting" && state.deadline !== null ? Math.max(0, Math.ceil((state.deadline - now) / 1000)) : null;
  const seatsShown = Math.max(state?.seats.length ?? 0, 1);
  return (
    <div class="roulette">
      <Card title={`Blackjack ${room.split(":")[1] ?? ""}`} class="wide">
        <div class="table-status">
          <span class="phase" data-testid="phase">{state?.phase ?? "joining…"}</span>
          {left !== null && <span class="countdown" data-testid="countdown">{left}s to bet</span>}
          {myTurn && <span class="cue">your turn</span>}
          {state?.voided != null && <span class="error">round voided: {state.voided}</span>}
          <span class="hint">{watching} here{state?.limits ? ` · bets ${minorToAmount(state.limits.betMinMinor)}–${minorToAmount(state.limits.betMaxMinor)} EUR` : ""}</span>
        </div>
        <div class="dealer"><strong>Dealer</strong> <Cards cards={state?.dealer ?? []} hidden={state?.holeHidden ?? false} /></div>
        <ul class="seats" data-testid="seats">
          {Array.from({ length: seatsShown }, (_, seat) => {
            const owner = state?.seats[seat] ?? null;
            return (
              <li key={seat} class={`seat ${seat === mySeat ? "mine" : ""} ${state?.turn?.seat === seat ? "turn" : ""}`}>
                <span class="hint">seat {seat + 1}{owner === null ? "" : owner === me ? " · you" : ` · ${owner.slice(0, 6)}`}</span>
                {(state?.hands[seat] ?? []).map((h, i) => (
                  <div key={i}><Cards cards={h.cards} /> <small>{minorToAmount(h.stakeMinor)}{h.outcome === undefined ? "" : ` · ${h.outcome} ${minorToAmount(h.returnMinor ?? "0")}`}</small></div>
                ))}
                {owner === null && mySeat < 0 && <button onClick={() => act({ kind: "sit", seat })}>Sit here</button>}
              </li>
            );
          })}
        </ul>
        {mySeat >= 0 && (
          <div class="actions">
            <input aria-label="bet (EUR)" value={bet} onInput={(e) => setBet(e.currentTarget.value)} />
            <button class="primary" disabled={state?.phase !== "betting"} onClick={() => act({ kind: "bet", roundId: state?.roundId, amount: bet })}>Bet</button>
            {["hit", "stand", "double", "split"].map((k) => <button key={k} disabled={!myTurn} onClick={() => act({ kind: k })}>{k[0]?.toUpperCase()}{k.slice(1)}</button>)}
            <button disabled={state?.phase !== "playing"} onClick={() => act({ kind: "insurance", take: true })}>Insurance</button>
            <button class="link" onClick={() => act({ kind: "leave_seat" })}>Leave seat</button>
          </div>
        )}
        {state?.returns != null && mySeat >= 0 && <p data-testid="bj-return">You got back {minorToAmount(state.returns[String(mySeat)] ?? "0")} EUR</p>}
        <ErrorLine error={error} />
      </Card>
    </div>
  );
}
