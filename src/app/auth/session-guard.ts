import type { AccountStore } from "../ports/account-store.js";
import type { Bus } from "../ports/bus.js";
import type { Clock } from "../ports/clock.js";

export const sessionRevokedChannel = "session.revoked";

export interface SessionGuardLimits {
  /** How long a "live" answer is trusted before the store is asked again. */
  readonly sessionRevocationCacheMs: number;
  readonly sessionCacheEntriesMax: number;
}

/**
 * Answers "is this session still live?" for every authenticated request and socket. A revocation
 * takes effect at once on every node that hears it on the bus, and within sessionRevocationCacheMs
 * on a node that missed the message (the bus is at-most-once).
 */
export class SessionGuard {
  private readonly cache = new Map<string, { live: boolean; checkedAtMs: number }>();
  /** One store lookup per session at a time: a reconnect storm of one session's sockets asks once. */
  private readonly inFlight = new Map<string, Promise<boolean>>();
  private unsubscribe: (() => Promise<void>) | null = null;

  constructor(
    private readonly store: AccountStore,
    private readonly bus: Bus,
    private readonly clock: Clock,
    private readonly limits: SessionGuardLimits,
  ) {}

  async start(): Promise<void> {
    this.unsubscribe = await this.bus.subscribe(sessionRevokedChannel, (sessionId) => this.remember(sessionId, false));
  }

  async stop(): Promise<void> {
    await this.unsubscribe?.();
  }

  async isLive(sessionId: string): Promise<boolean> {
    const cached = this.cache.get(sessionId);
    const now = this.clock.nowMs();
    if (cached !== undefined && (!cached.live || now - cached.checkedAtMs < this.limits.sessionRevocationCacheMs)) return cached.live;
    const pending = this.inFlight.get(sessionId);
    if (pending !== undefined) return pending;
    const lookup = this.store
      .findSession(sessionId)
      .then((session) => {
        const live = session !== null && session.revokedAt === null && session.expiresAt.getTime() > now;
        this.remember(sessionId, live);
        return live;
      })
      .finally(() => this.inFlight.delete(sessionId));
    this.inFlight.set(sessionId, lookup);
    return lookup;
  }

  async announceRevoked(sessionId: string): Promise<void> {
    this.remember(sessionId, false);
    await this.bus.publish(sessionRevokedChannel, sessionId);
  }

  private remember(sessionId: string, live: boolean): void {
    this.cache.delete(sessionId);
    if (this.cache.size >= this.limits.sessionCacheEntriesMax) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(sessionId, { live, checkedAtMs: this.clock.nowMs() });
  }
}
