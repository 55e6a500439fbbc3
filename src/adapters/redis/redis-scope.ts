import type { Redis } from "ioredis";

/**
 * The scope of a deployment in Redis: the start of every key and channel it uses,
 * `<redisKeyPrefix><deployment id>:<db number>:`. Keys alone are kept apart by the DB number, but
 * pub/sub is not (one channel namespace per server), so the DB number is part of the channel
 * names too; the deployment id (drawn once per database) keeps apart deployments that share a DB.
 */
export function redisScope(prefix: string, deploymentId: string, db: number): string {
  return `${prefix}${deploymentId}:${db}:`;
}

/** The DB number a connection selects (0 unless the URL or options chose another). */
export function redisDbOf(redis: Redis): number {
  return redis.options.db ?? 0;
}

export class RedisScopeTakenError extends Error {
  override readonly name = "RedisScopeTakenError";
}

/**
 * Marks the scope as this deployment's (`<scope>deployment` holds its database's id), or refuses
 * when another deployment already marked it: two deployments configured with the same deploymentId
 * on one Redis DB would otherwise share rooms, leases and throttles.
 */
export async function claimRedisScope(redis: Redis, scope: string, owner: string): Promise<void> {
  const key = `${scope}deployment`;
  if ((await redis.set(key, owner, "NX")) === "OK") return;
  const holder = await redis.get(key);
  if (holder !== null && holder !== owner) {
    throw new RedisScopeTakenError(
      `Redis scope ${scope} belongs to another deployment (database id ${holder}, ours ${owner}); ` +
        "give this one another deploymentId, redisKeyPrefix or Redis DB",
    );
  }
  if (holder === null) await redis.set(key, owner, "NX");
}
