#!/usr/bin/env node
// The static checks of `npm test` — the server and web typechecks (`npm run typecheck`), eslint, the
// dependency rules (`npm run lint`) and the formatting (`npm run format:check`) — run at the same
// time instead of one after another: each is
// one single-threaded process, so on a machine of two or more cores they take about as long as the
// slowest. Each check's output is printed whole once it ends, with its time; the script fails when
// any check fails (all of them still run to the end, so one run shows every failure).
import { spawn } from "node:child_process";

const checks = [
  { name: "typecheck (server)", command: ["tsc", "-p", "tsconfig.json", "--noEmit"] },
  { name: "typecheck (web)", command: ["tsc", "-p", "web/tsconfig.json"] },
  { name: "eslint", command: ["eslint", "."] },
  { name: "depcruise", command: ["depcruise", "src", "--config", ".dependency-cruiser.cjs"] },
  { name: "format", command: ["prettier", "--check", "--log-level", "warn", "."] },
];

function run({ name, command }) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn("npx", ["--no-install", ...command], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", (error) => resolve({ name, ok: false, output: `${output}${error.message}\n`, ms: Date.now() - started }));
    child.on("close", (code) => resolve({ name, ok: code === 0, output, ms: Date.now() - started }));
  });
}

const results = await Promise.all(
  checks.map((check) =>
    run(check).then((result) => {
      process.stdout.write(result.output);
      console.log(`${result.name}: ${result.ok ? "ok" : "FAILED"} (${(result.ms / 1000).toFixed(1)} s)`);
      return result;
    }),
  ),
);
const failed = results.filter((r) => !r.ok).map((r) => r.name);
if (failed.length > 0) {
  console.log(`static checks failed: ${failed.join(", ")}`);
  process.exit(1);
}
