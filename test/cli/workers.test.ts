// `croupier serve --workers N`: several processes behind one port, sharing Redis and PostgreSQL.
import { describe, expect, it } from "vitest";
import { redisUrl, serviceAvailable } from "../support/services.js";
import { createShared } from "../support/server.js";
import { runCroupier, serveCroupier } from "../support/process.js";
import { newPlayer, TestSocket } from "../support/ws-client.js";

describe("croupier serve --workers", () => {
  it("refuses more than one worker in embedded mode", async () => {
    const result = await runCroupier(["serve", "--workers", "2"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--workers above 1 needs DATABASE_URL and REDIS_URL");
  });

  it.skipIf(!(serviceAvailable("postgres") && serviceAvailable("redis")))("spreads sockets over the workers, which serve one room together", async () => {
    const shared = await createShared("production");
    const env = { DATABASE_URL: shared.databaseUrl as string, REDIS_URL: redisUrl, CROUPIER_REDIS_KEY_PREFIX: shared.redisKeyPrefix, CROUPIER_DATA_DIR: shared.dataDir, LOG_LEVEL: "warn" };
    const server = await serveCroupier(["--workers", "2"], env);
    const sockets: TestSocket[] = [];
    try {
      expect(server.output()).toContain("with 2 workers");
      const player = await newPlayer(server.url);
      const room = `sandbox:w${Date.now().toString(36)}`;
      for (let i = 0; i < 12; i++) {
        const socket = await TestSocket.authenticated(server.url, player.token);
        sockets.push(socket);
        await socket.request({ type: "join", room });
      }
      const nodes = new Set(sockets.map((s) => s.messages.find((m) => m.type === "welcome")?.node));
      expect(nodes.size).toBe(2);
      const ack = await sockets[0]!.request({ type: "action", room, actionId: "one", lastOffset: 0, action: { kind: "note", text: "to all workers" } });
      expect(ack.type).toBe("ack");
      for (const socket of sockets) await socket.waitFor((m) => m.type === "event" && m.offset === 1);
    } finally {
      for (const s of sockets) s.close();
      expect(await server.stop("SIGTERM")).toBe(0);
      await shared.dispose();
    }
  });
});
