// Reading what Croupier exported to a JetStream stream, as an analytics consumer would: every message,
// oldest first, with its subject, its Nats-Msg-Id and its JSON body.
import { connect } from "nats";
import { createServer, type Server, type Socket } from "node:net";
import { natsUrl } from "./services.js";

export interface StreamMessage {
  readonly subject: string;
  readonly id: string;
  readonly body: unknown;
}

export async function streamMessages(stream: string): Promise<StreamMessage[]> {
  const url = new URL(natsUrl);
  const nc = await connect({ servers: `${url.hostname}:${url.port || "4222"}`, reconnect: false });
  try {
    const info = await (await nc.jetstreamManager()).streams.info(stream);
    const consumer = await nc.jetstream().consumers.get(stream);
    const out: StreamMessage[] = [];
    while (out.length < info.state.messages) {
      const m = await consumer.next({ expires: 2_000 });
      if (m === null) break;
      out.push({ subject: m.subject, id: m.headers?.get("Nats-Msg-Id") ?? "", body: m.json() });
    }
    return out;
  } finally {
    await nc.close();
  }
}

/** A TCP listener that accepts connections and never answers: a stream that is up but stalled. */
export async function openBlackhole(): Promise<{ readonly port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("blackhole has no port");
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
