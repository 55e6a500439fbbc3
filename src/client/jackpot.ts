import { jackpotTotalKind, type JackpotTotal } from "../protocol/ws.messages.js";
import type { CroupierClient, RoomEvent } from "./croupier-client.js";

export type { JackpotTotal };

const isTotal = (value: unknown): value is JackpotTotal => {
  const v = value as Partial<JackpotTotal> | null;
  return typeof v === "object" && v !== null && typeof v.gameId === "string" && typeof v.currency === "string" && typeof v.totalMinor === "string";
};

/** The jackpot totals in a lobby's `joined` or `reset` snapshot (empty for any other room). */
export function jackpotTotalsOf(snapshot: unknown): JackpotTotal[] {
  const jackpots = (snapshot as { state?: { jackpots?: unknown } } | null)?.state?.jackpots;
  return Array.isArray(jackpots) ? jackpots.filter(isTotal) : [];
}

/** The total a room event carries when it is a `jackpot.total` event, otherwise null. */
export function jackpotTotalOf(event: RoomEvent): JackpotTotal | null {
  return event.kind === jackpotTotalKind && isTotal(event.data) ? event.data : null;
}

/**
 * Follows a lobby's jackpot totals: `onChange` gets every total, keyed `gameId|currency`, first from the
 * snapshot when the client joins (or rejoins after a reset), then at each tick that changed one. Join
 * the room yourself; returns a function that stops following. Amounts stay decimal strings of minor
 * units: format them with the currency's exponent, never through a float.
 */
export function followJackpots(
  client: CroupierClient,
  room: string,
  onChange: (totals: ReadonlyMap<string, JackpotTotal>, changed: JackpotTotal) => void,
): () => void {
  const totals = new Map<string, JackpotTotal>();
  const put = (total: JackpotTotal) => {
    totals.set(`${total.gameId}|${total.currency}`, total);
    onChange(totals, total);
  };
  const fromSnapshot = (payload: { room: string; snapshot?: unknown }) => {
    if (payload.room === room) for (const total of jackpotTotalsOf(payload.snapshot)) put(total);
  };
  const offs = [
    client.on("joined", fromSnapshot),
    client.on("reset", fromSnapshot),
    client.on("event", (event) => {
      const total = event.room === room ? jackpotTotalOf(event) : null;
      if (total !== null) put(total);
    }),
  ];
  return () => offs.forEach((off) => off());
}
