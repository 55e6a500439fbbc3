import { amountMinorMax } from "../money/amount.js";
import { findCurrency } from "../money/currency.js";
import { assert } from "./assert.js";
import { ledgerLimits } from "./ledger.limits.js";
import { negativeAllowedKinds, payoutSourceKinds, playerKinds } from "./ledger.types.js";
import type {
  AccountBalance,
  AccountState,
  HoldState,
  HoldStatus,
  IdempotencyRecord,
  InstantOp,
  LedgerFailureStatus,
  LedgerOp,
  LedgerOutcome,
  Payout,
  ReserveOp,
  SettleOp,
  TransferKind,
  TransferOp,
  TransferRecord,
  VoidOp,
} from "./ledger.types.js";
import { routeAllows } from "./transfer-routes.js";

/**
 * The state a batch is judged against: the locked accounts, the holds and the idempotency records
 * its operations name. Judging mutates it, so after a batch it is the state the store must write.
 */
export interface LedgerView {
  readonly accounts: Map<bigint, AccountState>;
  readonly holds: Map<string, HoldState>;
  readonly idempotency: Map<string, IdempotencyRecord>;
}

export interface LedgerRequest {
  readonly op: LedgerOp;
  /** Identifies the request behind the key (a hash of canonicalRequest(op) in the SQL store). */
  readonly fingerprint: string;
}

/** What a judged batch asks the store to write, all in one transaction. */
export interface BatchWrites {
  readonly transfers: TransferRecord[];
  /** Final balance and held of every account the batch changed. */
  readonly accounts: AccountBalance[];
  /** Holds the batch created, in their final status (one may be created and resolved in one batch). */
  readonly holdsCreated: HoldState[];
  /** Holds that existed before the batch and were resolved by it. */
  readonly holdsResolved: { readonly id: string; readonly status: Exclude<HoldStatus, "pending"> }[];
  readonly idempotency: { readonly key: string; readonly record: IdempotencyRecord }[];
}

export interface BatchJudgement {
  readonly outcomes: LedgerOutcome[];
  readonly writes: BatchWrites;
}

export function emptyLedgerView(): LedgerView {
  return { accounts: new Map(), holds: new Map(), idempotency: new Map() };
}

/**
 * Judges operations in order, each against the state its predecessors left. A failed operation
 * changes nothing, so it never fails its neighbours. Throws only when an invariant breaks.
 */
export function judgeBatch(view: LedgerView, requests: readonly LedgerRequest[]): BatchJudgement {
  const tracker = new BatchTracker(view);
  const outcomes = requests.map((request) => judgeOne(view, tracker, request));
  return { outcomes, writes: tracker.finish() };
}

type Step = LedgerFailureStatus | Effect;

/** The changes one accepted operation makes. Applied only when every account stays within bounds. */
interface Effect {
  readonly legs: Omit<TransferRecord, "opKey" | "leg" | "currency">[];
  readonly heldDeltas: readonly { readonly accountId: bigint; readonly delta: bigint }[];
  readonly holdCreated?: HoldState;
  readonly holdResolved?: { readonly hold: HoldState; readonly status: Exclude<HoldStatus, "pending"> };
  /** An amount the first leg's debit account must have available before anything is paid back. */
  readonly upfront?: { readonly accountId: bigint; readonly amount: bigint };
  /** The jackpot pool an instant bet names, and what it wins, for the outcome. */
  readonly jackpot?: { readonly poolAccountId: bigint; readonly win?: bigint };
}

function judgeOne(view: LedgerView, tracker: BatchTracker, { op, fingerprint }: LedgerRequest): LedgerOutcome {
  if (!idValid(op.key)) return { status: "request_invalid" };
  const recorded = view.idempotency.get(op.key);
  if (recorded !== undefined) {
    return recorded.fingerprint === fingerprint ? { ...recorded.outcome, replayed: true } : { status: "idempotency_key_conflict" };
  }
  if (findCurrency(op.currency) === null) return { status: "currency_unknown" };
  const step = plan(view, op);
  if (typeof step === "string") return { status: step };
  if (!fits(view, step)) return { status: "insufficient_funds" };
  const touched = tracker.apply(op, step);
  const outcome = { status: "ok", replayed: false, balances: touched, ...jackpotOutcome(view, step) } as const;
  view.idempotency.set(op.key, { fingerprint, outcome });
  tracker.recordKey(op.key, view.idempotency.get(op.key) as IdempotencyRecord);
  return outcome;
}

