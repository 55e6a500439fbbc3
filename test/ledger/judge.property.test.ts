// Random sequences of ledger operations, judged by the pure rules and replayed against a simple
// model of balances, holds and keys: after every step the two agree, money is conserved, nothing
// that holds a player's money goes negative, and a failed step changes nothing.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  canonicalRequest,
  emptyLedgerView,
  judgeBatch,
  negativeAllowedKinds,
  type AccountKind,
  type LedgerOp,
  type LedgerOutcome,
  type LedgerView,
} from "../../src/engine/ledger/index.js";

const C = "XTS";
const players = [1n, 2n, 3n];
const pendings = [21n, 22n, 23n];
const HOUSE = 10n,
  JACKPOT = 11n,
  CLEARING = 12n;

function newView(): LedgerView {
  const view = emptyLedgerView();
  const add = (id: bigint, kind: AccountKind) => view.accounts.set(id, { id, owner: `o${id}`, kind, currency: C, balance: 0n, held: 0n });
  players.forEach((id) => add(id, "player_cash"));
  pendings.forEach((id) => add(id, "withdrawals_pending"));
  add(HOUSE, "house");
  add(JACKPOT, "jackpot_pool");
  add(CLEARING, "payment_clearing");
  return view;
}

const key = fc.integer({ min: 0, max: 29 }).map((n) => `k${n}`);
const hold = fc.integer({ min: 0, max: 7 }).map((n) => `h${n}`);
const player = fc.integer({ min: 0, max: 2 });
const amount = (max: number) => fc.bigInt({ min: 1n, max: BigInt(max) });

const opArb: fc.Arbitrary<LedgerOp> = fc.oneof(
  fc.record({ key, p: player, a: amount(1000) }).map(({ key, p, a }): LedgerOp => ({
    type: "transfer",
    kind: "deposit",
    key,
    currency: C,
    debitAccountId: CLEARING,
    creditAccountId: players[p]!,
    amount: a,
    reference: "d",
  })),
  fc.record({ key, p: player, a: amount(500) }).map(({ key, p, a }): LedgerOp => ({
    type: "transfer",
    kind: "withdrawal_request",
    key,
    currency: C,
    debitAccountId: players[p]!,
    creditAccountId: pendings[p]!,
    amount: a,
    reference: "w",
  })),
  fc.record({ key, a: amount(100) }).map(({ key, a }): LedgerOp => ({
    type: "transfer",
    kind: "jackpot_contribution",
    key,
    currency: C,
    debitAccountId: HOUSE,
    creditAccountId: JACKPOT,
    amount: a,
    reference: "j",
  })),
  fc
    .record({ key, h: hold, p: player, a: amount(500) })
    .map(({ key, h, p, a }): LedgerOp => ({ type: "reserve", key, currency: C, holdId: h, accountId: players[p]!, amount: a, reference: "r" })),
  fc
    .record({ key, h: hold, win: fc.bigInt({ min: 0n, max: 600n }), jackpot: fc.option(amount(300), { nil: undefined }) })
    .map(({ key, h, win, jackpot }): LedgerOp => ({
      type: "settle",
      key,
      currency: C,
      holdId: h,
      houseAccountId: HOUSE,
      payouts: [...(win > 0n ? [{ fromAccountId: HOUSE, amount: win }] : []), ...(jackpot !== undefined ? [{ fromAccountId: JACKPOT, amount: jackpot }] : [])],
    })),
  fc.record({ key, h: hold }).map(({ key, h }): LedgerOp => ({ type: "void", key, currency: C, holdId: h })),
  fc.record({ key, p: player, stake: amount(300), win: fc.bigInt({ min: 0n, max: 600n }) }).map(({ key, p, stake, win }): LedgerOp => ({
    type: "instant",
    key,
    currency: C,
    accountId: players[p]!,
    houseAccountId: HOUSE,
    stake,
    payouts: win > 0n ? [{ fromAccountId: HOUSE, amount: win }] : [],
    reference: "s",
  })),
);

/** A sequence in which some steps repeat an earlier operation exactly (a client retry). */
const sequenceArb = fc
  .array(fc.oneof({ weight: 4, arbitrary: opArb.map((op) => ({ op })) }, { weight: 1, arbitrary: fc.nat().map((n) => ({ repeat: n })) }), {
    minLength: 1,
    maxLength: 60,
  })
  .map((steps) => {
    const ops: LedgerOp[] = [];
    for (const step of steps) {
      if ("op" in step) ops.push(step.op);
      else if (ops.length > 0) ops.push(ops[step.repeat % ops.length]!);
    }
    return ops;
  });

/** The model: plain balances, holds and keys, updated by the textbook effect of each operation. */
class Model {
  balance = new Map<bigint, bigint>();
  held = new Map<bigint, bigint>();
  holds = new Map<string, { account: bigint; amount: bigint; status: string }>();
  keys = new Map<string, { request: string; outcome: LedgerOutcome }>();

  available(id: bigint): bigint {
    return (this.balance.get(id) ?? 0n) - (this.held.get(id) ?? 0n);
  }

  private move(from: bigint, to: bigint, a: bigint): void {
    this.balance.set(from, (this.balance.get(from) ?? 0n) - a);
    this.balance.set(to, (this.balance.get(to) ?? 0n) + a);
  }

