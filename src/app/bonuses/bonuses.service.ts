import type { ErrorName } from "../../protocol/errors.js";
import { progressPercent, wageringMultiplierMax, wageringRequired, type GameWeights } from "../../engine/bonus/index.js";
import { findCurrency } from "../../engine/money/index.js";
import { background } from "../background.js";
import { failure, success, type Outcome } from "../outcome.js";
import type { Clock, Timer } from "../ports/clock.js";
import type { Wallet } from "../wallet/index.js";
import type { BonusRecord, BonusStatus, BonusStore, NewBonus } from "../ports/bonus-store.js";

const dayMs = 86_400_000;
export const bonusDaysMax = 365;
const listLimitMax = 200;
const dueBatchMax = 500;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The terms of a bonus: its amount, currency, wagering multiplier, max bet while wagering, and lifetime. */
export interface BonusTerms {
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly wageringMultiplier: number;
  readonly maxBetMinor: bigint;
  readonly days: number;
}

export interface BonusOptions {
  /** The welcome bonus a player may claim once (and once per device). */
  readonly welcome: BonusTerms;
  /** Game weights every new bonus records (percent of a stake that counts). */
  readonly weights: GameWeights;
  /** Largest bonus an operator may grant, in minor units. */
  readonly amountMinorMax: bigint;
  /** How often the jobs node looks for bonuses to grant, expire, convert or close. */
  readonly jobIntervalMs: number;
}

/** A bonus as a player or operator sees it: the record, the bonus purse while it is open, and progress. */
export interface BonusView extends BonusRecord {
  /** The bonus purse's balance and held stakes while the bonus is open (null once closed). */
  readonly balanceMinor: bigint | null;
  readonly heldMinor: bigint | null;
  readonly progressPercent: number;
}

export interface GrantInput {
  readonly userId: string;
  readonly terms: BonusTerms;
  readonly grantedBy: string;
  /** Unique per request: a retry with the same key finds the bonus it made. */
  readonly requestKey: string;
}

/**
 * Bonuses (docs/BONUSES.md): grants, the welcome claim, conversion, expiry and cancellation. Every money
 * step is one ledger transfer keyed by the bonus (`bonus:<id>:grant|convert|forfeit`), so running a step
 * twice (a retry, two jobs nodes overlapping) moves money once. The jobs node runs `runDue` every
 * `jobIntervalMs` to finish what a request or a bet could not (a grant the ledger did not confirm, a
 * conversion waiting for stakes still held on the bonus purse, an expiry).
 */
export class Bonuses {
  private timer: Timer | null = null;
  private running = false;
  /** Bonuses whose money step runs in this process now: a second caller leaves it to the first. */
  private readonly settling = new Set<string>();

  constructor(
    private readonly deps: {
      readonly store: BonusStore;
      readonly wallet: Pick<Wallet, "moveBonus" | "balances">;
      readonly clock: Clock;
      /** A player's set of active bonuses changed: every node's bet side must know. */
      readonly announce: (userId: string) => Promise<void>;
      /** Why a player may not be given a bonus now (a time-out, self-exclusion or lock); null when they may. */
      readonly refusal?: (userId: string) => Promise<{ readonly error: ErrorName; readonly details?: readonly string[] } | null>;
    },
    readonly options: BonusOptions,
  ) {}

  /** Runs the due work every `jobIntervalMs` while `leads()` (one jobs node at a time). */
  startJobs(leads: () => Promise<boolean>): void {
    if (this.timer !== null) return;
    this.timer = this.deps.clock.every(this.options.jobIntervalMs, () => background(this.tick(leads), "bonus.jobs"));
  }

