// Redis restarted mid-round under two real `croupier serve` processes, with players on both betting
// at a roulette table through the SDK, in the two ways docs/OPERATIONS.md describes. A Redis that
// keeps no files (`--save ""`, no append-only file) comes back empty: the room's log, snapshot, lease
// and fence are gone, every client is reset into a new epoch and plays new rounds there, and the
// round in play is voided by the table's new epoch. A Redis with its append-only file
// (`appendfsync always`) comes back with everything: the room is taken over from its snapshot in
// the same epoch and clients resume without a reset. Either way every bet acknowledged before,
// during or after the restart is settled or refunded exactly once (no hold is left pending), no node
// exits, and the operator's ledger check is `ok`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { CroupierClient, CroupierError, type RoomEvent } from "../../src/client/index.js";
import { createPgDb } from "../../src/adapters/postgres/sql-db.pg.js";
import { createSqlLedgerStore } from "../../src/adapters/postgres/ledger-store.sql.js";
import type { SqlDb } from "../../src/adapters/postgres/sql-db.js";
import { createWallet } from "../../src/app/wallet/index.js";
import { call } from "../support/http.js";
import { runCroupier, serveCroupier, type ServingProcess } from "../support/process.js";
import { privateRedisAvailable, startPrivateRedis, type PrivateRedis } from "../support/private-services.js";
import { createShared, type Shared } from "../support/server.js";
import { isCi, serviceAvailable } from "../support/services.js";
import { newPlayer } from "../support/ws-client.js";
import { ifAssigned } from "../support/fixtures.js";
import { match } from "../support/matchers.js";

const room = "roulette:r1";
const flags = [
  "--roulette-tables",
  "r1",
  "--roulette-betting-ms",
  "3000",
  "--roulette-results-ms",
  "300",
  "--lease-ttl-ms",
  "2000",
  "--action-timeout-ms",
  "4000",
  "--messages-per-second-max",
  "200",
];
const staffPassword = "correct horse battery staple";
/** What a bet may be refused with around the restart (the SDK retries the retryable ones first). */
const refusals = new Set([
  "CROUPIER_ERR_BET_ROUND_CLOSED",
  "CROUPIER_ERR_SERVICE_UNAVAILABLE",
  "CROUPIER_ERR_ROOM_UNAVAILABLE",
  "CLIENT_TIMEOUT",
  "CLIENT_DISCONNECTED",
]);

interface Acked {
  readonly player: number;
  readonly roundId: string;
  readonly holdId: string;
  readonly afterRestart: boolean;
}

const cases = [
  { persistence: "none", appendonly: false, recovery: "reset" },
  { persistence: "an append-only file", appendonly: true, recovery: "resume" },
] as const;

