import type { WebSocket } from "ws";
import type { Logger } from "pino";
import type { Principal } from "../../app/auth/auth.service.js";
import { closeCodes, type CloseName } from "../../protocol/ws.close-codes.js";
import { errors, type ErrorName } from "../../protocol/errors.js";
import type { ServerMessage } from "../../protocol/ws.messages.js";
import { SendTally } from "./ws-metrics.js";
import { textFrame } from "./text-frame.js";

export interface ConnectionLimits {
  readonly sendQueueBytesMax: number;
  readonly messagesPerSecondMax: number;
  readonly invalidFramesMax: number;
}

/** The socket under `ws`, written directly for pre-framed messages. */
interface RawSocket {
  readonly writableLength: number;
  write(chunk: Buffer): boolean;
  cork(): void;
  uncork(): void;
}

/** Most bytes held back for one write while coalescing (see `Connection.coalesce`). */
const coalescedBytesMax = 16 * 1024;

/**
 * One client socket: what it is allowed to do, and the only way bytes reach it. A send that would
 * push the socket's queue past sendQueueBytesMax cuts the client off with 4008 instead of letting a
 * slow reader grow the server's memory or hold up the room.
 */
export class Connection {
  principal: Principal | null = null;
  /** The peer's address, for the audit log of operator and dealer actions. */
  clientAddress: string | null = null;
  readonly rooms = new Set<string>();
  private windowStartMs = 0;
  private windowCount = 0;
  private invalidFrames = 0;
  private closing = false;
  private frameSeq = 0;

  private logger: Logger | null = null;

  constructor(
    readonly id: string,
    private readonly ws: WebSocket,
    private readonly limits: ConnectionLimits,
    private readonly onSlow: () => void,
    private readonly baseLog: Logger,
    private readonly tally: SendTally = new SendTally(),
  ) {}

  /**
   * Bound to this connection's id and, once authenticated, its user and session. Built on first use,
   * so an idle connection holds no logger of its own. Only what is rare logs here: refusals and the
   * close at debug; never a line per delivered message.
   */
  get log(): Logger {
    this.logger ??= this.baseLog.child({
      connectionId: this.id,
      ...(this.principal ? { userId: this.principal.userId, sessionId: this.principal.sessionId } : {}),
    });
    return this.logger;
  }

  /** Logs at debug without building the connection's logger when debug is off. */
  debug(fields: Readonly<Record<string, unknown>>, message: string): void {
    if (this.baseLog.isLevelEnabled("debug")) this.log.debug(fields, message);
  }

  /** The principal changed: the next line binds the new user and session. */
  rebindLog(): void {
    this.logger = null;
  }

  get isOpen(): boolean {
    return !this.closing && this.ws.readyState === this.ws.OPEN;
  }

  get userId(): string {
    return this.principal?.userId ?? "";
  }

  /** Sends pre-encoded JSON bytes as one text frame. */
  sendRaw(bytes: Buffer): void {
    this.sendFrame(textFrame(bytes));
  }

  private coalescing = false;

  /**
   * Holds what this connection is sent until the current tick's work is done, then writes it all at
   * once: an action's event and its answer, produced in the same tick, leave in one system call (and
   * wake the client once) instead of two.
   */
  coalesce(): void {
    if (this.coalescing || !this.isOpen) return;
    const socket = this.socket;
    this.coalescing = true;
    socket.cork();
    process.nextTick(() => {
      this.coalescing = false;
      socket.uncork();
    });
  }

  private get socket(): RawSocket {
    return (this.ws as unknown as { _socket: RawSocket })._socket;
  }

  /**
   * Writes an already framed message (see text-frame.ts) straight to the socket. `ws` writes its own
   * frames to the same socket synchronously (compression is off), so order with `send` is kept.
   */
  sendFrame(frame: Buffer): void {
    if (!this.fitsQueue(frame.length)) return;
    const socket = this.socket;
    socket.write(frame);
    // Held bytes count toward the send queue: past a few frames' worth they leave now, so a burst
    // (an append of hundreds of entries) is written in pieces and never mistaken for a slow reader.
    if (this.coalescing && socket.writableLength >= coalescedBytesMax) {
      socket.uncork();
      socket.cork();
    }
    this.tally.frames++;
    this.tally.bytes += frame.length;
  }

  /**
   * Runs `send` with the socket corked, so the frames it writes leave in one write (a replay of many
   * entries is one system call, and arrives at the client in a few reads instead of one per frame).
   */
  batch(send: () => void): void {
    const socket = this.socket;
    socket.cork();
    try {
      send();
    } finally {
      socket.uncork();
    }
  }

  /** Whether `bytes` more may be queued; a socket that would pass sendQueueBytesMax is cut off instead. */
  private fitsQueue(bytes: number): boolean {
    if (!this.isOpen) return false;
    if (this.ws.bufferedAmount + bytes <= this.limits.sendQueueBytesMax) return true;
    this.onSlow();
    this.close("slowConsumer");
    return false;
  }

  send(message: ServerMessage): void {
    this.sendRaw(Buffer.from(JSON.stringify(message)));
  }

  /** The request id of the last error sent, the one the client sees, for a log line about it. */
  lastRequestId = "";

  /** Sends a registry error with a fresh request id (kept in lastRequestId). */
  sendError(name: ErrorName, id?: string, details?: readonly string[], context?: Readonly<Record<string, unknown>>): void {
    const spec = errors[name];
    this.tally.refused(spec.code);
    const requestId = `${this.id}.${++this.frameSeq}`;
    this.lastRequestId = requestId;
    this.debug({ code: spec.code, requestId, frameId: id, details, ...context }, "frame refused");
    this.send({
      type: "error",
      ...(id ? { id } : {}),
      code: spec.code,
      message: spec.message,
      requestId,
      ...(details && details.length > 0 ? { details } : {}),
    });
  }

  /** Counts one inbound frame; returns "ok", "limited" (drop it) or "flood" (cut the client off). */
  admit(nowMs: number): "ok" | "limited" | "flood" {
    if (nowMs - this.windowStartMs >= 1000) {
      this.windowStartMs = nowMs;
      this.windowCount = 0;
    }
    this.windowCount++;
    if (this.windowCount > this.limits.messagesPerSecondMax * 4) return "flood";
    return this.windowCount > this.limits.messagesPerSecondMax ? "limited" : "ok";
  }

  /** Counts an invalid frame; true when the client has sent too many to be worth serving. */
  invalid(): boolean {
    return ++this.invalidFrames > this.limits.invalidFramesMax;
  }

  close(name: CloseName): void {
    if (this.closing) return;
    this.closing = true;
    const { code, reason } = closeCodes[name];
    this.debug({ closeCode: code, reason }, "connection closed by the server");
    this.ws.close(code, reason);
    // A peer that never completes the close handshake (or a slow one whose queue is full) is dropped.
    setTimeout(() => this.ws.terminate(), 2000).unref();
  }
}
