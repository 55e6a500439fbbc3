/**
 * One simulated player: an account (registered or reused), a login, a deposit through the sandbox
 * provider that it waits to see in its balance, and one SDK client over a real WebSocket bound to a
 * source address. What it observes of its money is kept here for the reconciliation.
 */
import { jittered } from "./random.js";
import { WebSocket } from "ws";
import { CroupierClient, CroupierError, type RoomEvent, type WebSocketConstructor } from "../../client/index.js";
import type { Currency } from "../../engine/money/index.js";
import { boundFetch } from "./http-fetch.js";
import type { Action, Metrics } from "./metrics.js";
import type { Scenario } from "./options.js";
import { WalletApi, type LedgerView } from "./wallet-api.js";

/** What a driver process is told about the run (bigints travel as strings between processes). */
export interface RunPlan {
  readonly urls: readonly string[];
  readonly players: number;
  readonly scenario: Scenario;
  readonly rampUpMs: number;
  readonly thinkTimeMs: number;
  readonly sourceAddresses: readonly string[];
  readonly deposit: string;
  readonly depositMinor: string;
  readonly currency: string;
  readonly password: string;
  readonly accountPrefix: string;
  readonly reuseAccounts: boolean;
  readonly settleWaitMs: number;
  readonly tables: readonly string[];
  readonly blackjackTables: readonly string[];
  readonly holdemTables: readonly string[];
  /** The abuse scenario's bots among the players (0 in other scenarios); see abuse.scenario.ts for which. */
  readonly abusers: number;
  /** Wall-clock start shared by every driver process; the end comes as a `stop` from the driver. */
  readonly startAtMs: number;
  /** Distinguishes this run's deposit idempotency keys from earlier runs with reused accounts. */
  readonly runId: string;
}

export interface PlayerContext {
  readonly plan: RunPlan;
  readonly currency: Currency;
  readonly metrics: Metrics;
  /** True once the run is over (the duration passed or the driver was interrupted). */
  stopped(): boolean;
  /** Resolves when the driver says stop. */
  readonly stopping: Promise<void>;
}

/** The money a player saw move, and the ledger's view of it at the end. */
export interface MoneyObserved {
  baselineMinor: bigint;
  depositedMinor: bigint;
  stakesMinor: bigint;
  payoutsMinor: bigint;
  refundsMinor: bigint;
  /** Stakes the player learned of only from a payout (its ack was lost): counted, and reported. */
  stakesFromPayoutsMinor: bigint;
  bets: number;
  /** Bets whose outcome the player could not learn (every attempt timed out). */
  betsUncertain: number;
  /** Rounds with this player's stakes that neither settled nor voided before the audit. */
  roundsUnresolved: number;
  /** Resets of the table room: events in the lost history (payouts, voids) could not be observed. */
  resets: number;
}

export interface DeliveryObserved {
  room: string;
  firstOffset: number;
  lastOffset: number;
  received: number;
  lost: number;
  duplicated: number;
  resets: number;
  drops: number;
  resumes: number;
}

/** Deposit polls start at this interval and back off by half each time, up to depositPollMsMax. */
const depositPollMsMin = 250;
const depositPollMsMax = 2_000;
/** How long one deposit read waits on the server for a pending deposit's outcome. */
const depositLongPollMs = 5_000;
const depositWaitMsMax = 120_000;
/** At the audit, how long a deposit still pending when the run stopped may take to settle. */
const depositAuditWaitMsMax = 20_000;
/** Network failures of a reused keep-alive socket, after which a wallet call is sent again. */
const retriedCodes = [
  "NODE_ECONNRESET",
  "NODE_EPIPE",
  "CROUPIER_ERR_SERVICE_UNAVAILABLE",
  "CROUPIER_ERR_WALLET_IDEMPOTENCY_KEY_IN_PROGRESS",
  "CROUPIER_ERR_WALLET_BUSY",
];
const walletAttemptsMax = 4;
const walletRetryMs = 500;
/** Not an error of the server: the run ended while this player was still getting ready. */
const stoppedCode = "LOADTEST_STOPPED";

