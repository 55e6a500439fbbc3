import { useState } from "preact/hooks";
import type { RoomEvent } from "croupier/client";
import type { Session } from "../shared/session.js";
import { fieldText, minorToAmount } from "../shared/format.js";
import { useRoom } from "../shared/hooks.js";
import { Card, ErrorLine, useAction } from "../shared/ui.js";
import { actAgainIfStale } from "../shared/act.js";
import { Cards } from "../shared/cards.js";

interface Seat {
  userId: string | null;
  stackMinor: string;
  folded: boolean;
  betMinor: string;
  shown: number[] | null;
  last: string;
}
interface HoldemView {
  phase: string;
  hand: number | null;
  board: number[];
  button: number | null;
  seats: (Seat | null)[];
  toAct: number | null;
  toCallMinor: string;
  minRaiseToMinor: string | null;
  myCards: number[];
  pots: string[];
  limits: Record<string, string> | null;
}

function fromSnapshot(pub: Record<string, unknown>): HoldemView {
  const seats = ((pub.seats as ({ userId: string | null; stackMinor: string; folded: boolean; streetBetMinor: string } | null)[] | undefined) ?? []).map((s) =>
    s === null ? null : { userId: s.userId, stackMinor: s.stackMinor, folded: s.folded, betMinor: s.streetBetMinor, shown: null, last: "" },
  );
  return {
    phase: (pub.phase as string | undefined) ?? "between_hands",
    hand: (pub.hand as number | undefined) ?? null,
    board: (pub.board as number[] | undefined) ?? [],
    button: (pub.button as number | null | undefined) ?? null,
    seats,
    toAct: (pub.toAct as number | null | undefined) ?? null,
    toCallMinor: "0",
    minRaiseToMinor: null,
    myCards: [],
    pots: [],
    limits: (pub.limits as Record<string, string> | undefined) ?? null,
  };
}

const patchSeat = (s: HoldemView, seat: number, change: (x: Seat) => Seat): HoldemView => {
  const seats = [...s.seats];
  const current = seats[seat];
  if (current != null) seats[seat] = change(current);
  return { ...s, seats };
};

/** Folds hold'em events into the view (docs/PROTOCOL.md, table events); others' hole cards arrive only at showdown. */
function apply(s: HoldemView, e: RoomEvent): HoldemView {
  const d = (e.data ?? {}) as Record<string, unknown>;
  const seat = d.seat as number;
  const amount = (d.amountMinor as string | undefined) ?? "0";
  switch (e.kind) {
    case "holdem.seated": {
      const seats = [...s.seats];
      seats[seat] = { userId: null, stackMinor: d.stackMinor as string, folded: false, betMinor: "0", shown: null, last: "seated" };
      return { ...s, seats };
    }
    case "holdem.hand_started":
      return {
        ...s,
        phase: "preflop",
        hand: d.handNumber as number,
        button: d.button as number,
        board: [],
        myCards: [],
        pots: [],
        seats: s.seats.map((x) => (x === null ? null : { ...x, folded: false, betMinor: "0", shown: null, last: "" })),
      };
    case "holdem.blind_posted":
      return patchSeat(s, seat, (x) => ({
        ...x,
        betMinor: amount,
        stackMinor: (BigInt(x.stackMinor) - BigInt(amount)).toString(),
        last: `${String(d.blind)} blind`,
      }));
    case "holdem.hole_cards":
      return { ...s, myCards: d.cards as number[] };
    case "holdem.turn":
      return { ...s, toAct: seat, toCallMinor: d.toCallMinor as string, minRaiseToMinor: (d.minRaiseToMinor as string | null) ?? null };
    case "holdem.folded":
      return patchSeat(s, seat, (x) => ({ ...x, folded: true, last: "fold" }));
    case "holdem.checked":
      return patchSeat(s, seat, (x) => ({ ...x, last: "check" }));
    case "holdem.called":
      return patchSeat(s, seat, (x) => ({
        ...x,
        betMinor: (BigInt(x.betMinor) + BigInt(amount)).toString(),
        stackMinor: (BigInt(x.stackMinor) - BigInt(amount)).toString(),
        last: d.allIn === true ? "all in" : "call",
      }));
    case "holdem.raised":
      return patchSeat(s, seat, (x) => ({
        ...x,
        betMinor: d.toMinor as string,
        stackMinor: (BigInt(x.stackMinor) - BigInt(amount)).toString(),
        last: d.allIn === true ? "all in" : `raise to ${minorToAmount(d.toMinor as string)}`,
      }));
    case "holdem.board_dealt":
      return {
        ...s,
        phase: d.street as string,
        board: [...s.board, ...(d.cards as number[])],
        seats: s.seats.map((x) => (x === null ? null : { ...x, betMinor: "0" })),
      };
    case "holdem.showdown":
      return patchSeat(s, seat, (x) => ({ ...x, shown: d.cards as number[], last: fieldText(d.category ?? "") }));
    case "holdem.pot_awarded":
      return {
        ...s,
        pots: [
          ...s.pots,
          `pot ${Number(d.pot) + 1}: ${minorToAmount(amount)} → ${((d.awards as { seat: number; amountMinor: string }[] | undefined) ?? []).map((a) => `seat ${a.seat + 1} ${minorToAmount(a.amountMinor)}`).join(", ")}`,
        ],
      };
    case "holdem.hand_completed": {
      const stacks = d.stacksMinor as (string | null)[];
      return {
        ...s,
        phase: "between_hands",
        toAct: null,
        seats: s.seats.map((x, i) => (x === null ? null : { ...x, stackMinor: stacks[i] ?? x.stackMinor, betMinor: "0" })),
      };
    }
    case "holdem.left": {
      const seats = [...s.seats];
      seats[seat] = null;
      return { ...s, seats };
    }
    default:
      return s;
  }
}

