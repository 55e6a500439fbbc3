// Table-driven cases for the pure ledger rules (src/engine/ledger), one operation or batch at a time.
import { describe, expect, it } from "vitest";
import {
  canonicalRequest,
  emptyLedgerView,
  judgeBatch,
  type AccountKind,
  type LedgerOp,
  type LedgerOutcome,
  type LedgerView,
} from "../../src/engine/ledger/index.js";

const C = "XTS";
const ids = { p: 1n, bonus: 2n, house: 3n, jackpot: 4n, clearing: 5n, pending: 6n, eur: 7n, p2: 8n } as const;

function world(balances: Partial<Record<keyof typeof ids, bigint>> = {}): LedgerView {
  const view = emptyLedgerView();
  const add = (name: keyof typeof ids, kind: AccountKind, currency = C) =>
    view.accounts.set(ids[name], { id: ids[name], owner: name, kind, currency, balance: balances[name] ?? 0n, held: 0n });
  add("p", "player_cash");
  add("bonus", "player_bonus");
  add("house", "house");
  add("jackpot", "jackpot_pool");
  add("clearing", "payment_clearing");
  add("pending", "withdrawals_pending");
  add("eur", "player_cash", "EUR");
  add("p2", "player_cash");
  return view;
}

const judge = (view: LedgerView, ...ops: LedgerOp[]): LedgerOutcome[] =>
  judgeBatch(
    view,
    ops.map((op) => ({ op, fingerprint: canonicalRequest(op) })),
  ).outcomes;
const status = (view: LedgerView, op: LedgerOp): string => judge(view, op)[0]!.status;

const reserve = (key: string, amount: bigint, holdId = "h1", accountId: bigint = ids.p): LedgerOp => ({
  type: "reserve",
  key,
  currency: C,
  holdId,
  accountId,
  amount,
  reference: "round-1",
});
const settle = (key: string, win = 0n, holdId = "h1", from: bigint = ids.house): LedgerOp => ({
  type: "settle",
  key,
  currency: C,
  holdId,
  houseAccountId: ids.house,
  payouts: win === 0n ? [] : [{ fromAccountId: from, amount: win }],
});
const voidHold = (key: string, holdId = "h1"): LedgerOp => ({ type: "void", key, currency: C, holdId });
const instant = (key: string, stake: bigint, win = 0n, accountId: bigint = ids.p): LedgerOp => ({
  type: "instant",
  key,
  currency: C,
  accountId,
  houseAccountId: ids.house,
  stake,
  payouts: win === 0n ? [] : [{ fromAccountId: ids.house, amount: win }],
  reference: "spin",
});
const transfer = (
  key: string,
  kind: Extract<LedgerOp, { type: "transfer" }>["kind"],
  debit: bigint,
  credit: bigint,
  amount: bigint,
  currency = C,
): LedgerOp => ({ type: "transfer", key, currency, kind, debitAccountId: debit, creditAccountId: credit, amount, reference: "ref" });

