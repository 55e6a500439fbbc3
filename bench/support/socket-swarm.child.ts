// A benchmark client process: holds many bare WebSocket clients (Croupier's protocol or Socket.IO's
// engine.io framing, the same minimal loop for both), and reports to its parent over IPC when every
// one of them has received broadcast round k (marked "|R<k>|" in the payload). Bare clients keep the
// client side cheap and identical for both servers, so the figures are about the servers.
import { WebSocket } from "ws";
import { wallMs } from "./stats.js";

export type SwarmProtocol = "croupier" | "socketio" | "raw";

export type ParentMessage =
  | {
      readonly op: "open";
      readonly protocol: SwarmProtocol;
      readonly url: string;
      readonly tokens: readonly string[];
      readonly room: string | null;
      readonly count: number;
      readonly localAddress: string;
      readonly concurrency: number;
    }
  | { readonly op: "close" };

export type ChildMessage =
  | { readonly op: "opened"; readonly ok: number; readonly failed: number; readonly firstError: string | null }
  | { readonly op: "round"; readonly round: number; readonly firstMs: number; readonly lastMs: number }
  | { readonly op: "closed" };

const sockets: WebSocket[] = [];
const rounds = new Map<number, { count: number; firstMs: number }>();
let ready = 0;

function send(message: ChildMessage): void {
  process.send?.(message);
}

function onBroadcast(data: Buffer): void {
  const at = data.indexOf("|R");
  if (at < 0) return;
  const end = data.indexOf("|", at + 2);
  const round = Number(data.toString("latin1", at + 2, end));
  const now = wallMs();
  const entry = rounds.get(round) ?? { count: 0, firstMs: now };
  entry.count++;
  rounds.set(round, entry);
  if (entry.count === ready) {
    rounds.delete(round);
    send({ op: "round", round, firstMs: entry.firstMs, lastMs: now });
  }
}

function openOne(protocol: SwarmProtocol, url: string, token: string, room: string | null, localAddress: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { localAddress, perMessageDeflate: false });
    let isReady = false;
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error("handshake timed out"));
    }, 60_000);
    const done = () => {
      isReady = true;
      clearTimeout(timer);
      resolve(ws);
    };
    ws.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    ws.on("close", (code) => {
      if (!isReady) {
        clearTimeout(timer);
        reject(new Error(`closed by the server with ${code} before it was ready`));
      }
    });
    ws.on("message", (data: Buffer) => {
      if (isReady) {
        // Socket.IO pings every pingInterval; an unanswered ping disconnects the client.
        if (protocol === "socketio" && data.length === 1 && data[0] === 0x32) ws.send("3");
        else onBroadcast(data);
        return;
      }
      const text = data.toString("utf8");
      if (protocol === "socketio") {
        if (text.startsWith("0{")) ws.send("40");
        else if (text.startsWith("40")) done();
        return;
      }
      const message = JSON.parse(text) as { type: string; code?: string };
      if (message.type === "welcome") {
        if (room === null) done();
        else ws.send(JSON.stringify({ type: "join", id: "j", room }));
      } else if (message.type === "joined") done();
      else if (message.type === "error") reject(new Error(message.code));
    });
    if (protocol === "croupier") ws.on("open", () => ws.send(JSON.stringify({ type: "hello", id: "h", token, protocol: 1 })));
    if (protocol === "raw") ws.on("open", done);
  });
}

async function open(message: Extract<ParentMessage, { op: "open" }>): Promise<void> {
  let next = 0;
  let failed = 0;
  let firstError: string | null = null;
  const worker = async () => {
    while (next < message.count) {
      const i = next++;
      try {
        sockets.push(await openOne(message.protocol, message.url, message.tokens[i % message.tokens.length] ?? "", message.room, message.localAddress));
        ready++;
      } catch (error) {
        failed++;
        firstError ??= String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: message.concurrency }, worker));
  send({ op: "opened", ok: ready, failed, firstError });
}

process.on("message", (message: ParentMessage) => {
  if (message.op === "open") void open(message);
  if (message.op === "close") {
    for (const ws of sockets) ws.terminate();
    send({ op: "closed" });
    setTimeout(() => process.exit(0), 50);
  }
});
process.on("disconnect", () => process.exit(0));
