// PostgreSQL and Redis for the benchmarks that run Croupier in production mode, when reachable:
// a fresh database per run (dropped after) and a fresh Redis key prefix.
import pg from "pg";
import { Redis } from "ioredis";
import { randomBytes } from "node:crypto";

export interface ProductionServices {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly redisKeyPrefix: string;
  dispose(): Promise<void>;
}

function adminUrl(): string {
  const url = new URL(process.env.DATABASE_URL ?? "postgres://127.0.0.1:5432/postgres");
  if (url.username === "" && !process.env.PGUSER) url.username = "postgres";
  return url.toString();
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function redisReachable(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** A database and a key prefix for one benchmark, or null (with the reason) when a service is not reachable. */
export async function productionServices(): Promise<ProductionServices | string> {
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  if (!(await redisReachable(redisUrl))) return `Redis not reachable at ${redisUrl}`;
  const name = `croupier_bench_${randomBytes(4).toString("hex")}`;
  try {
    await adminQuery(`create database "${name}"`);
  } catch (error) {
    return `PostgreSQL not usable: ${(error as Error).message}`;
  }
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    databaseUrl: url.toString(),
    redisUrl,
    redisKeyPrefix: `croupier-bench-${name}:`,
    /** Drops the database and deletes every key of the prefix (call it once the servers have stopped). */
    async dispose() {
      await adminQuery(`drop database if exists "${name}" with (force)`).catch(() => undefined);
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
      try {
        const keys = await redis.keys(`croupier-bench-${name}:*`);
        if (keys.length > 0) await redis.del(...keys);
      } catch {
        // Best effort: the keys also expire on their own (roomIdleMsMax).
      } finally {
        redis.disconnect();
      }
    },
  };
}
