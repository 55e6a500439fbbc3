// A live entry of a foreign epoch on a room's Redis channel (another deployment writing the same
// room, as seen when two shared one Redis server) never reaches a client, and the room goes on.
import { describe, expect, it } from "vitest";
import { serviceAvailable } from "../support/services.js";
import { connectRedis } from "../support/redis.js";
import { serverForSuite } from "../support/server.js";
import { newPlayer, TestSocket } from "../support/ws-client.js";

describe.skipIf(!(serviceAvailable("postgres") && serviceAvailable("redis")))("foreign epochs on the room channel (production)", () => {
  const serverOf = serverForSuite("production");

  it("drops an entry whose epoch is not the room's, without a reset, and delivers the room's own entries", async () => {
    const room = "sandbox:foreign";
    const player = await newPlayer(serverOf().url);
    const socket = await TestSocket.authenticated(serverOf().url, player.token);
    const joined = await socket.request({ type: "join", room });
    const epoch = joined.epoch as string;
    expect(await socket.request({ type: "action", room, actionId: "n1", lastOffset: 0, action: { kind: "note", text: "one" } })).toMatchObject({ type: "ack" });
    await socket.waitFor((m) => m.type === "event" && m.offset === 1);

    const redis = connectRedis();
    try {
      const scope = serverOf().services.redisScope as string;
      const foreign = { epoch: "0123456789abcdef", entry: { offset: 69, ts: Date.now(), kind: "note", data: { from: "someone-else", text: "foreign" } } };
      expect(await redis.publish(`${scope}room.${room}`, JSON.stringify(foreign))).toBeGreaterThanOrEqual(1);
    } finally {
      redis.disconnect();
    }
    expect(await socket.request({ type: "action", room, actionId: "n2", lastOffset: 1, action: { kind: "note", text: "two" } })).toMatchObject({ type: "ack" });
    await socket.waitFor((m) => m.type === "event" && m.offset === 2);
    await new Promise((r) => setTimeout(r, 200));
    const roomMessages = socket.messages.filter((m) => m.room === room && (m.type === "event" || m.type === "reset"));
    expect(roomMessages.map((m) => [m.type, m.epoch, m.offset])).toEqual([
      ["event", epoch, 1],
      ["event", epoch, 2],
    ]);
    socket.close();
  });
});