/** The pool is reported even when the bet moved nothing into or out of it (a contribution rounded to zero). */
function jackpotOutcome(view: LedgerView, effect: Effect): { jackpot?: { pool: bigint; win?: bigint } } {
  if (effect.jackpot === undefined) return {};
  const pool = view.accounts.get(effect.jackpot.poolAccountId);
  assert(pool !== undefined, "jackpot pool is locked");
  return { jackpot: { pool: pool.balance, ...(effect.jackpot.win === undefined ? {} : { win: effect.jackpot.win }) } };
}

function plan(view: LedgerView, op: LedgerOp): Step {
  switch (op.type) {
    case "reserve":
      return planReserve(view, op);
    case "settle":
      return planSettle(view, op);
    case "void":
      return planVoid(view, op);
    case "instant":
      return planInstant(view, op);
    case "transfer":
      return planTransfer(view, op);
  }
}

function planReserve(view: LedgerView, op: ReserveOp): Step {
  if (!idValid(op.holdId) || !referenceValid(op.reference)) return "request_invalid";
  if (!amountValid(op.amount)) return "amount_invalid";
  const account = accountOf(view, op.accountId, op.currency);
  if (typeof account === "string") return account;
  if (!playerKinds.has(account.kind)) return "account_kind_invalid";
  if (view.holds.has(op.holdId)) return "hold_already_exists";
  const hold: HoldState = { id: op.holdId, accountId: account.id, currency: op.currency, amount: op.amount, reference: op.reference, status: "pending" };
  return { legs: [], heldDeltas: [{ accountId: account.id, delta: op.amount }], holdCreated: hold };
}

function planSettle(view: LedgerView, op: SettleOp): Step {
  if (!idValid(op.holdId)) return "request_invalid";
  const hold = pendingHold(view, op.holdId, op.currency);
  if (typeof hold === "string") return hold;
  const house = accountOf(view, op.houseAccountId, op.currency);
  if (typeof house === "string") return house;
  if (house.kind !== "house") return "account_kind_invalid";
  const wins = payoutLegs(view, op.payouts, op.currency, hold.accountId, hold.id);
  if (typeof wins === "string") return wins;
  return {
    legs: [
      { debitAccountId: hold.accountId, creditAccountId: house.id, amount: hold.amount, kind: "bet_stake", reference: hold.reference, holdId: hold.id },
      ...wins,
    ],
    heldDeltas: [{ accountId: hold.accountId, delta: -hold.amount }],
    holdResolved: { hold, status: "posted" },
  };
}

function planVoid(view: LedgerView, op: VoidOp): Step {
  if (!idValid(op.holdId)) return "request_invalid";
  const hold = pendingHold(view, op.holdId, op.currency);
  if (typeof hold === "string") return hold;
  return { legs: [], heldDeltas: [{ accountId: hold.accountId, delta: -hold.amount }], holdResolved: { hold, status: "voided" } };
}

