import type { TSchema } from "@sinclair/typebox";
import { TypeCompiler, type TypeCheck } from "@sinclair/typebox/compiler";
import type { ActionRequest, RoomBehavior } from "../rooms/room-behavior.js";

/** The closed schemas of a table's actions, by action kind. */
export type ActionSchemas = Readonly<Record<string, TSchema>>;

export type ActionCheck = (action: ActionRequest) => { readonly ok: true } | { readonly ok: false; readonly error: "REQUEST_INVALID" | "ACTION_REJECTED"; readonly details: readonly string[] };

/**
 * The table kit: compiles a table's action schemas once and checks each action against its kind's
 * schema. An unknown kind is the rules' refusal (ACTION_REJECTED); a known kind with a field its
 * schema does not name, or a value of the wrong type, is REQUEST_INVALID with the path at fault.
 */
export function actionCheck(schemas: ActionSchemas): ActionCheck {
  const checks = new Map<string, TypeCheck<TSchema>>(Object.entries(schemas).map(([kind, schema]) => [kind, TypeCompiler.Compile(schema)]));
  return (action) => {
    const check = checks.get(action.kind);
    if (check === undefined) return { ok: false, error: "ACTION_REJECTED", details: [`unknown action "${action.kind}"; this room takes ${[...checks.keys()].join(", ")}`] };
    if (check.Check(action)) return { ok: true };
    const errors = [...check.Errors(action)].slice(0, 3).map((e) => `${e.path || "/"} ${e.message}`);
    return { ok: false, error: "REQUEST_INVALID", details: errors };
  };
}

/** A table behavior with its declared actions: the room host checks every action before the rules see it. */
export function withActions<S>(behavior: RoomBehavior<S>, schemas: ActionSchemas): RoomBehavior<S> {
  return { ...behavior, checkAction: actionCheck(schemas) };
}
