import { background } from "../background.js";
import type { Bus } from "../ports/bus.js";
import type { Clock, Timer } from "../ports/clock.js";
import type { ThrottleStore } from "../ports/throttle-store.js";
import type { RiskLimit, RiskStore } from "../ports/risk-store.js";

export const riskLimitsChannel = "risk.limits";

/** Why a bet was refused by a risk limit, for the error's details. */
export type RiskRefusal = { readonly refused: true; readonly reason: string } | { readonly refused: false };

const admitted: RiskRefusal = Object.freeze({ refused: false });

/**
 * The risk limits at the bet, on every node. All limits in force are held in memory (few players
 * have one): a player without one is admitted by a map lookup, with no I/O on the hot path. A change
 * is announced on the bus and the map reloaded every `refreshMs` as well, so a node that missed the
 * message is right within that time. The bet rate is counted in the shared ThrottleStore (Redis in
 * production) per calendar minute, so it holds across all of a player's devices and nodes.
 */
export class RiskGate {
  private byUser = new Map<string, RiskLimit>();
  private timer: Timer | null = null;
  private unsubscribe: (() => Promise<void>) | null = null;

  constructor(
    private readonly deps: { readonly store: RiskStore; readonly bus: Bus; readonly throttle: ThrottleStore; readonly clock: Clock },
    private readonly refreshMs = 10_000,
  ) {}

  async start(): Promise<void> {
    await this.reload();
    this.unsubscribe = await this.deps.bus.subscribe(riskLimitsChannel, (userId) => background(this.reloadOne(userId), "risk.limit-reload"));
    this.timer = this.deps.clock.every(this.refreshMs, () => background(this.reload(), "risk.limits-reload"));
  }

  async stop(): Promise<void> {
    this.timer?.cancel();
    await this.unsubscribe?.();
  }

  /** Tells every node that `userId`'s limit changed. */
  async announce(userId: string): Promise<void> {
    await this.reloadOne(userId);
    await this.deps.bus.publish(riskLimitsChannel, userId);
  }

  limitOf(userId: string): RiskLimit | undefined {
    return this.byUser.get(userId);
  }

  /** Whether a bet of `stakeMinor` at `game` may be placed; counts it against the player's bet rate when one is set. */
  admit(userId: string, game: string, stakeMinor: bigint): RiskRefusal | Promise<RiskRefusal> {
    const limit = this.byUser.get(userId);
    if (limit === undefined) return admitted;
    if (limit.gamesBlocked.includes(game)) return { refused: true, reason: `${game} is blocked for this account` };
    if (limit.stakeMinorMax !== null && stakeMinor > limit.stakeMinorMax) return { refused: true, reason: `stakes up to ${limit.stakeMinorMax} minor units` };
    const max = limit.betsPerMinuteMax;
    if (max === null) return admitted;
    const minute = Math.floor(this.deps.clock.nowMs() / 60_000);
    return this.deps.throttle
      .recordFailure(`risk-rate:${userId}:${minute}`, 60_000)
      .then((count): RiskRefusal => (count > max ? { refused: true, reason: `at most ${max} bets a minute` } : admitted));
  }

  private async reload(): Promise<void> {
    const all = await this.deps.store.limits();
    this.byUser = new Map(all.map((l) => [l.userId, l]));
  }

  private async reloadOne(userId: string): Promise<void> {
    const limit = await this.deps.store.limit(userId);
    if (limit === null) this.byUser.delete(userId);
    else this.byUser.set(userId, limit);
  }
}
