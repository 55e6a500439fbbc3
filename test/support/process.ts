// Runs the real `croupier` command in a child process: the build, as the package's bin runs it.
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inject } from "vitest";

/** The package's bin, built from the current sources by the global setup (test/support/global-setup.ts) before any test starts. */
export const cli = fileURLToPath(new URL("../../dist/cli/croupier.js", import.meta.url));
export const fastHashFlags = ["--argon2-memory-kib", "8192", "--argon2-iterations", "1"];
/** Test servers deposit through the sandbox in production mode too (which must be asked for explicitly) and register many players from one address. */
const testServeFlags = [...fastHashFlags, "--payments-sandbox-enabled", "true", "--registrations-per-address-max", "100000"];

/**
 * A new data folder for an embedded `croupier serve` whose database is already migrated: a copy of the
 * run's migrated embedded database (global-setup.ts), the folder a first start would have left. A
 * first start in an empty folder runs initdb and every migration, which costs a child process tens of
 * seconds of CPU on a busy machine; tests about something else start from the copy (the first start
 * itself is tested by test/cli/cli.test.ts).
 */
export function migratedDataDir(prefix: string): string {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(inject("croupierTemplates").pgliteDir, join(dataDir, "db"), { recursive: true });
  return dataDir;
}

export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCroupier(args: string[], options: { stdin?: string; env?: Record<string, string>; cwd?: string } = {}): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env: { PATH: process.env.PATH ?? "", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? "");
  });
}

export interface ServingProcess {
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `croupier serve` and resolves once it prints the URL it serves on (within `startMsMax`). */
export function serveCroupier(args: string[], env: Record<string, string> = {}, startMsMax = 60_000): Promise<ServingProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, "serve", "--port", "0", "--host", "127.0.0.1", ...testServeFlags, ...args], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    // A server that did not start in time is stopped: left running, it would outlive the test run.
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`croupier serve did not start:\n${output}`));
    }, startMsMax);
    const onData = (d: Buffer) => {
      output += d.toString();
      const match = /Croupier is serving on (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1] as string,
          child,
          output: () => output,
          stop: async (signal = "SIGTERM") => {
            child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`croupier serve exited with ${code}:\n${output}`));
    });
  });
}

/** Runs one of examples/ against a server as a person would (`node --import tsx examples/<name>.ts <url>`), with its output. */
export function runExample(name: string, url: string): Promise<{ code: number | null; text: string }> {
  const script = fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, url], { stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    child.stdout.on("data", (d: Buffer) => (text += d.toString()));
    child.stderr.on("data", (d: Buffer) => (text += d.toString()));
    child.on("close", (code) => resolve({ code, text }));
  });
}
