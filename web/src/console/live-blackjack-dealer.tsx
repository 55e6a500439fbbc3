import { useEffect, useState } from "preact/hooks";
import type { Session } from "../shared/session.js";
import { useRoom } from "../shared/hooks.js";
import { applyBlackjackEvent, blackjackFromSnapshot, type BlackjackView } from "../shared/blackjack-state.js";
import { Cards } from "../shared/cards.js";
import { Card, ErrorLine, useAction } from "../shared/ui.js";
import { CueButtons } from "./dealer.js";

const heartbeatMs = 5_000;

/**
 * The dealer's console at a live blackjack table (`liveblackjack:<id>`): take the table, declare a
 * shuffle, burn and deal cards as they leave the shoe (the server checks each against the shoe and
 * says what it expects when it refuses one), cues and latency markers. While the page is open it
 * heartbeats, so the dealer counts as present between cards.
 */
export function LiveBlackjackDealer({ session, tableId }: { session: Session; tableId: string }) {
  const room = `liveblackjack:${tableId}`;
  const client = session.client;
  const { error, run } = useAction();
  const { state, watching } = useRoom<BlackjackView>(client, room, blackjackFromSnapshot, applyBlackjackEvent, (e) => {
    void run(() => Promise.reject(e));
  });
  const [card, setCard] = useState("");
  const act = (action: { kind: string; [key: string]: unknown }) => run(() => client.act(room, action));
  const onShift = state?.live?.dealer === session.me?.id;
  useEffect(() => {
    if (!onShift) return;
    const timer = setInterval(() => void client.act(room, { kind: "heartbeat" }).catch(() => undefined), heartbeatMs);
    return () => clearInterval(timer);
  }, [onShift, room]);
  const valid = /^[2-9TJQKA][cdhs]$/.test(card);
  // The field clears only when the table took the card: a refused card stays, with the reason below.
  const deal = (kind: "card" | "burn") =>
    run(async () => {
      await client.act(room, { kind, card });
      setCard("");
    });
  return (
    <div class="roulette">
      <Card title={`Dealer · live blackjack ${tableId}`}>
        <p class="table-status">
          <span class="phase" data-testid="dealer-phase">
            {state === null ? "joining…" : state.phase}
          </span>
          <span class="hint">
            {onShift ? "you are on shift" : state?.live?.dealer == null ? "no dealer on shift" : "another dealer is on shift"} · {watching} watching
          </span>
        </p>
        <div class="dealer">
          <strong>Dealer</strong> <Cards cards={state?.dealer ?? []} hidden={state?.holeHidden ?? false} />
        </div>
        <fieldset class="actions plain" disabled={state === null}>
          <button class="primary" onClick={() => act({ kind: "dealer.take" })} disabled={onShift}>
            Take the table
          </button>
          <button onClick={() => act({ kind: "shuffle" })}>Declare a shuffle</button>
          <input
            aria-label="card"
            placeholder="e.g. As, Td, 7h"
            value={card}
            maxLength={2}
            onInput={(e) =>
              setCard(
                e.currentTarget.value.length === 2
                  ? `${e.currentTarget.value[0]?.toUpperCase()}${e.currentTarget.value[1]?.toLowerCase()}`
                  : e.currentTarget.value,
              )
            }
            onKeyDown={(e) => {
              if (e.key === "Enter" && valid) void deal("card");
            }}
          />
          <button disabled={!valid} onClick={() => deal("card")}>
            Deal card
          </button>
          <button disabled={!valid} onClick={() => deal("burn")}>
            Burn card
          </button>
        </fieldset>
        <CueButtons act={act} />
        <ErrorLine error={error} />
      </Card>
    </div>
  );
}
