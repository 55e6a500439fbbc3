import { CroupierError } from "croupier/client";
import { whenOf } from "./format.js";

/** An error as a page shows it: a sentence, the server's details (which limit, how much is left), and the code to quote to support. */
export interface Problem {
  readonly title: string;
  readonly details: readonly string[];
  readonly code: string | null;
  readonly requestId: string | null;
  readonly help: { readonly href: string; readonly text: string } | null;
}

/** Plainer words for the refusals a player meets (docs/RESPONSIBLE-GAMING.md, docs/RISK.md); the rest keep the server's message. */
const titles: Record<string, string> = {
  CROUPIER_ERR_RG_WAGER_LIMIT_EXCEEDED: "Bet refused: it would go over one of your wager limits.",
  CROUPIER_ERR_RG_LOSS_LIMIT_EXCEEDED: "Bet refused: it could go over one of your loss limits (a bet counts as lost until it is paid).",
  CROUPIER_ERR_RG_DEPOSIT_LIMIT_EXCEEDED: "Deposit refused: it would go over one of your deposit limits.",
  CROUPIER_ERR_RISK_LIMITED: "Bet refused: play on this account is limited after a review.",
  CROUPIER_ERR_RG_EXCLUDED:
    "This account is on a break (a time-out or self-exclusion): no login, play or deposit until it ends. Withdrawals are still possible.",
  CROUPIER_ERR_RG_ACCOUNT_LOCKED: "The account is locked while it is reviewed: its money is kept and its withdrawals wait for the review.",
  CROUPIER_ERR_AUTH_SESSION_REVOKED: "The session has ended; log in again.",
};
const limitHelp = { href: "#/limits", text: "See your limits" };
const helps: Record<string, Problem["help"]> = {
  CROUPIER_ERR_RG_WAGER_LIMIT_EXCEEDED: limitHelp,
  CROUPIER_ERR_RG_LOSS_LIMIT_EXCEEDED: limitHelp,
  CROUPIER_ERR_RG_DEPOSIT_LIMIT_EXCEEDED: limitHelp,
};
const breakNames: Record<string, string> = { time_out: "time-out", self_exclusion: "self-exclusion" };

/** "time_out until 2026-12-04T13:05:11.000Z" reads as "time-out until 4 Dec 2026, 13:05". */
function detailText(detail: string): string {
  const exclusion = /^(time_out|self_exclusion) until (\S+)$/.exec(detail);
  if (exclusion !== null) return `${breakNames[exclusion[1] as string] ?? exclusion[1]} until ${whenOf(exclusion[2] as string)}`;
  return detail;
}

export function problemOf(error: unknown): Problem {
  if (error instanceof CroupierError) {
    return {
      title: titles[error.code] ?? error.message,
      details: (error.details ?? []).map(detailText),
      code: error.code,
      requestId: error.requestId ?? null,
      help: helps[error.code] ?? null,
    };
  }
  return { title: error instanceof Error ? error.message : String(error), details: [], code: null, requestId: null, help: null };
}

/** The problem as one line of text. */
export function problemText(error: unknown): string {
  const p = problemOf(error);
  const details = p.details.length === 0 ? "" : ` ${p.details.join("; ")}.`;
  const ref = p.code === null ? "" : ` (${p.code}${p.requestId === null ? "" : `, request ${p.requestId}`})`;
  return `${p.title}${details}${ref}`;
}
