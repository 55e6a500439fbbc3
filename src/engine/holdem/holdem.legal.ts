import type { HoldemState } from "./holdem.state.js";

/** What the seat to act may do: for a player's buttons, and for bots and tests that must act legally. */
export interface HoldemLegalActions {
  readonly seat: number;
  readonly canCheck: boolean;
  /** What a call puts in (capped by the stack); zero when there is nothing to call. */
  readonly callMinor: bigint;
  /** The range of `toMinor` for a raise (the maximum is all-in), or null when raising is not allowed. */
  readonly raise: { readonly minToMinor: bigint; readonly maxToMinor: bigint } | null;
}

/** Null between hands. Mirrors the checks of `apply`, which stays the authority. */
export function legalActions(state: HoldemState): HoldemLegalActions | null {
  if (state.phase === "between_hands" || state.toAct === null) return null;
  const seat = state.seats[state.toAct];
  if (seat === null || seat === undefined) return null;
  const toCall = state.currentBetMinor - seat.streetBetMinor;
  const allInTo = seat.streetBetMinor + seat.stackMinor;
  const reopened = seat.actedAtBetMinor === null || state.currentBetMinor - seat.actedAtBetMinor >= state.lastRaiseMinor;
  const minTo = state.currentBetMinor + state.lastRaiseMinor;
  return {
    seat: state.toAct,
    canCheck: toCall === 0n,
    callMinor: toCall < seat.stackMinor ? toCall : seat.stackMinor,
    raise: reopened && allInTo > state.currentBetMinor ? { minToMinor: minTo < allInTo ? minTo : allInTo, maxToMinor: allInTo } : null,
  };
}
