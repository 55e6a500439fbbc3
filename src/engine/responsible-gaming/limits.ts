/**
 * PURE: player-set limits (UKGC RTS 12 as the reference). A limit counts over a rolling window that
 * ends now: a "day" is the last 24 hours, so a limit cannot be doubled by depositing either side of
 * midnight. A lower limit applies at once; a higher one (or removing it) only after a cooling-off
 * period, so a decision taken in the heat of play cannot loosen the player's own protection.
 */

/** `deposit`: money deposited; `wager`: stakes placed; `loss`: stakes placed less wins paid (net loss). */
export const limitKinds = ["deposit", "wager", "loss"] as const;
export type LimitKind = (typeof limitKinds)[number];

export const limitPeriods = ["day", "week", "month"] as const;
export type LimitPeriod = (typeof limitPeriods)[number];

const dayMs = 86_400_000;

/** The length of each rolling window; a "month" is 30 days. */
export const limitPeriodMs: Readonly<Record<LimitPeriod, number>> = { day: dayMs, week: 7 * dayMs, month: 30 * dayMs };

/** A limit as stored: the amount in force (null: none) and a loosening that waits for its cooling-off. */
export interface LimitState {
  readonly amountMinor: bigint | null;
  /** The amount that takes over at `pendingAtMs` (null there: the limit is removed). */
  readonly pendingAmountMinor: bigint | null;
  /** When the pending loosening applies; null when none waits. */
  readonly pendingAtMs: number | null;
}

export const noLimit: LimitState = { amountMinor: null, pendingAmountMinor: null, pendingAtMs: null };

/** The state at `nowMs`: a pending loosening whose cooling-off has ended is in force. */
export function limitAt(state: LimitState, nowMs: number): LimitState {
  if (state.pendingAtMs === null || state.pendingAtMs > nowMs) return state;
  return { amountMinor: state.pendingAmountMinor, pendingAmountMinor: null, pendingAtMs: null };
}

export type LimitChange =
  /** In force now: a first limit, a lower one, the same one (a pending loosening is cancelled). */
  | { readonly status: "applied"; readonly state: LimitState }
  /** A higher limit or a removal: waits until `state.pendingAtMs`; the current limit stays until then. */
  | { readonly status: "pending"; readonly state: LimitState };

/**
 * What asking for `requestedMinor` (null: no limit) does to `current`. Asking again for the loosening
 * already waiting keeps its original time: repeating a request never shortens or restarts the wait.
 */
export function changeLimit(current: LimitState, requestedMinor: bigint | null, nowMs: number, coolingOffMs: number): LimitChange {
  const now = limitAt(current, nowMs);
  const tightens = requestedMinor !== null && (now.amountMinor === null || requestedMinor <= now.amountMinor);
  if (tightens) return { status: "applied", state: { amountMinor: requestedMinor, pendingAmountMinor: null, pendingAtMs: null } };
  if (now.amountMinor === null) return { status: "applied", state: noLimit };
  if (now.pendingAtMs !== null && now.pendingAmountMinor === requestedMinor) return { status: "pending", state: now };
  return { status: "pending", state: { amountMinor: now.amountMinor, pendingAmountMinor: requestedMinor, pendingAtMs: nowMs + coolingOffMs } };
}

export interface PeriodLimit {
  readonly period: LimitPeriod;
  readonly amountMinor: bigint;
}

export type LimitVerdict =
  { readonly status: "ok" } | { readonly status: "limit_exceeded"; readonly period: LimitPeriod; readonly limitMinor: bigint; readonly remainingMinor: bigint };

/**
 * Whether `amountMinor` more fits every limit of one kind, given what each period's window has used
 * already: deposited (pending or credited), staked, or lost (stakes less wins, which may be negative:
 * a player ahead has more room). For a bet the whole stake counts against a loss limit, as if it were
 * lost. The tightest breach is reported, so the player sees the smallest room left.
 */
export function judgeLimits(amountMinor: bigint, limits: readonly PeriodLimit[], usedMinor: Readonly<Record<LimitPeriod, bigint>>): LimitVerdict {
  let worst: LimitVerdict = { status: "ok" };
  for (const limit of limits) {
    const used = usedMinor[limit.period];
    if (used + amountMinor <= limit.amountMinor) continue;
    const remainingMinor = limit.amountMinor > used ? limit.amountMinor - used : 0n;
    if (worst.status === "ok" || remainingMinor < worst.remainingMinor)
      worst = { status: "limit_exceeded", period: limit.period, limitMinor: limit.amountMinor, remainingMinor };
  }
  return worst;
}
