// Two real `croupier serve` processes in production mode on one fresh database and Redis prefix, with
// a wallet of the test's own on the same database: what the failover and pause tests share.
import { createPgDb } from "../../src/adapters/postgres/sql-db.pg.js";
import { createSqlLedgerStore } from "../../src/adapters/postgres/ledger-store.sql.js";
import type { SqlDb } from "../../src/adapters/postgres/sql-db.js";
import { createWallet, type Wallet } from "../../src/app/wallet/index.js";
import { serveCroupier, type ServingProcess } from "./process.js";
import { createShared, type Shared } from "./server.js";
import { redisUrl } from "./services.js";

export interface TwoNodes {
  readonly shared: Shared;
  /** The node the test makes a room's owner (its first join), and the other one. */
  readonly owner: ServingProcess;
  readonly survivor: ServingProcess;
  readonly db: SqlDb;
  readonly wallet: Wallet;
  close(): Promise<void>;
}

export async function twoNodes(flags: string[], name: string): Promise<TwoNodes> {
  const shared = await createShared("production");
  const env = {
    DATABASE_URL: shared.databaseUrl as string,
    REDIS_URL: redisUrl,
    CROUPIER_REDIS_KEY_PREFIX: shared.redisKeyPrefix,
    CROUPIER_DATA_DIR: shared.dataDir,
    LOG_LEVEL: "warn",
  };
  const owner = await serveCroupier(flags, env);
  const survivor = await serveCroupier(flags, env);
  const db = createPgDb({ connectionString: shared.databaseUrl as string, poolConnectionsMax: 4, statementTimeoutMs: 10_000, applicationName: name });
  return {
    shared,
    owner,
    survivor,
    db,
    wallet: createWallet(createSqlLedgerStore(db)),
    async close() {
      await owner.stop();
      await survivor.stop();
      await db.close();
      await shared.dispose();
    },
  };
}
