import { TypeCompiler, type TypeCheck } from "@sinclair/typebox/compiler";
import type { TSchema } from "@sinclair/typebox";
import { clientFrameSchemas, type ClientFrame, type ClientFrameType } from "../../protocol/ws.messages.js";
import type { ErrorName } from "../../protocol/errors.js";

const checks = Object.fromEntries(Object.entries(clientFrameSchemas).map(([type, schema]) => [type, TypeCompiler.Compile(schema as TSchema)])) as Record<
  ClientFrameType,
  TypeCheck<TSchema>
>;

export type ParsedFrame =
  | { readonly ok: true; readonly frame: ClientFrame }
  | { readonly ok: false; readonly error: ErrorName; readonly id?: string; readonly details?: readonly string[] };

/** Every inbound text frame goes through here before anything else: JSON, a known type, its schema. */
export function parseFrame(text: string): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: "WS_FRAME_MALFORMED" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, error: "WS_FRAME_MALFORMED" };
  const record = value as Record<string, unknown>;
  const id = typeof record.id === "string" && record.id.length <= 64 ? record.id : undefined;
  const type = record.type;
  if (typeof type !== "string" || !Object.hasOwn(checks, type)) return { ok: false, error: "WS_FRAME_UNKNOWN_TYPE", ...(id ? { id } : {}) };
  const check = checks[type as ClientFrameType];
  if (!check.Check(value)) {
    const first = check.Errors(value).First();
    return { ok: false, error: "WS_FRAME_INVALID", ...(id ? { id } : {}), details: first ? [`${first.path || "/"} ${first.message}`] : [] };
  }
  return { ok: true, frame: value as ClientFrame };
}
