// Parsed JSON from the wire, checked against the protocol's TypeBox schema (src/protocol/*.schemas.ts)
// instead of cast: a response of the wrong shape fails the test where it is read, saying where it differs.
import type { Static, TSchema } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";

export function wire<S extends TSchema>(schema: S, value: unknown): Static<S> {
  if (Value.Check(schema, value)) return value;
  const first = Value.Errors(schema, value).First();
  throw new Error(`not a ${schema.$id ?? schema.title ?? "valid value"} at ${first?.path ?? "/"}: ${first?.message ?? "?"} (${JSON.stringify(value)})`);
}
