import type { RiskExportEvent, RoundExportEvent } from "../../protocol/events.schemas.js";
import type { ExportedEvent } from "../../app/ports/event-export.js";
import type { RiskAction } from "../../app/ports/risk-store.js";

/**
 * The exported events of game rounds and risk actions (docs/EVENTS.md), built by the stores that
 * commit them, which write them to the outbox in the same transaction. Each id is derived from what
 * it reports, so writing the same effect again (an owner repeating a step after a failover) exports
 * the same id, which the stream and the consumers drop.
 */

/** A settled or voided round with every bet, as the round store or the ledger batch has it at its end. */
export interface EndedRound {
  readonly roundId: string;
  readonly tableId: string;
  readonly game: string;
  readonly status: "settled" | "voided";
  readonly outcome: unknown;
  readonly voidReason: string | null;
  readonly atMs: number;
  readonly bets: readonly {
    readonly betId: string;
    readonly userId: string;
    readonly currency: string;
    readonly stakeMinor: string | bigint;
    readonly payoutMinor: string | bigint | null;
  }[];
}

export function roundEndedEvent(round: EndedRound): ExportedEvent {
  const type = round.status === "settled" ? "round.settled" : "round.voided";
  const event: RoundExportEvent = {
    id: `${type}:${round.roundId}`,
    type,
    roundId: round.roundId,
    tableId: round.tableId,
    game: round.game,
    outcome: round.outcome ?? null,
    voidReason: round.status === "voided" ? (round.voidReason ?? "voided") : null,
    // A bet without a payout lost (a voided round's bets all have theirs: the stake).
    bets: round.bets.map((b) => ({
      betId: b.betId,
      userId: b.userId,
      currency: b.currency,
      stakeMinor: b.stakeMinor.toString(),
      payoutMinor: (b.payoutMinor ?? 0n).toString(),
    })),
    atMs: round.atMs,
  };
  return toExported(event);
}

/** A risk action taken, or (with `reversal`) its reversal. */
export function riskActionEvent(action: RiskAction, reversal?: NonNullable<RiskAction["reversed"]>): ExportedEvent {
  const event: RiskExportEvent = {
    id: reversal === undefined ? `risk.action:${action.id}` : `risk.action:${action.id}:reverse`,
    type: "risk.action",
    actionId: action.id,
    action: reversal === undefined ? action.action : "reverse",
    userId: action.userId,
    rule: action.rule,
    evidence: { ...action.evidence },
    score: action.score,
    by: reversal?.by ?? null,
    reason: reversal?.reason ?? null,
    atMs: reversal?.atMs ?? action.atMs,
  };
  return toExported(event);
}

function toExported(event: { readonly id: string; readonly type: string }): ExportedEvent {
  return { id: event.id, type: event.type, payload: JSON.stringify(event) };
}
