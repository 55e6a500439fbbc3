// docs/EVENTS.md carries each exported event's JSON Schema exactly as the TypeBox definitions make it,
// and its example is a valid event.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { Value } from "@sinclair/typebox/value";
import { PaymentExportEvent, paymentEventTypes } from "../../src/protocol/events.schemas.js";

const doc = readFileSync(new URL("../../docs/EVENTS.md", import.meta.url), "utf8");

function section(title: string): string {
  const start = doc.indexOf(`### ${title}`);
  expect(start, `docs/EVENTS.md has a section ${title}`).toBeGreaterThanOrEqual(0);
  const end = doc.indexOf("\n### ", start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

describe("docs/EVENTS.md", () => {
  it("documents PaymentExportEvent with the generated schema and a valid example", () => {
    const blocks = [...section("PaymentExportEvent").matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1] as string) as unknown);
    expect(blocks).toHaveLength(2);
    const [example, schema] = blocks;
    expect(schema).toEqual(JSON.parse(JSON.stringify(PaymentExportEvent)));
    expect(Value.Check(PaymentExportEvent, example)).toBe(true);
  });

  it("lists every payment event type", () => {
    for (const type of paymentEventTypes) expect(doc).toContain(`| \`${type}\` |`);
  });
});
