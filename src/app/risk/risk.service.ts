import { defaultRiskModel, scoreOf, type RiskFeatures, type RiskModel, type RiskRules } from "../../engine/risk/index.js";
import { failure, success, type Outcome } from "../outcome.js";
import type { Clock } from "../ports/clock.js";
import type { RiskGate } from "./risk-gate.js";
import type { RiskAction, RiskActionQuery, RiskLimit, RiskProfile, RiskStore } from "../ports/risk-store.js";

export interface PlayerRisk {
  readonly userId: string;
  readonly score: number;
  readonly features: RiskFeatures;
  readonly contributions: readonly { readonly feature: keyof RiskFeatures; readonly value: number; readonly contribution: number }[];
  readonly profile: RiskProfile;
  readonly limit: RiskLimit | null;
  readonly actions: readonly RiskAction[];
}

export interface LimitInput {
  readonly betsPerMinuteMax: number | null;
  readonly stakeMinorMax: bigint | null;
  readonly gamesBlocked: readonly string[];
}

export interface RiskDeps {
  readonly store: RiskStore;
  readonly gate: RiskGate;
  readonly clock: Clock;
  readonly rules: RiskRules;
  readonly model?: RiskModel;
  /** Lifts an account lock (the responsible-gaming unlock). */
  readonly unlock: (userId: string) => Promise<unknown>;
}

/**
 * What operators do with the risk engine's findings: list them, inspect a player, set or clear limits,
 * and reverse an action (an alert dismissed, a limit lifted, a lock undone). Every change is recorded
 * as an action by the operator beside the engine's own, so the player's file tells the whole story.
 */
export class RiskService {
  constructor(private readonly deps: RiskDeps) {}

  actions(query: RiskActionQuery): Promise<readonly RiskAction[]> {
    return this.deps.store.actions(query);
  }

  /** A player as an operator sees them: sessions, devices, links, recent bets, the score with its reasons, limits and actions. */
  async inspect(userId: string): Promise<Outcome<PlayerRisk>> {
    const { store, clock, rules } = this.deps;
    if (!(await store.userExists(userId))) return failure("RG_PLAYER_NOT_FOUND");
    const nowMs = clock.nowMs();
    const [profile, limit, actions] = await Promise.all([
      store.profile(userId, nowMs, rules.microStakes.stakeMinorMax),
      store.limit(userId),
      store.actions({ userId, limit: 50 }),
    ]);
    const features: RiskFeatures = {
      betsPerMinute: profile.betsLastMinute,
      microStakeShare: profile.betsLastMinute === 0 ? 0 : profile.microBetsLastMinute / profile.betsLastMinute,
      devicesPerHour: profile.devicesLastHour,
      depositsPerHour: profile.depositsLastHour,
      withdrawalsPerDay: profile.withdrawalsLastDay,
      linkedAccounts: new Set(profile.linkedAccounts.map((l) => l.userId)).size,
    };
    const scored = scoreOf(this.deps.model ?? defaultRiskModel, features);
    return success({ userId, score: scored.score, features, contributions: scored.contributions, profile, limit, actions });
  }

  async setLimit(userId: string, input: LimitInput, operatorId: string, reason: string): Promise<Outcome<RiskLimit>> {
    const { store, clock } = this.deps;
    if (!(await store.userExists(userId))) return failure("RG_PLAYER_NOT_FOUND");
    const atMs = clock.nowMs();
    // The limit this replaces no longer holds: its action is closed, so the open list shows only what is in force.
    await this.closeLimitActions(userId, operatorId, "replaced by an operator's limit");
    const action = await store.recordAction({
      userId,
      rule: "operator",
      action: "limit",
      evidence: {
        betsPerMinuteMax: input.betsPerMinuteMax,
        stakeMinorMax: input.stakeMinorMax?.toString() ?? null,
        gamesBlocked: [...input.gamesBlocked],
        by: operatorId,
      },
      score: null,
      atMs,
    });
    const limit: RiskLimit = { userId, ...input, setBy: operatorId, reason, actionId: action.id, atMs };
    await store.setLimit(limit);
    await this.deps.gate.announce(userId);
    return success(limit);
  }

  /** Removes the player's limit, whoever set it, and closes the action that set it. */
  async clearLimit(userId: string, operatorId: string, reason: string): Promise<Outcome<{ readonly cleared: boolean }>> {
    if (!(await this.deps.store.userExists(userId))) return failure("RG_PLAYER_NOT_FOUND");
    const cleared = await this.deps.store.clearLimit(userId);
    await this.closeLimitActions(userId, operatorId, reason);
    await this.deps.gate.announce(userId);
    return success({ cleared });
  }

  private async closeLimitActions(userId: string, operatorId: string, reason: string): Promise<void> {
    const nowMs = this.deps.clock.nowMs();
    for (const open of await this.deps.store.actions({ userId, open: true, action: "limit", limit: 200 }))
      await this.deps.store.reverse(open.id, operatorId, reason, nowMs);
  }

  /** Undoes an action: an alert is dismissed, a limit it set lifted, a lock it set undone. Reversing twice changes nothing. */
  async reverse(actionId: string, operatorId: string, reason: string): Promise<Outcome<RiskAction>> {
    const { store } = this.deps;
    const action = await store.action(actionId);
    if (action === null) return failure("RISK_ACTION_NOT_FOUND");
    if (action.reversed !== null) return success(action);
    if (action.action === "limit") {
      // Only the limit this action set: a later one (the engine's or an operator's) stays.
      await store.clearLimit(action.userId, action.id);
      await this.deps.gate.announce(action.userId);
    }
    if (action.action === "lock") await this.deps.unlock(action.userId);
    const reversed = await store.reverse(actionId, operatorId, reason, this.deps.clock.nowMs());
    return reversed === null ? failure("RISK_ACTION_NOT_FOUND") : success(reversed);
  }
}
