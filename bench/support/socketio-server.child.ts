// The baseline: a minimal Socket.IO server in its own process. Every client joins one room; an
// event "bcast" from any client is broadcast to the room, as a game server would broadcast a result.
import { createServer } from "node:http";
import { Server } from "socket.io";

const room = "bench";
const http = createServer();
// SOCKETIO_RECOVERY=1 turns on Socket.IO's connection state recovery (its resume: missed packets
// replayed to a client that reconnects within the window), for the resume benchmark.
const recovery = process.env.SOCKETIO_RECOVERY === "1";
const io = new Server(http, {
  serveClient: false,
  perMessageDeflate: false,
  transports: ["websocket"],
  maxHttpBufferSize: 16_384,
  ...(recovery ? { connectionStateRecovery: { maxDisconnectionDuration: 120_000, skipMiddlewares: true } } : {}),
});
io.on("connection", (socket) => {
  // A recovered socket is back in its rooms already.
  if (!socket.recovered) void socket.join(room);
  socket.on("bcast", (payload: string) => io.to(room).emit("e", payload));
  // An event other members receive, acknowledged to its sender once sent (the resume benchmark's "note").
  socket.on("note", (payload: string, ack?: () => void) => {
    socket.to(room).emit("e", payload);
    ack?.();
  });
  // The room's member count (the resume benchmark waits until the server has seen a dropped client leave).
  socket.on("members", (ack?: (count: number) => void) => ack?.(io.sockets.adapter.rooms.get(room)?.size ?? 0));
});
http.listen(0, "127.0.0.1", () => {
  const address = http.address();
  process.send?.({ op: "listening", port: typeof address === "object" && address !== null ? address.port : 0 });
});
process.on("disconnect", () => process.exit(0));
