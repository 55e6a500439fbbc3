import { shown } from "./deposit-gate.js";
import type { HostReply, HostRequest } from "../rooms/room-host.js";
import type { Clock, Timer } from "../ports/clock.js";
import type { PlayResult } from "../ports/rg-store.js";

/** The event kind of a reality check in a player's `user:<id>` room (docs/PROTOCOL.md). */
export const realityCheckKind = "reality.check";
/** The event kind, in the player's `user:<id>` room, of a session ended by the player's session time limit. */
export const sessionLimitKind = "session.limit_reached";

export interface RealityCheckDeps {
  /** The sessions with a socket on this node now. */
  readonly sessions: () => Iterable<{ readonly userId: string; readonly sessionId: string }>;
  /** When the session began (its login); null if it is unknown. */
  readonly sessionStartedMs: (sessionId: string) => Promise<number | null>;
  readonly results: (userId: string, sinceMs: number) => Promise<readonly PlayResult[]>;
  /**
   * True for the first caller of `key` across every node within `ttlMs` (the ThrottleStore: Redis in
   * production). A session with sockets on two nodes then gets each check once.
   */
  readonly once: (key: string, ttlMs: number) => Promise<boolean>;
  readonly rooms: { submit(room: string, request: HostRequest): Promise<HostReply> };
  /** The session time limits (minutes) of these players, those who have one in force. */
  readonly sessionLimits?: (userIds: readonly string[]) => Promise<ReadonlyMap<string, number>>;
  /** Ends a session on every node (revoked, announced: its sockets close with 4003). Idempotent. */
  readonly endSession?: (sessionId: string) => Promise<void>;
  readonly clock: Clock;
  readonly onError: (error: unknown) => void;
}

export interface RealityCheckLimits {
  /** How often a player is told their time played and net result; each session's checks count from its login. */
  readonly realityCheckIntervalMs: number;
}

/** Sessions one tick looks at; more wait for the next tick. */
const sessionsPerTickMax = 10_000;

/**
 * Reality checks (UKGC RTS 13): every `realityCheckIntervalMs` of a session, the player's `user:`
 * room gets a private `reality.check` event with the time since login and the net result of their
 * bets in that time. Driven by the nodes holding the session's sockets, off the bet path: a failed
 * read or write is logged and the check comes at the next tick. The same looks end a session that
 * has lasted the player's session time limit (one query per tick for all the local players' limits).
 */
export class RealityChecks {
  private timer: Timer | null = null;
  private running = false;
  /** The last check sent or skipped per session (its interval number), and the session's start. */
  private readonly seen = new Map<string, { startedMs: number; lastCheck: number }>();

  constructor(
    private readonly deps: RealityCheckDeps,
    private readonly limits: RealityCheckLimits,
  ) {}

  start(): void {
    if (this.timer !== null) return;
    // Four looks per interval, at most every 15 s: a check comes at most a quarter interval late.
    const everyMs = Math.max(250, Math.min(15_000, Math.floor(this.limits.realityCheckIntervalMs / 4)));
    this.timer = this.deps.clock.every(everyMs, () => void this.tick());
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  /** One look at every local session; exposed for tests. Never overlaps itself. */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const live = new Map<string, string>();
      for (const { userId, sessionId } of this.deps.sessions()) {
        if (live.size >= sessionsPerTickMax) break;
        live.set(sessionId, userId);
      }
      const limits =
        this.deps.sessionLimits === undefined || live.size === 0
          ? new Map<string, number>()
          : await this.deps.sessionLimits([...new Set(live.values())]).catch((error: unknown) => {
              this.deps.onError(error);
              return new Map<string, number>();
            });
      for (const [sessionId, userId] of live) {
        const minutes = limits.get(userId);
        await this.check(userId, sessionId, minutes === undefined ? null : minutes * 60_000).catch((error: unknown) => this.deps.onError(error));
      }
      for (const sessionId of this.seen.keys()) if (!live.has(sessionId)) this.seen.delete(sessionId);
    } finally {
      this.running = false;
    }
  }

  private async check(userId: string, sessionId: string, limitMs: number | null): Promise<void> {
    const intervalMs = this.limits.realityCheckIntervalMs;
    let known = this.seen.get(sessionId);
    if (known === undefined) {
      const startedMs = await this.deps.sessionStartedMs(sessionId);
      if (startedMs === null) return;
      // A session found mid-interval gets its next check on time, not a late one for the interval before.
      known = { startedMs, lastCheck: Math.floor((this.deps.clock.nowMs() - startedMs) / intervalMs) };
      this.seen.set(sessionId, known);
    }
    const nowMs = this.deps.clock.nowMs();
    if (limitMs !== null && nowMs - known.startedMs >= limitMs) return this.endSession(userId, sessionId, known.startedMs, limitMs);
    const due = Math.floor((nowMs - known.startedMs) / intervalMs);
    if (due <= known.lastCheck) return;
    // Read first: a failed read leaves the check due, and the next tick tries again. Once the key is
    // taken the check is this node's to send, or another node's that took it first.
    const results = await this.deps.results(userId, known.startedMs);
    known.lastCheck = due;
    if (!(await this.deps.once(`reality:${sessionId}:${due}`, intervalMs))) return;
    const data = {
      sessionId,
      sessionStartedAt: new Date(known.startedMs).toISOString(),
      playedMs: nowMs - known.startedMs,
      results: results.map((r) => ({
        currency: r.currency,
        staked: shown(r.stakedMinor, r.currency),
        won: shown(r.wonMinor, r.currency),
        net: shown(r.wonMinor - r.stakedMinor, r.currency),
      })),
    };
    const reply = await this.deps.rooms.submit(`user:${userId}`, { type: "publish", events: [{ kind: realityCheckKind, to: userId, data }] });
    if (!reply.ok) this.deps.onError(new Error(`reality check not published: ${reply.error}`));
  }

  /** The player is told once (across nodes) why, then the session ends everywhere; ending it again changes nothing. */
  private async endSession(userId: string, sessionId: string, startedMs: number, limitMs: number): Promise<void> {
    if (await this.deps.once(`session-limit:${sessionId}`, 86_400_000)) {
      const data = {
        sessionId,
        sessionStartedAt: new Date(startedMs).toISOString(),
        playedMs: this.deps.clock.nowMs() - startedMs,
        limitMinutes: Math.round(limitMs / 60_000),
      };
      const reply = await this.deps.rooms.submit(`user:${userId}`, { type: "publish", events: [{ kind: sessionLimitKind, to: userId, data }] });
      if (!reply.ok) this.deps.onError(new Error(`session limit not published: ${reply.error}`));
    }
    await this.deps.endSession?.(sessionId);
  }
}
