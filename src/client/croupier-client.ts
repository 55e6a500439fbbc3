import { closeCodes } from "../protocol/ws.close-codes.js";
import { protocolVersion, type PresenceInfo, type RoomEventMessage, type ServerMessage } from "../protocol/ws.messages.js";
import type { TokenPair, User } from "../protocol/auth.schemas.js";
import { AuthHttp, type FetchLike } from "./auth-http.js";
import { backoffDelayMs, defaultBackoff, type BackoffOptions } from "./backoff.js";
import { CroupierError } from "./client-error.js";
import { bestSample, defaultLocalNow, sampleOf, type ClockEstimate, type ClockSample } from "./clock-sync.js";
import { Emitter } from "./emitter.js";
import { OutboundPacer } from "./outbound-pacer.js";
import { randomId } from "./random.js";
import { RoomTracker } from "./room-tracker.js";
import { socketOpen, type CloseEventLike, type MessageEventLike, type WebSocketConstructor, type WebSocketLike } from "./socket.js";

export interface CroupierClientOptions {
  /** The server's HTTP base URL (`http://host:port`); the WebSocket endpoint is derived from it. */
  readonly url: string;
  /** The WebSocket implementation: `globalThis.WebSocket` in browsers, `ws`'s `WebSocket` in Node. */
  readonly WebSocket: WebSocketConstructor;
  /** Defaults to `globalThis.fetch`. */
  readonly fetch?: FetchLike;
  readonly accessToken?: string;
  readonly refreshToken?: string;
  /** A request (join, action, chat, time) not answered within this fails with CLIENT_TIMEOUT. */
  readonly requestTimeoutMs?: number;
  readonly backoff?: Partial<BackoffOptions>;
  /** Consecutive failed connection attempts before the client gives up and closes. */
  readonly reconnectAttemptsMax?: number;
  /** Times `act` sends one action (same actionId) through timeouts and reconnects. */
  readonly actionAttemptsMax?: number;
  /** `time` samples per clock sync; the one with the smallest round trip is kept. */
  readonly clockSamples?: number;
  readonly clockResyncMs?: number;
  /** Frames per second sent before the server's `welcome` says its own messagesPerSecondMax. */
  readonly messagesPerSecondMax?: number;
  /** The local clock (ms since the epoch); injectable for tests. */
  readonly now?: () => number;
}

export type ConnectionState = "idle" | "connecting" | "open" | "reconnecting" | "closed";

export type RoomEvent = RoomEventMessage;
export interface Welcome {
  readonly userId: string;
  readonly sessionId: string;
  readonly serverTime: number;
  readonly limits: Readonly<Record<string, number>>;
}
export interface Joined {
  readonly room: string;
  readonly epoch: string;
  readonly offset: number;
  readonly mode: "resumed" | "snapshot" | "reset";
  readonly snapshot?: unknown;
  readonly presence: PresenceInfo;
}
export interface Reset {
  readonly room: string;
  readonly epoch: string;
  readonly offset: number;
  readonly snapshot: unknown;
}
export interface ActResult {
  readonly actionId: string;
  readonly status: "applied" | "duplicate";
  readonly result?: unknown;
  readonly attempts: number;
}
export interface ActOptions {
  readonly actionId?: string;
  readonly timeoutMs?: number;
}

/** The typed events of a client: `client.on("event", (e) => ...)`. */
export interface ClientEvents {
  /** A room event, handed over in offset order, a reveal at its `revealAt` by the synced clock. */
  event: RoomEvent;
  /** Every `joined` reply: first joins (`snapshot`), resumes after a reconnect, and resets. */
  joined: Joined;
  /** The room's history could not be replayed (or its log was rebuilt): restart from this snapshot. */
  reset: Reset;
  presence: { readonly room: string; readonly count: number; readonly members?: readonly string[] };
  /** The server removed this client from a room (an operator's kick). */
  left: { readonly room: string; readonly reason: "requested" | "kicked" };
  state: ConnectionState;
  welcome: Welcome & { readonly reconnect: boolean };
  disconnected: { readonly code: number; readonly reason: string; readonly willReconnect: boolean };
  clock: ClockEstimate;
  /** New tokens after a refresh: store them if the session should outlive the page. */
  tokens: TokenPair;
  /** An error frame that answers no request of this client (for example WS_RATE_LIMITED). */
  error: CroupierError;
}

