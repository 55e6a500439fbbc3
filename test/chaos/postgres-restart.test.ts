// PostgreSQL restarted (`pg_ctl restart -m fast`: every session is ended) under two real `croupier
// serve` processes while players spin slots through the SDK, each spin under its own action id. The
// cluster is the test's own (the shared one serves the rest of the run); the nodes migrate it on
// start as in production. While it is down every caller gets a retryable code (never INTERNAL, never
// a result that was not written), no process exits, and each spin retried with its action id after
// recovery is applied exactly once: every balance is its deposit plus the acknowledged results, and
// the operator's ledger check is `ok` with debits equal to credits.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { CroupierClient, CroupierError } from "../../src/client/index.js";
import { createPgDb } from "../../src/adapters/postgres/sql-db.pg.js";
import { createSqlLedgerStore } from "../../src/adapters/postgres/ledger-store.sql.js";
import type { SqlDb } from "../../src/adapters/postgres/sql-db.js";
import { createWallet } from "../../src/app/wallet/index.js";
import { call } from "../support/http.js";
import { runCroupier, serveCroupier, type ServingProcess } from "../support/process.js";
import { privatePostgresAvailable, startPrivatePostgres, type PrivatePostgres } from "../support/private-services.js";
import { createShared, type Shared } from "../support/server.js";
import { isCi, redisUrl, serviceAvailable } from "../support/services.js";
import { newPlayer } from "../support/ws-client.js";
import { ifAssigned } from "../support/fixtures.js";

const staffPassword = "correct horse battery staple";
/** What a caller may be told while the database is down: each says "retry". */
const retryable = new Set(["CROUPIER_ERR_SERVICE_UNAVAILABLE", "CROUPIER_ERR_ROOM_UNAVAILABLE", "CLIENT_TIMEOUT", "CLIENT_DISCONNECTED"]);

