import { uniformInt } from "../../engine/rng/uniform.js";
import type { Rng } from "../../engine/rng/rng.js";
import type { RoundStore } from "../ports/round-store.js";
import type { Wallet } from "../wallet/index.js";
import type { EffectRunner } from "../rooms/room-host.js";
import type { BatchResult, ReserveResult, TableEffect } from "./table-effects.js";

/**
 * Runs table effects against the wallet, the RNG boundary and the round store. Every ledger call is
 * keyed by its hold, so running an effect twice (a retry, a new owner after a failover) moves money once.
 */
export function createTableEffectRunner(deps: { wallet: Wallet; rng: Rng; rounds: RoundStore }): EffectRunner {
  return async (_room, raw) => {
    const effect = raw as TableEffect;
    switch (effect.type) {
      case "rng.uniform":
        return uniformInt(deps.rng, effect.n);
      case "wallet.reserve": {
        const result = await deps.wallet.reserveBet({
          playerId: effect.playerId, currency: effect.currency, amount: BigInt(effect.amountMinor),
          holdId: effect.holdId, key: `reserve:${effect.holdId}`, roundId: effect.roundId,
        });
        return (result.status === "ok"
          ? { status: "ok", availableMinor: (result.account.balance - result.account.held).toString() }
          : { status: result.status }) satisfies ReserveResult;
      }
      case "wallet.settle": {
        const results = await Promise.all(effect.items.map((item) => deps.wallet.settleBet({
          holdId: item.holdId, key: `settle:${item.holdId}`, currency: effect.currency, gameId: effect.gameId, win: BigInt(item.winMinor),
        })));
        return { statuses: results.map((r) => r.status) } satisfies BatchResult;
      }
      case "wallet.void": {
        const results = await Promise.all(effect.holdIds.map((holdId) => deps.wallet.voidBet({ holdId, key: `void:${holdId}`, currency: effect.currency })));
        return { statuses: results.map((r) => r.status) } satisfies BatchResult;
      }
      case "round.record":
        await deps.rounds.record(effect.record);
        return null;
    }
  };
}