function planInstant(view: LedgerView, op: InstantOp): Step {
  if (!referenceValid(op.reference)) return "request_invalid";
  if (!amountValid(op.stake)) return "amount_invalid";
  const player = accountOf(view, op.accountId, op.currency);
  if (typeof player === "string") return player;
  if (!playerKinds.has(player.kind)) return "account_kind_invalid";
  const house = accountOf(view, op.houseAccountId, op.currency);
  if (typeof house === "string") return house;
  if (house.kind !== "house") return "account_kind_invalid";
  const wins = payoutLegs(view, op.payouts, op.currency, player.id, null, op.reference);
  if (typeof wins === "string") return wins;
  const jackpot = op.jackpot === undefined ? { legs: [] } : jackpotLegs(view, op, house.id, player.id);
  if (typeof jackpot === "string") return jackpot;
  return {
    legs: [
      { debitAccountId: player.id, creditAccountId: house.id, amount: op.stake, kind: "bet_stake", reference: op.reference, holdId: null },
      ...wins,
      ...jackpot.legs,
    ],
    heldDeltas: [],
    // The stake is paid before the win: a player with 1.00 cannot stake 5.00 on a spin that wins 10.00.
    upfront: { accountId: player.id, amount: op.stake },
    ...(op.jackpot === undefined ? {} : { jackpot: { poolAccountId: op.jackpot.poolAccountId, ...(jackpot.win === undefined ? {} : { win: jackpot.win }) } }),
  };
}

/**
 * The contribution (house -> pool), the win (pool -> player: everything the pool holds once the
 * contribution is in, and never less than the seed: an unseeded pool is topped up first) and the
 * re-seed (house -> pool, up to the seed). The win is read from the
 * pool's balance in the view, which the store locked, and operations are judged one after another,
 * so of two winners judged in turn the second finds the re-seeded pool: the pool is paid once.
 */
function jackpotLegs(view: LedgerView, op: InstantOp, houseId: bigint, playerId: bigint): { legs: Leg[]; win?: bigint } | LedgerFailureStatus {
  const { poolAccountId, contribution, won, seed } = op.jackpot as NonNullable<InstantOp["jackpot"]>;
  if (typeof won !== "boolean" || op.payouts.some((p) => p.fromAccountId === poolAccountId)) return "request_invalid";
  if (!(contribution === 0n || amountValid(contribution)) || !(seed === 0n || amountValid(seed))) return "amount_invalid";
  const pool = accountOf(view, poolAccountId, op.currency);
  if (typeof pool === "string") return pool;
  if (pool.kind !== "jackpot_pool") return "account_kind_invalid";
  const leg = (debitAccountId: bigint, creditAccountId: bigint, amount: bigint, kind: TransferKind): Leg => ({
    debitAccountId,
    creditAccountId,
    amount,
    kind,
    reference: op.reference,
    holdId: null,
  });
  const legs: Leg[] = [];
  if (contribution > 0n) legs.push(leg(houseId, pool.id, contribution, "jackpot_contribution"));
  let available = pool.balance - pool.held + contribution;
  // A winner is never paid less than the seed, even by a pool that was never seeded (the first spin).
  if (won && available < seed) {
    legs.push(leg(houseId, pool.id, seed - available, "jackpot_contribution"));
    available = seed;
  }
  const win = won ? available : undefined;
  if (win !== undefined && win > 0n) {
    legs.push(leg(pool.id, playerId, win, "jackpot_win"));
    available = 0n;
  }
  if (available < seed) legs.push(leg(houseId, pool.id, seed - available, "jackpot_contribution"));
  return win === undefined ? { legs } : { legs, win };
}

function planTransfer(view: LedgerView, op: TransferOp): Step {
  if (!referenceValid(op.reference) || op.debitAccountId === op.creditAccountId) return "request_invalid";
  if (!amountValid(op.amount)) return "amount_invalid";
  const debit = accountOf(view, op.debitAccountId, op.currency);
  if (typeof debit === "string") return debit;
  const credit = accountOf(view, op.creditAccountId, op.currency);
  if (typeof credit === "string") return credit;
  if (!routeAllows(op.kind, debit.kind, credit.kind)) return "account_kind_invalid";
  return {
    legs: [{ debitAccountId: debit.id, creditAccountId: credit.id, amount: op.amount, kind: op.kind, reference: op.reference, holdId: null }],
    heldDeltas: [],
  };
}

type Leg = Effect["legs"][number];

