// Runs `croupier loadtest` as an operator does (the real command in a child process) and reads its report files.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { spawn } from "node:child_process";
import type { Report } from "../../src/cli/loadtest/report.js";
import { cli, type Finished } from "./process.js";

export function readReport(dir: string): { json: Report; markdown: string } {
  return {
    json: JSON.parse(readFileSync(join(dir, "loadtest-report.json"), "utf8")) as Report,
    markdown: readFileSync(join(dir, "loadtest-report.md"), "utf8"),
  };
}

/**
 * Runs `croupier loadtest`, calling `during` once it has started (for tampering tests); `stdin` is
 * written to its standard input (an operator's password).
 */
export function loadtest(args: string[], during?: () => Promise<void>, extra: { stdin?: string } = {}): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, "loadtest", "--progress", "lines", ...args], {
      env: { PATH: process.env.PATH ?? "" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    child.stdin.end(extra.stdin ?? "");
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    const tampered = during?.();
    child.on("close", (code) => void Promise.resolve(tampered).then(() => resolve({ code, stdout, stderr }), reject));
  });
}
