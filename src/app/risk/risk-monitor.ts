import {
  ActivityBook,
  defaultRiskModel,
  limitOf,
  nextStep,
  scoreOf,
  type RiskActionKind,
  type RiskFinding,
  type RiskModel,
  type RiskRuleName,
  type RiskRules,
  type RiskSignal,
} from "../../engine/risk/index.js";
import { background } from "../background.js";
import type { Bus } from "../ports/bus.js";
import type { Clock, Timer } from "../ports/clock.js";
import type { RiskGate } from "./risk-gate.js";
import { riskSignalsChannel } from "./risk-signals.js";
import type { RiskAction, RiskStore } from "../ports/risk-store.js";

const signalKinds = new Set(["bet", "deposit", "withdrawal", "login", "connection", "hand"]);
const dayMs = 24 * 3_600_000;

function isSignal(value: unknown): value is RiskSignal {
  if (typeof value !== "object" || value === null) return false;
  const s = value as Record<string, unknown>;
  if (typeof s.kind !== "string" || !signalKinds.has(s.kind) || typeof s.userId !== "string" || typeof s.atMs !== "number") return false;
  if (s.kind === "login" || s.kind === "connection") return typeof s.deviceId === "string" && typeof s.address === "string";
  if (s.kind === "hand") {
    return (
      typeof s.tableId === "string" &&
      typeof s.showdown === "boolean" &&
      Array.isArray(s.players) &&
      s.players.length <= 23 &&
      s.players.every((p: unknown) => typeof p === "object" && p !== null && typeof (p as { userId?: unknown }).userId === "string")
    );
  }
  return typeof s.amountMinor === "string" && /^[0-9]{1,20}$/.test(s.amountMinor) && typeof s.currency === "string";
}

export interface RiskMonitorDeps {
  readonly bus: Bus;
  readonly clock: Clock;
  readonly store: RiskStore;
  readonly gate: RiskGate;
  /** Locks the account (every session ends on every node, withdrawals held): the responsible-gaming lock. */
  readonly lock: (userId: string, by: string, reason: string) => Promise<unknown>;
  /** Whether this node runs the risk engine now (one node at a time does: a JobLeader). */
  readonly leads: () => Promise<boolean>;
  readonly rules: RiskRules;
  readonly model?: RiskModel;
  readonly leadCheckMs: number;
  readonly onAction?: (action: RiskAction) => void;
  readonly onError?: (error: unknown) => void;
}

/**
 * The risk engine's consumer: reads the signals every node publishes, keeps the players' windows
 * (ActivityBook), judges the rules on each signal, and escalates a rule that keeps firing through
 * its steps, recording each action with its evidence and the player's score. It runs on one node at
 * a time and never on the bet's path: bets only publish signals, so a stopped or failing monitor
 * delays findings and nothing else. A new leader starts with empty windows and fills them within a
 * minute (the longest bet window); escalation history is read from the store, so it is not lost.
 */
