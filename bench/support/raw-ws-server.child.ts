// A reference point for the fan-out benchmark: a bare `ws` server whose clients are all in one room.
// RAW_WS_MODE=send calls ws.send(buffer) per client (ws frames the message for each socket, as
// Croupier's gateway does today); RAW_WS_MODE=preframed frames the message once and writes the same
// bytes to each client's TCP socket (what issue 4 asks of a broadcast).
import { createServer } from "node:http";
import * as wsModule from "ws";

const mode = process.env.RAW_WS_MODE === "preframed" ? "preframed" : "send";
const http = createServer();
const wss = new wsModule.WebSocketServer({ server: http, perMessageDeflate: false, clientTracking: true });
const Sender = ((wsModule as unknown as { Sender?: unknown }).Sender ?? (wsModule as unknown as { default: { Sender: unknown } }).default.Sender) as {
  frame(data: Buffer, options: Record<string, unknown>): Buffer[];
};

wss.on("connection", (ws) => {
  ws.on("message", (data: Buffer) => {
    const payload = Buffer.from(data);
    if (mode === "send") {
      for (const client of wss.clients) client.send(payload, { binary: false });
      return;
    }
    const frame = Buffer.concat(Sender.frame(payload, { fin: true, opcode: 1, mask: false, readOnly: true, rsv1: false }));
    for (const client of wss.clients) (client as unknown as { _socket: { write(b: Buffer): void } })._socket.write(frame);
  });
});
http.listen(0, "127.0.0.1", () => {
  const address = http.address();
  process.send?.({ op: "listening", port: typeof address === "object" && address !== null ? address.port : 0 });
});
process.on("disconnect", () => process.exit(0));
