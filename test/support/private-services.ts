// A Redis server and a PostgreSQL cluster of the test's own, in child processes on free ports, for the
// chaos tests that restart them: the shared services serve every other suite of the run at the same
// time and are never restarted. Each is removed (process ended, folder deleted) by `dispose`, and by
// an exit hook should the test process end before it runs.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import pg from "pg";
import { Redis } from "ioredis";

/** The first folder of PATH (then the usual PostgreSQL folders) that holds `name`, or null. */
function findBinary(name: string, extra: readonly string[] = []): string | null {
  for (const dir of [...(process.env.PATH ?? "").split(delimiter), "/usr/local/bin", "/usr/bin", ...extra]) {
    if (dir !== "" && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

const redisServer = process.env.CROUPIER_TEST_REDIS_SERVER ?? findBinary("redis-server");
const pgCtl = process.env.CROUPIER_TEST_PG_CTL ?? findBinary("pg_ctl", ["/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin"]);
const initdb = pgCtl === null ? null : join(pgCtl, "..", "initdb");

/** Whether this machine can run a private Redis (`redis-server`) and a private cluster (`initdb`, `pg_ctl`). */
export const privateRedisAvailable = redisServer !== null;
export const privatePostgresAvailable = pgCtl !== null && initdb !== null && existsSync(initdb);

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

const cleanups = new Set<() => void>();
process.once("exit", () => {
  for (const cleanup of cleanups) cleanup();
});

/** Runs `start` with `cleanup` registered for the process's exit; a start that fails is cleaned up at once. */
async function startGuarded(cleanup: () => void, start: () => Promise<void>): Promise<void> {
  cleanups.add(cleanup);
  try {
    await start();
  } catch (e) {
    cleanup();
    cleanups.delete(cleanup);
    throw e;
  }
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface PrivateRedis {
  readonly url: string;
  /**
   * Stops the server (SIGTERM, which with `appendonly` writes its file first; SIGKILL after 5 s), keeps
   * the port closed for `downMs`, then starts it again on the same port. Without `appendonly` it comes
   * back empty, as a Redis without persistence does.
   */
  restart(downMs?: number): Promise<void>;
  dispose(): Promise<void>;
}

/** `redis-server` on a free port, with no RDB snapshots and the append-only file only if asked. */
export async function startPrivateRedis(options: { appendonly?: boolean } = {}): Promise<PrivateRedis> {
  if (redisServer === null) throw new Error("redis-server is not on PATH (set CROUPIER_TEST_REDIS_SERVER)");
  const server = redisServer;
  const dir = mkdtempSync(join(tmpdir(), "croupier-redis-"));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--dir",
    dir,
    "--save",
    "",
    "--appendonly",
    options.appendonly === true ? "yes" : "no",
    "--appendfsync",
    "always",
    "--loglevel",
    "warning",
  ];
  let child: ChildProcess | null = null;
  let output = "";
  const ping = async () => {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on("error", () => undefined);
    try {
      await probe.connect();
      const answer: string = await probe.ping(); // typed "PONG", but a server still loading answers otherwise
      return answer === "PONG";
    } finally {
      probe.disconnect();
    }
  };
  const start = async () => {
    const started = spawn(server, args, { stdio: ["ignore", "pipe", "pipe"] });
    started.stdout.on("data", (d: Buffer) => (output += d.toString()));
    started.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child = started;
    await until(`redis-server did not answer on ${port}:\n${output}`, ping, 10_000);
  };
  const stop = async () => {
    const running = child;
    child = null;
    if (running === null || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((r) => running.once("exit", r));
    running.kill("SIGTERM");
    const timer = setTimeout(() => running.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };
  const cleanup = () => {
    child?.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  await startGuarded(cleanup, start);
  return {
    url,
    async restart(downMs = 0) {
      await stop();
      await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    async dispose() {
      await stop();
      cleanup();
      cleanups.delete(cleanup);
    },
  };
}

/** Whether every folder from the root down to `dir` lets other users through. */
function othersCanEnter(dir: string): boolean {
  for (let at = resolve(dir); ; at = dirname(at)) {
    if ((statSync(at).mode & 0o001) === 0) return false;
    if (dirname(at) === at) return true;
  }
}

export interface PrivatePostgres {
  /** The cluster's `postgres` database, as the superuser `postgres` (trust authentication). */
  readonly adminUrl: string;
  /** A new empty database on the cluster. */
  createDatabase(name: string): Promise<string>;
  /** `pg_ctl stop` in `mode` (`fast` ends every session, `immediate` is a crash), `downMs` down, then `pg_ctl start`. */
  restart(mode?: "fast" | "immediate", downMs?: number): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * A PostgreSQL cluster of its own (`initdb`, about a second), served on a free port with fsync off.
 * The server refuses to run as root, so as root it runs as the `postgres` user (`runuser`).
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  if (pgCtl === null || initdb === null) throw new Error("pg_ctl and initdb are not on PATH (set CROUPIER_TEST_PG_CTL)");
  const ctl = pgCtl;
  const asRoot = process.getuid?.() === 0;
  // The postgres user must reach its folder: a run's private TMPDIR (scripts/test.mjs) is root's alone.
  const root = mkdtempSync(join(asRoot && !othersCanEnter(tmpdir()) ? "/tmp" : tmpdir(), "croupier-pg-"));
  const data = join(root, "data");
  if (asRoot) {
    const ids = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
    const gids = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
    if (ids.status !== 0) throw new Error("running as root needs a postgres user to run the server as");
    chownSync(root, Number(ids.stdout.trim()), Number(gids.stdout.trim()));
    chmodSync(root, 0o700);
  }
  const command = (binary: string, args: string[]): [string, string[]] => (asRoot ? ["runuser", ["-u", "postgres", "--", binary, ...args]] : [binary, args]);
  const failure = (binary: string, args: string[], code: number | null, output: string) =>
    new Error(`${binary} ${args.join(" ")} failed (${code}): ${output}${existsSync(join(root, "log")) ? readFileSync(join(root, "log"), "utf8") : ""}`);
  // Asynchronous, so the test's own clients go on while the server stops and starts.
  const run = (binary: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const [name, argv] = command(binary, args);
      const child = spawn(name, argv, { stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.on("data", (d: Buffer) => (output += d.toString()));
      child.stderr.on("data", (d: Buffer) => (output += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => (code === 0 ? resolve() : reject(failure(binary, args, code, output))));
    });
  const port = await freePort();
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const serverOptions = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100`;
  const ctlArgs = (mode: "fast" | "immediate") => ["-D", data, "-m", mode, "-w", "-t", "30", "stop"];
  const start = () => run(ctl, ["-D", data, "-o", serverOptions, "-l", join(root, "log"), "-w", "-t", "30", "start"]);
  const stop = (mode: "fast" | "immediate") => run(ctl, ctlArgs(mode));
  // Synchronous: it also runs from the exit hook, where nothing asynchronous completes.
  const cleanup = () => {
    if (existsSync(join(data, "postmaster.pid"))) spawnSync(...command(ctl, ctlArgs("immediate")), { stdio: "ignore", timeout: 30_000 });
    rmSync(root, { recursive: true, force: true });
  };
  await startGuarded(cleanup, async () => {
    await run(initdb, ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
    await start();
  });
  return {
    adminUrl,
    async createDatabase(name) {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        await admin.query(`create database "${name}"`);
      } finally {
        await admin.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async restart(mode = "fast", downMs = 0) {
      await stop(mode);
      await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    async dispose() {
      cleanup();
      cleanups.delete(cleanup);
    },
  };
}