export class RiskMonitor {
  private readonly book: ActivityBook;
  private leading = false;
  private timers: Timer[] = [];
  private unsubscribe: (() => Promise<void>) | null = null;
  /** When each player's rule was last judged for a step: a rule that keeps firing is judged once per stepAfterMs, not per bet. */
  private readonly judged = new Map<string, number>();
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly deps: RiskMonitorDeps) {
    this.book = new ActivityBook(deps.rules);
  }

  async start(): Promise<void> {
    this.unsubscribe = await this.deps.bus.subscribe(riskSignalsChannel, (message) => this.handle(message));
    await this.checkLead();
    this.timers.push(this.deps.clock.every(this.deps.leadCheckMs, () => background(this.checkLead(), "risk.lead")));
    this.timers.push(this.deps.clock.every(600_000, () => this.sweep()));
  }

  async stop(): Promise<void> {
    for (const t of this.timers) t.cancel();
    this.timers = [];
    await this.unsubscribe?.();
    this.unsubscribe = null;
    this.leading = false;
    await Promise.allSettled([...this.queues.values()]);
  }

  get isLeading(): boolean {
    return this.leading;
  }

  /** Settles once every action already decided has been recorded (tests). */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.allSettled([...this.queues.values()]);
  }

  private async checkLead(): Promise<void> {
    this.leading = await this.deps.leads();
  }

  private sweep(): void {
    const nowMs = this.deps.clock.nowMs();
    this.book.sweep(nowMs);
    for (const [key, at] of this.judged) if (at < nowMs - dayMs) this.judged.delete(key);
  }

  private handle(message: string): void {
    if (!this.leading) return;
    let batch: unknown;
    try {
      batch = JSON.parse(message);
    } catch {
      return;
    }
    if (!Array.isArray(batch)) return;
    const touched = new Set<string>();
    for (const signal of batch) {
      if (!isSignal(signal)) continue;
      this.book.record(signal);
      touched.add(signal.userId);
      if (signal.kind === "hand") for (const p of signal.players) touched.add(p.userId);
    }
    const nowMs = this.deps.clock.nowMs();
    for (const userId of touched) {
      for (const finding of this.book.findings(userId, nowMs)) {
        const key = `${userId}|${finding.rule}`;
        const last = this.judged.get(key);
        if (last !== undefined && nowMs - last < this.deps.rules.stepAfterMs) continue;
        this.judged.set(key, nowMs);
        this.enqueue(userId, () => this.escalate(userId, finding, nowMs));
      }
    }
  }

  /** One player's actions one after another, so a limit is recorded before the lock that follows it. */
  private enqueue(userId: string, work: () => Promise<void>): void {
    const run = (this.queues.get(userId) ?? Promise.resolve()).then(work).catch((error: unknown) => this.deps.onError?.(error));
    this.queues.set(userId, run);
    void run.then(() => {
      if (this.queues.get(userId) === run) this.queues.delete(userId);
    });
  }

  private async escalate(userId: string, found: RiskFinding, nowMs: number): Promise<void> {
    const { store, rules } = this.deps;
    const history = await store.history(userId, found.rule, nowMs - dayMs);
    // An operator reversed this rule's action: what they reviewed does not count again, only what came after.
    const reviewedMs = history.lastReversedMs ?? 0;
    const finding = reviewedMs === 0 ? found : this.book.findings(userId, nowMs, reviewedMs).find((f) => f.rule === found.rule);
    if (finding === undefined) return;
    const step = nextStep(rules, finding.rule, history, nowMs);
    if (step === null) return;
    const features = this.book.features(userId, nowMs);
    const scored = scoreOf(this.deps.model ?? defaultRiskModel, features);
    const evidence = {
      ...finding.evidence,
      features,
      topFeatures: scored.contributions.slice(0, 3).map((c) => ({ feature: c.feature, contribution: Number(c.contribution.toFixed(3)) })),
      linkedAccounts: this.book.linkedAccounts(userId, nowMs).slice(0, 20),
    };
    const action = await store.recordAction({ userId, rule: finding.rule, action: step, evidence, score: Number(scored.score.toFixed(4)), atMs: nowMs });
    await this.apply(step, action);
    this.deps.onAction?.(action);
  }

  private async apply(step: RiskActionKind, action: RiskAction): Promise<void> {
    const reason = `risk rule ${action.rule} (action ${action.id})`;
    if (step === "limit") {
      const current = await this.deps.store.limit(action.userId);
      // An operator's limit stays: the risk engine only tightens what it set itself, never loosens.
      if (current !== null && !current.setBy.startsWith("risk:")) return;
      const limit = limitOf(this.deps.rules, action.rule as RiskRuleName);
      const rate = [limit.betsPerMinuteMax, current?.betsPerMinuteMax ?? null].filter((r): r is number => r !== null);
      await this.deps.store.setLimit({
        userId: action.userId,
        betsPerMinuteMax: rate.length === 0 ? null : Math.min(...rate),
        stakeMinorMax: current?.stakeMinorMax ?? null,
        gamesBlocked: [...new Set([...(current?.gamesBlocked ?? []), ...limit.gamesBlocked])],
        setBy: `risk:${action.rule}`,
        reason,
        actionId: action.id,
        atMs: action.atMs,
      });
      await this.deps.gate.announce(action.userId);
    }
    if (step === "lock") await this.deps.lock(action.userId, `risk:${action.rule}`, reason);
  }
}
