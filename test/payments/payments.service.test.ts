// The payments use cases over the SQL stores on both engines: a refused withdrawal retried with its
// key, the relay's retries and parking, the money events on the bus.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds, type TestDatabase } from "../support/databases.js";
import { createSqlLedgerStore } from "../../src/adapters/postgres/ledger-store.sql.js";
import { createSqlPaymentsStore } from "../../src/adapters/postgres/payments-store.sql.js";
import { createSqlRequestKeyStore } from "../../src/adapters/postgres/payments-request-keys.sql.js";
import { SandboxPaymentProvider } from "../../src/adapters/sandbox-payments/sandbox-provider.js";
import { MemoryBus } from "../../src/adapters/memory/bus.memory.js";
import { Payments, walletEventsChannel, type PaymentsDeps } from "../../src/app/payments/payments.service.js";
import type { PaymentProvider } from "../../src/app/ports/payment-provider.js";
import type { LedgerStore } from "../../src/app/ports/ledger-store.js";
import { createWallet, type Wallet } from "../../src/app/wallet/index.js";
import { clockAt } from "../support/manual-clock.js";
import { ifAssigned } from "../support/fixtures.js";
import { match } from "../support/matchers.js";

const limits = {
  withdrawalAmountMinorMin: 100,
  withdrawalsPerPeriodMax: 10,
  withdrawalPeriodMs: 86_400_000,
  paymentsProviderTimeoutMs: 5_000,
  outboxPollIntervalMs: 60_000,
  outboxLeaseMs: 10_000,
  outboxAttemptsMax: 3,
};

