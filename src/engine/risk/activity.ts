import type { RiskFeatures } from "./features.js";
import { defaultRiskRules, type RiskFinding, type RiskRules } from "./rules.js";
import type { RiskSignal } from "./signals.js";

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;
const dayMs = 24 * hourMs;

interface Hand {
  readonly atMs: number;
  readonly players: readonly { readonly userId: string; readonly folded: boolean; readonly won: boolean }[];
  readonly showdown: boolean;
}

interface Deposit {
  readonly atMs: number;
  readonly currency: string;
  readonly amountMinor: bigint;
}

interface PlayerActivity {
  /** Bet times and whether each was a micro stake, oldest first, the last minute only. */
  bets: { atMs: number; micro: boolean }[];
  deposits: Deposit[];
  withdrawals: number[];
  devices: Map<string, number>;
  addresses: Map<string, number>;
  /** Hold'em tables played at, with the last hand's time. */
  tables: Map<string, number>;
  lastMs: number;
}

export interface ActivityLimits {
  /** Players remembered at once; the least recently active goes first. */
  readonly playersMax: number;
  /** Entries kept per player and window: a bot cannot grow memory without end. */
  readonly entriesPerPlayerMax: number;
}

export const defaultActivityLimits: ActivityLimits = Object.freeze({ playersMax: 200_000, entriesPerPlayerMax: 5_000 });

const isLoopback = (address: string) => address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1" || address === "";
/** The device id the server records when a client names none: shared by every such client, so it links nobody. */
export const unnamedDeviceId = "unknown";

function dropBefore<T>(entries: T[], cutoffMs: number, atMs: (entry: T) => number): void {
  let drop = 0;
  while (drop < entries.length && atMs(entries[drop] as T) <= cutoffMs) drop += 1;
  if (drop > 0) entries.splice(0, drop);
}

/**
 * What the risk engine remembers of recent play: each player's trailing windows, and which accounts
 * share a device or an address. Plain data driven by signals and a time passed in, so the rules are
 * tested in microseconds. Signals may arrive slightly out of order (several nodes publish them);
 * windows are judged by each signal's own time.
 */
export class ActivityBook {
  private readonly players = new Map<string, PlayerActivity>();
  private readonly byDevice = new Map<string, Map<string, number>>();
  private readonly byAddress = new Map<string, Map<string, number>>();
  /** Hold'em hands per table, oldest first, within the collusion window. */
  private readonly hands = new Map<string, Hand[]>();

  constructor(
    private readonly rules: RiskRules = defaultRiskRules,
    private readonly limits: ActivityLimits = defaultActivityLimits,
  ) {}

  get playerCount(): number {
    return this.players.size;
  }

  record(signal: RiskSignal): void {
    const player = this.player(signal.userId, signal.atMs);
    const cap = this.limits.entriesPerPlayerMax;
    switch (signal.kind) {
      case "bet":
        player.bets.push({ atMs: signal.atMs, micro: BigInt(signal.amountMinor) <= this.rules.microStakes.stakeMinorMax });
        dropBefore(player.bets, signal.atMs - minuteMs, (b) => b.atMs);
        if (player.bets.length > cap) player.bets.splice(0, player.bets.length - cap);
        return;
      case "deposit":
        player.deposits.push({ atMs: signal.atMs, currency: signal.currency, amountMinor: BigInt(signal.amountMinor) });
        if (player.deposits.length > cap) player.deposits.shift();
        return;
      case "withdrawal":
        player.withdrawals.push(signal.atMs);
        if (player.withdrawals.length > cap) player.withdrawals.shift();
        return;
      case "hand": {
        let hands = this.hands.get(signal.tableId);
        if (hands === undefined) this.hands.set(signal.tableId, (hands = []));
        hands.push({ atMs: signal.atMs, players: signal.players, showdown: signal.showdown });
        dropBefore(hands, signal.atMs - this.rules.collusion.windowMs, (h) => h.atMs);
        if (hands.length > cap) hands.splice(0, hands.length - cap);
        for (const p of signal.players) {
          const other = p.userId === signal.userId ? player : this.player(p.userId, signal.atMs);
          other.tables.set(signal.tableId, Math.max(other.tables.get(signal.tableId) ?? 0, signal.atMs));
        }
        return;
      }
      case "login":
      case "connection":
        if (signal.deviceId !== unnamedDeviceId) this.link(player.devices, this.byDevice, signal.deviceId, signal.userId, signal.atMs);
        if (!isLoopback(signal.address)) this.link(player.addresses, this.byAddress, signal.address, signal.userId, signal.atMs);
        return;
    }
  }

