// A small renderer for the subset of Helm's Go templates that deploy/helm/croupier uses, so a test can
// render the chart without the helm binary (none runs on the machines this project is tested on).
// It implements Go template semantics for what it supports — trim markers, comments, define/include,
// if/else, range over maps (sorted keys) and lists, with, variables, pipelines — and throws on anything
// else, so a template using a construct it does not know fails the test instead of rendering wrongly.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";

type Value = unknown;
type Node =
  | { t: "text"; text: string }
  | { t: "out"; pipe: string }
  | { t: "set"; name: string; pipe: string }
  | { t: "if"; pipe: string; then: Node[]; else: Node[] }
  | { t: "with"; pipe: string; then: Node[]; else: Node[] }
  | { t: "range"; keyVar: string | null; valueVar: string | null; pipe: string; body: Node[] };

interface Scope {
  dot: Value;
  vars: Map<string, Value>;
}

/** Splits a template into text and actions, applying `{{-` and `-}}` and dropping comments. */
function lex(source: string): Array<{ text: string } | { action: string }> {
  const tokens: Array<{ text: string } | { action: string }> = [];
  let rest = source;
  while (rest.length > 0) {
    const open = rest.indexOf("{{");
    if (open < 0) {
      tokens.push({ text: rest });
      break;
    }
    let text = rest.slice(0, open);
    const close = rest.indexOf("}}", open);
    if (close < 0) throw new Error("unclosed {{");
    let inner = rest.slice(open + 2, close);
    if (inner.startsWith("-")) {
      text = text.replace(/\s+$/, "");
      inner = inner.slice(1);
    }
    let after = rest.slice(close + 2);
    if (inner.endsWith("-")) {
      inner = inner.slice(0, -1);
      after = after.replace(/^\s+/, "");
    }
    tokens.push({ text });
    inner = inner.trim();
    if (!(inner.startsWith("/*") && inner.endsWith("*/"))) tokens.push({ action: inner });
    rest = after;
  }
  return tokens;
}

function parse(tokens: Array<{ text: string } | { action: string }>, defines: Map<string, Node[]>): Node[] {
  let i = 0;
  const block = (ends: string[]): { nodes: Node[]; end: string } => {
    const nodes: Node[] = [];
    while (i < tokens.length) {
      const token = tokens[i++] as { text: string } | { action: string };
      if ("text" in token) {
        if (token.text !== "") nodes.push({ t: "text", text: token.text });
        continue;
      }
      const a = token.action;
      const word = a.split(/\s+/, 1)[0] as string;
      if (ends.includes(word)) return { nodes, end: word };
      if (word === "if" || word === "with") {
        const pipe = a.slice(word.length).trim();
        const then = block(["else", "end"]);
        const otherwise = then.end === "else" ? block(["end"]).nodes : [];
        nodes.push({ t: word, pipe, then: then.nodes, else: otherwise });
      } else if (word === "range") {
        const m = /^range\s+(?:(\$\w+)\s*(?:,\s*(\$\w+))?\s*:=\s*)?(.+)$/.exec(a);
        if (m === null) throw new Error(`unsupported range: ${a}`);
        const [keyVar, valueVar] = m[2] === undefined ? [null, m[1] ?? null] : [m[1] as string, m[2]];
        nodes.push({ t: "range", keyVar, valueVar, pipe: m[3] as string, body: block(["end"]).nodes });
      } else if (word === "define") {
        const name = JSON.parse(a.slice(6).trim()) as string;
        defines.set(name, block(["end"]).nodes);
      } else if (/^\$\w+\s*:?=/.test(a)) {
        const m = /^(\$\w+)\s*:?=\s*(.+)$/s.exec(a) as RegExpExecArray;
        nodes.push({ t: "set", name: m[1] as string, pipe: m[2] as string });
      } else if (["else", "end", "block", "template", "break", "continue"].includes(word)) {
        throw new Error(`unsupported or misplaced action: {{ ${a} }}`);
      } else nodes.push({ t: "out", pipe: a });
    }
    if (ends.length > 0) throw new Error(`missing {{ end }} (expected one of ${ends.join(", ")})`);
    return { nodes, end: "" };
  };
  return block([]).nodes;
}

