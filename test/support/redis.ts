// A Redis connection and a key prefix of this run, for the Redis contract suites.
import { Redis } from "ioredis";
import { redisUrl, uniqueName } from "./services.js";

export function redisPrefix(): string {
  return `croupier-test-${uniqueName("k").replace(/_/g, "-")}:`;
}

export function connectRedis(): Redis {
  // As the server connects (src/main.ts): commands of one event-loop turn leave in one write.
  return new Redis(redisUrl, { maxRetriesPerRequest: 1, enableAutoPipelining: true });
}

export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
}
