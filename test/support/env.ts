// Where the services are, read once from the environment (shared by the global setup and the tests).
export const isCi = process.env.CI === "true" || process.env.CI === "1";
export const adminDatabaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
export const natsUrl = process.env.NATS_URL ?? "nats://127.0.0.1:4222";
