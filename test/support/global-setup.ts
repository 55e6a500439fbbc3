// Probes the services once per run, decides which suites run, and cleans up what the run created.
import pg from "pg";
import { Redis } from "ioredis";
import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { connect as connectNats } from "nats";
import { PGlite } from "@electric-sql/pglite";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createPgDb } from "../../src/adapters/postgres/sql-db.pg.js";
import { createPgliteDb } from "../../src/adapters/postgres/sql-db.pglite.js";
import { migrate } from "../../src/adapters/postgres/migrate.js";
import { adminDatabaseUrl, isCi, natsUrl, redisUrl } from "./env.js";

async function probePostgres(): Promise<string | null> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("select 1");
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function probeRedis(): Promise<string | null> {
  const redis = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    redis.disconnect();
  }
}

/** NATS with JetStream enabled (the event export's contract suite needs it). */
async function probeNats(): Promise<string | null> {
  try {
    const url = new URL(natsUrl);
    const nc = await connectNats({ servers: `${url.hostname}:${url.port || "4222"}`, timeout: 2000, reconnect: false });
    try {
      await (await nc.jetstreamManager()).getAccountInfo();
      return null;
    } finally {
      await nc.close();
    }
  } catch (error) {
    return (error as Error).message;
  }
}

/** Streams the run created are named after the run id. */
async function deleteRunStreams(id: string): Promise<void> {
  const url = new URL(natsUrl);
  const nc = await connectNats({ servers: `${url.hostname}:${url.port || "4222"}`, timeout: 2000, reconnect: false });
  try {
    const jsm = await nc.jetstreamManager();
    for await (const name of jsm.streams.names()) if (name.includes(id)) await jsm.streams.delete(name);
  } finally {
    await nc.close();
  }
}

async function dropRunDatabases(id: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl });
  await client.connect();
  try {
    const rows = await client.query<{ datname: string }>("select datname from pg_database where datname like $1", [`%\\_${id}\\_%`]);
    for (const { datname } of rows.rows) await client.query(`drop database if exists "${datname}" with (force)`);
  } finally {
    await client.end();
  }
}

async function deleteRunKeys(id: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = "0";
    do {
      // Prefixes are croupier-test-<kind>-<run id>-<random>: match the run id anywhere in the name.
      const [next, keys] = await redis.scan(cursor, "MATCH", `croupier-test-*${id}*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

/**
 * The migrated databases every suite's new database is a copy of, made once per run (initdb and the
 * migrations cost seconds each time; a copy costs a fraction): an embedded (PGlite) data folder
 * (copied into an embedded test server's data folder) and its dump (loaded by the workers), and, when PostgreSQL is reachable, a PostgreSQL database the
 * suites' databases are created from as a template (named with the run id: dropped with the run's).
 */
async function migratedTemplates(
  id: string,
  withPostgres: boolean,
): Promise<{ pgliteDir: string; pgliteDump: string; postgresTemplate: string | null; dispose(): void }> {
  const dir = mkdtempSync(join(tmpdir(), "croupier-pglite-template-"));
  const embedded = (async () => {
    const db = await createPgliteDb(join(dir, "db"));
    await migrate(db);
    await db.close();
    const raw = await PGlite.create(join(dir, "db"));
    const dump = await raw.dumpDataDir("none");
    await raw.close();
    const file = join(dir, "migrated.tar");
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    return file;
  })();
  const server = (async () => {
    if (!withPostgres) return null;
    const name = `croupier_template_${id}_migrated`;
    const admin = new pg.Client({ connectionString: adminDatabaseUrl });
    await admin.connect();
    try {
      await admin.query(`create database "${name}"`);
    } finally {
      await admin.end();
    }
    const url = new URL(adminDatabaseUrl);
    url.pathname = `/${name}`;
    const db = createPgDb({ connectionString: url.toString(), poolConnectionsMax: 2, statementTimeoutMs: 60_000, applicationName: "croupier-test-template" });
    try {
      await migrate(db);
    } finally {
      await db.close();
    }
    return name;
  })();
  const [pgliteDump, postgresTemplate] = await Promise.all([embedded, server]);
  return { pgliteDir: join(dir, "db"), pgliteDump, postgresTemplate, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The tests that start `croupier` in a child process (test/support/process.ts, loadtest.ts) run the
 * build, dist/cli/croupier.js, as the package's bin does, instead of compiling the sources through tsx
 * at every start (seconds each on a busy machine). The build is brought up to date here, once per run,
 * before any test starts: scripts/build-if-stale.mjs (what `npm start` runs) compiles only when a
 * source is newer than the last build, so the children always run the current sources.
 */
function buildServer(): Promise<void> {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["scripts/build-if-stale.mjs"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`building dist/ for the tests that start croupier failed (exit ${code})`))));
  });
}

declare module "vitest" {
  export interface ProvidedContext {
    croupierServices: { runId: string; postgres: string; redis: string; nats: string };
    croupierTemplates: { pgliteDir: string; pgliteDump: string; postgresTemplate: string | null };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const id = `r${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
  process.env.CROUPIER_TEST_RUN_ID = id;
  const pgReason = await probePostgres();
  const redisReason = await probeRedis();
  const natsReason = await probeNats();
  for (const [name, reason] of [
    ["postgres", pgReason],
    ["redis", redisReason],
    ["nats", natsReason],
  ] as const) {
    if (reason === null) {
      process.env[`CROUPIER_TEST_${name.toUpperCase()}`] = "1";
      continue;
    }
    if (isCi) throw new Error(`CI=true and ${name} is unreachable (${reason}): its suites must run in CI`);
    process.env[`CROUPIER_TEST_${name.toUpperCase()}`] = reason;
    console.warn(`[croupier tests] skipping ${name} suites: ${name} unreachable (${reason})`);
  }
  project.provide("croupierServices", { runId: id, postgres: pgReason ?? "1", redis: redisReason ?? "1", nats: natsReason ?? "1" });
  const [templates] = await Promise.all([migratedTemplates(id, pgReason === null), buildServer()]);
  project.provide("croupierTemplates", { pgliteDir: templates.pgliteDir, pgliteDump: templates.pgliteDump, postgresTemplate: templates.postgresTemplate });
  return async () => {
    templates.dispose();
    if (pgReason === null) await dropRunDatabases(id);
    if (redisReason === null) await deleteRunKeys(id);
    if (natsReason === null) await deleteRunStreams(id);
  };
}