  /** The player's windows ending at `nowMs`, as the score reads them. */
  features(userId: string, nowMs: number): RiskFeatures {
    const p = this.players.get(userId);
    if (p === undefined) return { betsPerMinute: 0, microStakeShare: 0, devicesPerHour: 0, depositsPerHour: 0, withdrawalsPerDay: 0, linkedAccounts: 0 };
    const bets = p.bets.filter((b) => b.atMs > nowMs - minuteMs);
    return {
      betsPerMinute: bets.length,
      microStakeShare: bets.length === 0 ? 0 : bets.filter((b) => b.micro).length / bets.length,
      devicesPerHour: [...p.devices.values()].filter((at) => at > nowMs - hourMs).length,
      depositsPerHour: p.deposits.filter((d) => d.atMs > nowMs - hourMs).length,
      withdrawalsPerDay: p.withdrawals.filter((at) => at > nowMs - dayMs).length,
      linkedAccounts: this.linkedAccounts(userId, nowMs).length,
    };
  }

  /** Other accounts seen on one of the player's devices or addresses in the last 24 hours. */
  linkedAccounts(userId: string, nowMs: number): string[] {
    const p = this.players.get(userId);
    if (p === undefined) return [];
    const linked = new Set<string>();
    for (const [own, index] of [
      [p.devices, this.byDevice],
      [p.addresses, this.byAddress],
    ] as const) {
      for (const key of own.keys()) {
        for (const [other, at] of index.get(key) ?? []) if (other !== userId && at > nowMs - dayMs) linked.add(other);
      }
    }
    return [...linked].sort();
  }

  /**
   * Every rule the player's windows break at `nowMs`, with its evidence. `reviewedMs`: an operator
   * reviewed the player then (reversed a rule's action); only activity after it counts, so the
   * evidence an operator dismissed is not held against the player again.
   */
  findings(userId: string, nowMs: number, reviewedMs = 0): RiskFinding[] {
    const p = this.players.get(userId);
    if (p === undefined) return [];
    const r = this.rules;
    /** Where a window of `windowMs` ending now starts: never before the review. */
    const from = (windowMs: number): number => Math.max(nowMs - windowMs, reviewedMs);
    const found: RiskFinding[] = [];
    const rateBets = p.bets.filter((b) => b.atMs > from(r.betRate.windowMs)).length;
    const rateMax = Math.ceil((r.betRate.betsPerMinuteMax * r.betRate.windowMs) / minuteMs);
    if (rateBets > rateMax) {
      found.push({
        rule: "betRate",
        evidence: {
          bets: rateBets,
          windowMs: r.betRate.windowMs,
          betsPerMinute: Math.round((rateBets * minuteMs) / r.betRate.windowMs),
          betsPerMinuteMax: r.betRate.betsPerMinuteMax,
          devices: p.devices.size,
        },
      });
    }
    const minute = p.bets.filter((b) => b.atMs > from(minuteMs));
    const micro = minute.filter((b) => b.micro).length;
    if (minute.length >= r.microStakes.betsPerMinuteMin && micro >= minute.length * r.microStakes.shareMin) {
      found.push({
        rule: "microStakes",
        evidence: {
          betsLastMinute: minute.length,
          microStakes: micro,
          stakeMinorMax: r.microStakes.stakeMinorMax.toString(),
          shareMin: r.microStakes.shareMin,
        },
      });
    }
    const depositsHour = p.deposits.filter((d) => d.atMs > from(hourMs)).length;
    if (depositsHour > r.depositVelocity.depositsPerHourMax) {
      found.push({ rule: "depositVelocity", evidence: { depositsLastHour: depositsHour, depositsPerHourMax: r.depositVelocity.depositsPerHourMax } });
    }
    const dayByCurrency = new Map<string, bigint>();
    for (const d of p.deposits) if (d.atMs > from(dayMs)) dayByCurrency.set(d.currency, (dayByCurrency.get(d.currency) ?? 0n) + d.amountMinor);
    for (const [currency, sum] of dayByCurrency) {
      if (sum > r.depositAmount.amountMinorPerDayMax) {
        found.push({
          rule: "depositAmount",
          evidence: { currency, depositedMinorLastDay: sum.toString(), amountMinorPerDayMax: r.depositAmount.amountMinorPerDayMax.toString() },
        });
      }
    }
    const withdrawalsDay = p.withdrawals.filter((at) => at > from(dayMs)).length;
    if (withdrawalsDay > r.withdrawalFrequency.withdrawalsPerDayMax) {
      found.push({
        rule: "withdrawalFrequency",
        evidence: { withdrawalsLastDay: withdrawalsDay, withdrawalsPerDayMax: r.withdrawalFrequency.withdrawalsPerDayMax },
      });
    }
    for (const [rule, own, index, max] of [
      ["deviceLinks", p.devices, this.byDevice, r.deviceLinks.accountsPerDeviceMax],
      ["addressLinks", p.addresses, this.byAddress, r.addressLinks.accountsPerAddressMax],
    ] as const) {
      const since = from(dayMs);
      for (const [key, seenMs] of own) {
        if (seenMs <= since) continue;
        // Counted before anything is listed: an address that thousands of accounts share (a carrier's
        // NAT, a load test's source address) costs one pass per signal, not a sorted copy.
        const linked = index.get(key) ?? new Map<string, number>();
        let recent = 0;
        for (const at of linked.values()) if (at > since) recent++;
        if (recent > max) {
          const accounts = [...linked]
            .filter(([, at]) => at > since)
            .map(([id]) => id)
            .sort();
          found.push({
            rule,
            evidence: {
              [rule === "deviceLinks" ? "deviceId" : "address"]: key,
              accounts: accounts.length,
              accountsMax: max,
              sample: accounts.slice(0, 10).join(","),
            },
          });
          break;
        }
      }
    }
    const collusion = this.collusionOf(userId, p, nowMs, reviewedMs);
    if (collusion !== null) found.push({ rule: "collusion", evidence: collusion });
    return found;
  }