function truthy(v: Value): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v).length > 0;
  return true;
}

function text(v: Value): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  const scalar = v as string | number | boolean | bigint; // what is left: a YAML scalar
  return String(scalar);
}

/** Splits a pipeline into commands and a command into words, respecting strings and parentheses. */
function split(source: string, separator: "|" | " "): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = false;
  let current = "";
  for (let k = 0; k < source.length; k++) {
    const c = source[k] as string;
    if (quote) {
      current += c;
      if (c === "\\") current += source[++k] ?? "";
      else if (c === '"') quote = false;
      continue;
    }
    if (c === '"') quote = true;
    if (c === "(") depth++;
    if (c === ")") depth--;
    const isSeparator = separator === " " ? /\s/.test(c) : c === "|";
    if (isSeparator && depth === 0) {
      if (current.trim() !== "") parts.push(current.trim());
      current = "";
      continue;
    }
    current += c;
  }
  if (current.trim() !== "") parts.push(current.trim());
  return parts;
}

export interface Chart {
  readonly Name: string;
  readonly Version: string;
  readonly AppVersion: string;
}

export class HelmRenderer {
  private readonly defines = new Map<string, Node[]>();
  private readonly functions: Record<string, (...args: Value[]) => Value> = {
    include: (name, dot) => this.run(this.defines.get(String(name)) ?? fail(`no template named ${String(name)}`), { dot, vars: new Map([["$", dot]]) }),
    default: (fallback, given) => (truthy(given) ? given : fallback),
    quote: (v) => JSON.stringify(text(v)),
    toYaml: (v) => (v === null || v === undefined ? "" : stringifyYaml(v).replace(/\n$/, "")),
    toJson: (v) => JSON.stringify(v),
    nindent: (n, s) => "\n" + text(this.functions.indent?.(n, s)),
    indent: (n, s) =>
      text(s)
        .split("\n")
        .map((line) => " ".repeat(Number(n)) + line)
        .join("\n"),
    trunc: (n, s) => text(s).slice(0, Number(n)),
    trimSuffix: (suffix, s) => (text(s).endsWith(text(suffix)) ? text(s).slice(0, -text(suffix).length || undefined) : text(s)),
    contains: (needle, s) => text(s).includes(text(needle)),
    printf: (format, ...args) => {
      let k = 0;
      return text(format).replace(/%[svd]/g, () => text(args[k++]));
    },
    sha256sum: (s) => createHash("sha256").update(text(s)).digest("hex"),
    add: (...ns) => ns.reduce((sum: number, n) => sum + Number(n), 0),
    div: (a, b) => Math.trunc(Number(a) / Number(b)),
    not: (v) => !truthy(v),
    eq: (a, b) => a === b,
  };
  private root: Value = null;

  constructor(private readonly chartDir: string) {}

  /** Renders every template with these values; returns the output of each file (helpers render to nothing). */
  render(values: Record<string, unknown>, release = { Name: "casino", Namespace: "default", Service: "Helm" }): Map<string, string> {
    const meta = parseYaml(readFileSync(join(this.chartDir, "Chart.yaml"), "utf8")) as { name: string; version: string; appVersion: string };
    this.root = { Values: values, Release: release, Chart: { Name: meta.name, Version: meta.version, AppVersion: meta.appVersion } };
    const dir = join(this.chartDir, "templates");
    const files = readdirSync(dir)
      .filter((f) => /\.(ya?ml|tpl)$/.test(f))
      .sort();
    const parsed = new Map(files.map((f) => [f, parse(lex(readFileSync(join(dir, f), "utf8")), this.defines)]));
    const out = new Map<string, string>();
    for (const [file, nodes] of parsed) if (!file.startsWith("_")) out.set(file, this.run(nodes, { dot: this.root, vars: new Map([["$", this.root]]) }));
    return out;
  }