describe.skipIf(!serviceAvailable("postgres") || (!privateRedisAvailable && !isCi)).each(cases)(
  "Redis with $persistence restarted mid-round (real processes, a private Redis)",
  ({ appendonly, recovery }) => {
    let redis: PrivateRedis;
    let shared: Shared;
    let db: SqlDb;
    const nodes: ServingProcess[] = [];
    const clients: CroupierClient[] = [];

    beforeAll(async () => {
      redis = await startPrivateRedis({ appendonly });
      shared = await createShared("production");
      db = createPgDb({
        connectionString: shared.databaseUrl as string,
        poolConnectionsMax: 4,
        statementTimeoutMs: 10_000,
        applicationName: "redis-restart-test",
      });
    });

    afterAll(async () => {
      for (const c of clients) c.close();
      for (const n of nodes) await n.stop();
      await ifAssigned(db)?.close();
      await ifAssigned(shared)?.dispose();
      await ifAssigned(redis)?.dispose();
    });

    it(`${recovery === "reset" ? "resets every client into a new epoch" : "resumes every client in the same epoch"}, loses no acknowledged bet, and the ledger check is ok`, async () => {
      const env = {
        DATABASE_URL: shared.databaseUrl as string,
        REDIS_URL: redis.url,
        CROUPIER_REDIS_KEY_PREFIX: shared.redisKeyPrefix,
        CROUPIER_DATA_DIR: shared.dataDir,
        LOG_LEVEL: "warn",
      };
      // One after another: the first creates the signing key in the shared folder.
      nodes.push(await serveCroupier(flags, env));
      nodes.push(await serveCroupier(flags, env));
      const staff = await runCroupier(
        ["user", "create", "--username", "chaosop", "--role", "operator", "--password-stdin", "--argon2-memory-kib", "8192", "--argon2-iterations", "1"],
        { stdin: `${staffPassword}\n`, env },
      );
      expect(staff.code, staff.stderr).toBe(0);
      const operator = await call<{ accessToken: string }>(nodes[0]!.url, "POST", "/v1/auth/login", { body: { login: "chaosop", password: staffPassword } });

      const wallet = createWallet(createSqlLedgerStore(db));
      const people = await Promise.all([0, 1, 2, 3].map((i) => newPlayer(nodes[i % 2]!.url, "rr")));
      for (const p of people)
        expect(
          (await wallet.deposit({ playerId: p.userId, currency: "EUR", amount: 100_000n, key: `d-${p.userId}`, reference: p.userId, provider: "test" })).status,
        ).toBe("ok");

      // Two players on each node, through the SDK, each recording the room's events and its resets.
      const events: RoomEvent[][] = people.map(() => []);
      const resets: string[][] = people.map(() => []);
      for (const [i, p] of people.entries()) {
        const client = new CroupierClient({ url: nodes[i % 2]!.url, WebSocket, accessToken: p.token, requestTimeoutMs: 6_000, actionAttemptsMax: 4 });
        client.on("event", (e) => e.room === room && events[i]!.push(e));
        client.on("reset", (r) => r.room === room && resets[i]!.push(r.epoch));
        clients.push(client);
        await client.connect();
        await client.join(room);
      }
      const opened = (i: number) => events[i]!.filter((e) => e.kind === "round.opened").at(-1);
      const ended = (i: number, roundId: string) =>
        events[i]!.some((e) => (e.kind === "round.settled" || e.kind === "round.voided") && (e.data as { roundId: string }).roundId === roundId);

      // Every player bets on the round in play every ~150 ms until told to stop; acknowledged bets and
      // refusals are both kept.
      const acked: Acked[] = [];
      const refused = new Map<string, number>();
      let restarted = false;
      let betting = true;
      const bettors = people.map(async (_, i) => {
        for (let n = 0; betting; n++) {
          const round = opened(i);
          const roundId = (round?.data as { roundId: string } | undefined)?.roundId;
          if (roundId !== undefined && !ended(i, roundId)) {
            const before = restarted;
            try {
              const ack = await clients[i]!.act(room, { kind: "bet", roundId, bets: [{ type: "red", amount: "1.00" }] }, { actionId: `p${i}-${n}` });
              const result = ack.result as { roundId: string; holdId: string } | undefined;
              if (result !== undefined) acked.push({ player: i, roundId: result.roundId, holdId: result.holdId, afterRestart: before });
            } catch (e) {
              const code = e instanceof CroupierError ? e.code : String(e);
              refused.set(code, (refused.get(code) ?? 0) + 1);
            }
          }
          await new Promise((r) => setTimeout(r, 150));
        }
      });

      // A round in play with bets acknowledged on both nodes: Redis goes down for a second, empty after.
      const deadline = Date.now() + 20_000;
      while (new Set(acked.map((a) => a.player % 2)).size < 2 || acked.length < 6) {
        if (Date.now() > deadline) throw new Error(`no bets acknowledged: ${JSON.stringify([...refused])}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const roundAtRestart = acked.at(-1)!.roundId;
      const epochBefore = clients[0]!.position(room)?.epoch;
      restarted = true;
      await redis.restart(1_000);

      // Every client is reset into the room's new epoch (or resumes in its epoch), and plays a round
      // opened after the restart to the end.
      for (let i = 0; i < people.length; i++) {
        const by = Date.now() + 30_000;
        for (;;) {
          const mine = acked.filter((a) => a.player === i && a.afterRestart && a.roundId !== roundAtRestart);
          if ((recovery === "resume" || resets[i]!.length > 0) && mine.some((a) => ended(i, a.roundId))) break;
          if (Date.now() > by)
            throw new Error(
              `player ${i} did not play on after the restart: resets ${JSON.stringify(resets[i])}, acked ${JSON.stringify(mine)}, refused ${JSON.stringify([...refused])}\n${nodes.map((n) => n.output()).join("\n")}`,
            );
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      betting = false;
      await Promise.all(bettors);
      // Refusals only ever said "retry" or "that round no longer takes bets"; never INTERNAL.
      expect([...refused.keys()].filter((code) => !refusals.has(code))).toEqual([]);
      const epochAfter = clients[0]!.position(room)?.epoch;
      if (recovery === "reset") expect(epochAfter).not.toBe(epochBefore);
      else expect([epochAfter, resets]).toEqual([epochBefore, people.map(() => [])]);
      for (const c of clients) expect(c.position(room)?.epoch).toBe(epochAfter);

      // Every acknowledged bet ends posted or voided: the round lost with Redis is refunded, the others
      // are settled or refunded by their own rounds. Nothing stays held.
      const holdIds = acked.map((a) => a.holdId);
      expect(new Set(holdIds).size).toBe(holdIds.length);
      let statuses: Array<{ id: string; status: string }> = [];
      const by = Date.now() + 20_000;
      for (;;) {
        statuses = await db.query<{ id: string; status: string }>("select id, status from ledger_holds where id = any($1::text[])", [holdIds]);
        if (statuses.length === holdIds.length && statuses.every((s) => s.status !== "pending")) break;
        if (Date.now() > by) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(statuses.filter((s) => s.status === "pending").map((s) => s.id)).toEqual([]);
      expect(statuses).toHaveLength(holdIds.length);
      expect(acked.some((a) => a.roundId === roundAtRestart)).toBe(true);
      const recalled = await db.query<{ status: string; void_reason: string | null }>("select status, void_reason from game_rounds where id = $1", [
        roundAtRestart,
      ]);
      if (recovery === "reset") {
        // The round lost with Redis is ended by the table's new epoch: game recall says it was voided
        // (its `round.voided` goes to the new epoch's log, before the snapshot a reset client starts from).
        expect(recalled).toEqual([{ status: "voided", void_reason: match.stringContaining("state was lost") }]);
      } else {
        // The round goes on from its snapshot: settled, or voided if its betting closed late; every
        // client saw how it ended.
        expect(["settled", "voided"]).toContain(recalled[0]?.status);
        for (let i = 0; i < people.length; i++) expect([i, ended(i, roundAtRestart)]).toEqual([i, true]);
      }
      for (const n of nodes) expect(n.child.exitCode).toBeNull();
      // Each player's stakes were taken once: nothing held, and the books balance.
      const pending = await db.query<{ n: bigint }>("select count(*)::bigint as n from ledger_holds where status = 'pending'");
      expect(pending[0]!.n).toBe(0n);
      for (const p of people) expect((await wallet.balances(p.userId)).find((b) => b.purse === "cash")?.held).toBe(0n);
      const check = await call<{ ok: boolean }>(nodes[1]!.url, "GET", "/v1/operator/ledger/check", { token: operator.body.accessToken });
      expect([check.status, check.body.ok]).toEqual([200, true]);
    }, 90_000);
  },
);