  stopJobs(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  private async tick(leads: () => Promise<boolean>): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      if (await leads()) await this.runDue();
    } finally {
      this.running = false;
    }
  }

  /** One pass of the jobs: every bonus that is pending, expired, fully wagered or ended but not closed. Returns how many it looked at. */
  async runDue(): Promise<number> {
    const due = await this.deps.store.due(this.deps.clock.nowMs(), dueBatchMax);
    for (const bonus of due) await this.settle(bonus.id);
    return due.length;
  }

  async grant(input: GrantInput, kind: "welcome" | "manual" = "manual"): Promise<Outcome<BonusView>> {
    const { terms } = input;
    const currency = findCurrency(terms.currency);
    if (currency === null) return failure("WALLET_CURRENCY_UNKNOWN", { details: [`currency ${terms.currency} is not kept by this wallet`] });
    if (terms.amountMinor <= 0n || terms.amountMinor > this.options.amountMinorMax)
      return failure("BONUS_TERMS_INVALID", { details: [`the amount must be above 0 and at most ${this.options.amountMinorMax} minor units`] });
    if (!Number.isInteger(terms.wageringMultiplier) || terms.wageringMultiplier < 0 || terms.wageringMultiplier > wageringMultiplierMax)
      return failure("BONUS_TERMS_INVALID", { details: [`the wagering multiplier must be a whole number from 0 to ${wageringMultiplierMax}`] });
    if (terms.maxBetMinor <= 0n) return failure("BONUS_TERMS_INVALID", { details: ["the max bet must be above 0"] });
    if (!Number.isInteger(terms.days) || terms.days < 1 || terms.days > bonusDaysMax)
      return failure("BONUS_TERMS_INVALID", { details: [`a bonus lasts 1 to ${bonusDaysMax} days`] });
    if (!uuidPattern.test(input.userId)) return failure("BONUS_PLAYER_NOT_FOUND");
    // No bonus, manual or welcome, to a player on a break or locked (UKGC: no marketing to the excluded).
    const refused = await this.deps.refusal?.(input.userId);
    if (refused != null) return failure(refused.error, refused.details === undefined ? {} : { details: refused.details });
    const nowMs = this.deps.clock.nowMs();
    const bonus: NewBonus = {
      userId: input.userId,
      currency: currency.code,
      kind,
      amountMinor: terms.amountMinor,
      wageringRequiredMinor: wageringRequired(terms.amountMinor, terms.wageringMultiplier),
      maxBetMinor: terms.maxBetMinor,
      weights: this.options.weights,
      expiresMs: nowMs + terms.days * dayMs,
      grantedBy: input.grantedBy,
      requestKey: input.requestKey,
      createdMs: nowMs,
    };
    const created = await this.deps.store.create(bonus);
    switch (created.status) {
      case "open_exists":
        return failure("BONUS_ALREADY_OPEN", { details: [`the player has a bonus in ${currency.code} that is not closed yet`] });
      case "welcome_taken":
        return failure("BONUS_WELCOME_CLAIMED");
      case "device_linked":
        return failure("BONUS_WELCOME_DEVICE_LINKED");
      case "player_not_found":
        return failure("BONUS_PLAYER_NOT_FOUND");
      default:
        break;
    }
    await this.settle(created.bonus.id);
    // A second welcome claim finds the first (its request key is the player's): it is refused, the first stands.
    if (created.status === "existing" && kind === "welcome") return failure("BONUS_WELCOME_CLAIMED");
    const after = await this.deps.store.find(created.bonus.id);
    return success(await this.view(after ?? created.bonus));
  }

  /** The welcome bonus, on the configured terms: once per player, and not for an account that shares a device with one that had it. */
  async claimWelcome(userId: string): Promise<Outcome<BonusView>> {
    if (this.options.welcome.amountMinor === 0n) return failure("BONUS_WELCOME_OFF");
    return this.grant({ userId, terms: this.options.welcome, grantedBy: "welcome", requestKey: `welcome:${userId}` }, "welcome");
  }

  /** An operator ends an active bonus: what is left of it goes back to the house (at once, or once its held stakes are settled). */
  async cancel(id: string, reason: string): Promise<Outcome<BonusView>> {
    if (!uuidPattern.test(id)) return failure("BONUS_NOT_FOUND");
    const ended = await this.deps.store.end(id, "cancelled", reason, this.deps.clock.nowMs());
    if (ended === null) return failure((await this.deps.store.find(id)) === null ? "BONUS_NOT_FOUND" : "BONUS_NOT_ACTIVE");
    await this.deps.announce(ended.userId);
    await this.settle(id);
    return success(await this.view((await this.deps.store.find(id)) ?? ended));
  }

  async forPlayer(userId: string, limit = 50): Promise<readonly BonusView[]> {
    if (!uuidPattern.test(userId)) return [];
    return Promise.all((await this.deps.store.listForUser(userId, Math.min(limit, listLimitMax))).map((b) => this.view(b)));
  }

  async list(query: { readonly status?: BonusStatus; readonly limit: number }): Promise<readonly BonusView[]> {
    return Promise.all((await this.deps.store.list({ ...query, limit: Math.min(query.limit, listLimitMax) })).map((b) => this.view(b)));
  }

  /**
   * Moves a bonus on as far as it can go now: a pending grant into the ledger; an active bonus expired
   * (its time is up) or converted (its wagering is complete); an ended one closed — its bonus purse moved
   * to cash (converted) or to the house (expired, cancelled) once no stake is held on it. Safe to call
   * any number of times, from anywhere.
   */
  async settle(id: string): Promise<void> {
    if (this.settling.has(id)) return;
    this.settling.add(id);
    try {
      await this.step(id);
    } finally {
      this.settling.delete(id);
    }
  }

  private async step(id: string): Promise<void> {
    let bonus = await this.deps.store.find(id);
    if (bonus === null || bonus.closedMinor !== null) return;
    if (bonus.status === "pending") {
      const granted = await this.deps.wallet.moveBonus({
        kind: "bonus_grant",
        playerId: bonus.userId,
        currency: bonus.currency,
        amount: bonus.amountMinor,
        key: `bonus:${id}:grant`,
        reference: `bonus:${id}`,
      });
      if (granted.status !== "ok") return;
      await this.deps.store.activate(id, this.deps.clock.nowMs());
      await this.deps.announce(bonus.userId);
      bonus = await this.deps.store.find(id);
      if (bonus === null) return;
    }
    if (bonus.status === "active") {
      const nowMs = this.deps.clock.nowMs();
      // Wagering complete wins over expiry: a bonus wagered in time converts even if the job comes late.
      const end = bonus.wageredMinor >= bonus.wageringRequiredMinor ? "converted" : bonus.expiresMs <= nowMs ? "expired" : null;
      if (end === null) return;
      bonus = await this.deps.store.end(id, end, end === "converted" ? "wagering complete" : "expired", nowMs);
      if (bonus === null) return;
      await this.deps.announce(bonus.userId);
    }
    await this.close(bonus);
  }

  /** The last money step of an ended bonus, once nothing is held on its purse; the amount is recorded first so a retry repeats it. */
  private async close(bonus: BonusRecord): Promise<void> {
    const purse = (await this.deps.wallet.balances(bonus.userId)).find((b) => b.purse === "bonus" && b.currency === bonus.currency);
    if (purse !== undefined && purse.held > 0n) return;
    const amount = bonus.closingMinor ?? purse?.available ?? 0n;
    const nowMs = this.deps.clock.nowMs();
    if (amount === 0n) return this.deps.store.close(bonus.id, 0n, nowMs);
    if (bonus.closingMinor === null) await this.deps.store.setClosing(bonus.id, amount);
    const converted = bonus.status === "converted";
    const moved = await this.deps.wallet.moveBonus({
      kind: converted ? "bonus_conversion" : "bonus_forfeit",
      playerId: bonus.userId,
      currency: bonus.currency,
      amount,
      key: `bonus:${bonus.id}:${converted ? "convert" : "forfeit"}`,
      reference: `bonus:${bonus.id}`,
    });
    if (moved.status === "ok") return this.deps.store.close(bonus.id, amount, nowMs);
    // The purse changed since it was measured (nothing moved): measure again next time.
    if (moved.status === "insufficient_funds") await this.deps.store.setClosing(bonus.id, null);
  }

  private async view(bonus: BonusRecord): Promise<BonusView> {
    const open = bonus.closedMinor === null && bonus.status !== "pending";
    const purse = open ? (await this.deps.wallet.balances(bonus.userId)).find((b) => b.purse === "bonus" && b.currency === bonus.currency) : undefined;
    return {
      ...bonus,
      balanceMinor: open ? (purse?.balance ?? 0n) : null,
      heldMinor: open ? (purse?.held ?? 0n) : null,
      progressPercent: progressPercent(bonus.wageredMinor, bonus.wageringRequiredMinor),
    };
  }
}
