// One table behind its real room host, room log, ledger and round store (embedded engine), on a
// synthetic clock: what the *-clock table tests share.
import { expect } from "vitest";
import { MemoryRoomLease } from "../../src/adapters/memory/room-lease.memory.js";
import { MemoryRoomLog } from "../../src/adapters/memory/room-log.memory.js";
import { createSqlLedgerStore } from "../../src/adapters/postgres/ledger-store.sql.js";
import { SqlRoundStore } from "../../src/adapters/postgres/round-store.sql.js";
import type { RoomBehavior } from "../../src/app/rooms/room-behavior.js";
import { RoomHost, type HostLimits } from "../../src/app/rooms/room-host.js";
import { createTableEffectRunner } from "../../src/app/tables/table-effect-runner.js";
import { createWallet, type Wallet } from "../../src/app/wallet/index.js";
import { SeededRng } from "../../src/engine/rng/index.js";
import { databaseKinds, type TestDatabase } from "./databases.js";
import { ManualClock } from "./manual-clock.js";

const hostLimits: HostLimits = {
  revealLeadMs: 0,
  chatCharsMax: 100,
  chatMessagesPerMinuteMax: 10,
  roomActionQueueMax: 100,
  actionIdsRememberedMax: 1_000,
  roomLogEntriesMax: 1_000,
};

export interface ClockedTable {
  readonly database: TestDatabase;
  readonly clock: ManualClock;
  readonly wallet: Wallet;
  readonly rounds: SqlRoundStore;
  readonly log: MemoryRoomLog;
  readonly host: RoomHost;
  /** The data of the room's events of `kind`, in order. */
  events: (kind: string) => Promise<Record<string, unknown>[]>;
  cash: (userId: string) => Promise<{ balance: bigint; held: bigint } | undefined>;
  /**
   * Polls `read` after whatever the clock's timers started has finished, without moving time: timers
   * already due run (advance(0)) and the read is retried on a loaded machine, where the embedded
   * database's writes may outlast ManualClock's own settling.
   */
  eventually: <T>(read: () => Promise<T>) => ReturnType<typeof expect.poll<T>>;
  /** An action as a client sends it: naming the last offset it has seen. */
  act: (userId: string, action: Record<string, unknown>, options?: { roles?: string[]; actionId?: string }) => ReturnType<RoomHost["submit"]>;
  close(): Promise<void>;
}

let actions = 0;

export async function clockedTable(room: string, behavior: RoomBehavior, seed: string): Promise<ClockedTable> {
  const database = await databaseKinds[0]!.create();
  const clock = new ManualClock();
  const wallet = createWallet(createSqlLedgerStore(database.db, { batchWaitMs: 0 }));
  const rounds = new SqlRoundStore(database.db);
  const lease = new MemoryRoomLease(clock);
  const log = new MemoryRoomLog(lease, { roomLogEntriesMax: 1_000, roomLogAgeMsMax: 3_600_000 }, "c");
  const fence = (await lease.acquire(room, "n1", 3_600_000)) as number;
  const effects = createTableEffectRunner({ wallet, rng: new SeededRng(seed), rounds, clock });
  const host = await RoomHost.open<unknown>(room, fence, behavior, log, clock, hostLimits, () => undefined, effects);
  return {
    database,
    clock,
    wallet,
    rounds,
    log,
    host,
    events: async (kind) => (await log.read(room, 0, 1_000)).entries.filter((e) => e.kind === kind).map((e) => e.data as Record<string, unknown>),
    cash: async (userId) => (await wallet.balances(userId)).find((b) => b.purse === "cash" && b.currency === "EUR"),
    eventually: (read) =>
      expect.poll(
        async () => {
          await clock.advance(0);
          return read();
        },
        { timeout: 10_000, interval: 20 },
      ),
    act: async (userId, action, options = {}) =>
      host.submit({
        type: "action",
        actor: { userId, roles: (options.roles ?? []) as never },
        actionId: options.actionId ?? `a${actions++}`,
        lastOffset: (await log.head(room)).offset,
        action: action as never,
      }),
    async close() {
      host.stop();
      await database.dispose();
    },
  };
}
