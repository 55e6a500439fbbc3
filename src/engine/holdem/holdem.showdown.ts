import { evaluate7, handCategory } from "../poker/hand-eval.js";
import { type HandDraft, inPlay } from "./holdem.draft.js";
import { buildPots, potRake, splitPot, uncalledBet } from "./holdem.pots.js";

/**
 * Ends the hand: returns any uncalled bet, builds the main and side pots, shows the hands still in
 * (when more than one), rakes and awards each pot. Rake is taken only if the flop was dealt ("no flop,
 * no drop"), even when everyone folds to a bet later on.
 */
export function finishHand(draft: HandDraft): void {
  const contributions = draft.seats.flatMap((seat, index) =>
    seat !== null && seat.inHand ? [{ seat: index, committedMinor: seat.committedMinor, folded: seat.folded }] : [],
  );
  const uncalled = uncalledBet(contributions);
  if (uncalled !== null) {
    const seat = draft.seat(uncalled.seat);
    seat.stackMinor += uncalled.amountMinor;
    seat.committedMinor -= uncalled.amountMinor;
    draft.events.push({ type: "uncalled_bet_returned", seat: uncalled.seat, amountMinor: uncalled.amountMinor });
  }
  const pots = buildPots(contributions.map((entry) => ({ ...entry, committedMinor: draft.seat(entry.seat).committedMinor })));
  const values = showHands(draft);
  const { rakeBasisPoints, rakeCapMinor } = draft.state.rules;
  const raking = draft.board.length >= 3;
  let rakeMinor = 0n;
  for (const [index, pot] of pots.entries()) {
    const potRakeMinor = raking ? potRake(pot.amountMinor, rakeBasisPoints, rakeCapMinor - rakeMinor) : 0n;
    rakeMinor += potRakeMinor;
    const best = Math.max(...pot.eligibleSeats.map((seat) => values.get(seat) ?? 0));
    const winners = pot.eligibleSeats.filter((seat) => (values.get(seat) ?? 0) === best);
    const awards = splitPot(pot.amountMinor - potRakeMinor, winners, draft.button, draft.seatCount);
    for (const award of awards) draft.seat(award.seat).stackMinor += award.amountMinor;
    draft.events.push({ type: "pot_awarded", pot: index, amountMinor: pot.amountMinor, rakeMinor: potRakeMinor, eligibleSeats: pot.eligibleSeats, awards });
  }
  for (const seat of draft.seats) {
    if (seat === null) continue;
    seat.streetBetMinor = 0n;
    seat.committedMinor = 0n;
  }
  draft.phase = "between_hands";
  draft.toAct = null;
  draft.currentBetMinor = 0n;
  draft.events.push({ type: "hand_completed", handNumber: draft.handNumber, rakeMinor, stacksMinor: draft.seats.map((seat) => seat?.stackMinor ?? null) });
}

/** Hand values of the seats still in; shown (public) only when two or more contest the pot. */
function showHands(draft: HandDraft): Map<number, number> {
  const values = new Map<number, number>();
  const live = draft.seats.flatMap((seat, index) => (seat !== null && inPlay(seat) ? [index] : []));
  if (live.length < 2) {
    for (const index of live) values.set(index, 0);
    return values;
  }
  const [b0, b1, b2, b3, b4] = draft.board as [number, number, number, number, number];
  // Show in clockwise order from the button's left, as a dealer would ask for the hands.
  const order = live
    .slice()
    .sort((a, b) => ((a - draft.button - 1 + draft.seatCount) % draft.seatCount) - ((b - draft.button - 1 + draft.seatCount) % draft.seatCount));
  for (const index of order) {
    const cards = draft.seat(index).holeCards;
    const handValue = evaluate7(cards[0] as number, cards[1] as number, b0, b1, b2, b3, b4);
    values.set(index, handValue);
    draft.events.push({ type: "showdown", seat: index, cards: cards.slice(), handValue, category: handCategory(handValue) });
  }
  return values;
}
