// The baseline: a minimal Socket.IO server in its own process. Every client joins one room; an
// event "bcast" from any client is broadcast to the room, as a game server would broadcast a result.
import { createServer } from "node:http";
import { Server } from "socket.io";

const room = "bench";
const http = createServer();
const io = new Server(http, { serveClient: false, perMessageDeflate: false, transports: ["websocket"], maxHttpBufferSize: 16_384 });
io.on("connection", (socket) => {
  void socket.join(room);
  socket.on("bcast", (payload: string) => io.to(room).emit("e", payload));
});
http.listen(0, "127.0.0.1", () => {
  const address = http.address();
  process.send?.({ op: "listening", port: typeof address === "object" && address !== null ? address.port : 0 });
});
process.on("disconnect", () => process.exit(0));