function payoutLegs(
  view: LedgerView,
  payouts: readonly Payout[],
  currency: string,
  toAccountId: bigint,
  holdId: string | null,
  reference?: string,
): Leg[] | LedgerFailureStatus {
  if (payouts.length > ledgerLimits.payoutsMax) return "request_invalid";
  const legs: Leg[] = [];
  for (const payout of payouts) {
    if (!amountValid(payout.amount)) return "amount_invalid";
    const source = accountOf(view, payout.fromAccountId, currency);
    if (typeof source === "string") return source;
    if (!payoutSourceKinds.has(source.kind)) return "account_kind_invalid";
    const kind: TransferKind = source.kind === "jackpot_pool" ? "jackpot_win" : "bet_win";
    const ref = reference ?? view.holds.get(holdId ?? "")?.reference ?? "";
    legs.push({ debitAccountId: source.id, creditAccountId: toAccountId, amount: payout.amount, kind, reference: ref, holdId });
  }
  return legs;
}

function pendingHold(view: LedgerView, holdId: string, currency: string): HoldState | LedgerFailureStatus {
  const hold = view.holds.get(holdId);
  if (hold === undefined) return "hold_not_found";
  if (hold.currency !== currency) return "currency_mismatch";
  if (hold.status !== "pending") return "hold_already_resolved";
  return hold;
}

function accountOf(view: LedgerView, id: bigint, currency: string): AccountState | LedgerFailureStatus {
  const account = view.accounts.get(id);
  if (account === undefined) return "account_not_found";
  return account.currency === currency ? account : "currency_mismatch";
}

/** Whether every account the effect touches stays within its bounds once it is applied. */
function fits(view: LedgerView, effect: Effect): boolean {
  if (effect.upfront !== undefined) {
    const payer = view.accounts.get(effect.upfront.accountId);
    assert(payer !== undefined, "upfront payer is locked");
    if (!negativeAllowedKinds.has(payer.kind) && payer.balance - payer.held < effect.upfront.amount) return false;
  }
  for (const [id, next] of projected(view, effect)) {
    const account = view.accounts.get(id);
    assert(account !== undefined, `account ${id} is locked`);
    // Held only drops by resolving a pending hold counted in it, so below zero means corrupt state.
    assert(next.held >= 0n, `account ${id} held stays non-negative`);
    if (!negativeAllowedKinds.has(account.kind) && next.balance - next.held < 0n) return false;
  }
  return true;
}

function projected(view: LedgerView, effect: Effect): Map<bigint, { balance: bigint; held: bigint }> {
  const next = new Map<bigint, { balance: bigint; held: bigint }>();
  const slot = (id: bigint) => {
    let entry = next.get(id);
    if (entry === undefined) {
      const account = view.accounts.get(id);
      assert(account !== undefined, `account ${id} is locked`);
      entry = { balance: account.balance, held: account.held };
      next.set(id, entry);
    }
    return entry;
  };
  for (const leg of effect.legs) {
    slot(leg.debitAccountId).balance -= leg.amount;
    slot(leg.creditAccountId).balance += leg.amount;
  }
  for (const { accountId, delta } of effect.heldDeltas) slot(accountId).held += delta;
  return next;
}

const idValid = (id: string): boolean => typeof id === "string" && id.length > 0 && id.length <= ledgerLimits.idCharsMax;
const referenceValid = (reference: string): boolean => typeof reference === "string" && reference.length <= ledgerLimits.idCharsMax;
const amountValid = (amount: bigint): boolean => typeof amount === "bigint" && amount > 0n && amount <= amountMinorMax;

/**
 * Applies accepted effects to the view and collects what the store must write. At the end it checks
 * the batch's books: per currency the balance changes sum to zero, each account changed by exactly
 * its credits minus its debits, and its held amount by exactly its holds' changes.
 */
class BatchTracker {
  private readonly initial = new Map<bigint, { balance: bigint; held: bigint }>();
  private readonly initialHolds = new Map<string, HoldStatus | null>();
  private readonly transfers: TransferRecord[] = [];
  private readonly keys: { key: string; record: IdempotencyRecord }[] = [];

  constructor(private readonly view: LedgerView) {}

