// The outbox carries a payout through a process that stops between the ledger write and the
// provider call (and between the provider call and recording it): after a restart the relay
// finishes it, and the provider sees one payout. Runs on the embedded engine and PostgreSQL.
import type { Clock } from "../../src/app/ports/clock.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { createSqlLedgerStore } from "../../src/adapters/postgres/ledger-store.sql.js";
import { createSqlPaymentsStore } from "../../src/adapters/postgres/payments-store.sql.js";
import { createSqlRequestKeyStore } from "../../src/adapters/postgres/payments-request-keys.sql.js";
import { SandboxPaymentProvider } from "../../src/adapters/sandbox-payments/sandbox-provider.js";
import { MemoryBus } from "../../src/adapters/memory/bus.memory.js";
import { Payments, walletEventsChannel } from "../../src/app/payments/payments.service.js";
import type { PaymentProvider } from "../../src/app/ports/payment-provider.js";
import type { LedgerStore } from "../../src/app/ports/ledger-store.js";
import { createWallet } from "../../src/app/wallet/index.js";
import { clockAt } from "../support/manual-clock.js";
import { ifAssigned } from "../support/fixtures.js";

const leaseMs = 30_000;
const limits = {
  withdrawalAmountMinorMin: 100,
  withdrawalsPerPeriodMax: 10,
  withdrawalPeriodMs: 86_400_000,
  paymentsProviderTimeoutMs: 5_000,
  outboxPollIntervalMs: 60_000,
  outboxLeaseMs: leaseMs,
  outboxAttemptsMax: 5,
};
const quiet = { warn: () => undefined, error: () => undefined };
const never = new Promise<never>(() => undefined);

/** One "process": its own ledger store (batcher), payments service and clock, over the shared database. */
function node(database: TestDatabase, provider: PaymentProvider, clock: Clock, bus = new MemoryBus()) {
  const ledger: LedgerStore = createSqlLedgerStore(database.db, { batchWaitMs: 1 });
  const wallet = createWallet(ledger);
  const payments = new Payments({
    store: createSqlPaymentsStore(database.db),
    requestKeys: createSqlRequestKeyStore(database.db),
    wallet,
    ledger,
    provider,
    bus,
    clock,
    log: quiet,
    limits,
  });
  return { ledger, wallet, payments, bus };
}

