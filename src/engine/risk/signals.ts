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
  | { readonly kind: "login" | "connection"; readonly userId: string; readonly atMs: number; readonly deviceId: string; readonly address: string }
  | {
      /** A hold'em hand that ended, from its recorded outcome: who put chips in, who folded, who won, whether it reached a showdown. */
      readonly kind: "hand";
      readonly userId: string;
      readonly atMs: number;
      readonly tableId: string;
      readonly players: readonly { readonly userId: string; readonly folded: boolean; readonly won: boolean }[];
      readonly showdown: boolean;
    };

export type RiskSignalKind = RiskSignal["kind"];
