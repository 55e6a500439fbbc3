// A bare WebSocket test client: sends frames, records every message, waits for the ones a test needs.
import { WebSocket } from "ws";
import { call } from "./http.js";
import type { RunningServer } from "../../src/main.js";
import type { Role } from "../../src/protocol/auth.schemas.js";

export interface Message {
  readonly type: string;
  readonly [key: string]: unknown;
}

export class TestSocket {
  readonly messages: Message[] = [];
  closeCode: number | null = null;
  private waiters: Array<() => void> = [];
  private seq = 0;

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      this.messages.push(JSON.parse((data as Buffer).toString()) as Message); // a Buffer: binaryType is "nodebuffer"
      this.wake();
    });
    ws.on("close", (code) => {
      this.closeCode = code;
      this.wake();
    });
  }

  static open(baseUrl: string): Promise<TestSocket> {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/v1/ws`);
    return new Promise((resolve, reject) => {
      ws.once("open", () => resolve(new TestSocket(ws)));
      ws.once("error", reject);
    });
  }

  static async authenticated(baseUrl: string, token: string): Promise<TestSocket> {
    const socket = await TestSocket.open(baseUrl);
    socket.send({ type: "hello", id: "h", token, protocol: 1 });
    await socket.waitFor((m) => m.type === "welcome");
    return socket;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  nextId(): string {
    return `r${++this.seq}`;
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** Sends a frame with a fresh id and waits for the reply carrying that id. */
  async request(frame: Record<string, unknown>): Promise<Message> {
    const id = this.nextId();
    this.send({ ...frame, id });
    return this.waitFor((m) => m.id === id && m.type !== "event");
  }

  async waitFor(predicate: (m: Message) => boolean, timeoutMs = 5000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      if (this.closeCode !== null) throw new Error(`socket closed with ${this.closeCode} while waiting`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; messages: ${JSON.stringify(this.messages.slice(-5))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async waitClosed(timeoutMs = 5000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.closeCode === null) {
      if (Date.now() > deadline) throw new Error("socket did not close");
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.closeCode;
  }

  events(room: string): Message[] {
    return this.messages.filter((m) => m.type === "event" && m.room === room);
  }

  close(): void {
    this.ws.close();
  }
}

let userSeq = 0;

export async function newPlayer(baseUrl: string, prefix = "p"): Promise<{ userId: string; token: string; username: string }> {
  const username = `${prefix}${++userSeq}${Date.now().toString(36)}${Math.floor(performance.now()).toString(36)}`;
  const password = "correct horse battery";
  const reg = await call<{ id: string }>(baseUrl, "POST", "/v1/auth/register", { body: { username, password } });
  const login = await call<{ accessToken: string }>(baseUrl, "POST", "/v1/auth/login", { body: { login: username, password } });
  return { userId: reg.body.id, token: login.body.accessToken, username };
}

/** An account with staff roles (operator, dealer), which only the server itself can create, logged in. */
export async function newStaff(server: RunningServer, roles: readonly Role[]): Promise<{ userId: string; token: string; username: string }> {
  const username = `${roles[0] ?? "staff"}${++userSeq}${Date.now().toString(36)}`;
  const password = "correct horse battery";
  const created = await server.services.auth.register({ username, password, roles: [...roles] });
  if (!created.ok) throw new Error(`staff account refused: ${created.error}`);
  const login = await call<{ accessToken: string }>(server.url, "POST", "/v1/auth/login", { body: { login: username, password } });
  return { userId: created.value.id, token: login.body.accessToken, username };
}