  private hold(id: bigint, delta: bigint): void {
    this.held.set(id, (this.held.get(id) ?? 0n) + delta);
  }

  /** The status the rules must give, applying the effect when it is ok. */
  step(op: LedgerOp): string {
    const recorded = this.keys.get(op.key);
    if (recorded !== undefined) return recorded.request === canonicalRequest(op) ? "replay" : "idempotency_key_conflict";
    switch (op.type) {
      case "transfer":
        if (op.kind === "withdrawal_request" && this.available(op.debitAccountId) < op.amount) return "insufficient_funds";
        this.move(op.debitAccountId, op.creditAccountId, op.amount);
        return "ok";
      case "reserve":
        if (this.holds.has(op.holdId)) return "hold_already_exists";
        if (this.available(op.accountId) < op.amount) return "insufficient_funds";
        this.holds.set(op.holdId, { account: op.accountId, amount: op.amount, status: "pending" });
        this.hold(op.accountId, op.amount);
        return "ok";
      case "settle":
      case "void": {
        const h = this.holds.get(op.holdId);
        if (h === undefined) return "hold_not_found";
        if (h.status !== "pending") return "hold_already_resolved";
        if (op.type === "void") {
          h.status = "voided";
          this.hold(h.account, -h.amount);
          return "ok";
        }
        const fromJackpot = op.payouts.filter((p) => p.fromAccountId === JACKPOT).reduce((s, p) => s + p.amount, 0n);
        if (this.available(JACKPOT) < fromJackpot) return "insufficient_funds";
        h.status = "posted";
        this.hold(h.account, -h.amount);
        this.move(h.account, HOUSE, h.amount);
        for (const p of op.payouts) this.move(p.fromAccountId, h.account, p.amount);
        return "ok";
      }
      case "instant":
        if (this.available(op.accountId) < op.stake) return "insufficient_funds";
        this.move(op.accountId, HOUSE, op.stake);
        for (const p of op.payouts) this.move(p.fromAccountId, op.accountId, p.amount);
        return "ok";
    }
  }
}

const snapshot = (view: LedgerView): string =>
  JSON.stringify([[...view.accounts.values()], [...view.holds.values()], [...view.idempotency.keys()]], (_k: string, v: unknown) =>
    typeof v === "bigint" ? v.toString() : v,
  );

function checkInvariants(view: LedgerView): void {
  let sum = 0n;
  const pendingHeld = new Map<bigint, bigint>();
  for (const h of view.holds.values()) if (h.status === "pending") pendingHeld.set(h.accountId, (pendingHeld.get(h.accountId) ?? 0n) + h.amount);
  for (const account of view.accounts.values()) {
    sum += account.balance;
    expect(account.held).toBe(pendingHeld.get(account.id) ?? 0n);
    if (!negativeAllowedKinds.has(account.kind)) expect(account.balance - account.held).toBeGreaterThanOrEqual(0n);
  }
  expect(sum).toBe(0n);
}

describe("ledger rules, property-based", () => {
  it("agree with the model after every step, conserve money and never go negative", () => {
    fc.assert(
      fc.property(sequenceArb, (ops) => {
        const view = newView();
        const model = new Model();
        for (const op of ops) {
          const before = snapshot(view);
          const outcome = judgeBatch(view, [{ op, fingerprint: canonicalRequest(op) }]).outcomes[0]!;
          const expected = model.step(op);
          if (expected === "replay") {
            expect(outcome).toEqual({ ...model.keys.get(op.key)!.outcome, replayed: true });
            expect(snapshot(view)).toBe(before);
          } else {
            expect(outcome.status).toBe(expected);
            if (outcome.status === "ok") model.keys.set(op.key, { request: canonicalRequest(op), outcome });
            else expect(snapshot(view)).toBe(before);
          }
          for (const account of view.accounts.values()) {
            expect(account.balance).toBe(model.balance.get(account.id) ?? 0n);
            expect(account.held).toBe(model.held.get(account.id) ?? 0n);
          }
          for (const [id, h] of model.holds) expect(view.holds.get(id)?.status).toBe(h.status);
          checkInvariants(view);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("judge a sequence as one batch exactly as one operation at a time", () => {
    fc.assert(
      fc.property(sequenceArb, (ops) => {
        const requests = ops.map((op) => ({ op, fingerprint: canonicalRequest(op) }));
        const oneByOne = newView();
        const sequential = requests.map((r) => judgeBatch(oneByOne, [r]).outcomes[0]);
        const batched = newView();
        const { outcomes, writes } = judgeBatch(batched, requests);
        expect(outcomes).toEqual(sequential);
        expect(snapshot(batched)).toBe(snapshot(oneByOne));
        // The writes of the batch are exactly the net change: one row per changed account, one key per accepted operation.
        expect(writes.idempotency.length).toBe(outcomes.filter((o) => o.status === "ok" && !o.replayed).length);
        for (const a of writes.accounts) expect(batched.accounts.get(a.accountId)?.balance).toBe(a.balance);
        checkInvariants(batched);
      }),
      { numRuns: 300 },
    );
  });
});
