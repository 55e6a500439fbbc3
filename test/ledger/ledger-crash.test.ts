// A real child process batching operations into PostgreSQL is killed with SIGKILL mid-stream.
// What it acknowledged must be in the database; what it did not must be wholly there or wholly
// absent; the books must balance; and re-sending everything with the same keys applies each
// operation exactly once.
import { spawn } from "node:child_process";
import { randomInt } from "node:crypto";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { createPgDb } from "../../src/adapters/postgres/sql-db.pg.js";
import { createSqlLedgerStore } from "../../src/adapters/postgres/ledger-store.sql.js";
import type { LedgerStore } from "../../src/app/ports/ledger-store.js";
import { crashCurrency, crashFundMinor, crashLegs, crashOp, type CrashPlan } from "./fixtures/crash-ops.js";
import { deposit, expectOk } from "./ledger-fixtures.js";
import { ifAssigned } from "../support/fixtures.js";

const postgres = databaseKinds.find((k) => k.name === "postgres")!;
const childScript = fileURLToPath(new URL("./fixtures/ledger-crash-child.ts", import.meta.url));
const opsTotal = 6_000;
const playersTotal = 100;

interface Ack {
  i: number;
  status: string;
  balance: string | null;
  replayed: boolean;
}

/** Runs the child; with `killAfterAcks`, kills it with SIGKILL once it has acknowledged that many operations. */
async function runChild(url: string, plan: CrashPlan, killAfterAcks: number | null): Promise<{ acks: Ack[]; finished: boolean }> {
  const child = spawn(process.execPath, ["--import", "tsx", childScript, url, plan.houseId.toString(), plan.players.join(","), String(plan.ops), "400"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const acks: Ack[] = [];
  let finished = false;
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  for await (const line of createInterface({ input: child.stdout })) {
    if (line === "ready") continue;
    if (line === "done") {
      finished = true;
      continue;
    }
    acks.push(JSON.parse(line) as Ack);
    if (acks.length === killAfterAcks) child.kill("SIGKILL");
  }
  const code = await exited;
  if (!finished && child.signalCode !== "SIGKILL") throw new Error(`child exited with ${code}: ${stderr}`);
  return { acks, finished };
}

describe.skipIf(!postgres.available)("ledger crash test on postgres", () => {
  let database: TestDatabase;
  let store: LedgerStore;
  let plan: CrashPlan;

  beforeAll(async () => {
    database = await postgres.create();
    store = createSqlLedgerStore(database.db, { batchWaitMs: 1 });
    const house = await store.openAccount({ owner: "game:crash", kind: "house", currency: crashCurrency });
    const clearing = await store.openAccount({ owner: "payments:crash", kind: "payment_clearing", currency: crashCurrency });
    const players = await Promise.all(
      Array.from({ length: playersTotal }, (_, i) => store.openAccount({ owner: `crash-player-${i}`, kind: "player_cash", currency: crashCurrency })),
    );
    for (const o of await Promise.all(players.map((p) => store.submit(deposit(clearing.id, p.id, crashFundMinor, `crash-fund-${p.id}`))))) expectOk(o);
    plan = { houseId: house.id, players: players.map((p) => p.id), ops: opsTotal };
  });
  afterAll(async () => {
    await ifAssigned(store)?.close();
    await ifAssigned(database)?.dispose();
  });

  it("keeps every acknowledged operation, applies none twice, and balances the books", async () => {
    // Somewhere in the first two thirds of the stream, different on every run.
    const killAfter = randomInt(500, (opsTotal * 2) / 3);
    const { acks, finished } = await runChild(database.url!, plan, killAfter);
    expect(finished).toBe(false);
    expect(acks.length).toBeGreaterThanOrEqual(killAfter);
    expect(acks.every((a) => a.status === "ok")).toBe(true);

    const db = database.db;
    // The dead child's last messages may still be running in its server sessions (a batch's writes and
    // its commit travel in one message): wait until they are gone, then read transfers and keys in one
    // snapshot, so the check sees one committed state, not a batch committing between two reads.
    for (let waited = 0; waited < 10_000; waited += 50) {
      const [row] = await db.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where application_name = 'croupier-crash-child'");
      if ((row?.n ?? 0) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const [legRows, keyRows] = await db.transaction(async (tx) => {
      await tx.query("set transaction isolation level repeatable read");
      return [
        await tx.query<{ op_key: string; n: bigint }>(
          "select op_key, count(*) n from ledger_transfers where op_key like 'crash-%' and op_key not like 'crash-fund-%' group by op_key",
        ),
        await tx.query<{ key: string }>("select key from ledger_idempotency where key like 'crash-%' and key not like 'crash-fund-%'"),
      ] as const;
    });
    const legs = new Map(legRows.map((r) => [r.op_key, Number(r.n)]));
    const keys = new Set(keyRows.map((r) => r.key));
    // Every acknowledged operation is there, with all its transfers.
    for (const ack of acks) {
      expect(keys.has(`crash-${ack.i}`)).toBe(true);
      expect(legs.get(`crash-${ack.i}`)).toBe(crashLegs(ack.i));
    }
    // Every other operation is wholly present (key and every leg) or wholly absent.
    for (let i = 0; i < opsTotal; i += 1) {
      const present = keys.has(`crash-${i}`);
      expect(legs.get(`crash-${i}`) ?? 0).toBe(present ? crashLegs(i) : 0);
    }
    const inDoubt = keys.size - acks.length;
    const afterCrash = await store.check();
    expect(afterCrash).toMatchObject({ ok: true, accountsNegative: 0, accountsMismatched: 0 });

    // Restart the child: it re-sends everything with the same keys. Acknowledged and in-doubt
    // operations replay their first answer; the rest apply once.
    const rerun = await runChild(database.url!, plan, null);
    expect(rerun.finished).toBe(true);
    expect(rerun.acks.length).toBe(opsTotal);
    const ackByOp = new Map(acks.map((a) => [a.i, a]));
    for (const again of rerun.acks) {
      expect(again.status).toBe("ok");
      expect(again.replayed).toBe(keys.has(`crash-${again.i}`));
      const ack = ackByOp.get(again.i);
      if (ack !== undefined) expect(again.balance).toBe(ack.balance);
    }
    const counts = await db.query<{ k: bigint; t: bigint }>(
      "select (select count(*) from ledger_idempotency where key like 'crash-%' and key not like 'crash-fund-%') k, (select count(*) from ledger_transfers where op_key like 'crash-%' and op_key not like 'crash-fund-%') t",
    );
    let legsTotal = 0;
    for (let i = 0; i < opsTotal; i += 1) legsTotal += crashLegs(i);
    expect(counts[0]).toEqual({ k: BigInt(opsTotal), t: BigInt(legsTotal) });
    // Each player's balance is exactly its funding plus its operations' wins minus their stakes.
    const expected = new Map(plan.players.map((id) => [id, crashFundMinor]));
    for (let i = 0; i < opsTotal; i += 1) {
      const op = crashOp(plan, i);
      if (op.type !== "instant") throw new Error("crash workload is instant spins");
      expected.set(op.accountId, (expected.get(op.accountId) ?? 0n) - op.stake + op.payouts.reduce((s, p) => s + p.amount, 0n));
    }
    const balances = await db.query<{ id: bigint; balance: bigint }>("select id, balance from ledger_accounts where kind = 'player_cash' order by id");
    for (const row of balances) expect(row.balance).toBe(expected.get(row.id));
    expect(await store.check()).toMatchObject({ ok: true });
    console.log(`crash test: killed after ${acks.length} acknowledgements; ${inDoubt} unacknowledged operations had committed`);
  }, 90_000);
});

describe.skipIf(!postgres.available)("ledger on postgres from two pools at once", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await postgres.create();
  });
  afterAll(async () => {
    await ifAssigned(database)?.dispose();
  });

  it("neither deadlocks nor applies a key twice across 10,000 bets on 1,000 accounts", async () => {
    const pools = [0, 1].map(() =>
      createPgDb({ connectionString: database.url!, poolConnectionsMax: 4, statementTimeoutMs: 30_000, applicationName: "croupier-multi" }),
    );
    const stores = pools.map((db) => createSqlLedgerStore(db, { batchOpsMax: 250, batchWaitMs: 2 }));
    const [a, b] = stores as [LedgerStore, LedgerStore];
    try {
      const house = await a.openAccount({ owner: "game:multi", kind: "house", currency: crashCurrency });
      const clearing = await a.openAccount({ owner: "payments:multi", kind: "payment_clearing", currency: crashCurrency });
      const players = await Promise.all(
        Array.from({ length: 1_000 }, (_, i) => (i % 2 === 0 ? a : b).openAccount({ owner: `multi-${i}`, kind: "player_cash", currency: crashCurrency })),
      );
      for (const o of await Promise.all(players.map((p, i) => (i % 2 === 0 ? b : a).submit(deposit(clearing.id, p.id, 100_000n, `multi-fund-${i}`)))))
        expectOk(o);

      // Each bet goes to one store and its repeats (a tenth of bets, 1 to 5 times) to either.
      const answers = new Map<string, { replayed: boolean; text: string }[]>();
      const record = (key: string, outcome: Awaited<ReturnType<LedgerStore["submit"]>>) => {
        expectOk(outcome);
        const list = answers.get(key) ?? [];
        list.push({
          replayed: outcome.replayed,
          text: JSON.stringify(outcome.balances, (_k: string, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
        });
        answers.set(key, list);
      };
      const send = async (i: number, key: string, op: Parameters<LedgerStore["submit"]>[0]) => {
        const repeats = i % 10 === 0 ? 1 + (i % 5) : 0;
        const sends = [stores[i % 2]!.submit(op), ...Array.from({ length: repeats }, (_, r) => stores[(i + r + 1) % 2]!.submit(op))];
        for (const outcome of await Promise.all(sends)) record(key, outcome);
      };
      const bet = async (i: number) => {
        const p = players[i % players.length]!.id;
        const stake = BigInt(100 + (i % 50));
        if (i % 2 === 0) {
          const win = i % 4 === 0 ? stake * 2n : 0n;
          await send(i, `m-${i}`, {
            type: "instant",
            key: `m-${i}`,
            currency: crashCurrency,
            accountId: p,
            houseAccountId: house.id,
            stake,
            payouts: win > 0n ? [{ fromAccountId: house.id, amount: win }] : [],
            reference: `m-${i}`,
          });
          return;
        }
        const holdId = `mh-${i}`;
        await send(i, `mr-${i}`, { type: "reserve", key: `mr-${i}`, currency: crashCurrency, holdId, accountId: p, amount: stake, reference: holdId });
        const resolve =
          i % 3 === 0
            ? { type: "void" as const, key: `mv-${i}`, currency: crashCurrency, holdId }
            : {
                type: "settle" as const,
                key: `ms-${i}`,
                currency: crashCurrency,
                holdId,
                houseAccountId: house.id,
                payouts: [{ fromAccountId: house.id, amount: stake }],
              };
        await send(i, resolve.key, resolve);
      };
      await Promise.all(Array.from({ length: 10_000 }, (_, i) => bet(i)));

      for (const [key, list] of answers) {
        const originals = list.filter((x) => !x.replayed);
        expect(originals.length, `key ${key} applied once`).toBe(1);
        for (const x of list) expect(x.text).toBe(originals[0]!.text);
      }
      const db = pools[0]!;
      const holds = await db.query<{ status: string; n: bigint }>("select status, count(*) n from ledger_holds group by status order by status");
      expect(holds).toEqual([
        { status: "posted", n: 3_333n },
        { status: "voided", n: 1_667n },
      ]);
      const stakes = await db.query<{ n: bigint }>("select count(*) n from ledger_transfers where hold_id is not null and kind = 'bet_stake'");
      expect(stakes[0]?.n).toBe(3_333n);
      const keys = await db.query<{ n: bigint }>("select count(*) n from ledger_idempotency");
      expect(keys[0]?.n).toBe(BigInt(answers.size + 1_000));
      expect(await a.check()).toMatchObject({ ok: true, accountsMismatched: 0, heldMismatched: 0, accountsNegative: 0 });
    } finally {
      for (const s of stores) await s.close();
      for (const p of pools) await p.close();
    }
  }, 90_000);
});
