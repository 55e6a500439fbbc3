// docs/GAME-ACTIONS.md is generated from the action and event schemas (npm run docs:actions): the
// committed file must be what they generate now, and every example in it must match its schema.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { Value } from "@sinclair/typebox/value";
import type { TSchema } from "@sinclair/typebox";
import { gameActionsDocPath, renderGameActionsDoc } from "../../scripts/game-actions-doc.js";
import { tableActionSchemas } from "../../src/protocol/table-actions.schemas.js";
import { tableActionExamples, tableEventSchemas, type TableActionSpec, type TableEventSpec } from "../../src/protocol/table-events.schemas.js";

describe("docs/GAME-ACTIONS.md", () => {
  it("is what the schemas generate (run `npm run docs:actions` after changing them)", () => {
    expect(readFileSync(gameActionsDocPath, "utf8")).toBe(renderGameActionsDoc());
  });

  it("has one example per action of every game, each valid against the action's closed schema", () => {
    for (const [game, schemas] of Object.entries(tableActionSchemas)) {
      const examples = tableActionExamples[game as keyof typeof tableActionExamples] as Record<string, TableActionSpec>;
      expect(Object.keys(examples).sort(), game).toEqual(Object.keys(schemas).sort());
      for (const [kind, schema] of Object.entries(schemas as Record<string, TSchema>)) {
        const example = (examples[kind] as TableActionSpec).example;
        expect([...Value.Errors(schema, example)].map((e) => `${game} ${kind}: ${e.path} ${e.message}`)).toEqual([]);
        expect(example.kind).toBe(kind);
      }
    }
  });

  it("has events for every game, each example valid against its data schema", () => {
    expect(Object.keys(tableEventSchemas).sort()).toEqual(Object.keys(tableActionSchemas).sort());
    for (const [game, events] of Object.entries(tableEventSchemas)) {
      for (const [kind, spec] of Object.entries(events as Record<string, TableEventSpec>)) {
        expect([...Value.Errors(spec.data, spec.example)].map((e) => `${game} ${kind}: ${e.path} ${e.message}`)).toEqual([]);
      }
    }
  });

  it("refuses an action example padded with an invented field (the schemas are closed)", () => {
    const bet = (tableActionExamples.roulette.bet as TableActionSpec).example;
    const schema = tableActionSchemas.roulette.bet as TSchema;
    expect(Value.Check(schema, bet)).toBe(true);
    expect(Value.Check(schema, { ...bet, odds: "35" })).toBe(false);
  });
});
