// docs/EVENTS.md carries each exported event's JSON Schema exactly as the TypeBox definitions make it,
// and its example is a valid event.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { Value } from "@sinclair/typebox/value";
import type { TSchema } from "@sinclair/typebox";
import {
  PaymentExportEvent,
  paymentEventTypes,
  RiskExportEvent,
  riskEventTypes,
  RoundExportEvent,
  roundEventTypes,
} from "../../src/protocol/events.schemas.js";

const doc = readFileSync(new URL("../../docs/EVENTS.md", import.meta.url), "utf8");

function section(title: string): string {
  const start = doc.indexOf(`### ${title}`);
  expect(start, `docs/EVENTS.md has a section ${title}`).toBeGreaterThanOrEqual(0);
  const end = doc.indexOf("\n### ", start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

const schemas: Record<string, TSchema> = { PaymentExportEvent, RoundExportEvent, RiskExportEvent };

describe("docs/EVENTS.md", () => {
  for (const [title, definition] of Object.entries(schemas)) {
    it(`documents ${title} with the generated schema and a valid example`, () => {
      const blocks = [...section(title).matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1] as string) as unknown);
      expect(blocks).toHaveLength(2);
      const [example, schema] = blocks;
      expect(schema).toEqual(JSON.parse(JSON.stringify(definition)));
      expect(Value.Check(definition, example)).toBe(true);
    });
  }

  it("lists every exported event type", () => {
    for (const type of [...paymentEventTypes, ...roundEventTypes, ...riskEventTypes]) expect(doc).toContain(`| \`${type}\` |`);
  });
});
