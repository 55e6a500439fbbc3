import type { ErrorName } from "../protocol/errors.js";

/** What a use case returns: a value, or a registry error with what the client needs to act on it. */
export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ErrorName; readonly details?: readonly string[]; readonly retryAfterMs?: number };

export const success = <T>(value: T): Outcome<T> => ({ ok: true, value });

export function failure<T = never>(error: ErrorName, extra: { details?: readonly string[]; retryAfterMs?: number } = {}): Outcome<T> {
  return { ok: false, error, ...extra };
}