/** A throttled login is tried again after 1 s, 2 s, 4 s … (at most 8 s, jittered), six times in all. */
const loginAttemptsMax = 6;
const loginRetryMs = 1_000;
const loginRetryMsMax = 8_000;
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** The `ws` class with this player's source address, remembering the last socket so a test can cut it. */
function boundWebSocket(localAddress: string | undefined, onSocket: (socket: WebSocket) => void): WebSocketConstructor {
  return class BoundWebSocket extends WebSocket {
    constructor(url: string) {
      super(url, { perMessageDeflate: false, ...(localAddress === undefined ? {} : { localAddress }) });
      onSocket(this);
    }
  };
}

export class SimulatedPlayer {
  readonly username: string;
  readonly url: string;
  readonly client: CroupierClient;
  /** The device id this player's first login names: one per account, so accounts never seem to share a device. */
  readonly deviceId: string;
  readonly wallet: WalletApi;
  readonly money: MoneyObserved = {
    baselineMinor: 0n,
    depositedMinor: 0n,
    stakesMinor: 0n,
    payoutsMinor: 0n,
    refundsMinor: 0n,
    stakesFromPayoutsMinor: 0n,
    bets: 0,
    betsUncertain: 0,
    roundsUnresolved: 0,
    resets: 0,
  };
  /** Whether the starting balance was read: without it there is nothing to reconcile (no money moved). */
  baselineKnown = false;
  delivery: DeliveryObserved | null = null;
  ledger: LedgerView | null = null;
  /** The player's bettable money as last seen (ack or ledger), so it never bets what it has not got. */
  availableMinor = 0n;
  /** How far the player got; "connected" means it played. */
  stage: "new" | "registered" | "logged-in" | "deposited" | "connected" = "new";
  started = false;
  failure: string | null = null;
  private accessToken = "";
  /** A deposit started but not yet seen credited: the audit asks again before reconciling. */
  private pendingDepositId: string | null = null;
  /** A deposit request whose answer was lost: replayed with its Idempotency-Key at the audit to learn its fate. */
  private unansweredDeposit: { readonly card: string; readonly key: string } | null = null;
  private socket: WebSocket | null = null;
  /** Further clients of this account (the abuse scenario's second device), closed with the player. */
  private readonly extraClients: CroupierClient[] = [];
  private readonly makeClient: () => CroupierClient;
  /**
   * The account was locked during the run (its sockets closed with 4003): its sessions are revoked, so
   * the audit cannot read its wallet; the driver reads the ledger for it as an operator instead.
   */
  lockedSeen = false;

  constructor(
    readonly index: number,
    readonly scenario: Exclude<Scenario, "mix">,
    readonly ctx: PlayerContext,
  ) {
    const { plan } = ctx;
    this.username = `${plan.accountPrefix}-${index}`;
    this.url = plan.urls[index % plan.urls.length] as string;
    const localAddress = plan.sourceAddresses.length === 0 ? undefined : plan.sourceAddresses[index % plan.sourceAddresses.length];
    const fetch = boundFetch(localAddress);
    // One device id per account (not per index): accounts of earlier runs with other prefixes are other
    // people, and the risk engine links accounts that share a device.
    this.deviceId = `loadtest-${plan.accountPrefix}-${index}`;
    this.makeClient = () => new CroupierClient({ url: this.url, WebSocket: boundWebSocket(localAddress, () => undefined), fetch, requestTimeoutMs: 10_000 });
    this.client = new CroupierClient({ url: this.url, WebSocket: boundWebSocket(localAddress, (s) => (this.socket = s)), fetch, requestTimeoutMs: 10_000 });
    this.client.on("tokens", (pair) => (this.accessToken = pair.accessToken));
    this.wallet = new WalletApi(this.url, fetch, () => this.accessToken);
  }

