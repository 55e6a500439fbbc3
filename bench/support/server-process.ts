// Starts `croupier serve` as its own process (embedded mode), as an operator would, and reads its
// memory from /proc. Benchmarks drive it from other processes over real sockets.
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../../src/cli/croupier.ts", import.meta.url));
const gcHook = fileURLToPath(new URL("./gc-on-signal.ts", import.meta.url));

export interface BenchServer {
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resident set size of the server process and its workers, in bytes. */
  rssBytes(): number;
  /** Asks every server process for a full garbage collection (SIGUSR2, see gc-on-signal.ts). */
  collectGarbage(): void;
  stop(): Promise<void>;
}

/** Limits raised for load: a benchmark measures the server, not its per-client rate limits. */
export const benchServerFlags = [
  "--messages-per-second-max",
  "10000",
  "--ws-connections-max",
  "100000",
  "--room-members-max",
  "100000",
  "--send-queue-bytes-max",
  "4194304",
  "--auth-timeout-ms",
  "120000",
  "--log-level",
  "warn",
  "--registrations-per-address-max",
  "10000000",
  // A swarm opens up to 100 sockets at once from one address; each waits for its hello's answer.
  "--ws-unauthenticated-per-address-max",
  "100000",
  "--ws-unauthenticated-max",
  "100000",
  // Benchmark players are bots by design (5 spins a second each): the risk engine runs and consumes
  // every signal, so its cost is measured, but with thresholds no benchmark player reaches.
  "--risk-bets-per-minute-max",
  "100000",
  "--risk-micro-stake-minor-max",
  "1",
  "--risk-accounts-per-address-max",
  "100000",
];

/** Flags for production mode (PostgreSQL + Redis) from bench/support/services.ts. */
export function productionFlags(services: { databaseUrl: string; redisUrl: string; redisKeyPrefix: string }): string[] {
  // Benchmark players deposit through the sandbox, which production mode serves only when asked explicitly.
  return [
    "--database-url",
    services.databaseUrl,
    "--redis-url",
    services.redisUrl,
    "--redis-key-prefix",
    services.redisKeyPrefix,
    "--payments-sandbox-enabled",
    "true",
  ];
}

export async function startBenchServer(extra: string[] = []): Promise<BenchServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "croupier-bench-"));
  // Workers started together each create a signing key when the folder has none, and then reject
  // each other's tokens (AUTH_TOKEN_KEY_UNKNOWN); one key made beforehand avoids the race.
  if (extra.includes("--workers")) await runCli(["keys", "rotate", "--data-dir", dataDir, "--log-level", "silent"]);
  return spawnServer(dataDir, extra);
}

function runCli(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", cli, ...args], { stdio: ["ignore", "ignore", "pipe"], env: { PATH: process.env.PATH ?? "" } });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`croupier ${args.join(" ")} exited with ${code}: ${stderr}`))));
  });
}

function spawnServer(dataDir: string, extra: string[]): Promise<BenchServer> {
  // BENCH_SERVER_NODE_ARGS adds node flags to every server process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof";
  // BENCH_SERVER_ARGS adds `croupier serve` options, e.g. "--ledger-batches-in-flight-max 8".
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter((a) => a !== "");
  const serveArgs = (process.env.BENCH_SERVER_ARGS ?? "").split(" ").filter((a) => a !== "");
  const args = [
    // What `npm start` and the image run with (docs/OPERATIONS.md, "Node flags"); BENCH_SERVER_NODE_ARGS may override it.
    "--max-semi-space-size=32",
    ...nodeArgs,
    "--expose-gc",
    "--import",
    "tsx",
    "--import",
    gcHook,
    cli,
    "serve",
    "--port",
    "0",
    "--host",
    "127.0.0.1",
    "--data-dir",
    dataDir,
    "--argon2-memory-kib",
    "8192",
    "--argon2-iterations",
    "1",
    ...benchServerFlags,
    ...extra,
    ...serveArgs,
  ];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env.PATH ?? "" } });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`croupier serve did not start:\n${output}`)), 60_000);
    let started = false;
    // BENCH_SERVER_LOG=/tmp/x keeps each server's log in /tmp/x.<pid> (warnings such as lost room leases).
    const logFile = process.env.BENCH_SERVER_LOG === undefined ? null : `${process.env.BENCH_SERVER_LOG}.${String(child.pid)}`;
    // Keeps reading after the start line too: a full pipe would block the server's logging.
    const onData = (chunk: Buffer) => {
      if (logFile !== null) appendFileSync(logFile, chunk);
      if (started) return;
      output += chunk.toString();
      if (output.length > 100_000) output = output.slice(-50_000);
      const match = /Croupier is serving on (\S+)/.exec(output);
      if (match === null) return;
      clearTimeout(timer);
      started = true;
      const pid = child.pid as number;
      resolve({
        url: match[1] as string,
        pid,
        child,
        rssBytes: () => treeRssBytes(pid),
        collectGarbage: () => {
          for (const p of treePids(pid)) process.kill(p, "SIGUSR2");
        },
        async stop() {
          child.kill("SIGTERM");
          const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
          await exited;
          clearTimeout(killer);
          rmSync(dataDir, { recursive: true, force: true });
        },
      });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (chunk: Buffer) => {
      if (!started) output += chunk.toString();
      else process.stderr.write(chunk);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`croupier serve exited with ${code}:\n${output}`));
    });
  });
}

/** RSS of a process and all its descendants (a primary and its workers). */
export function treeRssBytes(pid: number): number {
  let total = readRssBytes(pid);
  for (const child of childPids(pid)) total += treeRssBytes(child);
  return total;
}

function treePids(pid: number): number[] {
  return [pid, ...childPids(pid).flatMap(treePids)];
}

function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      out.push(
        ...readFileSync(`/proc/${pid}/task/${task}/children`, "utf8")
          .trim()
          .split(/\s+/)
          .filter((p) => p !== "")
          .map(Number),
      );
    } catch {
      // The thread ended while we read.
    }
  }
  return out;
}

export function readRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  if (match === null) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) * 1024;
}

/** Registers `count` accounts and returns one access token for each (accounts, not connections, cost argon2). */
export async function accessTokens(baseUrl: string, count: number, prefix: string): Promise<string[]> {
  const tokens: string[] = [];
  const stamp = Date.now().toString(36);
  for (let i = 0; i < count; i++) {
    const username = `${prefix}${stamp}${i}`;
    const password = "correct horse battery";
    await post(baseUrl, "/v1/auth/register", { username, password });
    const pair = (await post(baseUrl, "/v1/auth/login", { login: username, password })) as { accessToken: string };
    tokens.push(pair.accessToken);
  }
  return tokens;
}

async function post(baseUrl: string, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(baseUrl + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const json: unknown = await response.json();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}