  apply(op: LedgerOp, effect: Effect): AccountBalance[] {
    const touched: bigint[] = [];
    const touch = (id: bigint) => {
      const account = this.view.accounts.get(id);
      assert(account !== undefined, `account ${id} is locked`);
      if (!this.initial.has(id)) this.initial.set(id, { balance: account.balance, held: account.held });
      if (!touched.includes(id)) touched.push(id);
      return account;
    };
    effect.legs.forEach((leg, index) => {
      touch(leg.debitAccountId).balance -= leg.amount;
      touch(leg.creditAccountId).balance += leg.amount;
      this.transfers.push({ ...leg, opKey: op.key, leg: index, currency: op.currency });
    });
    for (const { accountId, delta } of effect.heldDeltas) touch(accountId).held += delta;
    if (effect.holdCreated !== undefined) {
      this.initialHolds.set(effect.holdCreated.id, null);
      this.view.holds.set(effect.holdCreated.id, effect.holdCreated);
    }
    if (effect.holdResolved !== undefined) {
      const { hold, status } = effect.holdResolved;
      if (!this.initialHolds.has(hold.id)) this.initialHolds.set(hold.id, hold.status);
      hold.status = status;
    }
    return touched
      .map((id) => this.view.accounts.get(id) as AccountState)
      .filter((account) => !negativeAllowedKinds.has(account.kind))
      .map((account) => ({ accountId: account.id, balance: account.balance, held: account.held }));
  }

  recordKey(key: string, record: IdempotencyRecord): void {
    this.keys.push({ key, record });
  }

  finish(): BatchWrites {
    this.checkBooks();
    const holdsCreated: HoldState[] = [];
    const holdsResolved: BatchWrites["holdsResolved"][number][] = [];
    for (const [id, before] of this.initialHolds) {
      const hold = this.view.holds.get(id) as HoldState;
      if (before === null) holdsCreated.push({ ...hold });
      else if (hold.status !== "pending") holdsResolved.push({ id, status: hold.status });
    }
    const accounts = [...this.initial.keys()].map((id) => {
      const account = this.view.accounts.get(id) as AccountState;
      return { accountId: id, balance: account.balance, held: account.held };
    });
    return { transfers: this.transfers, accounts, holdsCreated, holdsResolved, idempotency: this.keys };
  }

  private checkBooks(): void {
    const flow = new Map<bigint, bigint>();
    const perCurrency = new Map<string, bigint>();
    for (const t of this.transfers) {
      assert(t.amount > 0n, `transfer ${t.opKey}/${t.leg} has a positive amount`);
      flow.set(t.debitAccountId, (flow.get(t.debitAccountId) ?? 0n) - t.amount);
      flow.set(t.creditAccountId, (flow.get(t.creditAccountId) ?? 0n) + t.amount);
    }
    const heldFlow = new Map<bigint, bigint>();
    for (const [id, before] of this.initialHolds) {
      const hold = this.view.holds.get(id) as HoldState;
      const change = (hold.status === "pending" ? hold.amount : 0n) - (before === "pending" ? hold.amount : 0n);
      heldFlow.set(hold.accountId, (heldFlow.get(hold.accountId) ?? 0n) + change);
    }
    for (const [id, start] of this.initial) {
      const account = this.view.accounts.get(id) as AccountState;
      const delta = account.balance - start.balance;
      assert(delta === (flow.get(id) ?? 0n), `account ${id} changed by its credits minus its debits`);
      assert(account.held - start.held === (heldFlow.get(id) ?? 0n), `account ${id} held changed by its holds`);
      assert(account.held >= 0n, `account ${id} held is not negative`);
      assert(negativeAllowedKinds.has(account.kind) || account.balance - account.held >= 0n, `account ${id} available is not negative`);
      perCurrency.set(account.currency, (perCurrency.get(account.currency) ?? 0n) + delta);
    }
    for (const [currency, sum] of perCurrency) assert(sum === 0n, `debits equal credits in ${currency}`);
  }
}
