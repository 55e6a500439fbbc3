import type { RoomEvent } from "croupier/client";

export interface Hand {
  cards: number[];
  stakeMinor: string;
  outcome?: string;
  returnMinor?: string;
}
export interface BlackjackView {
  seats: (string | null)[];
  phase: string;
  roundId: string | null;
  deadline: number | null;
  dealer: number[];
  holeHidden: boolean;
  hands: Record<number, Hand[]>;
  turn: { seat: number; hand: number } | null;
  returns: Record<string, string> | null;
  limits: { betMinMinor: string; betMaxMinor: string } | null;
  voided: string | null;
  /** Live tables: the dealer on shift, the video and its declared delay, why no round opens. */
  live: { dealer: string | null; dealerAbsent: boolean; streamUrl: string; streamLatencyMs: number; waiting: string | null } | null;
}

export function blackjackFromSnapshot(pub: Record<string, unknown>): BlackjackView {
  const view = pub.hand as { phase: string; turn: { seat: number; hand: number } | null; dealer: number[]; seats: { hands: Hand[] }[] } | null;
  const hands: Record<number, Hand[]> = {};
  view?.seats.forEach((s, i) => {
    if (s.hands.length > 0) hands[i] = s.hands;
  });
  return {
    seats: (pub.seats as (string | null)[] | undefined) ?? [],
    phase: (pub.phase as string | undefined) ?? "waiting",
    roundId: (pub.roundId as string | null | undefined) ?? null,
    deadline: (pub.deadline as number | null | undefined) ?? null,
    dealer: view?.dealer ?? [],
    holeHidden: view !== null && view.dealer.length === 1,
    hands,
    turn: view?.turn ?? null,
    returns: null,
    limits: (pub.limits as BlackjackView["limits"]) ?? null,
    voided: null,
    live:
      pub.live === undefined
        ? null
        : { ...(pub.live as { dealer: string | null; dealerAbsent: boolean; streamUrl: string; streamLatencyMs: number }), waiting: null },
  };
}

const withHand = (s: BlackjackView, seat: number, hand: number, change: (h: Hand) => Hand): BlackjackView => {
  const hands = [...(s.hands[seat] ?? [])];
  hands[hand] = change(hands[hand] ?? { cards: [], stakeMinor: "0" });
  return { ...s, hands: { ...s.hands, [seat]: hands } };
};

/** Folds blackjack events (docs/PROTOCOL.md, table events) into the view. */
export function applyBlackjackEvent(s: BlackjackView, e: RoomEvent): BlackjackView {
  const d = (e.data ?? {}) as Record<string, unknown>;
  const seat = d.seat as number;
  switch (e.kind) {
    case "blackjack.seat_taken": {
      const seats = [...s.seats];
      seats[seat] = d.userId as string;
      return { ...s, seats };
    }
    case "blackjack.seat_left": {
      const seats = [...s.seats];
      seats[seat] = null;
      return { ...s, seats };
    }
    case "blackjack.betting_opened":
      return {
        ...s,
        ...(s.live === null ? {} : { live: { ...s.live, waiting: null } }),
        phase: "betting",
        roundId: d.roundId as string,
        deadline: d.closesAt as number,
        dealer: [],
        holeHidden: false,
        hands: {},
        turn: null,
        returns: null,
        voided: null,
        limits: { betMinMinor: d.betMinMinor as string, betMaxMinor: d.betMaxMinor as string },
      };
    case "blackjack.bet_placed":
      return withHand(s, seat, 0, (h) => ({ ...h, stakeMinor: d.amountMinor as string }));
    case "blackjack.card_dealt":
      return withHand({ ...s, phase: "playing" }, seat, d.hand as number, (h) => ({ ...h, cards: [...h.cards, d.card as number] }));
    case "blackjack.dealer_card_dealt":
      return { ...s, phase: "playing", dealer: [...s.dealer, d.card as number] };
    case "blackjack.dealer_hole_card_dealt":
      return { ...s, holeHidden: true };
    case "blackjack.dealer_hole_card_revealed":
      return { ...s, holeHidden: false, dealer: [...s.dealer, d.card as number], turn: null };
    case "blackjack.turn":
      return { ...s, turn: { seat, hand: d.hand as number } };
    case "blackjack.stake_added":
      return withHand(s, seat, d.hand as number, (h) => ({
        ...h,
        stakeMinor: (BigInt(h.stakeMinor) + (d.reason === "insurance" ? 0n : BigInt(d.amountMinor as string))).toString(),
      }));
    case "blackjack.hand_split": {
      const hands = s.hands[seat] ?? [];
      const first = hands[d.hand as number];
      if (first === undefined) return s;
      const split = [...hands];
      split.splice(d.hand as number, 1, { ...first, cards: first.cards.slice(0, 1) }, { cards: first.cards.slice(1), stakeMinor: first.stakeMinor });
      return { ...s, hands: { ...s.hands, [seat]: split } };
    }
    case "blackjack.hand_settled":
      return withHand(s, seat, d.hand as number, (h) => ({ ...h, outcome: d.outcome as string, returnMinor: d.returnMinor as string }));
    case "blackjack.round_paid":
      return { ...s, phase: "results", returns: d.returns as Record<string, string>, turn: null };
    case "round.voided":
      return { ...s, phase: "results", voided: d.reason as string, turn: null };
    case "dealer.absent":
      return s.live === null ? s : { ...s, live: { ...s.live, dealerAbsent: true } };
    case "dealer.changed":
      return s.live === null ? s : { ...s, live: { ...s.live, dealer: (d.to as string | null) ?? null, dealerAbsent: false } };
    case "dealer.lost":
      return s.live === null ? s : { ...s, live: { ...s.live, dealer: null, dealerAbsent: false } };
    case "liveblackjack.waiting":
      return s.live === null ? s : { ...s, live: { ...s.live, waiting: d.reason as string } };
    default:
      return s;
  }
}