  /** Times `work` into the action's histogram; a failure is counted by its code and rethrown. */
  async timed<T>(action: Action, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const value = await work();
      this.ctx.metrics.record(action, started, performance.now());
      return value;
    } catch (error) {
      if (codeOf(error) !== stoppedCode) {
        this.ctx.metrics.error(codeOf(error));
        this.ctx.metrics.count(`errors.${action}`);
      }
      throw error;
    }
  }

  /** Register (or reuse), log in, deposit and wait for the balance, connect. */
  async prepare(): Promise<void> {
    const { plan } = this.ctx;
    await this.timed("register", async () => {
      try {
        await this.client.register(this.username, plan.password);
      } catch (error) {
        if (!(plan.reuseAccounts && codeOf(error) === "CROUPIER_ERR_AUTH_ACCOUNT_EXISTS")) throw error;
      }
    });
    this.stage = "registered";
    await this.timed("login", () => this.loginOn(this.client, this.deviceId));
    this.stage = "logged-in";
    this.money.baselineMinor = (await this.walletCall(() => this.wallet.ledgerView(this.ctx.currency))).totalMinor;
    this.baselineKnown = true;
    this.stopIfStopped();
    await this.timed("deposit", () => this.deposit());
    this.stage = "deposited";
    this.stopIfStopped();
    await this.timed("connect", () => this.client.connect());
    this.stage = "connected";
  }

  /**
   * Logs `client` in as this player, naming `deviceId`; again after a pause when the server throttles
   * (as a player's app would): many players logging in at once from one address look like guessing to
   * the login throttle, which counts each attempt in flight until its password is checked.
   */
  async loginOn(client: CroupierClient, deviceId: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.login(this.username, this.ctx.plan.password, deviceId);
        return;
      } catch (error) {
        if (codeOf(error) !== "CROUPIER_ERR_AUTH_THROTTLED" || attempt >= loginAttemptsMax) throw error;
        this.ctx.metrics.count("retries.CROUPIER_ERR_AUTH_THROTTLED");
        this.stopIfStopped();
        await sleep(jittered(Math.min(loginRetryMsMax, loginRetryMs * 2 ** (attempt - 1))));
      }
    }
  }

  private stopIfStopped(): void {
    if (this.ctx.stopped()) throw new CroupierError(stoppedCode, "the run ended before this player was ready");
  }

  private async deposit(): Promise<void> {
    const { plan } = this.ctx;
    const card = await this.walletCall(() => this.wallet.tokenizeTestCard());
    const key = `loadtest-${plan.runId}-${this.index}`;
    this.unansweredDeposit = { card, key };
    const started = await this.walletCall(() => this.wallet.startDeposit(plan.deposit, plan.currency, card, key));
    this.unansweredDeposit = null;
    this.pendingDepositId = started.id;
    if (!(await this.awaitDeposit(started.id, started.status, depositWaitMsMax, true))) {
      this.stopIfStopped();
      throw new CroupierError("LOADTEST_DEPOSIT_NOT_CREDITED", `deposit ${started.id} not credited`);
    }
  }

  /**
   * Polls a deposit until it is no longer pending (backing off), then, once credited, until the balance
   * shows it. True when it is credited and counted; false when it failed, or time or the run ran out.
   */
  private async awaitDeposit(id: string, status: string, waitMsMax: number, stopAware: boolean): Promise<boolean> {
    const deadline = Date.now() + waitMsMax;
    let pollMs = depositPollMsMin;
    const pause = async (): Promise<boolean> => {
      if (Date.now() >= deadline || (stopAware && this.ctx.stopped())) return false;
      await sleep(pollMs);
      pollMs = Math.min(depositPollMsMax, pollMs * 1.5);
      return true;
    };
    // A long poll: the server answers when the webhook settles the deposit; asked again (after a
    // pause) only if it is still pending when the wait ends.
    for (let first = true; status === "pending"; first = false) {
      if (!first && !(await pause())) return false;
      if (Date.now() >= deadline || (stopAware && this.ctx.stopped())) return false;
      status = (await this.walletCall(() => this.wallet.deposit(id, depositLongPollMs))).status;
    }
    this.pendingDepositId = null;
    if (status !== "credited") return false;
    this.money.depositedMinor = BigInt(this.ctx.plan.depositMinor);
    // Credited: the balance must show it now, on whichever node answers.
    const expected = this.money.baselineMinor + this.money.depositedMinor;
    for (pollMs = depositPollMsMin; ;) {
      const view = await this.walletCall(() => this.wallet.ledgerView(this.ctx.currency));
      if (view.totalMinor >= expected) {
        this.availableMinor = view.availableMinor;
        return true;
      }
      if (!(await pause())) throw new CroupierError("LOADTEST_BALANCE_NOT_CREDITED", `credited deposit ${id} not in the balance`);
    }
  }

  /**
   * A wallet call, again with fresh tokens if the access token expired during a long run, and again
   * (with back-off) on a keep-alive socket the server closed as the request went out or an answer that
   * says retry (503, busy, key in progress). Every call here is a read, a card token, or carries an
   * Idempotency-Key, so sending it again is safe.
   */
  async walletCall<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        const code = codeOf(error);
        if (code === "CROUPIER_ERR_AUTH_TOKEN_EXPIRED" && attempt === 1) await this.client.refresh();
        else if (!(retriedCodes.includes(code) && attempt < walletAttemptsMax)) throw error;
        else await sleep(walletRetryMs * attempt);
        this.ctx.metrics.count(`retries.${code}`);
      }
    }
  }

  /** Cuts the TCP connection without a close handshake, as a network loss would; the SDK reconnects. */
  dropSocket(): boolean {
    const socket = this.socket;
    if (socket === null || socket.readyState !== WebSocket.OPEN) return false;
    socket.terminate();
    return true;
  }

  /** The ledger's view of the player's account, for the reconciliation. */
  async audit(): Promise<void> {
    const unanswered = this.unansweredDeposit;
    if (unanswered !== null) {
      // The same key and body answer the recorded deposit (or create it now, which the audit then counts).
      const { plan } = this.ctx;
      try {
        const replayed = await this.walletCall(() => this.wallet.startDeposit(plan.deposit, plan.currency, unanswered.card, unanswered.key));
        this.unansweredDeposit = null;
        this.pendingDepositId = replayed.id;
      } catch (error) {
        // Its fate stays unknown: the ledger view below shows whatever happened, and the report says why.
        this.failure = [this.failure, `deposit replay ${codeOf(error)}`].filter((f) => f !== null).join("; ");
      }
    }
    const id = this.pendingDepositId;
    if (id !== null)
      await this.awaitDeposit(id, (await this.walletCall(() => this.wallet.deposit(id))).status, depositAuditWaitMsMax, false).catch(() => false);
    this.ledger = await this.walletCall(() => this.wallet.ledgerView(this.ctx.currency));
  }

  /** Another client of the same account (a second device), bound to the player's source address; it needs its own login. */
  anotherClient(): CroupierClient {
    const client = this.makeClient();
    this.extraClients.push(client);
    return client;
  }

  close(): void {
    this.client.close();
    for (const client of this.extraClients) client.close();
  }
}

/** Hands the player's room events to `onEvent`, and counts the resets of its game room (`room()`: where it plays now). */
export function followRoom(player: SimulatedPlayer, room: () => string, onEvent: (e: RoomEvent) => void): void {
  player.client.on("event", onEvent);
  player.client.on("reset", (r) => {
    if (r.room === room()) player.money.resets++;
  });
}

export function codeOf(error: unknown): string {
  if (error instanceof CroupierError) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? `NODE_${code}` : "LOADTEST_UNEXPECTED";
}