for (const kind of databaseKinds) {
  describe.skipIf(!kind.available)(`payments service on ${kind.name}`, () => {
    let database: TestDatabase;
    let ledger: LedgerStore;
    let wallet: Wallet;
    let now = Date.now();
    const clock = clockAt(() => now);
    const sandbox = new SandboxPaymentProvider({ secret: "service-test-secret-0123456789", webhookDelayMs: 60_000, webhookToleranceMs: 300_000, clock });
    /** A card token is bound to the player it was made for. */
    const tokenOf = (userId: string) => (sandbox.tokenize({ number: "4242424242424242", expMonth: 12, expYear: 2099 }, now, userId) as { token: string }).token;
    const errors: string[] = [];

    function payments(provider: PaymentProvider = sandbox, bus = new MemoryBus(), parts: Partial<PaymentsDeps> = {}): Payments {
      return new Payments({
        store: createSqlPaymentsStore(database.db),
        requestKeys: createSqlRequestKeyStore(database.db),
        wallet,
        ledger,
        provider,
        bus,
        clock,
        log: { warn: () => undefined, error: (_context, message) => errors.push(message) },
        limits,
        ...parts,
      });
    }

    beforeAll(async () => {
      database = await kind.create();
      ledger = createSqlLedgerStore(database.db, { batchWaitMs: 1 });
      wallet = createWallet(ledger);
    });
    afterAll(async () => {
      sandbox.close();
      await ifAssigned(ledger)?.close();
      await ifAssigned(database)?.dispose();
    });

    it("tries a refused withdrawal again under the same key once the money is there", async () => {
      const service = payments();
      const request = { userId: "dora", requestKey: "w-1", amount: "20.00", currency: "EUR", cardToken: tokenOf("dora") };
      expect(await service.requestWithdrawal(request)).toMatchObject({ ok: false, error: "WALLET_INSUFFICIENT_FUNDS" });
      expect(await service.requestWithdrawal(request)).toMatchObject({ ok: false, error: "WALLET_INSUFFICIENT_FUNDS" });
      await wallet.deposit({ playerId: "dora", currency: "EUR", amount: 5_000n, key: "fund:dora", reference: "fund", provider: "sandbox" });
      const accepted = await service.requestWithdrawal(request);
      expect(accepted).toMatchObject({ ok: true, value: { status: "pending", amount: 2_000n } });
      // The same request again is the same withdrawal; another body under the key is a conflict.
      expect(await service.requestWithdrawal(request)).toEqual(accepted);
      expect(await service.requestWithdrawal({ ...request, amount: "21.00" })).toMatchObject({ ok: false, error: "WALLET_IDEMPOTENCY_KEY_CONFLICT" });
      expect((await service.listWithdrawals({ status: "pending", limit: 10 })).withdrawals.map((w) => w.userId)).toEqual(["dora"]);
    });

    it("waits for the hold the relay claimed first, and answers its outcome (not busy)", async () => {
      // The relay's poll claims the hold between the request's commit and its own delivery.
      const sql = createSqlPaymentsStore(database.db);
      let service: Payments | null = null;
      const relayed: Promise<void>[] = [];
      const store = {
        ...sql,
        async createWithdrawal(...args: Parameters<typeof sql.createWithdrawal>) {
          const created = await sql.createWithdrawal(...args);
          for (const entry of await sql.claimOutbox({ nowMs: now, leaseMs: limits.outboxLeaseMs, limit: 10 }))
            relayed.push((service as Payments).relay.deliver(entry));
          return created;
        },
      };
      service = payments(sandbox, new MemoryBus(), { store });
      await wallet.deposit({ playerId: "fay", currency: "EUR", amount: 3_000n, key: "fund:fay", reference: "fund", provider: "sandbox" });
      const over = await service.requestWithdrawal({ userId: "fay", requestKey: "w-over", amount: "30.01", currency: "EUR", cardToken: tokenOf("fay") });
      expect(over).toMatchObject({ ok: false, error: "WALLET_INSUFFICIENT_FUNDS" });
      const fits = await service.requestWithdrawal({ userId: "fay", requestKey: "w-fits", amount: "30.00", currency: "EUR", cardToken: tokenOf("fay") });
      expect(fits).toMatchObject({ ok: true, value: { status: "pending" } });
      await Promise.all(relayed);
      expect(relayed.length).toBe(2);
    });

    it("answers busy only when the ledger was busy, and then nothing moved, nothing counts, and the key may try again", async () => {
      let busy = true;
      // The ledger's queue is full for the hold (a status the real store answers beyond queueOpsMax).
      const full: LedgerStore = { ...ledger, submit: (op) => (busy && op.key.endsWith(":hold") ? Promise.resolve({ status: "busy" }) : ledger.submit(op)) };
      const service = payments(sandbox, new MemoryBus(), { ledger: full, wallet: createWallet(full) });
      await wallet.deposit({ playerId: "gus", currency: "EUR", amount: 3_000n, key: "fund:gus", reference: "fund", provider: "sandbox" });
      const request = { userId: "gus", requestKey: "w-1", amount: "10.00", currency: "EUR", cardToken: tokenOf("gus") };
      expect(await service.requestWithdrawal(request)).toMatchObject({ ok: false, error: "WALLET_BUSY" });
      const cash = async () => (await wallet.balances("gus")).find((b) => b.purse === "cash");
      expect((await cash())?.balance).toBe(3_000n);
      expect(await database.db.query("select status, reason from payments_withdrawals where user_id = 'gus'")).toEqual([{ status: "refused", reason: "busy" }]);
      // The relay finds nothing left to do for it: it never holds the money later.
      now += 1_000;
      await service.relay.pollOnce();
      expect((await cash())?.balance).toBe(3_000n);
      busy = false;
      expect(await service.requestWithdrawal(request)).toMatchObject({ ok: true, value: { status: "pending", amount: 1_000n } });
      expect((await cash())?.balance).toBe(2_000n);
    });

    it("retries a payout the provider does not answer, then parks it after outboxAttemptsMax", async () => {
      let calls = 0;
      const down: PaymentProvider = {
        name: sandbox.name,
        describeToken: (t, owner) => sandbox.describeToken(t, owner),
        charge: (o) => sandbox.charge(o),
        verifyWebhook: (b, s, n) => sandbox.verifyWebhook(b, s, n),
        payout: async () => {
          calls += 1;
          throw new Error("connection refused");
        },
      };
      const events: string[] = [];
      const bus = new MemoryBus();
      await bus.subscribe(walletEventsChannel, (m) => events.push((JSON.parse(m) as { type: string }).type));
      const service = payments(down, bus);
      await wallet.deposit({ playerId: "eve", currency: "EUR", amount: 5_000n, key: "fund:eve", reference: "fund", provider: "sandbox" });
      const w = await service.requestWithdrawal({ userId: "eve", requestKey: "w-1", amount: "10.00", currency: "EUR", cardToken: tokenOf("eve") });
      if (!w.ok) throw new Error(w.error);
      expect(await service.approveWithdrawal(w.value.id, "op", { outsideClosedLoop: true })).toMatchObject({ ok: true, value: { status: "approved" } });
      expect(calls).toBe(1);
      expect(await service.relay.pollOnce()).toBe(0); // not due yet: back-off
      now += 60_001;
      await service.relay.pollOnce();
      now += 60_001;
      await service.relay.pollOnce();
      expect(calls).toBe(3);
      expect(errors).toContain("outbox entry parked: an operator must resolve it");
      now += 60_001;
      expect(await service.relay.pollOnce()).toBe(0);
      expect(calls).toBe(3);
      expect((await service.findWithdrawal(w.value.id))?.status).toBe("approved");

      // The provider is back; an operator would un-park it. A new approval of another withdrawal pays.
      const fine = payments(sandbox, bus);
      const w2 = await fine.requestWithdrawal({ userId: "eve", requestKey: "w-2", amount: "10.00", currency: "EUR", cardToken: tokenOf("eve") });
      if (!w2.ok) throw new Error(w2.error);
      expect(await fine.approveWithdrawal(w2.value.id, "op", { outsideClosedLoop: true })).toMatchObject({ ok: true, value: { status: "paid" } });
      expect(events).toEqual(["withdrawal.requested", "withdrawal.requested", "withdrawal.paid"]);

      // The operator finds the parked payout, with why, and puts it back: paid once, and only a parked entry goes back.
      const [parked, ...others] = await fine.listOutbox("parked", 50);
      expect(others).toEqual([]);
      expect(parked).toMatchObject({ kind: "withdrawal.payout", subjectId: w.value.id, attempts: 3, lastError: match.stringContaining("connection refused") });
      expect(parked?.parkedMs).not.toBeNull();
      expect(await fine.requeueOutbox(parked?.id ?? 0n)).toBe(true);
      expect(await fine.requeueOutbox(parked?.id ?? 0n)).toBe(false); // waiting now, not parked
      expect(await fine.listOutbox("waiting", 50)).toMatchObject([{ id: parked?.id, attempts: 0 }]);
      await fine.relay.pollOnce();
      expect((await fine.findWithdrawal(w.value.id))?.status).toBe("paid");
      expect(await fine.listOutbox("parked", 50)).toEqual([]);
      expect(await fine.requeueOutbox(parked?.id ?? 0n)).toBe(false); // delivered
      expect(events).toEqual(["withdrawal.requested", "withdrawal.requested", "withdrawal.paid", "withdrawal.paid"]);
      expect((await wallet.check()).ok).toBe(true);
    });
  });
}
