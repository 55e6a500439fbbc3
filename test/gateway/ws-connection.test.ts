// A connection's writes on a real socket pair: frames sent in one tick after `coalesce()` leave the
// server in one write; without it, one write each.
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { pino } from "pino";
import { Connection } from "../../src/gateway/ws/ws-connection.js";

interface CountedSocket {
  _write(chunk: unknown, encoding: unknown, callback: unknown): void;
  _writev(chunks: unknown, callback: unknown): void;
}

const limits = { sendQueueBytesMax: 1 << 20, messagesPerSecondMax: 100, invalidFramesMax: 10 };
const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A server-side Connection and its client, with the server socket's writes to the kernel counted. */
async function pair(): Promise<{ connection: Connection; received: string[]; writes: () => number }> {
  const server = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
  const address = server.address() as { port: number };
  const accepted = new Promise<WebSocket>((resolve) => server.once("connection", resolve));
  const client = new WebSocket(`ws://127.0.0.1:${address.port}`);
  const received: string[] = [];
  client.on("message", (data: Buffer) => received.push(data.toString("utf8")));
  const ws = await accepted;
  await new Promise((resolve) => client.once("open", resolve));
  closers.push(() => {
    client.terminate();
    server.close();
  });
  const socket = (ws as unknown as { _socket: CountedSocket })._socket;
  let writes = 0;
  const write = socket._write.bind(socket);
  const writev = socket._writev.bind(socket);
  socket._write = (chunk, encoding, callback) => {
    writes++;
    write(chunk, encoding, callback);
  };
  socket._writev = (chunks, callback) => {
    writes++;
    writev(chunks, callback);
  };
  const connection = new Connection("c1", ws, limits, () => undefined, pino({ level: "silent" }));
  return { connection, received, writes: () => writes };
}

const until = async (done: () => boolean) => {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe("Connection writes", () => {
  it("sends the frames of one tick in one write once asked to coalesce, in order", async () => {
    const { connection, received, writes } = await pair();
    connection.coalesce();
    connection.send({ type: "event", n: 1 } as never);
    connection.sendRaw(Buffer.from(JSON.stringify({ type: "ack", n: 2 })));
    connection.send({ type: "event", n: 3 } as never);
    await until(() => received.length === 3);
    expect(received.map((m) => (JSON.parse(m) as { n: number }).n)).toEqual([1, 2, 3]);
    expect(writes()).toBe(1);
  });

  it("writes each frame at once otherwise", async () => {
    const { connection, received, writes } = await pair();
    connection.send({ type: "event", n: 1 } as never);
    connection.send({ type: "event", n: 2 } as never);
    await until(() => received.length === 2);
    expect(received.map((m) => (JSON.parse(m) as { n: number }).n)).toEqual([1, 2]);
    expect(writes()).toBe(2);
  });
});
