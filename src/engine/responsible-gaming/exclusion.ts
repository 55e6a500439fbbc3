/**
 * PURE: time-outs, self-exclusions and operator locks, and what each allows. A time-out is a short
 * break (24 hours to 6 weeks), a self-exclusion a long one (6 months to 5 years, UKGC's minimum and a
 * common maximum); neither can be shortened or lifted by the player. A lock is an operator's, with
 * no end: only an operator lifts it.
 */

export const exclusionKinds = ["time_out", "self_exclusion"] as const;
export type ExclusionKind = (typeof exclusionKinds)[number];

const dayMs = 86_400_000;

/** The allowed length of each kind, in whole days. */
export const exclusionDays: Readonly<Record<ExclusionKind, { readonly min: number; readonly max: number }>> = {
  time_out: { min: 1, max: 42 },
  self_exclusion: { min: 183, max: 1_826 },
};

export interface Exclusion {
  readonly kind: ExclusionKind;
  readonly startedMs: number;
  readonly untilMs: number;
}

export interface AccountLock {
  readonly lockedMs: number;
  readonly lockedBy: string;
  readonly reason: string;
}

/** A player's restrictions as stored. An exclusion whose end has passed is simply over. */
export interface AccountRestrictions {
  readonly exclusion: Exclusion | null;
  readonly lock: AccountLock | null;
}

export const unrestricted: AccountRestrictions = { exclusion: null, lock: null };

export type Access =
  | { readonly status: "open" }
  /** Locked by an operator: no login, play or deposit; withdrawals are held for review. */
  | { readonly status: "locked"; readonly lock: AccountLock }
  /** In a time-out or self-exclusion: no login, play or deposit; withdrawals go on. */
  | { readonly status: "excluded"; readonly exclusion: Exclusion };

/** What the account may do at `nowMs`; a lock is reported first (it is the stricter one for withdrawals). */
export function accessAt(r: AccountRestrictions, nowMs: number): Access {
  if (r.lock !== null) return { status: "locked", lock: r.lock };
  if (r.exclusion !== null && r.exclusion.untilMs > nowMs) return { status: "excluded", exclusion: r.exclusion };
  return { status: "open" };
}

export type ExclusionChange =
  { readonly status: "ok"; readonly exclusion: Exclusion } | { readonly status: "duration_invalid"; readonly minDays: number; readonly maxDays: number };

/**
 * A new time-out or self-exclusion of `days` from now. One already running that ends later is kept:
 * a request can lengthen a break, never shorten it (the longer one's kind is kept too).
 */
export function exclude(current: Exclusion | null, kind: ExclusionKind, days: number, nowMs: number): ExclusionChange {
  const bounds = exclusionDays[kind];
  if (!Number.isInteger(days) || days < bounds.min || days > bounds.max) return { status: "duration_invalid", minDays: bounds.min, maxDays: bounds.max };
  const requested: Exclusion = { kind, startedMs: nowMs, untilMs: nowMs + days * dayMs };
  if (current !== null && current.untilMs > nowMs && current.untilMs >= requested.untilMs) return { status: "ok", exclusion: current };
  return { status: "ok", exclusion: requested };
}
