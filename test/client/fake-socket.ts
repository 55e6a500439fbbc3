// A scripted in-memory WebSocket for the SDK's unit tests: the test plays the server.
import type { WebSocketLike } from "../../src/client/socket.js";

export type Frame = { readonly type: string; readonly id?: string; readonly [key: string]: unknown };

export class FakeSocket implements WebSocketLike {
  static instances: FakeSocket[] = [];
  /** Called for every frame the client sends; the test answers through `reply`/`drop`. */
  static onFrame: (socket: FakeSocket, frame: Frame) => void = () => undefined;

  readyState = 0;
  readonly sent: Frame[] = [];
  onopen: ((event: never) => void) | null = null;
  onmessage: ((event: never) => void) | null = null;
  onclose: ((event: never) => void) | null = null;
  onerror: ((event: never) => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
    setTimeout(() => {
      if (this.readyState !== 0) return;
      this.readyState = 1;
      (this.onopen as ((e: unknown) => void) | null)?.({});
    }, 0);
  }

  send(data: string): void {
    const frame = JSON.parse(data) as Frame;
    this.sent.push(frame);
    FakeSocket.onFrame(this, frame);
  }

  close(code = 1000, reason = ""): void {
    this.drop(code, reason);
  }

  reply(message: Record<string, unknown>): void {
    if (this.readyState !== 1) return;
    (this.onmessage as ((e: { data: string }) => void) | null)?.({ data: JSON.stringify(message) });
  }

  /** The server closing the connection with `code`. */
  drop(code: number, reason = ""): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    setTimeout(() => (this.onclose as ((e: { code: number; reason: string }) => void) | null)?.({ code, reason }), 0);
  }

  static reset(): void {
    FakeSocket.instances = [];
    FakeSocket.onFrame = () => undefined;
  }
}

/** A minimal well-behaved server: welcomes `token`, answers time, joins at `epoch`/offset 0, acks actions. */
export function politeServer(options: { token?: string; epoch?: string | (() => string); offsetMs?: number } = {}): (socket: FakeSocket, frame: Frame) => void {
  return (socket, frame) => {
    const epoch = typeof options.epoch === "function" ? options.epoch() : (options.epoch ?? "e1");
    switch (frame.type) {
      case "hello":
        if (options.token !== undefined && frame.token !== options.token) {
          socket.reply({ type: "error", id: frame.id, code: "CROUPIER_ERR_AUTH_TOKEN_EXPIRED", message: "expired", requestId: "x" });
          socket.drop(4002, "access token expired");
          return;
        }
        socket.reply({
          type: "welcome",
          id: frame.id,
          userId: "u1",
          sessionId: "s1",
          serverTime: Date.now(),
          protocol: 1,
          limits: { messagesPerSecondMax: 1000 },
        });
        return;
      case "time":
        socket.reply({ type: "time", id: frame.id, t0: frame.t0, t1: (frame.t0 as number) + (options.offsetMs ?? 0) });
        return;
      case "join": {
        const resume = frame.resume as { epoch: string; offset: number } | undefined;
        const resumed = resume !== undefined && resume.epoch === epoch;
        socket.reply({
          type: "joined",
          id: frame.id,
          room: frame.room,
          epoch,
          offset: resumed ? resume.offset : 0,
          mode: resumed ? "resumed" : resume === undefined ? "snapshot" : "reset",
          snapshot: { state: null },
          presence: { count: 1 },
        });
        return;
      }
      case "action":
        socket.reply({ type: "ack", id: frame.id, room: frame.room, actionId: frame.actionId, status: "applied" });
        return;
      default:
        return undefined;
    }
  };
}

export function event(room: string, epoch: string, offset: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: "event", room, epoch, offset, ts: Date.now(), kind: "note", data: { n: offset }, ...extra };
}

export async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}
