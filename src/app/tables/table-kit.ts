import type { TSchema } from "@sinclair/typebox";
import { TypeCompiler, type TypeCheck } from "@sinclair/typebox/compiler";
import type { ErrorName } from "../../protocol/errors.js";
import { askerFor, erased, type ActionRequest, type Refusal, type RoomBehavior } from "../rooms/room-behavior.js";
import type { TableBehavior, TableEffect, TableEffects } from "./table-effects.js";

/** The closed schemas of a table's actions, by action kind. */
export type ActionSchemas = Readonly<Record<string, TSchema>>;

export type ActionCheck = (
  action: ActionRequest,
) => { readonly ok: true } | { readonly ok: false; readonly error: "REQUEST_INVALID" | "ACTION_REJECTED"; readonly details: readonly string[] };

/**
 * The table kit: compiles a table's action schemas once and checks each action against its kind's
 * schema. An unknown kind is the rules' refusal (ACTION_REJECTED); a known kind with a field its
 * schema does not name, or a value of the wrong type, is REQUEST_INVALID with the path at fault.
 */
export function actionCheck(schemas: ActionSchemas): ActionCheck {
  const checks = new Map<string, TypeCheck<TSchema>>(Object.entries(schemas).map(([kind, schema]) => [kind, TypeCompiler.Compile(schema)]));
  return (action) => {
    const check = checks.get(action.kind);
    if (check === undefined)
      return { ok: false, error: "ACTION_REJECTED", details: [`unknown action "${action.kind}"; this room takes ${[...checks.keys()].join(", ")}`] };
    if (check.Check(action)) return { ok: true };
    const errors = [...check.Errors(action)].slice(0, 3).map((e) => `${e.path || "/"} ${e.message}`);
    return { ok: false, error: "REQUEST_INVALID", details: errors };
  };
}

/**
 * A table behavior with its declared actions, as the room host sees it: the host checks every action
 * before the rules see it, and runs the table's effects with the table effect runner.
 */
export function withActions<S, P extends TableEffect["type"] = TableEffect["type"]>(behavior: TableBehavior<S, P>, schemas: ActionSchemas): RoomBehavior<S> {
  return erased({ ...behavior, checkAction: actionCheck(schemas) });
}

/** A table's refusal of an action: nothing changes, the client gets `error` with `details`. */
export function refuse(error: ErrorName, ...details: string[]): Refusal {
  return { ok: false, error, details };
}

/** The refusal for a bet the wallet or a risk limit did not take, the same at every table. */
export function walletRefusal(result: { readonly status: string; readonly reason?: string | undefined }): Refusal {
  if (result.status === "risk_limited") return refuse("RISK_LIMITED", result.reason ?? "a risk limit");
  if (result.status === "rg_wager_limit") return refuse("RG_WAGER_LIMIT_EXCEEDED", result.reason ?? "a wager limit");
  if (result.status === "bonus_max_bet") return refuse("BONUS_MAX_BET_EXCEEDED", result.reason ?? "a bonus's max bet");
  if (result.status === "rg_loss_limit") return refuse("RG_LOSS_LIMIT_EXCEEDED", result.reason ?? "a loss limit");
  if (result.status === "insufficient_funds" || result.status === "account_not_found") return refuse("WALLET_INSUFFICIENT_FUNDS", result.status);
  return refuse("BET_INVALID", `wallet: ${result.status}`);
}

/** A table behavior's `ask(effect, resume)`: `resume` takes what that table effect answers (`EffectResults`). */
export const tableAsker = <S>() => askerFor<S, TableEffects>();
