// An independent blackjack model for the live-blackjack tests: from the cards the dealer enters and the
// players' decisions alone, what each seat staked and got back (S17, 3:2, double after split, split aces
// take one card, insurance 2:1). It shares no code with src/engine.

export type Decision = "hit" | "stand" | "double" | "split";
export interface ScriptedHand {
  readonly bets: readonly bigint[]; // per seat; 0n sits out
  readonly cards: readonly string[]; // in the order the dealer deals them
  readonly decisions: Readonly<Record<number, readonly Decision[]>>;
  readonly insurance?: Readonly<Record<number, boolean>>;
}

const value = (card: string): number => {
  const rank = card[0]!;
  if (rank === "A") return 1;
  if ("TJQK".includes(rank)) return 10;
  return Number(rank);
};
/** A hand's best total: an ace counts 11 when that does not bust it. */
export function total(cards: readonly string[]): number {
  const hard = cards.reduce((sum, c) => sum + value(c), 0);
  return cards.some((c) => c[0] === "A") && hard + 10 <= 21 ? hard + 10 : hard;
}
const soft17OrMore = (cards: readonly string[]) => total(cards) >= 17;

interface Hand {
  cards: string[];
  stake: bigint;
  split: boolean;
  done: boolean;
}

/** Per seat: total staked and total returned, and how many cards the hand used. */
export function playModel(hand: ScriptedHand): { staked: bigint[]; returned: bigint[]; cardsUsed: number; dealer: string[] } {
  let next = 0;
  const draw = () => {
    const card = hand.cards[next++];
    if (card === undefined) throw new Error("script ran out of cards");
    return card;
  };
  const seats = hand.bets.map((bet) => (bet === 0n ? [] : ([{ cards: [] as string[], stake: bet, split: false, done: false }] as Hand[])));
  const staked = hand.bets.map((b) => b);
  const returned = hand.bets.map(() => 0n);
  const active = seats.flatMap((hands, i) => (hands.length > 0 ? [i] : []));
  for (const i of active) seats[i]![0]!.cards.push(draw());
  const dealer = [draw()];
  for (const i of active) seats[i]![0]!.cards.push(draw());
  dealer.push(draw());
  const natural = (h: Hand) => !h.split && h.cards.length === 2 && total(h.cards) === 21;
  const dealerNatural = dealer.length === 2 && total(dealer) === 21;
  if (dealer[0]![0] === "A") {
    for (const i of active) {
      if (hand.insurance?.[i] !== true) continue;
      const side = hand.bets[i]! / 2n;
      staked[i]! += side;
      if (dealerNatural) returned[i]! += 3n * side;
    }
  }
  const settleAll = () => {
    const d = total(dealer);
    for (const i of active) {
      for (const h of seats[i]!) {
        const t = total(h.cards);
        if (dealerNatural) returned[i]! += natural(h) ? h.stake : 0n;
        else if (natural(h)) returned[i]! += h.stake + (h.stake * 3n) / 2n;
        else if (t > 21) continue;
        else if (d > 21 || t > d) returned[i]! += 2n * h.stake;
        else if (t === d) returned[i]! += h.stake;
      }
    }
  };
  if (dealerNatural && (dealer[0]![0] === "A" || value(dealer[0]!) === 10)) {
    settleAll();
    return { staked, returned, cardsUsed: next, dealer };
  }
  for (const i of active) {
    const queue = [...(hand.decisions[i] ?? [])];
    const hands = seats[i]!;
    for (let k = 0; k < hands.length; k++) {
      const h = hands[k]!;
      if (h.cards.length === 1) h.cards.push(draw());
      if (total(h.cards) >= 21) h.done = true;
      while (!h.done) {
        const d = queue.shift() ?? "stand";
        if (d === "stand") h.done = true;
        else if (d === "hit") {
          h.cards.push(draw());
          if (total(h.cards) >= 21) h.done = true;
        } else if (d === "double") {
          staked[i]! += h.stake;
          h.stake *= 2n;
          h.cards.push(draw());
          h.done = true;
        } else {
          const moved = h.cards.pop()!;
          staked[i]! += h.stake;
          h.split = true;
          hands.splice(k + 1, 0, { cards: [moved], stake: h.stake, split: true, done: false });
          h.cards.push(draw());
          if (total(h.cards) >= 21) h.done = true;
          if (moved[0] === "A") {
            hands[k + 1]!.cards.push(draw());
            h.done = true;
            hands[k + 1]!.done = true;
          }
        }
      }
    }
  }
  const live = active.some((i) => seats[i]!.some((h) => total(h.cards) <= 21 && !natural(h)));
  if (live) while (!soft17OrMore(dealer)) dealer.push(draw());
  settleAll();
  return { staked, returned, cardsUsed: next, dealer };
}
