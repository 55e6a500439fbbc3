// A real process approves a withdrawal and is killed with SIGKILL after the ledger write, while its
// provider call is in flight. After "restart" (a new process's relay, here this one), the payout is
// made once: the provider sees one call, the ledger holds one payout transfer. PostgreSQL only (two
// processes share the database).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { createSqlLedgerStore } from "../../src/adapters/postgres/ledger-store.sql.js";
import { createSqlPaymentsStore } from "../../src/adapters/postgres/payments-store.sql.js";
import { createSqlRequestKeyStore } from "../../src/adapters/postgres/payments-request-keys.sql.js";
import { SandboxPaymentProvider } from "../../src/adapters/sandbox-payments/sandbox-provider.js";
import { MemoryBus } from "../../src/adapters/memory/bus.memory.js";
import { Payments } from "../../src/app/payments/payments.service.js";
import { createWallet } from "../../src/app/wallet/index.js";
import { crashLimits } from "./fixtures/crash-limits.js";
import { clockAt } from "../support/manual-clock.js";
import { ifAssigned } from "../support/fixtures.js";

const postgres = databaseKinds.find((k) => k.name === "postgres");
const childScript = fileURLToPath(new URL("./fixtures/payout-crash-child.ts", import.meta.url));
const secret = "payout-crash-secret-0123456789";

describe.skipIf(!postgres?.available)("payout across a SIGKILL (postgres)", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await (postgres as NonNullable<typeof postgres>).create();
  });
  afterAll(async () => {
    await ifAssigned(database)?.dispose();
  });

  it("is paid once after the process dies between the ledger write and the provider call", async () => {
    let now = Date.now();
    const clock = clockAt(() => now);
    const sandbox = new SandboxPaymentProvider({ secret, webhookDelayMs: 60_000, webhookToleranceMs: 300_000, clock });
    const ledger = createSqlLedgerStore(database.db, { batchWaitMs: 1 });
    const wallet = createWallet(ledger);
    const payments = new Payments({
      store: createSqlPaymentsStore(database.db),
      requestKeys: createSqlRequestKeyStore(database.db),
      wallet,
      ledger,
      provider: sandbox,
      bus: new MemoryBus(),
      clock,
      log: { warn: () => undefined, error: () => undefined },
      limits: crashLimits,
    });
    const card = sandbox.tokenize({ number: "4242424242424242", expMonth: 12, expYear: 2099 }, now, "carol");
    if (card.status !== "ok") throw new Error("tokenize failed");
    expect(
      (await wallet.deposit({ playerId: "carol", currency: "EUR", amount: 10_000n, key: "fund:carol", reference: "fund", provider: "sandbox" })).status,
    ).toBe("ok");
    const requested = await payments.requestWithdrawal({ userId: "carol", requestKey: "w1", amount: "60.00", currency: "EUR", cardToken: card.token });
    if (!requested.ok) throw new Error(requested.error);

    const child = spawn(process.execPath, ["--import", "tsx", childScript, database.url as string, requested.value.id, secret], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child never reached the provider:\n${output}`)), 30_000);
      const onData = (d: Buffer) => {
        output += d.toString();
        if (output.includes("calling-provider")) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
    });
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");

    const payoutTransfers = async () =>
      Number((await database.db.query<{ n: bigint }>("select count(*) as n from ledger_transfers where kind = 'withdrawal_payout'"))[0]?.n ?? 0n);
    expect(await payoutTransfers()).toBe(1);
    expect((await payments.findWithdrawal(requested.value.id))?.status).toBe("approved");
    expect(sandbox.payoutCalls).toBe(0);

    // The dead process's lease runs out; the relay of a live one finishes the payout.
    expect(await payments.relay.pollOnce()).toBe(0);
    now = Date.now() + crashLimits.outboxLeaseMs + 1;
    expect(await payments.relay.pollOnce()).toBeGreaterThanOrEqual(1);
    expect(await payments.findWithdrawal(requested.value.id)).toMatchObject({ status: "paid", decidedBy: "operator-in-child" });
    expect(sandbox.payoutCalls).toBe(1);
    expect(sandbox.payoutsMade.map((p) => p.reference)).toEqual([requested.value.id]);
    expect(await payoutTransfers()).toBe(1);
    expect((await wallet.check()).ok).toBe(true);
    sandbox.close();
    await ledger.close();
  });
});
