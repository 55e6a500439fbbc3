/**
 * What the risk engine hears about play: one signal per money movement, login and connection,
 * published by the node where it happened and consumed off the hot path (docs/RISK.md). Amounts are
 * decimal strings of minor units, as on the wire, so a signal survives JSON unchanged.
 */
export type RiskSignal =
  | {
    readonly kind: "bet";
    readonly userId: string;
    readonly atMs: number;
    readonly game: string;
    readonly tableId: string;
    readonly currency: string;
    readonly amountMinor: string;
    /** Refused by a risk limit: an attempt still counts towards the bet rate, so hammering a limit escalates. */
    readonly limited: boolean;
  }
  | { readonly kind: "deposit" | "withdrawal"; readonly userId: string; readonly atMs: number; readonly currency: string; readonly amountMinor: string }
  | { readonly kind: "login" | "connection"; readonly userId: string; readonly atMs: number; readonly deviceId: string; readonly address: string };

export type RiskSignalKind = RiskSignal["kind"];
