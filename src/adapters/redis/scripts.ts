import type { Redis } from "ioredis";

/** A Lua script bound to a connection, called with its keys then its arguments. */
export type RedisScript = (...keysThenArgs: (string | number)[]) => Promise<unknown>;

/**
 * Registers a Lua script on a connection with ioredis' `defineCommand`: each call sends `EVALSHA` with
 * the script's digest, and the text only when the server answers NOSCRIPT (a restarted or flushed
 * Redis). `EVAL` would send and hash the whole text on every call, which on the append path of every
 * action cost more than the append itself.
 */
export function redisScript(redis: Redis, name: string, numberOfKeys: number, lua: string): RedisScript {
  redis.defineCommand(name, { numberOfKeys, lua });
  const command = (redis as unknown as Record<string, RedisScript>)[name];
  if (command === undefined) throw new Error(`ioredis did not define ${name}`);
  return command.bind(redis);
}
