// The image as far as it can be checked without a container runtime (none runs here): every path the
// Dockerfile copies from the repository exists and is inside the build context, every path copied from
// the build stage is one that stage makes, the entrypoint is the built CLI, the runtime base is slim
// Node 20/22 run by a non-root user, its healthcheck calls a route the server has, the runtime needs
// no dev dependency, and .dockerignore keeps data, keys and secrets out.
import { describe, expect, it } from "vitest";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { dockerignoreExcludes, parseDockerfile } from "./docker-files.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dockerfile = parseDockerfile(readFileSync(join(root, "Dockerfile"), "utf8"));
const ignore = readFileSync(join(root, ".dockerignore"), "utf8");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { bin: { croupier: string }; dependencies: Record<string, string> };
const build = dockerfile.stages.find((s) => s.name === "build");
const runtime = dockerfile.stages.at(-1);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe("Dockerfile", () => {
  it("has a build stage and a slim Node 20 or 22 runtime stage run by a non-root user", () => {
    expect(build).toBeDefined();
    expect(runtime?.name).not.toBe("build");
    const nodeVersion = dockerfile.args.NODE_VERSION;
    expect(["20", "22"]).toContain(nodeVersion);
    expect(runtime?.from.replace("${NODE_VERSION}", nodeVersion ?? "")).toMatch(/^node:(20|22)-[a-z]+-slim$/);
    const user = runtime?.instructions.filter((i) => i.op === "USER").at(-1)?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
  });

  it("copies into the build stage only paths that exist and are inside the build context", () => {
    const copies = build?.instructions.filter((i) => i.op === "COPY") ?? [];
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      for (const source of copy.sources) {
        expect(existsSync(join(root, source)), `${source} exists`).toBe(true);
        const files = statSync(join(root, source)).isDirectory() ? filesUnder(join(root, source)) : [join(root, source)];
        for (const file of files) expect(dockerignoreExcludes(ignore, relative(root, file)), `${relative(root, file)} is in the build context`).toBe(false);
      }
    }
    // Everything the TypeScript build reads is copied: the sources and both tsconfig files.
    const copied = copies.flatMap((c) => c.sources);
    expect(copied).toEqual(expect.arrayContaining(["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "src"]));
  });

  it("copies from the build stage only what that stage makes: the compiled dist, production node_modules, package.json", () => {
    const tsconfig = JSON.parse(readFileSync(join(root, "tsconfig.build.json"), "utf8")) as { compilerOptions: { outDir: string; rootDir: string } };
    const workdir = build?.instructions.find((i) => i.op === "WORKDIR")?.args;
    const buildRuns = build?.instructions.filter((i) => i.op === "RUN").map((i) => i.args).join("\n") ?? "";
    expect(buildRuns).toContain("npm run build");
    expect(buildRuns).toMatch(/npm prune --omit=dev/);
    const made = new Set([`${workdir}/${tsconfig.compilerOptions.outDir}`, `${workdir}/node_modules`, `${workdir}/package.json`]);
    const fromBuild = runtime?.instructions.filter((i) => i.op === "COPY" && i.flags.from === "build") ?? [];
    expect(fromBuild.length).toBe(3);
    for (const copy of fromBuild) for (const source of copy.sources) expect(made, source).toContain(source);
    expect(runtime?.instructions.some((i) => i.op === "COPY" && i.flags.from === undefined)).toBe(false);
  });

  it("enters through the croupier command, which is the built CLI", () => {
    expect(runtime?.instructions.find((i) => i.op === "ENTRYPOINT")?.args).toBe('["croupier"]');
    const link = /ln -s (\S+) \/usr\/local\/bin\/croupier/.exec(runtime?.instructions.map((i) => i.args).join("\n") ?? "");
    expect(link?.[1]).toBe(`/app/${pkg.bin.croupier}`);
    const source = join(root, pkg.bin.croupier.replace(/^dist\//, "src/").replace(/\.js$/, ".ts"));
    expect(readFileSync(source, "utf8").startsWith("#!/usr/bin/env node")).toBe(true);
  });

  it("checks health on a route the server serves", () => {
    const health = runtime?.instructions.find((i) => i.op === "HEALTHCHECK")?.args ?? "";
    const path = /\/healthz/.exec(health)?.[0];
    expect(path).toBe("/healthz");
    expect(readFileSync(join(root, "src/gateway/http/http-server.ts"), "utf8")).toContain(`app.get("${path}"`);
  });

  it("runs without dev dependencies: every package src/ imports at run time is a production dependency", () => {
    const imported = new Set<string>();
    for (const file of filesUnder(join(root, "src")).filter((f) => f.endsWith(".ts"))) {
      for (const m of readFileSync(file, "utf8").matchAll(/^import (?!type )[^;]*?from "([^".][^"]*)"|import\("([^".][^"]*)"\)/gm)) {
        const spec = (m[1] ?? m[2]) as string;
        if (spec.startsWith("node:") || builtinModules.includes(spec)) continue;
        imported.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : (spec.split("/")[0] as string));
      }
    }
    expect(imported.size).toBeGreaterThan(5);
    for (const name of imported) expect(Object.keys(pkg.dependencies), `${name} is a production dependency`).toContain(name);
  });

  it(".dockerignore keeps data, keys, secrets, dependencies and build output out of the context", () => {
    for (const path of ["data/db/PG_VERSION", "data/keys/k.private.jwk.json", "src/keys/k.private.jwk.json", "data/sandbox-payments.secret",
      ".env", "node_modules/ws/index.js", "dist/main.js", "test/support/env.ts", "bench/results/x.json", ".git/HEAD", "tls/key.pem"]) {
      expect(dockerignoreExcludes(ignore, path), path).toBe(true);
    }
    for (const path of ["src/main.ts", "src/cli/croupier.ts", "package.json"]) expect(dockerignoreExcludes(ignore, path), path).toBe(false);
  });
});