/** A hold'em table (`holdem:<id>`): seats and stacks, buy-in, own hole cards, the board, pots, the legal actions. */
export function Holdem({ session, room }: { session: Session; room: string }) {
  const client = session.client;
  const { error, run } = useAction();
  const { state, watching } = useRoom<HoldemView>(client, room, fromSnapshot, apply, (e) => {
    void run(() => Promise.reject(e));
  });
  const [buyIn, setBuyIn] = useState("100.00");
  const [raiseTo, setRaiseTo] = useState("");
  const [mySeat, setMySeat] = useState<number | null>(null);
  const act = (action: { kind: string; [key: string]: unknown }) => run(() => client.act(room, action));
  // Sitting down and leaving are sent again when a hand started meanwhile.
  const seatAct = (action: { kind: string; [key: string]: unknown }) => run(() => actAgainIfStale(client, room, action));
  const myTurn = mySeat !== null && state?.toAct === mySeat && state.phase !== "between_hands";
  const seatCount = Math.max(state?.seats.length ?? 0, 2);
  return (
    <div class="roulette">
      <Card title={`Hold'em ${room.split(":")[1] ?? ""}`} class="wide">
        <div class="table-status">
          <span class="phase" data-testid="phase">
            {state === null ? "joining…" : state.phase.replace(/_/g, " ")}
          </span>
          {state?.hand != null && <span class="hint">hand {state.hand}</span>}
          {myTurn && <span class="cue">your turn: {state.toCallMinor === "0" ? "check or bet" : `${minorToAmount(state.toCallMinor)} to call`}</span>}
          <span class="hint">
            {watching} here
            {state?.limits?.bigBlindMinor ? ` · blinds ${minorToAmount(state.limits.smallBlindMinor ?? "0")}/${minorToAmount(state.limits.bigBlindMinor)}` : ""}
          </span>
        </div>
        <div class="dealer">
          <strong>Board</strong> <Cards cards={state?.board ?? []} />
        </div>
        {state !== null && state.myCards.length > 0 && (
          <div class="dealer" data-testid="hole-cards">
            <strong>Your cards</strong> <Cards cards={state.myCards} />
          </div>
        )}
        <ul class="seats">
          {Array.from({ length: seatCount }, (_, seat) => {
            const x = state?.seats[seat] ?? null;
            return (
              <li key={seat} class={`seat ${seat === mySeat ? "mine" : ""} ${state?.toAct === seat && state.phase !== "between_hands" ? "turn" : ""}`}>
                <span class="hint">
                  seat {seat + 1}
                  {state?.button === seat ? " · button" : ""}
                  {seat === mySeat ? " · you" : ""}
                </span>
                {x === null ? (
                  mySeat === null && <button onClick={() => seatAct({ kind: "sit", seat, buyIn }).then(() => setMySeat(seat))}>Sit ({buyIn})</button>
                ) : (
                  <div>
                    <div>
                      {minorToAmount(x.stackMinor)}
                      {x.betMinor !== "0" ? ` · bet ${minorToAmount(x.betMinor)}` : ""}
                    </div>
                    <small class={x.folded ? "hint" : ""}>{x.last}</small>
                    {x.shown !== null && (
                      <div>
                        <Cards cards={x.shown} />
                      </div>
                    )}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
        {state !== null && state.pots.length > 0 && (
          <ul class="wins">
            {state.pots.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        )}
        <div class="actions">
          {mySeat === null && <input aria-label="buy-in (EUR)" value={buyIn} onInput={(e) => setBuyIn(e.currentTarget.value)} />}
          <button disabled={!myTurn} onClick={() => act({ kind: "fold" })}>
            Fold
          </button>
          <button disabled={!myTurn || state.toCallMinor !== "0"} onClick={() => act({ kind: "check" })}>
            Check
          </button>
          <button disabled={!myTurn || state.toCallMinor === "0"} onClick={() => act({ kind: "call" })}>
            Call
          </button>
          <input
            aria-label="raise to (EUR)"
            placeholder={state?.minRaiseToMinor ? `min ${minorToAmount(state.minRaiseToMinor)}` : "raise to"}
            value={raiseTo}
            onInput={(e) => setRaiseTo(e.currentTarget.value)}
          />
          <button disabled={!myTurn || state.minRaiseToMinor === null || raiseTo === ""} onClick={() => act({ kind: "raise", to: raiseTo })}>
            Raise
          </button>
          <button disabled={!myTurn} onClick={() => act({ kind: "all_in" })}>
            All in
          </button>
          {mySeat !== null && (
            <button class="link" onClick={() => seatAct({ kind: "leave" }).then(() => setMySeat(null))}>
              Cash out
            </button>
          )}
        </div>
        <ErrorLine error={error} />
      </Card>
    </div>
  );
}
