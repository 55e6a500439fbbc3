/**
 * The abuse scenario: micro-betting bots among normal slot players, to see the risk engine
 * (docs/RISK.md) catch the bots and leave the players alone on a real run.
 *
 * - A normal player spins its own machine at a human pace: a spin every 2–6 s, stakes of 0.10–2.00.
 * - An abuser (the reported case) logs in on two devices (two sessions, two WebSockets, two device
 *   ids) and spins 0.10 on its machine from both sockets in turn, 214 spins a minute in all, on a
 *   fixed cadence whatever the answers. Refused with `RISK_LIMITED`, it carries on (each refusal is
 *   still a bet to the risk engine); when its sockets close with `4003` (the account is locked) it stops.
 *   Neither refusals nor the cut are errors of the run: they are what the scenario expects, counted
 *   apart (`abuse.riskLimited`, `abuse.cutByLock`).
 *
 * Money: each spin is counted once by its spin id, from its ack or its private `slots.spin` event
 * (both sockets hear the event). A spin the lock cut off before its answer may or may not have been
 * paid: its spin id (`slots:<userId>:<actionId>`, the action id chosen here) is kept, and the audit
 * looks for exactly those ids in the ledger's history (abuse-audit.ts).
 */
import type { CroupierClient, RoomEvent } from "../../client/index.js";
import { formatAmount } from "../../engine/money/index.js";
import { crownJewels } from "../../engine/slots/index.js";
import { codeOf, sleep, type SimulatedPlayer } from "./player.js";
import { SlotsSession, type SlotsPace, type SpinSeen } from "./slots.scenario.js";

/** The reported case: 214 spins a minute across two devices. */
export const abuseSpinsPerMinute = 214;
/** A normal player: a spin every 2–6 s (4 s ± 50 %), stakes of 1–20 × 0.10. */
export const normalPace: SlotsPace = { thinkTimeMs: 4_000, stakeUnitsMin: 1, stakeUnitsMax: 20 };
/** Spins of one bot awaiting their answer; beyond it a tick is skipped (a server that slow is not keeping up anyway). */
const inFlightMax = 32;
/** After the last spin, time for the events of the last spins to arrive. */
const quietMs = 500;
const sessionRevoked = 4003;

/** Which players are bots: `abusers` of them spread evenly over the indexes (the last of each share). */
export function isAbuser(players: number, abusers: number, index: number): boolean {
  return Math.floor(((index + 1) * abusers) / players) > Math.floor((index * abusers) / players);
}

/** What a bot saw, for the report; times by the server's clock (as the risk actions' `at`). */
export interface AbuseObserved {
  readonly abuser: boolean;
  /** When the first spin was sent (server clock, ms), or null if it never spun. */
  firstSpinAtMs: number | null;
  /** When the first of its sockets closed with 4003 (server clock, ms). */
  lockSeenAtMs: number | null;
  /** Spins sent, answered (paid), refused with RISK_LIMITED, and cut off by the lock. */
  attempts: number;
  paid: number;
  riskLimited: number;
  cutByLock: number;
  /** Spin ids sent whose outcome never reached the bot: the audit looks them up in the ledger's history. */
  uncertainSpinIds: string[];
}

export function normalObserved(): AbuseObserved {
  return { abuser: false, firstSpinAtMs: null, lockSeenAtMs: null, attempts: 0, paid: 0, riskLimited: 0, cutByLock: 0, uncertainSpinIds: [] };
}

/** A normal player of the abuse scenario: the slots scenario at a human pace; it notices a lock (it should see none). */
export async function runNormal(player: SimulatedPlayer, observed: AbuseObserved): Promise<void> {
  player.client.on("disconnected", (d) => {
    if (d.code !== sessionRevoked) return;
    observed.lockSeenAtMs ??= player.client.serverNow();
    player.lockedSeen = true;
  });
  await new SlotsSession(player, normalPace).run();
}

export class AbuserSession {
  private readonly counted = new Set<string>();
  /** Spins sent whose answer has not come (or never will): resolved by the ack, the event, or the audit. */
  private readonly unanswered = new Set<string>();
  private readonly stakeMinor = crownJewels.stake.minMinor;
  private readonly locked = new Set<CroupierClient>();

  constructor(
    private readonly player: SimulatedPlayer,
    private readonly observed: AbuseObserved,
  ) {}

