// Generates docs/GAME-ACTIONS.md, the per-game reference of actions and events, from the TypeBox
// schemas in src/protocol (table-actions.schemas.ts, table-events.schemas.ts), so it cannot drift.
//
//   npm run docs:actions            rewrites the document
//   npm run docs:actions -- --check exits 1 when the committed document is not what the schemas give
//
// test/protocol/game-actions-doc.test.ts runs the same comparison in the test suite.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { TSchema } from "@sinclair/typebox";
import { tableActionSchemas } from "../src/protocol/table-actions.schemas.js";
import { tableActionExamples, tableEventSchemas, type TableEventSpec } from "../src/protocol/table-events.schemas.js";

export const gameActionsDocPath = fileURLToPath(new URL("../docs/GAME-ACTIONS.md", import.meta.url));

type Game = keyof typeof tableActionSchemas;
const games: ReadonlyArray<{ game: Game; title: string; room: string }> = [
  { game: "roulette", title: "Roulette (`roulette:<id>`)", room: "roulette:1" },
  { game: "live", title: "Live dealer roulette (`live:<id>`)", room: "live:l1" },
  { game: "slots", title: "Slots (`slots:<userId>`, only its player may join)", room: "slots:826984a8-…" },
  { game: "blackjack", title: "Blackjack (`blackjack:<id>`)", room: "blackjack:b1" },
  { game: "liveblackjack", title: "Live dealer blackjack (`liveblackjack:<id>`)", room: "liveblackjack:1" },
  { game: "holdem", title: "Hold'em (`holdem:<id>`)", room: "holdem:h1" },
];

/** The JSON Schema keywords TypeBox writes, read as plain data. */
interface Schema {
  readonly type?: string;
  readonly const?: unknown;
  readonly anyOf?: readonly Schema[];
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly patternProperties?: Readonly<Record<string, Schema>>;
  readonly items?: Schema;
  readonly additionalProperties?: boolean | Schema;
  readonly description?: string;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function range(min: number | undefined, max: number | undefined, unit: string): string {
  if (min === undefined && max === undefined) return "";
  if (min !== undefined && max !== undefined) return min === max ? `${min}${unit}` : `${min}–${max}${unit}`;
  return min !== undefined ? `≥ ${min}${unit}` : `≤ ${max}${unit}`;
}

function typeOf(s: Schema): string {
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.anyOf !== undefined) return s.anyOf.map(typeOf).join(" or ");
  if (s.patternProperties !== undefined) return `map of string to ${typeOf(Object.values(s.patternProperties)[0] as Schema)}`;
  switch (s.type) {
    case "array":
      return `array of ${s.items === undefined ? "any" : typeOf(s.items)}`;
    case "string":
    case "integer":
    case "number":
    case "boolean":
    case "null":
    case "object":
      return s.type;
    default:
      return "any";
  }
}

function notes(s: Schema): string {
  const parts: string[] = [];
  if (s.description !== undefined) parts.push(s.description);
  if (s.pattern !== undefined) parts.push(`pattern \`${s.pattern}\``);
  const length = range(s.minLength, s.maxLength, " characters");
  if (length !== "") parts.push(length);
  const values = range(s.minimum, s.maximum, "");
  if (values !== "") parts.push(values);
  const items = range(s.minItems, s.maxItems, " items");
  if (items !== "") parts.push(items);
  return parts.join("; ");
}

/** One table row per field, nested objects (also inside arrays and maps) flattened into paths. */
function rows(s: Schema, prefix: string, out: string[]): string[] {
  const required = new Set(s.required ?? []);
  for (const [name, field] of Object.entries(s.properties ?? {})) {
    const path = `${prefix}${name}`;
    out.push(`| \`${path}\` | ${cell(typeOf(field))} | ${required.has(name) ? "yes" : "no"} | ${cell(notes(field))} |`);
    nested(field, path, out);
  }
  return out;
}

function nested(field: Schema, path: string, out: string[]): void {
  if (field.properties !== undefined) rows(field, `${path}.`, out);
  else if (field.type === "array" && field.items?.properties !== undefined) rows(field.items, `${path}[].`, out);
  else if (field.patternProperties !== undefined) {
    const value = Object.values(field.patternProperties)[0] as Schema;
    if (value.properties !== undefined) rows(value, `${path}.<key>.`, out);
  }
}

function table(s: Schema, what: string): string[] {
  const body = rows(s, "", []);
  if (body.length === 0) return [`No ${what}.`];
  return [`| ${what} | type | required | notes |`, "|---|---|---|---|", ...body];
}

function json(value: unknown): string[] {
  return ["```json", JSON.stringify(value), "```"];
}