interface Pending {
  resolve(message: ServerMessage): void;
  reject(error: CroupierError): void;
  timer: ReturnType<typeof setTimeout>;
}

interface Waiter {
  check(): boolean;
  resolve(): void;
  reject(error: CroupierError): void;
}

type Request = { readonly type: "time" | "join" | "leave" | "action" | "chat" | "moderate"; readonly [key: string]: unknown };

const defaults = { requestTimeoutMs: 5_000, reconnectAttemptsMax: 50, actionAttemptsMax: 3, clockSamples: 8, clockResyncMs: 60_000, messagesPerSecondMax: 20 };
const helloId = "hello";

/**
 * A Croupier client for browsers and Node: authenticates, keeps one WebSocket open (reconnecting with
 * back-off and full jitter), rejoins its rooms after a reconnect from the last offset it saw so that
 * nothing is missed or seen twice, keeps a synced clock and hands reveals over at their `revealAt`.
 */
export class CroupierClient extends Emitter<ClientEvents> {
  readonly auth: AuthHttp;
  private readonly options: Required<Omit<CroupierClientOptions, "accessToken" | "refreshToken" | "fetch" | "backoff">> & { backoff: BackoffOptions };
  private accessToken: string | null;
  private refreshToken: string | null;
  private socket: WebSocketLike | null = null;
  private stateValue: ConnectionState = "idle";
  private readonly rooms = new Map<string, RoomTracker>();
  private readonly pending = new Map<string, Pending>();
  private waiters: Waiter[] = [];
  private requestSeq = 0;
  private attempts = 0;
  private welcomed = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private resyncTimer: ReturnType<typeof setInterval> | null = null;
  private pacer: OutboundPacer;
  private clockValue: ClockEstimate | null = null;
  private readonly joinedInfo = new WeakMap<RoomTracker, Joined>();
  private readonly joinFailures = new WeakMap<RoomTracker, CroupierError>();
  private welcomeValue: Welcome | null = null;