  async run(): Promise<void> {
    const { player } = this;
    const { ctx } = player;
    const first = player.client;
    const userId = first.welcome?.userId;
    if (userId === undefined) throw new Error("no welcome: the player is not connected");
    const room = `slots:${userId}`;
    // The second device: its own login (session) and socket.
    const second = player.anotherClient();
    await player.timed("login", () => player.loginOn(second, `${player.deviceId}-b`));
    await player.timed("connect", () => second.connect());
    const clients = [first, second];
    for (const client of clients) {
      client.on("event", (e) => this.onEvent(room, e));
      client.on("disconnected", (d) => {
        if (d.code !== sessionRevoked) return;
        this.locked.add(client);
        this.observed.lockSeenAtMs ??= client.serverNow();
        player.lockedSeen = true;
      });
      client.on("reset", (r) => {
        if (r.room === room) player.money.resets++;
      });
    }
    for (const client of clients) await player.timed("join", () => client.join(room));

    const intervalMs = 60_000 / abuseSpinsPerMinute;
    const inFlight = new Set<Promise<void>>();
    const startedMs = performance.now();
    for (let tick = 0; !ctx.stopped() && this.locked.size < clients.length; tick++) {
      await Promise.race([sleep(startedMs + tick * intervalMs - performance.now()), ctx.stopping]);
      if (ctx.stopped()) break;
      // Alternate devices; once one is closed, the other carries on.
      const open = clients.filter((c) => c.state !== "closed");
      const client = open.includes(clients[tick % 2] as CroupierClient) ? (clients[tick % 2] as CroupierClient) : open[0];
      if (client === undefined) break;
      if (inFlight.size >= inFlightMax || this.stakeMinor > player.availableMinor) {
        ctx.metrics.count(inFlight.size >= inFlightMax ? "abuse.skippedInFlight" : "spins.skippedNoMoney");
        continue;
      }
      const spin = this.spin(client, room, userId, tick).finally(() => inFlight.delete(spin));
      inFlight.add(spin);
    }
    await Promise.allSettled([...inFlight]);
    await sleep(quietMs);
    // What is still unanswered may have been paid: the audit asks the ledger about exactly these spins.
    this.observed.uncertainSpinIds = [...this.unanswered].filter((id) => !this.counted.has(id));
    player.money.betsUncertain += this.observed.uncertainSpinIds.length;
  }

  private async spin(client: CroupierClient, room: string, userId: string, tick: number): Promise<void> {
    const { player, observed } = this;
    const { metrics, plan, currency } = player.ctx;
    const actionId = `lt-${plan.runId}-${player.index}-${tick}`;
    const spinId = `slots:${userId}:${actionId}`;
    observed.firstSpinAtMs ??= client.serverNow();
    observed.attempts++;
    this.unanswered.add(spinId);
    player.availableMinor -= this.stakeMinor;
    const started = performance.now();
    try {
      const ack = await client.act(room, { kind: "spin", stake: formatAmount(this.stakeMinor, currency) }, { actionId });
      metrics.record("spin", started, performance.now());
      const result = ack.result as SpinSeen | undefined;
      if (result !== undefined) this.observe(result);
      else {
        // A duplicate ack without a result: the private event tells (or told) the outcome.
        metrics.count("spins.ackWithoutResult");
        player.availableMinor += this.stakeMinor;
      }
    } catch (error) {
      player.availableMinor += this.stakeMinor;
      const code = codeOf(error);
      if (code === "CROUPIER_ERR_RISK_LIMITED") {
        // Refused before the ledger was asked: no money moved. Expected once limited; not an error.
        this.unanswered.delete(spinId);
        observed.riskLimited++;
        metrics.count("abuse.riskLimited");
      } else if (this.locked.size > 0 || code === "CROUPIER_ERR_AUTH_SESSION_REVOKED" || code === "CROUPIER_ERR_RG_ACCOUNT_LOCKED") {
        // The lock ended the sessions while this spin was out (or before it left): expected, not an error.
        observed.cutByLock++;
        metrics.count("abuse.cutByLock");
      } else {
        metrics.error(code);
        metrics.count("errors.spin");
        // Refused by the table or the ledger (no money moved) unless the answer was lost.
        if (!(code === "CLIENT_TIMEOUT" || code === "CLIENT_DISCONNECTED" || code === "CLIENT_CLOSED" || code === "CROUPIER_ERR_ROOM_UNAVAILABLE"))
          this.unanswered.delete(spinId);
      }
    }
  }

  private onEvent(room: string, e: RoomEvent): void {
    if (e.room !== room || e.kind !== "slots.spin") return;
    this.observe(e.data as SpinSeen);
  }

  private observe(spin: SpinSeen): void {
    const money = this.player.money;
    this.unanswered.delete(spin.spinId);
    if (this.counted.has(spin.spinId)) return;
    this.counted.add(spin.spinId);
    this.observed.paid++;
    money.stakesMinor += BigInt(spin.stakeMinor);
    money.payoutsMinor += BigInt(spin.totalWinMinor) + BigInt(spin.jackpotWinMinor ?? "0");
    money.bets++;
    if (spin.availableMinor !== undefined) this.player.availableMinor = BigInt(spin.availableMinor);
  }
}