function actionSection(game: Game, room: string, kind: string, schema: TSchema): string[] {
  const spec = (tableActionExamples[game] as Record<string, { who: string; example: Record<string, unknown> }>)[kind];
  if (spec === undefined) throw new Error(`table-events.schemas.ts has no example of the ${game} action ${kind}`);
  const withoutKind = (s: Schema): Schema => ({ ...s, properties: Object.fromEntries(Object.entries(s.properties ?? {}).filter(([name]) => name !== "kind")) });
  const s = schema as Schema;
  // A union (the dealer cue catalogue): one table per alternative, named by its literal fields.
  const tables =
    s.anyOf === undefined
      ? table(withoutKind(s), "field")
      : s.anyOf.flatMap((alt) => {
          const label = Object.entries(alt.properties ?? {})
            .filter(([name, f]) => name !== "kind" && f.const !== undefined)
            .map(([name, f]) => `\`${name}\`: \`${JSON.stringify(f.const)}\``)
            .join(", ");
          return [`One of, with ${label}:`, "", ...table(withoutKind(alt), "field"), ""];
        });
  return [
    `#### \`${kind}\``,
    "",
    `Who: ${spec.who}.`,
    "",
    ...tables,
    "",
    ...json({ type: "action", id: "a1", room, actionId: "3c9e-77", lastOffset: 812, action: spec.example }),
    "",
  ];
}

function eventSection(room: string, kind: string, spec: TableEventSpec): string[] {
  const ts = 1795741264400;
  const message = {
    type: "event",
    room,
    epoch: "9f2c41d07ab35e18",
    offset: 813,
    ts,
    kind,
    data: spec.example,
    ...(spec.revealAt ? { revealAt: ts + 148 } : {}),
    ...(spec.private ? { private: true } : {}),
  };
  const s = spec.data as Schema;
  return [`#### \`${kind}\``, "", `Who: ${spec.who}. When: ${spec.when}.`, "", ...table(s, "field of `data`"), "", ...json(message), ""];
}

export function renderGameActionsDoc(): string {
  const lines = [
    "# Game actions and events",
    "",
    "<!-- Generated by `npm run docs:actions` (scripts/game-actions-doc.ts) from src/protocol/table-actions.schemas.ts",
    "     and src/protocol/table-events.schemas.ts. Do not edit by hand: test/protocol/game-actions-doc.test.ts fails",
    "     when this file is not what the schemas generate. -->",
    "",
    "Every action a table room takes and every event it sends, per game: the fields with their types, and",
    "an example of each. An action is the `action` of an [`action` frame](PROTOCOL.md#action--ack); its",
    "schema is closed: a field not listed here is refused with `REQUEST_INVALID` (`details` name the path),",
    "an unknown `kind` with `ACTION_REJECTED`. Amounts in actions are decimal strings in the currency's",
    'major unit (`"2.50"`); money in events is in minor units, as decimal strings. Event `data` may gain',
    "fields in a later version: ignore the ones you do not know. **Who** for events: *everyone* (every",
    "member, spectators too); *only the player* (a private event: everyone else receives a",
    '`{"kind":"redacted"}` placeholder at the same offset); *everyone + private part* (each player',
    'concerned receives `data` with their own part merged in and `"private":true`). The examples show',
    "what one player received. [PROTOCOL.md](PROTOCOL.md#rooms) explains the flow, [GAMES.md](GAMES.md) the rules",
    "and timers.",
    "",
    ...games.map(({ game, title }) => `- [${title.replace(/ \(.*$/, "")}](#${game})`),
    "",
  ];
  for (const { game, title, room } of games) {
    lines.push(`<a id="${game}"></a>`, "", `## ${title}`, "", "### Actions", "");
    for (const [kind, schema] of Object.entries(tableActionSchemas[game])) lines.push(...actionSection(game, room, kind, schema));
    lines.push("### Events", "");
    for (const [kind, spec] of Object.entries(tableEventSchemas[game] as Record<string, TableEventSpec>)) lines.push(...eventSection(room, kind, spec));
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) {
  const generated = renderGameActionsDoc();
  if (process.argv.includes("--check")) {
    let committed = "";
    try {
      committed = readFileSync(gameActionsDocPath, "utf8");
    } catch {
      // missing: stale
    }
    if (committed !== generated) {
      console.error("docs/GAME-ACTIONS.md is stale: run `npm run docs:actions` and commit the result");
      process.exit(1);
    }
    console.log("docs/GAME-ACTIONS.md is up to date");
  } else {
    writeFileSync(gameActionsDocPath, generated);
    console.log(`wrote ${gameActionsDocPath}`);
  }
}