  constructor(options: CroupierClientOptions) {
    super();
    this.options = {
      url: options.url.replace(/\/$/, ""),
      WebSocket: options.WebSocket,
      requestTimeoutMs: options.requestTimeoutMs ?? defaults.requestTimeoutMs,
      reconnectAttemptsMax: options.reconnectAttemptsMax ?? defaults.reconnectAttemptsMax,
      actionAttemptsMax: options.actionAttemptsMax ?? defaults.actionAttemptsMax,
      clockSamples: options.clockSamples ?? defaults.clockSamples,
      clockResyncMs: options.clockResyncMs ?? defaults.clockResyncMs,
      messagesPerSecondMax: options.messagesPerSecondMax ?? defaults.messagesPerSecondMax,
      now: options.now ?? defaultLocalNow,
      backoff: { ...defaultBackoff, ...options.backoff },
    };
    const fetchImpl = options.fetch ?? (globalThis as { fetch?: FetchLike }).fetch; // absent on old runtimes
    this.auth = new AuthHttp(
      this.options.url,
      fetchImpl ?? (() => Promise.reject(new CroupierError("CLIENT_HTTP", "no fetch implementation: pass options.fetch"))),
    );
    this.accessToken = options.accessToken ?? null;
    this.refreshToken = options.refreshToken ?? null;
    this.pacer = new OutboundPacer(this.options.messagesPerSecondMax, this.options.now);
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  /** The current clock estimate; null before the first sync. */
  get clock(): ClockEstimate | null {
    return this.clockValue;
  }

  get welcome(): Welcome | null {
    return this.welcomeValue;
  }

  /** The server's time now, by the synced clock (the local clock before the first sync). */
  serverNow(): number {
    return this.options.now() + (this.clockValue?.offsetMs ?? 0);
  }

  /** The resume point of a room: the epoch and the last offset received. */
  position(room: string): { epoch: string | null; offset: number } | undefined {
    const tracker = this.rooms.get(room);
    return tracker === undefined ? undefined : { epoch: tracker.epoch, offset: tracker.lastSeen };
  }

  // ---- accounts over HTTP ------------------------------------------------------------------

  register(username: string, password: string): Promise<User> {
    return this.auth.register({ username, password });
  }

  async login(login: string, password: string, deviceId?: string): Promise<TokenPair> {
    const pair = await this.auth.login({ login, password, ...(deviceId === undefined ? {} : { deviceId }) });
    this.useTokens(pair);
    return pair;
  }

  /** Exchanges the refresh token for a new pair (the old refresh token is spent). */
  async refresh(): Promise<TokenPair> {
    if (this.refreshToken === null) throw new CroupierError("CLIENT_NO_REFRESH_TOKEN", "no refresh token: log in again");
    const pair = await this.auth.refresh(this.refreshToken);
    this.useTokens(pair);
    return pair;
  }

  private useTokens(pair: TokenPair): void {
    this.accessToken = pair.accessToken;
    this.refreshToken = pair.refreshToken;
    this.emit("tokens", pair);
  }

  // ---- connection ---------------------------------------------------------------------------

  /**
   * Opens the connection (if it is not open) and resolves once the server has welcomed this client
   * and the clock is synced. Rooms joined before a `close()` are rejoined from where they were.
   */
  async connect(): Promise<Welcome> {
    if (this.stateValue === "idle" || this.stateValue === "closed") {
      this.attempts = 0;
      this.setState("connecting");
      this.open();
    }
    await this.until(() => this.stateValue === "open" && this.clockValue !== null && this.welcomeValue !== null);
    return this.welcomeValue as Welcome;
  }

  /**
   * Closes the connection and stops reconnecting. Room positions are kept: a later `connect()`
   * resumes every room from the last offset seen, as after a network loss.
   */
  close(): void {
    this.stopTimers();
    this.setState("closed");
    const socket = this.socket;
    this.socket = null;
    if (socket !== null) this.detach(socket, closeCodes.normal.code, "closed by the client");
    this.failAll(new CroupierError("CLIENT_CLOSED", "the client was closed"));
  }

  private open(): void {
    this.reconnectTimer = null;
    let socket: WebSocketLike;
    try {
      socket = new this.options.WebSocket(`${this.options.url.replace(/^http/, "ws")}/v1/ws`);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    this.pacer = new OutboundPacer(this.options.messagesPerSecondMax, this.options.now);
    socket.onopen = () => this.onOpen(socket);
    socket.onmessage = (event: MessageEventLike) => this.onMessage(socket, event);
    socket.onclose = (event: CloseEventLike) => void this.onClose(socket, event.code, event.reason);
    socket.onerror = () => undefined; // a close event always follows an error
  }

  private onOpen(socket: WebSocketLike): void {
    if (this.socket !== socket) return;
    if (this.accessToken === null) {
      this.detach(socket, closeCodes.normal.code, "no access token");
      this.socket = null;
      this.finish(new CroupierError("CLIENT_NO_REFRESH_TOKEN", "no access token: log in or pass accessToken"));
      return;
    }
    this.transmit({ type: "hello", id: helloId, token: this.accessToken, protocol: protocolVersion });
  }

  private onWelcome(message: Extract<ServerMessage, { type: "welcome" }>): void {
    const reconnect = this.welcomed++ > 0;
    this.welcomeValue = { userId: message.userId, sessionId: message.sessionId, serverTime: message.serverTime, limits: message.limits };
    const rate = message.limits.messagesPerSecondMax;
    if (rate !== undefined) this.pacer.setRate(rate);
    this.attempts = 0;
    this.setState("open");
    // Rooms first: a resume should not wait behind the clock samples.
    for (const tracker of this.rooms.values()) this.sendJoin(tracker);
    void this.syncClock();
    if (this.resyncTimer !== null) clearInterval(this.resyncTimer);
    this.resyncTimer = setInterval(() => void this.syncClock(), this.options.clockResyncMs);
    this.emit("welcome", { ...this.welcomeValue, reconnect });
  }

  private async onClose(socket: WebSocketLike, code: number, reason: string): Promise<void> {
    if (this.socket !== socket) return;
    this.socket = null;
    if (this.resyncTimer !== null) clearInterval(this.resyncTimer);
    this.resyncTimer = null;
    this.failPending(new CroupierError("CLIENT_DISCONNECTED", `connection closed (${code})`));
    for (const tracker of this.rooms.values()) tracker.joining = true;
    const known = Object.values(closeCodes).find((c) => c.code === code);
    const willReconnect = known === undefined || known.reconnect;
    this.emit("disconnected", { code, reason, willReconnect });
    if (!willReconnect) {
      this.finish(
        new CroupierError(
          code === closeCodes.sessionRevoked.code ? "CROUPIER_ERR_AUTH_SESSION_REVOKED" : "CLIENT_CLOSED",
          `the server closed the connection for good (${code} ${reason})`,
        ),
      );
      return;
    }
    if (code === closeCodes.tokenExpired.code) {
      try {
        await this.refresh();
      } catch (error) {
        // A refused refresh token ends the session; a server that cannot be reached is retried.
        if (error instanceof CroupierError && (error.httpStatus === 401 || error.code === "CLIENT_NO_REFRESH_TOKEN")) {
          this.finish(error);
          return;
        }
        this.scheduleReconnect();
        return;
      }
      if (this.stateValue === "closed") return;
      this.setState("reconnecting");
      this.open();
      return;
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stateValue === "closed") return;
    if (this.attempts >= this.options.reconnectAttemptsMax) {
      this.finish(new CroupierError("CLIENT_DISCONNECTED", `gave up after ${this.attempts} connection attempts`));
      return;
    }
    const delayMs = backoffDelayMs(this.attempts++, this.options.backoff);
    this.setState("reconnecting");
    this.reconnectTimer = setTimeout(() => this.open(), delayMs);
  }

  /** Stops for good after a failure nobody can retry (a refused token, a revoked session). */
  private finish(error: CroupierError): void {
    this.stopTimers();
    this.setState("closed");
    this.failAll(error);
  }

  private stopTimers(): void {
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    if (this.resyncTimer !== null) clearInterval(this.resyncTimer);
    this.reconnectTimer = null;
    this.resyncTimer = null;
    this.pacer.clear();
  }

  private detach(socket: WebSocketLike, code: number, reason: string): void {
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    try {
      if (socket.readyState <= socketOpen) socket.close(code, reason);
    } catch {
      // Closing a socket that is still connecting throws in some implementations; it is dropped anyway.
    }
  }

  private setState(state: ConnectionState): void {
    if (this.stateValue === state) return;
    this.stateValue = state;
    this.emit("state", state);
    this.wake();
  }

  // ---- inbound frames ----------------------------------------------------------------------

  private onMessage(socket: WebSocketLike, event: MessageEventLike): void {
    if (this.socket !== socket || typeof event.data !== "string") return;
    let message: ServerMessage;
    try {
      message = JSON.parse(event.data) as ServerMessage;
    } catch {
      return;
    }
    switch (message.type) {
      case "event": {
        this.onEvent(message);
        return;
      }
      case "welcome": {
        this.onWelcome(message);
        return;
      }
      case "joined":
        this.onJoined(message);
        break;
      case "reset": {
        this.onReset(message);
        return;
      }
      case "presence": {
        this.emit("presence", { room: message.room, count: message.count, ...(message.members ? { members: message.members } : {}) });
        return;
      }
      case "left":
        this.onLeft(message);
        break;
      case "error": {
        this.onError(message);
        return;
      }
      default:
        break;
    }
    if ("id" in message) this.settle(message.id, message);
  }

  private onEvent(message: RoomEventMessage): void {
    const tracker = this.rooms.get(message.room);
    if (tracker === undefined) return;
    // A hole means a frame was lost in a way the server should make impossible: resume over it. An
    // event of another epoch is never shown; the room is rejoined from where this client is, and the
    // server answers with the room as it is (a `reset` if its epoch really changed). Waiting for an
    // unsolicited `reset` instead could wait forever: every later event would be dropped the same way.
    const accepted = tracker.accept(message);
    if (accepted === "gap" || accepted === "other-epoch") this.sendJoin(tracker);
  }

  /** Handled as the frame arrives (not when a promise settles): the events that follow depend on it. */
  private onJoined(message: Extract<ServerMessage, { type: "joined" }>): void {
    const tracker = this.rooms.get(message.room);
    if (tracker === undefined) return;
    tracker.restart(message.epoch, message.offset, message.mode !== "resumed");
    const joined: Joined = {
      room: message.room,
      epoch: message.epoch,
      offset: message.offset,
      mode: message.mode,
      presence: message.presence,
      ...(message.snapshot === undefined ? {} : { snapshot: message.snapshot }),
    };
    this.joinedInfo.set(tracker, joined);
    this.emit("joined", joined);
    if (message.mode === "reset") this.emit("reset", { room: message.room, epoch: message.epoch, offset: message.offset, snapshot: message.snapshot });
    this.wake();
  }

  private onReset(message: Extract<ServerMessage, { type: "reset" }>): void {
    const tracker = this.rooms.get(message.room);
    if (tracker === undefined) return;
    tracker.restart(message.epoch, message.offset, true);
    this.emit("reset", { room: message.room, epoch: message.epoch, offset: message.offset, snapshot: message.snapshot });
  }

  private onLeft(message: Extract<ServerMessage, { type: "left" }>): void {
    if (message.reason === "kicked") {
      this.rooms.get(message.room)?.clear();
      this.rooms.delete(message.room);
      this.wake();
    }
    this.emit("left", { room: message.room, reason: message.reason });
  }

  private onError(message: Extract<ServerMessage, { type: "error" }>): void {
    const error = new CroupierError(message.code, message.message, message.requestId, message.details);
    if (message.id === helloId) return; // the close that follows says what to do
    if (message.id !== undefined && this.pending.has(message.id)) {
      this.settle(message.id, message);
      return;
    }
    this.emit("error", error);
  }

  private settle(id: string, message: ServerMessage): void {
    const pending = this.pending.get(id);
    if (pending === undefined) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if (message.type === "error") pending.reject(new CroupierError(message.code, message.message, message.requestId, message.details));
    else pending.resolve(message);
  }

  // ---- requests -----------------------------------------------------------------------------

  private transmit(frame: Record<string, unknown>): void {
    const socket = this.socket;
    if (socket === null) return;
    this.pacer.send(JSON.stringify(frame), (text) => {
      if (this.socket === socket && socket.readyState === socketOpen) socket.send(text);
    });
  }

  /** Sends a frame with a fresh id on the open connection and resolves with the reply carrying it. */
  private request(frame: Request, timeoutMs = this.options.requestTimeoutMs): Promise<ServerMessage> {
    if (this.stateValue !== "open" || this.socket === null) return Promise.reject(new CroupierError("CLIENT_DISCONNECTED", "not connected"));
    const id = `r${(++this.requestSeq).toString(36)}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new CroupierError("CLIENT_TIMEOUT", `no reply to ${frame.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.transmit({ ...frame, id });
    });
  }

  private failPending(error: CroupierError): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) {
      clearTimeout(p.timer);
      p.reject(error);
    }
  }

  private failAll(error: CroupierError): void {
    this.failPending(error);
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(error);
  }

  /** Resolves when `check()` holds; rejects when the client closes. */
  private until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    if (this.stateValue === "closed") return Promise.reject(new CroupierError("CLIENT_CLOSED", "the client is closed"));
    return new Promise((resolve, reject) => this.waiters.push({ check, resolve, reject }));
  }

  private wake(): void {
    if (this.waiters.length === 0) return;
    const keep: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.check()) w.resolve();
      else keep.push(w);
    }
    this.waiters = keep;
  }

  // ---- rooms, actions, chat -----------------------------------------------------------------

  /**
   * Joins a room (resolves with the `joined` reply). The client then stays in it across reconnects,
   * resuming from the last offset it received, until `leave`.
   */
  async join(room: string): Promise<Joined> {
    let tracker = this.rooms.get(room);
    if (tracker === undefined) {
      tracker = new RoomTracker(
        room,
        () => this.serverNow(),
        (event) => this.emit("event", event),
      );
      this.rooms.set(room, tracker);
    }
    const mine = tracker;
    this.joinedInfo.delete(mine);
    if (this.stateValue === "open") this.sendJoin(mine);
    await this.until(() => this.joinedInfo.has(mine) || this.joinFailures.has(mine) || this.rooms.get(room) !== mine);
    const failure = this.joinFailures.get(mine);
    if (failure !== undefined) throw failure;
    if (!this.joinedInfo.has(mine)) throw new CroupierError("CLIENT_CLOSED", `${room} was left before its join completed`);
    return this.joinedInfo.get(mine) as Joined;
  }

  /** Sends the join frame of a tracked room (resuming when it has a position); retried while connected. */
  private sendJoin(tracker: RoomTracker, attempt = 0): void {
    tracker.joining = true;
    const resume = tracker.resume;
    this.request({ type: "join", room: tracker.room, ...(resume === undefined ? {} : { resume }) }).catch((error: unknown) => {
      const e = error as CroupierError;
      if (this.rooms.get(tracker.room) !== tracker) return;
      if (e.retryable) {
        // A lost connection rejoins every room on reconnect; a timeout on a live one is retried here.
        if (e.code !== "CLIENT_DISCONNECTED" && this.stateValue === "open")
          setTimeout(() => this.stateValue === "open" && this.sendJoin(tracker, attempt + 1), backoffDelayMs(attempt, this.options.backoff));
        return;
      }
      this.rooms.delete(tracker.room);
      tracker.clear();
      this.joinFailures.set(tracker, e);
      this.wake();
      this.emit("error", e);
    });
  }

  async leave(room: string): Promise<void> {
    const tracker = this.rooms.get(room);
    if (tracker === undefined) return;
    this.rooms.delete(room);
    tracker.clear();
    this.wake();
    if (this.stateValue === "open") await this.request({ type: "leave", room }).catch(() => undefined);
  }

  /**
   * Sends an action to a room's owner. Its actionId (generated unless given) is the same on every
   * attempt, so an action retried after a timeout or a reconnect is applied once: the server answers
   * a repeat with `duplicate`. `lastOffset` is the last offset this client had received when it acted.
   */
  async act(room: string, action: { readonly kind: string; readonly [key: string]: unknown }, options: ActOptions = {}): Promise<ActResult> {
    const tracker = this.rooms.get(room);
    if (tracker === undefined) throw new CroupierError("CROUPIER_ERR_ROOM_NOT_JOINED", `join ${room} before acting in it`);
    const actionId = options.actionId ?? randomId("a");
    const acted = { epoch: tracker.epoch, offset: tracker.lastSeen };
    for (let attempt = 1; ; attempt++) {
      await this.until(() => (this.stateValue === "open" && !tracker.joining) || this.rooms.get(room) !== tracker);
      if (this.rooms.get(room) !== tracker) throw new CroupierError("CROUPIER_ERR_ROOM_NOT_JOINED", `${room} was left before the action was sent`);
      // Offsets count within an epoch. If the room was reset while this action waited (a restarted
      // embedded server, expired history), the offset it was decided at means nothing any more: it
      // is sent as decided on the state the reset delivered, the snapshot this client now holds.
      const lastOffset = tracker.epoch === acted.epoch ? acted.offset : tracker.lastSeen;
      try {
        const ack = await this.request({ type: "action", room, actionId, lastOffset, action }, options.timeoutMs);
        const reply = ack as Extract<ServerMessage, { type: "ack" }>;
        return { actionId, status: reply.status, attempts: attempt, ...(reply.result === undefined ? {} : { result: reply.result }) };
      } catch (error) {
        const e = error as CroupierError;
        if (attempt >= this.options.actionAttemptsMax) throw e;
        // This client only sends offsets it received, so an offset beyond the room's head means the
        // room's epoch changed under the action (a Redis that lost its data): its `reset` is on the
        // way, and the action is sent again on the state it delivers.
        if (e.code === "CROUPIER_ERR_ACTION_OFFSET_INVALID" && (await this.epochChanged(room, tracker, acted.epoch))) continue;
        if (!e.retryable) throw e;
      }
    }
  }

  /** Whether the room's epoch moves on from `epoch` within a request timeout (false if the room is left or the client closed). */
  private async epochChanged(room: string, tracker: RoomTracker, epoch: string | null): Promise<boolean> {
    const deadline = this.options.now() + this.options.requestTimeoutMs;
    while (this.rooms.get(room) === tracker && this.stateValue !== "closed" && this.options.now() < deadline) {
      if (tracker.epoch !== epoch) return true;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.rooms.get(room) === tracker && tracker.epoch !== epoch;
  }

  /** Sends a chat message; not retried (chat has no idempotency key). */
  async chat(room: string, text: string): Promise<void> {
    await this.request({ type: "chat", room, text });
  }

  /** An operator's moderation of a user in a room. */
  async moderate(room: string, op: "mute" | "unmute" | "kick", userId: string): Promise<void> {
    await this.request({ type: "moderate", room, op, userId });
  }

  // ---- clock --------------------------------------------------------------------------------

  /** Takes `clockSamples` time samples one after another and keeps the one with the smallest round trip. */
  async syncClock(): Promise<ClockEstimate | null> {
    const samples: ClockSample[] = [];
    for (let i = 0; i < this.options.clockSamples; i++) {
      const t0 = this.options.now();
      let reply: ServerMessage;
      try {
        reply = await this.request({ type: "time", t0 });
      } catch {
        break;
      }
      const t3 = this.options.now();
      if (reply.type === "time") samples.push(sampleOf(t0, reply.t1, t3));
    }
    const best = bestSample(samples);
    if (best === null) return this.clockValue;
    this.clockValue = { ...best, samples: samples.length, atMs: this.options.now() };
    this.emit("clock", this.clockValue);
    this.wake();
    return this.clockValue;
  }
}
