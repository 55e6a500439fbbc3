// Readers for a Dockerfile and a .dockerignore, enough for the tests to check what an image would hold
// without building it.

export interface Instruction {
  readonly op: string;
  /** The instruction's text after its flags. */
  readonly args: string;
  readonly flags: Readonly<Record<string, string>>;
  /** COPY/ADD: the source paths (the last word, the destination, excluded). */
  readonly sources: readonly string[];
}

export interface Stage { readonly from: string; readonly name: string | null; readonly instructions: readonly Instruction[] }

export interface Dockerfile { readonly args: Readonly<Record<string, string>>; readonly stages: readonly Stage[] }

export function parseDockerfile(text: string): Dockerfile {
  const lines = text.replace(/\\\r?\n/g, " ").split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
  const args: Record<string, string> = {};
  const stages: Array<{ from: string; name: string | null; instructions: Instruction[] }> = [];
  for (const line of lines) {
    const [op = "", ...rest] = line.split(/\s+/);
    let body = rest.join(" ");
    const flags: Record<string, string> = {};
    for (let m = /^--(\w+)=(\S+)\s*/.exec(body); m !== null; m = /^--(\w+)=(\S+)\s*/.exec(body)) {
      flags[m[1] as string] = m[2] as string;
      body = body.slice(m[0].length);
    }
    const upper = op.toUpperCase();
    if (upper === "ARG" && stages.length === 0) {
      const [name, value = ""] = body.split("=");
      args[name as string] = value;
    } else if (upper === "FROM") {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(body);
      if (m === null) throw new Error(`cannot read ${line}`);
      stages.push({ from: m[1] as string, name: m[2] ?? null, instructions: [] });
    } else {
      const stage = stages.at(-1);
      if (stage === undefined) throw new Error(`${op} before FROM`);
      const words = upper === "COPY" || upper === "ADD" ? (body.startsWith("[") ? JSON.parse(body) as string[] : body.split(/\s+/)) : [];
      stage.instructions.push({ op: upper, args: body, flags, sources: words.slice(0, -1).map((w) => w.replace(/^\.\//, "").replace(/\/$/, "")) });
    }
  }
  return { args, stages };
}

function patternRegex(pattern: string): RegExp {
  let source = "";
  const p = pattern.replace(/^\/+/, "").replace(/\/+$/, "");
  for (let i = 0; i < p.length; i++) {
    const c = p[i] as string;
    if (c === "*" && p[i + 1] === "*") {
      const slashAfter = p[i + 2] === "/";
      source += slashAfter ? "(?:.*/)?" : ".*";
      i += slashAfter ? 2 : 1;
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else source += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/**
 * Whether Docker leaves `path` (relative to the context) out: the last pattern matching the path or
 * one of its parent folders decides; `!` patterns put paths back.
 */
export function dockerignoreExcludes(dockerignore: string, path: string): boolean {
  const rules = dockerignore.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => ({ negate: l.startsWith("!"), regex: patternRegex(l.replace(/^!/, "")) }));
  const parts = path.split("/");
  const candidates = parts.map((_, k) => parts.slice(0, k + 1).join("/"));
  let excluded = false;
  for (const rule of rules) if (candidates.some((c) => rule.regex.test(c))) excluded = !rule.negate;
  return excluded;
}