  /**
   * The strongest pair the player is in at one hold'em table: hands one folded and the other won
   * without a showdown, against the hands they played together there, within the window.
   */
  private collusionOf(userId: string, p: PlayerActivity, nowMs: number, reviewedMs: number): Record<string, string | number> | null {
    const { handsMin, shareMin } = this.rules.collusion;
    const windowMs = this.rules.collusion.windowMs;
    const since = Math.max(nowMs - windowMs, reviewedMs);
    let best: Record<string, string | number> | null = null;
    let bestCount = 0;
    for (const [tableId, lastMs] of p.tables) {
      if (lastMs <= since) continue;
      const together = new Map<string, number>();
      const foldedTo = new Map<string, number>();
      for (const hand of this.hands.get(tableId) ?? []) {
        if (hand.atMs <= since) continue;
        const me = hand.players.find((x) => x.userId === userId);
        if (me === undefined) continue;
        for (const other of hand.players) {
          if (other.userId === userId) continue;
          together.set(other.userId, (together.get(other.userId) ?? 0) + 1);
          const mutual = !hand.showdown && ((me.folded && other.won) || (other.folded && me.won));
          if (mutual) foldedTo.set(other.userId, (foldedTo.get(other.userId) ?? 0) + 1);
        }
      }
      for (const [partner, count] of foldedTo) {
        const shared = together.get(partner) ?? count;
        if (count >= handsMin && count >= shared * shareMin && count > bestCount) {
          bestCount = count;
          best = { tableId, partner, handsFoldedWithoutShowdown: count, handsTogether: shared, handsMin, windowMs };
        }
      }
    }
    return best;
  }

  /** Forgets what is older than any window (24 hours) and players idle that long. */
  sweep(nowMs: number): void {
    const cutoff = nowMs - dayMs;
    for (const [userId, p] of this.players) {
      if (p.lastMs <= cutoff) {
        this.players.delete(userId);
        continue;
      }
      dropBefore(p.bets, nowMs - minuteMs, (b) => b.atMs);
      dropBefore(p.deposits, cutoff, (d) => d.atMs);
      dropBefore(p.withdrawals, cutoff, (at) => at);
      for (const own of [p.devices, p.addresses, p.tables]) for (const [key, at] of own) if (at <= cutoff) own.delete(key);
    }
    for (const [tableId, hands] of this.hands) {
      dropBefore(hands, nowMs - this.rules.collusion.windowMs, (h) => h.atMs);
      if (hands.length === 0) this.hands.delete(tableId);
    }
    for (const index of [this.byDevice, this.byAddress]) {
      for (const [key, users] of index) {
        for (const [userId, at] of users) if (at <= cutoff) users.delete(userId);
        if (users.size === 0) index.delete(key);
      }
    }
  }

  private player(userId: string, atMs: number): PlayerActivity {
    let p = this.players.get(userId);
    if (p === undefined) {
      if (this.players.size >= this.limits.playersMax) this.forget(this.players.keys().next().value as string);
      p = { bets: [], deposits: [], withdrawals: [], devices: new Map(), addresses: new Map(), tables: new Map(), lastMs: atMs };
    } else {
      this.players.delete(userId);
    }
    // Re-inserted on each signal, so the map's order is least recently active first.
    this.players.set(userId, p);
    p.lastMs = Math.max(p.lastMs, atMs);
    return p;
  }

  private forget(userId: string): void {
    const p = this.players.get(userId);
    this.players.delete(userId);
    if (p === undefined) return;
    for (const [own, index] of [
      [p.devices, this.byDevice],
      [p.addresses, this.byAddress],
    ] as const) {
      for (const key of own.keys()) index.get(key)?.delete(userId);
    }
  }

  private link(own: Map<string, number>, index: Map<string, Map<string, number>>, key: string, userId: string, atMs: number): void {
    own.set(key, Math.max(own.get(key) ?? 0, atMs));
    let users = index.get(key);
    if (users === undefined) index.set(key, (users = new Map<string, number>()));
    users.set(userId, Math.max(users.get(userId) ?? 0, atMs));
    if (users.size > this.limits.entriesPerPlayerMax) users.delete(users.keys().next().value as string);
  }
}
