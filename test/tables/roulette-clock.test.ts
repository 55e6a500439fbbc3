// A roulette table's whole round lifecycle on a synthetic clock: the table, its room host, the room
// log, the ledger and the round store are the real ones (embedded engine), only time is the test's.
// Fifteen seconds of betting and five of results pass in a few milliseconds, deterministically.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryRoomLease } from "../../src/adapters/memory/room-lease.memory.js";
import { MemoryRoomLog } from "../../src/adapters/memory/room-log.memory.js";
import { createSqlLedgerStore } from "../../src/adapters/postgres/ledger-store.sql.js";
import { SqlRoundStore } from "../../src/adapters/postgres/round-store.sql.js";
import type { HostLimits } from "../../src/app/rooms/room-host.js";
import { RoomHost } from "../../src/app/rooms/room-host.js";
import { defaultRouletteTable, rouletteTableBehavior } from "../../src/app/tables/roulette-table.js";
import { createTableEffectRunner } from "../../src/app/tables/table-effect-runner.js";
import { createWallet, type Wallet } from "../../src/app/wallet/index.js";
import { SeededRng } from "../../src/engine/rng/index.js";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { ManualClock } from "../support/manual-clock.js";

const room = "roulette:t1";
const hostLimits: HostLimits = { revealLeadMs: 0, chatCharsMax: 100, chatMessagesPerMinuteMax: 10, roomActionQueueMax: 100, actionIdsRememberedMax: 1_000, roomLogEntriesMax: 1_000 };
const reds = new Set([1, 3, 5, 7, 9, 12, 14, 16, 18, 19, 21, 23, 25, 27, 30, 32, 34, 36]);

describe("roulette table on a synthetic clock", () => {
  let database: TestDatabase;
  let clock: ManualClock;
  let wallet: Wallet;
  let host: RoomHost<unknown>;
  let log: MemoryRoomLog;
  let rounds: SqlRoundStore;

  beforeAll(async () => {
    database = await databaseKinds[0]!.create();
    clock = new ManualClock();
    wallet = createWallet(createSqlLedgerStore(database.db, { batchWaitMs: 0 }));
    rounds = new SqlRoundStore(database.db);
    const lease = new MemoryRoomLease(clock);
    log = new MemoryRoomLog(lease, { roomLogEntriesMax: 1_000, roomLogAgeMsMax: 3_600_000 }, "c");
    const fence = (await lease.acquire(room, "n1", 3_600_000)) as number;
    const effects = createTableEffectRunner({ wallet, rng: new SeededRng("roulette-clock"), rounds, clock, slots: new Map() });
    const behavior = rouletteTableBehavior(new Map([["t1", { ...defaultRouletteTable, bettingMs: 15_000, resultsMs: 5_000 }]]));
    host = await RoomHost.open(room, fence, behavior, log, clock, hostLimits, () => undefined, effects) as RoomHost<unknown>;
  });
  afterAll(async () => {
    host?.stop();
    await database?.dispose();
  });

  const events = async (kind: string) => (await log.read(room, 0, 1_000)).entries.filter((e) => e.kind === kind).map((e) => e.data as Record<string, unknown>);
  const cash = async (userId: string) => (await wallet.balances(userId)).find((b) => b.purse === "cash" && b.currency === "EUR");
  /**
   * Reads after whatever the clock's timers started has finished, without moving time: timers already
   * due run (advance(0)) and the read is retried on a loaded machine, where the embedded database's
   * writes may outlast ManualClock's own settling.
   */
  const eventually = <T>(read: () => Promise<T>) => expect.poll(async () => { await clock.advance(0); return read(); }, { timeout: 10_000, interval: 20 });
  // As a client would: the action names the last offset it has seen.
  const bet = async (userId: string, actionId: string, roundId: string, bets: unknown[]) =>
    host.submit({ type: "action", actor: { userId, roles: [] }, actionId, lastOffset: (await log.head(room)).offset, action: { kind: "bet", roundId, bets } });

  it("opens, takes bets, closes on time, draws, settles once and opens the next round — in milliseconds", async () => {
    const started = performance.now();
    await eventually(() => events("round.opened")).toHaveLength(1);
    const [opened] = await events("round.opened");
    expect(opened).toMatchObject({ closesAt: clock.nowMs() + 15_000 });
    const roundId = opened!.roundId as string;
    for (const user of ["alice", "bob"]) expect((await wallet.deposit({ playerId: user, currency: "EUR", amount: 10_000n, key: `d-${user}`, reference: "t", provider: "test" })).status).toBe("ok");

    const first = await bet("alice", "a1", roundId, [{ type: "red", amount: "10.00" }]);
    expect(first, JSON.stringify(first)).toMatchObject({ ok: true, status: "applied" });
    expect(await bet("bob", "b1", roundId, [{ type: "dozen", index: 2, amount: "5.00" }, { type: "straight", numbers: [17], amount: "1.00" }])).toMatchObject({ ok: true, status: "applied" });
    // A resent bet is answered again, not placed twice.
    expect(await bet("alice", "a1", roundId, [{ type: "red", amount: "10.00" }])).toMatchObject({ ok: true, status: "duplicate" });
    expect((await cash("alice"))?.held).toBe(1_000n);

    // 14.9 s in: still open. At 15 s it closes; a bet then is refused and changes nothing.
    await clock.advance(14_900);
    expect(await events("round.closed")).toEqual([]);
    await clock.advance(100);
    await eventually(() => events("round.closed")).toEqual([expect.objectContaining({ roundId, bets: 2 })]);
    const late = await bet("alice", "a2", roundId, [{ type: "black", amount: "1.00" }]);
    expect(late).toMatchObject({ ok: false, error: "BET_ROUND_CLOSED" });

    // The result and the settlement follow without more time passing.
    await eventually(() => events("round.settled")).toHaveLength(1);
    const [result] = await events("round.result");
    const number = result!.number as number;
    const [settled] = await events("round.settled");
    expect(settled).toMatchObject({ roundId, number, bets: 2 });
    const aliceWin = reds.has(number) ? 2_000n : 0n;
    const bobWin = (number >= 13 && number <= 24 ? 1_500n : 0n) + (number === 17 ? 3_600n : 0n);
    await eventually(() => cash("alice")).toMatchObject({ balance: 10_000n - 1_000n + aliceWin, held: 0n });
    await eventually(() => cash("bob")).toMatchObject({ balance: 10_000n - 600n + bobWin, held: 0n });
    await eventually(async () => (await rounds.find(roundId))?.status).toBe("settled");

    // Five seconds of results, then the next round.
    await clock.advance(4_999);
    expect(await events("round.opened")).toHaveLength(1);
    await clock.advance(1);
    await eventually(() => events("round.opened")).toHaveLength(2);
    expect(await wallet.check()).toMatchObject({ ok: true });
    // Twenty seconds of table time in less wall-clock time than that (a few hundred ms when idle):
    // no real timer was waited on.
    expect(performance.now() - started).toBeLessThan(19_000);
  });
});
