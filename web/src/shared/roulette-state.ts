import type { RoomEvent } from "croupier/client";
import { fieldText } from "./format.js";

export interface Round {
  id: string;
  phase: string;
  closesAt: number | null;
  number: number | null;
  voidReason?: string;
}
export interface Payout {
  holdId: string;
  stakeMinor: string;
  returnMinor: string;
}
export interface ChatLine {
  offset: number;
  from: string;
  text: string;
  kind: string;
}
export interface RouletteState {
  open: boolean;
  round: Round | null;
  history: number[];
  streamUrl: string | null;
  streamLatencyMs: number;
  limits: Record<string, unknown> | null;
  payouts: Payout[] | null;
  refunds: Payout[] | null;
  cue: string | null;
  chat: ChatLine[];
  betsInRound: number;
}

const chatLinesMax = 50;

export function rouletteFromSnapshot(pub: Record<string, unknown>): RouletteState {
  const round = pub.round as { id: string; phase: string; closesAt?: number; number?: number; bets?: number } | null | undefined;
  return {
    open: pub.open !== false,
    round: round == null ? null : { id: round.id, phase: round.phase, closesAt: round.closesAt ?? null, number: round.number ?? null },
    history: Array.isArray(pub.history) ? (pub.history as number[]) : [],
    streamUrl: typeof pub.streamUrl === "string" ? pub.streamUrl : null,
    streamLatencyMs: typeof pub.streamLatencyMs === "number" ? pub.streamLatencyMs : 0,
    limits: (pub.limits as Record<string, unknown> | undefined) ?? null,
    payouts: null,
    refunds: null,
    cue: null,
    chat: [],
    betsInRound: round?.bets ?? 0,
  };
}

/** Folds one roulette (or live) table event into the view's state; docs/PROTOCOL.md lists them. */
export function applyRouletteEvent(s: RouletteState, e: RoomEvent): RouletteState {
  const d = (e.data ?? {}) as Record<string, unknown>;
  switch (e.kind) {
    case "round.opened":
      return {
        ...s,
        round: { id: d.roundId as string, phase: "betting", closesAt: (d.closesAt as number | undefined) ?? null, number: null },
        payouts: null,
        refunds: null,
        cue: null,
        betsInRound: 0,
      };
    case "round.closed":
      return s.round === null ? s : { ...s, round: { ...s.round, phase: "closed" }, betsInRound: (d.bets as number | undefined) ?? s.betsInRound };
    case "round.result":
      return {
        ...s,
        round: { id: d.roundId as string, phase: "results", closesAt: null, number: d.number as number },
        history: [d.number as number, ...s.history].slice(0, 12),
      };
    case "round.settled":
      return { ...s, payouts: (d.payouts as Payout[] | undefined) ?? s.payouts };
    case "round.voided":
      return {
        ...s,
        round: s.round === null ? null : { ...s.round, phase: "voided", voidReason: d.reason as string },
        refunds: (d.refunds as Payout[] | undefined) ?? null,
      };
    case "dealer.cue":
      return { ...s, cue: d.name as string };
    case "table.closed":
      return { ...s, open: false };
    case "table.opened":
      return { ...s, open: true };
    case "table.limits":
      return { ...s, limits: (d.limits as Record<string, unknown> | undefined) ?? s.limits };
    case "chat":
    case "moderation":
      return {
        ...s,
        chat: [
          ...s.chat,
          {
            offset: e.offset,
            from: fieldText(d.from ?? d.by ?? ""),
            text: e.kind === "chat" ? fieldText(d.text ?? "") : `${fieldText(d.op ?? "moderation")} ${fieldText(d.userId ?? "")}`,
            kind: e.kind,
          },
        ].slice(-chatLinesMax),
      };
    default:
      return s;
  }
}
