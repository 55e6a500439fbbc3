// Starts a real Croupier server in this process on a free port, in embedded or production mode.
import { afterAll, beforeAll, inject } from "vitest";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config/config.js";
import { startServer, type RunningServer } from "../../src/main.js";
import { createPostgresDatabase, dropPostgresDatabase } from "./databases.js";
import { redisUrl, uniqueName } from "./services.js";

export type Mode = "embedded" | "production";

export interface TestServer extends RunningServer {
  readonly dataDir: string;
  stop(): Promise<void>;
}

export interface Shared {
  readonly databaseUrl: string | null;
  readonly redisKeyPrefix: string;
  readonly dataDir: string;
  dispose(): Promise<void>;
}

/**
 * Storage that one or several servers share: a data folder, and in production a database and a key
 * prefix. The database starts migrated, a copy of the run's migrated one (global-setup.ts): the
 * embedded one in the data folder (where `croupier serve` keeps it), or a PostgreSQL database.
 */
export async function createShared(mode: Mode): Promise<Shared> {
  const dataDir = mkdtempSync(join(tmpdir(), "croupier-server-"));
  if (mode === "embedded") cpSync(inject("croupierTemplates").pgliteDir, join(dataDir, "db"), { recursive: true });
  const databaseUrl = mode === "production" ? await createPostgresDatabase({ migrated: true }) : null;
  return {
    databaseUrl,
    dataDir,
    redisKeyPrefix: `croupier-test-${uniqueName("s").replace(/_/g, "-")}:`,
    async dispose() {
      if (databaseUrl !== null) await dropPostgresDatabase(databaseUrl);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startTestServer(shared: Shared, flags: string[] = []): Promise<RunningServer> {
  const base = [
    "--port",
    "0",
    "--host",
    "127.0.0.1",
    "--data-dir",
    shared.dataDir,
    "--log-level",
    "silent",
    "--argon2-memory-kib",
    "8192",
    "--argon2-iterations",
    "1",
    "--redis-key-prefix",
    shared.redisKeyPrefix,
    "--registrations-per-address-max",
    "100000",
  ];
  const production = shared.databaseUrl === null ? [] : ["--database-url", shared.databaseUrl, "--redis-url", redisUrl, "--payments-sandbox-enabled", "true"];
  return startServer(loadConfig([...base, ...production, ...flags], {}));
}

/**
 * One server for a describe block: started in `beforeAll` on its own storage, stopped and its storage
 * removed in `afterAll`. Call it inside `describe`; the returned function gives the running server.
 */
export function serverForSuite(mode: Mode, flags: string[] = []): () => RunningServer {
  let shared: Shared | undefined;
  let server: RunningServer | undefined;
  beforeAll(async () => {
    shared = await createShared(mode);
    server = await startTestServer(shared, flags);
  });
  afterAll(async () => {
    await server?.close();
    await shared?.dispose();
  });
  return () => {
    if (server === undefined) throw new Error("the suite's server is not started");
    return server;
  };
}