describe.skipIf(!serviceAvailable("redis") || (!privatePostgresAvailable && !isCi))(
  "PostgreSQL restarted mid-traffic (real processes, a private cluster)",
  () => {
    let cluster: PrivatePostgres;
    let shared: Shared;
    let db: SqlDb;
    const nodes: ServingProcess[] = [];
    const clients: CroupierClient[] = [];

    beforeAll(async () => {
      cluster = await startPrivatePostgres();
      shared = await createShared("embedded");
    });

    afterAll(async () => {
      for (const c of clients) c.close();
      for (const n of nodes) await n.stop();
      await ifAssigned(db)?.close();
      await ifAssigned(shared)?.dispose();
      await ifAssigned(cluster)?.dispose();
    });

    it("answers retryable codes while it is down, and every spin retried with its action id is applied once", async () => {
      const databaseUrl = await cluster.createDatabase("croupier_chaos");
      const env = {
        DATABASE_URL: databaseUrl,
        REDIS_URL: redisUrl,
        CROUPIER_REDIS_KEY_PREFIX: shared.redisKeyPrefix,
        CROUPIER_DATA_DIR: shared.dataDir,
        LOG_LEVEL: "warn",
      };
      // One after another: the first migrates the empty database and creates the signing key.
      nodes.push(await serveCroupier(["--messages-per-second-max", "500"], env));
      nodes.push(await serveCroupier(["--messages-per-second-max", "500"], env));
      const staff = await runCroupier(
        ["user", "create", "--username", "chaosop", "--role", "operator", "--password-stdin", "--argon2-memory-kib", "8192", "--argon2-iterations", "1"],
        { stdin: `${staffPassword}\n`, env },
      );
      expect(staff.code, staff.stderr).toBe(0);
      db = createPgDb({ connectionString: databaseUrl, poolConnectionsMax: 2, statementTimeoutMs: 10_000, applicationName: "postgres-restart-test" });
      const wallet = createWallet(createSqlLedgerStore(db));
      const deposit = 100_000n;
      const people = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => newPlayer(nodes[i % 2]!.url, "pr")));
      for (const p of people)
        expect(
          (await wallet.deposit({ playerId: p.userId, currency: "EUR", amount: deposit, key: `d-${p.userId}`, reference: p.userId, provider: "test" })).status,
        ).toBe("ok");

      for (const [i, p] of people.entries()) {
        // One attempt per call: the test retries itself, to see every answer the outage gives.
        const client = new CroupierClient({ url: nodes[i % 2]!.url, WebSocket, accessToken: p.token, requestTimeoutMs: 8_000, actionAttemptsMax: 1 });
        clients.push(client);
        await client.connect();
        await client.join(`slots:${p.userId}`);
      }

      // Each player spins as fast as answers come, retrying a failed spin with the same action id
      // until it is acknowledged; then the next one.
      const results = people.map(() => new Map<string, { stakeMinor: string; totalWinMinor: string }>());
      const errors = new Map<string, number>();
      let spinning = true as boolean; // cleared by the test once the outage is over
      const spinners = people.map(async (p, i) => {
        for (let n = 0; spinning; n++) {
          const actionId = `s${n}`;
          for (;;) {
            try {
              const ack = await clients[i]!.act(`slots:${p.userId}`, { kind: "spin", stake: "1.00" }, { actionId });
              const result = ack.result as { stakeMinor: string; totalWinMinor: string } | undefined;
              expect(result, `${actionId} acknowledged (${ack.status}) without its result`).toBeDefined();
              results[i]!.set(actionId, result!);
              break;
            } catch (e) {
              const code = e instanceof CroupierError ? e.code : String(e);
              errors.set(code, (errors.get(code) ?? 0) + 1);
              await new Promise((r) => setTimeout(r, 100));
            }
          }
        }
      });
      // HTTP callers too: a wallet read during the outage is a 503 SERVICE_UNAVAILABLE or a 200.
      const httpStatuses: string[] = [];
      const reader = (async () => {
        while (spinning) {
          const read = await call<{ code?: string }>(nodes[0]!.url, "GET", "/v1/wallet", { token: people[0]!.token }).catch((e: unknown) => ({
            status: 0,
            body: { code: String(e) },
          }));
          httpStatuses.push(read.status === 200 ? "200" : `${read.status} ${read.body.code}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      })();

      const spun = () => results.reduce((n, r) => n + r.size, 0);
      while (spun() < 60) await new Promise((r) => setTimeout(r, 50));
      const before = spun();
      await cluster.restart("fast", 2_000);
      const restartedAt = spun();
      // Play goes on after the restart, on both nodes, without a restart of theirs.
      const deadline = Date.now() + 30_000;
      while (results.some((r) => r.size < restartedAt / people.length + 10)) {
        if (Date.now() > deadline)
          throw new Error(
            `play did not resume: ${JSON.stringify(results.map((r) => r.size))}, errors ${JSON.stringify([...errors])}\n${nodes.map((n) => n.output()).join("\n")}`,
          );
        await new Promise((r) => setTimeout(r, 100));
      }
      spinning = false;
      await Promise.all([...spinners, reader]);
      expect(before).toBeGreaterThan(0);
      for (const n of nodes) expect(n.child.exitCode).toBeNull();

      // The outage was seen, and only as codes that say "retry".
      expect([...errors.keys()].filter((code) => !retryable.has(code))).toEqual([]);
      expect([...errors.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      expect(httpStatuses.filter((s) => s !== "200" && s !== "503 CROUPIER_ERR_SERVICE_UNAVAILABLE")).toEqual([]);
      expect(httpStatuses).toContain("503 CROUPIER_ERR_SERVICE_UNAVAILABLE");

      // Each acknowledged spin moved money once: the balance is the deposit plus what the acks say.
      for (const [i, p] of people.entries()) {
        const net = [...results[i]!.values()].reduce((sum, r) => sum + BigInt(r.totalWinMinor) - BigInt(r.stakeMinor), 0n);
        const cash = (await wallet.balances(p.userId)).find((b) => b.purse === "cash");
        expect([i, cash?.balance, cash?.held]).toEqual([i, deposit + net, 0n]);
        const stakes = await db.query<{ n: bigint }>("select count(*)::bigint as n from game_bets where user_id = $1", [p.userId]);
        expect([i, stakes[0]!.n]).toEqual([i, BigInt(results[i]!.size)]);
      }
      const operator = await call<{ accessToken: string }>(nodes[1]!.url, "POST", "/v1/auth/login", { body: { login: "chaosop", password: staffPassword } });
      const check = await call<{ ok: boolean; currencies: Array<{ debits: string; credits: string }> }>(nodes[1]!.url, "GET", "/v1/operator/ledger/check", {
        token: operator.body.accessToken,
      });
      expect([check.status, check.body.ok]).toEqual([200, true]);
      for (const c of check.body.currencies) expect(c.debits).toBe(c.credits);
    }, 90_000);
  },
);