  private run(nodes: readonly Node[], scope: Scope): string {
    let out = "";
    for (const node of nodes) {
      switch (node.t) {
        case "text":
          out += node.text;
          break;
        case "out":
          out += text(this.pipe(node.pipe, scope));
          break;
        case "set":
          scope.vars.set(node.name, this.pipe(node.pipe, scope));
          break;
        case "if":
          out += this.run(truthy(this.pipe(node.pipe, scope)) ? node.then : node.else, { dot: scope.dot, vars: new Map(scope.vars) });
          break;
        case "with": {
          const v = this.pipe(node.pipe, scope);
          out += truthy(v) ? this.run(node.then, { dot: v, vars: new Map(scope.vars) }) : this.run(node.else, { dot: scope.dot, vars: new Map(scope.vars) });
          break;
        }
        case "range": {
          const v = this.pipe(node.pipe, scope);
          const entries: Array<[Value, Value]> = Array.isArray(v)
            ? v.map((e, k) => [k, e])
            : v !== null && typeof v === "object"
              ? Object.keys(v)
                  .sort()
                  .map((k) => [k, (v as Record<string, Value>)[k]])
              : [];
          for (const [key, value] of entries) {
            const vars = new Map(scope.vars);
            if (node.keyVar !== null) vars.set(node.keyVar, key);
            if (node.valueVar !== null) vars.set(node.valueVar, value);
            out += this.run(node.body, { dot: value, vars });
          }
          break;
        }
      }
    }
    return out;
  }

  private pipe(source: string, scope: Scope): Value {
    let result: Value = undefined;
    split(source, "|").forEach((command, k) => {
      const words = split(command, " ");
      const head = words[0] as string;
      const fn = this.functions[head];
      if (fn !== undefined) {
        const args = words.slice(1).map((w) => this.operand(w, scope));
        result = k === 0 ? fn(...args) : fn(...args, result);
      } else {
        if (words.length !== 1 || k !== 0) throw new Error(`unsupported command "${command}" in {{ ${source} }}`);
        result = this.operand(head, scope);
      }
    });
    return result;
  }

  private operand(word: string, scope: Scope): Value {
    if (word.startsWith("(") && word.endsWith(")")) return this.pipe(word.slice(1, -1), scope);
    if (word.startsWith('"')) return JSON.parse(word) as string;
    if (/^-?\d+$/.test(word)) return Number(word);
    if (word === "true" || word === "false") return word === "true";
    const m = /^(\$\w*|\.)?((?:\.?\w+)*)$/.exec(word);
    if (m === null) throw new Error(`unsupported operand "${word}"`);
    const start = m[1] === undefined || m[1] === "." ? scope.dot : scope.vars.has(m[1]) ? scope.vars.get(m[1]) : fail(`undefined variable ${m[1]}`);
    const path = (m[2] ?? "").split(".").filter((p) => p !== "");
    if (m[1] === undefined && path.length > 0 && !word.startsWith(".")) throw new Error(`unknown function "${word}"`);
    return path.reduce<Value>((v, key) => (v !== null && typeof v === "object" ? (v as Record<string, Value>)[key] : undefined), start);
  }
}

function fail(message: string): never {
  throw new Error(message);
}

/**
 * A parsed Kubernetes object, unchecked: a test reads it as the shape of the fields it asserts on
 * (test/deploy/helm.test.ts), and a field the chart left out fails that assertion.
 */
export type Manifest = Record<string, unknown>;

/** Splits rendered output into YAML documents (skipping empty ones) and parses each. */
export function manifests(rendered: ReadonlyMap<string, string>): Manifest[] {
  return [...rendered.values()]
    .flatMap((output) => output.split(/^---\s*$/m))
    .map((doc) => parseYaml(doc) as Manifest | null)
    .filter((doc): doc is Manifest => doc !== null && typeof doc === "object");
}