for (const kind of databaseKinds) {
  describe.skipIf(!kind.available)(`outbox across a restart on ${kind.name}`, () => {
    let database: TestDatabase;
    let now = Date.now();
    const clock = clockAt(() => now);
    // The provider lives outside Croupier: it outlives the restart and counts what it was asked.
    const sandbox = new SandboxPaymentProvider({ secret: "outbox-test-secret-0123456789", webhookDelayMs: 60_000, webhookToleranceMs: 300_000, clock });
    /** A card token is bound to the player it was made for. */
    const cardTokenOf = (playerId: string) => {
      const card = sandbox.tokenize({ number: "4242424242424242", expMonth: 12, expYear: 2099 }, Date.now(), playerId);
      return card.status === "ok" ? card.token : "";
    };

    beforeAll(async () => {
      database = await kind.create();
    });
    afterAll(async () => {
      sandbox.close();
      await ifAssigned(database)?.dispose();
    });

    async function pendingWithdrawal(playerId: string, payments: Payments, wallet: ReturnType<typeof createWallet>) {
      expect(
        (await wallet.deposit({ playerId, currency: "EUR", amount: 10_000n, key: `fund:${playerId}`, reference: "fund", provider: "sandbox" })).status,
      ).toBe("ok");
      const requested = await payments.requestWithdrawal({
        userId: playerId,
        requestKey: `w:${playerId}`,
        amount: "40.00",
        currency: "EUR",
        cardToken: cardTokenOf(playerId),
      });
      if (!requested.ok) throw new Error(requested.error);
      expect(requested.value.status).toBe("pending");
      return requested.value.id;
    }

    async function transfersOf(playerId: string, transferKind: string): Promise<number> {
      const rows = await database.db.query<{ n: bigint }>(
        `select count(*) as n from ledger_transfers t join ledger_accounts a on a.id = t.debit_account_id
         where a.owner = $1 and t.kind = $2`,
        [playerId, transferKind],
      );
      return Number(rows[0]?.n ?? 0n);
    }

    it("pays once when the process stops after the ledger write, before the provider call", async () => {
      // The first process's provider calls never leave the process: it dies before they do.
      const dying: PaymentProvider = { ...bind(sandbox), payout: () => never };
      const first = node(database, dying, clock);
      const id = await pendingWithdrawal("alice", first.payments, first.wallet);
      void first.payments.approveWithdrawal(id, "op-1", { outsideClosedLoop: true });
      // Wait for the ledger write: withdrawals pending -> clearing.
      await until(async () => (await transfersOf("alice", "withdrawal_payout")) === 1);
      expect((await first.payments.findWithdrawal(id))?.status).toBe("approved");
      expect(sandbox.payoutCalls).toBe(0);
      await first.payments.stop(); // the process is gone; its in-flight call is abandoned

      const events: string[] = [];
      const second = node(database, sandbox, clock);
      await second.bus.subscribe(walletEventsChannel, (m) => events.push((JSON.parse(m) as { type: string }).type));
      // Before the lease of the dead process runs out, nobody takes its entry.
      expect(await second.payments.relay.pollOnce()).toBe(0);
      now += leaseMs + 1;
      expect(await second.payments.relay.pollOnce()).toBeGreaterThanOrEqual(1);
      expect((await second.payments.findWithdrawal(id))?.status).toBe("paid");
      expect(sandbox.payoutCalls).toBe(1);
      expect(sandbox.payoutsMade.filter((p) => p.reference === id)).toHaveLength(1);
      expect(await transfersOf("alice", "withdrawal_payout")).toBe(1);
      expect(events).toContain("withdrawal.paid");
      // Nothing is left to deliver, and running again changes nothing.
      now += leaseMs + 1;
      expect(await second.payments.relay.pollOnce()).toBe(0);
      expect((await second.wallet.check()).ok).toBe(true);
      await second.payments.stop();
      await first.ledger.close();
      await second.ledger.close();
    });

    it("pays once when the process stops after the provider paid, before recording it", async () => {
      const callsBefore = sandbox.payoutCalls;
      // This provider reaches the real one, then the process dies before it hears the answer.
      const dying: PaymentProvider = {
        ...bind(sandbox),
        payout: async (order) => {
          await sandbox.payout(order);
          return never;
        },
      };
      const first = node(database, dying, clock);
      const id = await pendingWithdrawal("bob", first.payments, first.wallet);
      void first.payments.approveWithdrawal(id, "op-1", { outsideClosedLoop: true });
      await until(async () => sandbox.payoutCalls === callsBefore + 1);
      await first.payments.stop();

      const second = node(database, sandbox, clock);
      now += leaseMs + 1;
      await second.payments.relay.pollOnce();
      expect((await second.payments.findWithdrawal(id))?.status).toBe("paid");
      // Asked twice, paid once: the provider keeps one payout per idempotency key.
      expect(sandbox.payoutCalls).toBe(callsBefore + 2);
      expect(sandbox.payoutsMade.filter((p) => p.reference === id)).toHaveLength(1);
      expect(await transfersOf("bob", "withdrawal_payout")).toBe(1);
      await second.payments.stop();
      await first.ledger.close();
      await second.ledger.close();
    });
  });
}

function bind(provider: SandboxPaymentProvider): PaymentProvider {
  return {
    name: provider.name,
    describeToken: (token, owner) => provider.describeToken(token, owner),
    charge: (order) => provider.charge(order),
    payout: (order) => provider.payout(order),
    verifyWebhook: (body, signature, nowMs) => provider.verifyWebhook(body, signature, nowMs),
  };
}

async function until(probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error("condition not reached");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