describe("ledger rules", () => {
  it("reserve holds the stake: the balance stays, the available amount drops", () => {
    const view = world({ p: 1000n });
    expect(judge(view, reserve("r", 300n))[0]).toEqual({ status: "ok", replayed: false, balances: [{ accountId: ids.p, balance: 1000n, held: 300n }] });
    expect(status(view, reserve("r2", 701n, "h2"))).toBe("insufficient_funds");
    expect(status(view, reserve("r3", 700n, "h3"))).toBe("ok");
  });

  it("settle posts the stake to the house and pays the win; the hold resolves once", () => {
    const view = world({ p: 1000n });
    judge(view, reserve("r", 300n));
    expect(judge(view, settle("s", 500n))[0]).toEqual({ status: "ok", replayed: false, balances: [{ accountId: ids.p, balance: 1200n, held: 0n }] });
    expect(view.accounts.get(ids.house)?.balance).toBe(-200n);
    expect(status(view, settle("s2", 0n))).toBe("hold_already_resolved");
    expect(status(view, voidHold("v"))).toBe("hold_already_resolved");
    expect(view.holds.get("h1")?.status).toBe("posted");
  });

  it("void releases the hold and writes no transfer", () => {
    const view = world({ p: 1000n });
    judge(view, reserve("r", 300n));
    const { outcomes, writes } = judgeBatch(view, [{ op: voidHold("v"), fingerprint: "v" }]);
    expect(outcomes[0]).toEqual({ status: "ok", replayed: false, balances: [{ accountId: ids.p, balance: 1000n, held: 0n }] });
    expect(writes.transfers).toEqual([]);
    expect(writes.holdsResolved).toEqual([{ id: "h1", status: "voided" }]);
    expect(status(view, settle("s"))).toBe("hold_already_resolved");
  });

  it("a jackpot win is paid from the pool only when the pool holds it", () => {
    const view = world({ p: 1000n, jackpot: 400n });
    judge(view, reserve("r", 100n));
    expect(status(view, settle("s1", 401n, "h1", ids.jackpot))).toBe("insufficient_funds");
    expect(view.holds.get("h1")?.status).toBe("pending");
    const outcome = judge(view, settle("s2", 400n, "h1", ids.jackpot))[0];
    expect(outcome).toEqual({
      status: "ok",
      replayed: false,
      balances: [
        { accountId: ids.p, balance: 1300n, held: 0n },
        { accountId: ids.jackpot, balance: 0n, held: 0n },
      ],
    });
  });

  it("instant needs the stake available before the win is paid", () => {
    const view = world({ p: 100n });
    expect(status(view, instant("i1", 101n, 1000n))).toBe("insufficient_funds");
    expect(judge(view, instant("i2", 100n, 250n))[0]).toMatchObject({ status: "ok", balances: [{ accountId: ids.p, balance: 250n, held: 0n }] });
    const { writes } = judgeBatch(view, [{ op: instant("i3", 50n, 20n), fingerprint: "i3" }]);
    expect(writes.transfers.map((t) => [t.kind, t.debitAccountId, t.creditAccountId, t.amount, t.leg])).toEqual([
      ["bet_stake", ids.p, ids.house, 50n, 0],
      ["bet_win", ids.house, ids.p, 20n, 1],
    ]);
  });

  it("the same key and request replays the first answer; another request under it is a conflict", () => {
    const view = world({ p: 1000n });
    const first = judge(view, instant("k", 100n, 0n))[0];
    const again = judge(view, instant("k", 100n, 0n))[0];
    expect(again).toEqual({ ...first, replayed: true });
    expect(view.accounts.get(ids.p)?.balance).toBe(900n);
    expect(status(view, instant("k", 200n, 0n))).toBe("idempotency_key_conflict");
    expect(status(view, reserve("k", 100n))).toBe("idempotency_key_conflict");
  });

  it("a failed operation records no key, so its key can be used again", () => {
    const view = world({ p: 50n });
    expect(status(view, instant("k", 100n))).toBe("insufficient_funds");
    expect(view.idempotency.has("k")).toBe(false);
    judge(view, transfer("d", "deposit", ids.clearing, ids.p, 100n));
    expect(status(view, instant("k", 100n))).toBe("ok");
  });

  it.each([
    ["zero amount", "amount_invalid", reserve("a", 0n)],
    ["negative amount", "amount_invalid", instant("a", -5n)],
    ["amount over the maximum", "amount_invalid", transfer("a", "deposit", ids.clearing, ids.p, 10n ** 15n + 1n)],
    ["negative win", "amount_invalid", instant("a", 5n, -1n)],
    ["unknown currency", "currency_unknown", { ...reserve("a", 5n), currency: "ZZZ" }],
    ["account of another currency", "currency_mismatch", reserve("a", 5n, "h9", ids.eur)],
    ["unknown account", "account_not_found", reserve("a", 5n, "h9", 99n)],
    ["hold on a house account", "account_kind_invalid", reserve("a", 5n, "h9", ids.house)],
    ["instant into a jackpot pool", "account_kind_invalid", instant("a", 5n, 0n, ids.jackpot)],
    ["deposit into a bonus account", "account_kind_invalid", transfer("a", "deposit", ids.clearing, ids.bonus, 5n)],
    ["withdrawal from the house", "account_kind_invalid", transfer("a", "withdrawal_request", ids.house, ids.pending, 5n)],
    ["transfer to itself", "request_invalid", transfer("a", "adjustment", ids.p, ids.p, 5n)],
    ["empty key", "request_invalid", reserve("", 5n)],
    ["oversized hold id", "request_invalid", reserve("a", 5n, "h".repeat(129))],
    [
      "too many payouts",
      "request_invalid",
      { ...instant("a", 5n), payouts: Array.from({ length: 5 }, () => ({ fromAccountId: ids.house, amount: 1n })) } as LedgerOp,
    ],
    ["settle of an unknown hold", "hold_not_found", settle("a", 0n, "nope")],
    ["void of an unknown hold", "hold_not_found", voidHold("a", "nope")],
    ["withdrawal beyond the balance", "insufficient_funds", transfer("a", "withdrawal_request", ids.p, ids.pending, 1001n)],
    ["bonus conversion from cash", "account_kind_invalid", transfer("a", "bonus_conversion", ids.p, ids.p2, 5n)],
    ["bonus conversion into the house", "account_kind_invalid", transfer("a", "bonus_conversion", ids.bonus, ids.house, 5n)],
    ["bonus forfeit from cash", "account_kind_invalid", transfer("a", "bonus_forfeit", ids.p, ids.house, 5n)],
    ["bonus forfeit into cash", "account_kind_invalid", transfer("a", "bonus_forfeit", ids.bonus, ids.p, 5n)],
    ["bonus conversion beyond the bonus purse", "insufficient_funds", transfer("a", "bonus_conversion", ids.bonus, ids.p, 1n)],
  ] as const)("%s is refused as %s and changes nothing", (_name, expected, op) => {
    const view = world({ p: 1000n });
    const before = JSON.stringify([...view.accounts.values()], (_k: string, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    const { outcomes, writes } = judgeBatch(view, [{ op, fingerprint: "f" }]);
    expect(outcomes[0]?.status).toBe(expected);
    expect(writes).toEqual({ transfers: [], accounts: [], holdsCreated: [], holdsResolved: [], idempotency: [] });
    expect(JSON.stringify([...view.accounts.values()], (_k: string, v: unknown) => (typeof v === "bigint" ? v.toString() : v))).toBe(before);
  });

  it("a bonus is granted from the house, converted to cash, and forfeited back: each one balanced transfer", () => {
    const view = world();
    const [granted, converted, forfeited] = judge(
      view,
      transfer("g", "bonus_grant", ids.house, ids.bonus, 1000n),
      transfer("c", "bonus_conversion", ids.bonus, ids.p, 600n),
      transfer("f", "bonus_forfeit", ids.bonus, ids.house, 400n),
    );
    expect([granted?.status, converted?.status, forfeited?.status]).toEqual(["ok", "ok", "ok"]);
    const balance = (id: bigint) => view.accounts.get(id)?.balance;
    expect([balance(ids.house), balance(ids.bonus), balance(ids.p)]).toEqual([-600n, 0n, 600n]);
    expect(status(view, transfer("f2", "bonus_forfeit", ids.bonus, ids.house, 1n))).toBe("insufficient_funds");
  });

  it("a hold id is used once; settle in another currency is refused", () => {
    const view = world({ p: 1000n });
    judge(view, reserve("r1", 10n));
    expect(status(view, reserve("r2", 10n))).toBe("hold_already_exists");
    expect(status(view, { ...settle("s"), currency: "EUR" })).toBe("currency_mismatch");
  });

  it("one operation's insufficient funds does not fail its neighbours in the batch", () => {
    const view = world({ p: 100n });
    const outcomes = judge(view, instant("a", 60n), instant("b", 60n), instant("c", 40n));
    expect(outcomes.map((o) => o.status)).toEqual(["ok", "insufficient_funds", "ok"]);
    expect(view.accounts.get(ids.p)?.balance).toBe(0n);
  });

  it("a batch writes each changed account once, with its final balance", () => {
    const view = world({ p: 1000n, p2: 1000n });
    const { writes } = judgeBatch(
      view,
      [instant("a", 10n), instant("b", 10n, 0n, ids.p2), instant("c", 10n)].map((op) => ({ op, fingerprint: op.key })),
    );
    expect(writes.accounts).toEqual([
      { accountId: ids.p, balance: 980n, held: 0n },
      { accountId: ids.house, balance: 30n, held: 0n },
      { accountId: ids.p2, balance: 990n, held: 0n },
    ]);
    expect(writes.idempotency.map((k) => k.key)).toEqual(["a", "b", "c"]);
  });

  it("a hold created and resolved in one batch is written once, resolved", () => {
    const view = world({ p: 1000n });
    const { writes } = judgeBatch(
      view,
      [reserve("r", 10n), settle("s", 5n)].map((op) => ({ op, fingerprint: op.key })),
    );
    expect(writes.holdsCreated.map((h) => [h.id, h.status])).toEqual([["h1", "posted"]]);
    expect(writes.holdsResolved).toEqual([]);
  });

  it("crashes on a broken invariant rather than writing it", () => {
    const view = world({ p: 100n });
    // Corrupt state no rule could produce: a pending hold its account's held amount does not count.
    view.holds.set("h1", { id: "h1", accountId: ids.p, currency: C, amount: 50n, reference: "r", status: "pending" });
    expect(() => judge(view, voidHold("v"))).toThrow(/invariant/);
  });

  it("fingerprints differ whenever the request differs", () => {
    const base = instant("k", 100n, 5n);
    expect(canonicalRequest(base)).toBe(canonicalRequest({ ...base }));
    for (const changed of [
      instant("k", 101n, 5n),
      instant("k", 100n, 6n),
      instant("k", 100n, 5n, ids.p2),
      { ...base, reference: "other" },
      { ...base, currency: "EUR" },
    ]) {
      expect(canonicalRequest(changed)).not.toBe(canonicalRequest(base));
    }
  });
});
