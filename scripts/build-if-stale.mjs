#!/usr/bin/env node
// `npm start` builds only when the sources changed since the last build: it compares the newest
// modification time under src/ (files and folders, so a deleted file counts) and of the build's
// configuration with the stamp the last successful build left in dist/. A fresh clone builds once.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const stamp = join("dist", ".build-stamp");
const inputs = ["tsconfig.json", "tsconfig.build.json", "package.json"];

function newestMs(path) {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMs(join(path, name))), stats.mtimeMs);
}

const sourcesMs = Math.max(newestMs("src"), ...inputs.filter((f) => existsSync(f)).map((f) => statSync(f).mtimeMs));
if (existsSync(stamp) && statSync(stamp).mtimeMs >= sourcesMs) process.exit(0);
console.error("croupier: building (sources changed since the last build)…");
const build = spawnSync("npx", ["tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);
writeFileSync(stamp, `${new Date().toISOString()}\n`);
