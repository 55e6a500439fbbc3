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

  it.skipIf(!(serviceAvailable("postgres") && serviceAvailable("redis")))(
    "spreads sockets over the workers, which serve one room together and one /metrics",
    async () => {
      const shared = await createShared("production");
      const env = {
        DATABASE_URL: shared.databaseUrl as string,
        REDIS_URL: redisUrl,
        CROUPIER_REDIS_KEY_PREFIX: shared.redisKeyPrefix,
        CROUPIER_DATA_DIR: shared.dataDir,
        LOG_LEVEL: "warn",
      };
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
        // Whichever worker takes the scrape, /metrics reports both, each sample labelled with its worker.
        for (let scrape = 0; scrape < 4; scrape++) {
          const response = await fetch(`${server.url}/metrics`);
          expect(response.status).toBe(200);
          const text = await response.text();
          const connections = [...text.matchAll(/^croupier_ws_connections\{worker="(\d)"\} (\d+)$/gm)].map((m) => [m[1], Number(m[2])] as const);
          expect(connections.map(([worker]) => worker).sort()).toEqual(["0", "1"]);
          expect(connections.reduce((sum, [, n]) => sum + n, 0)).toBe(12);
          expect(text.match(/^# TYPE croupier_ws_connections gauge$/gm)).toHaveLength(1);
          expect(text).toMatch(/^croupier_http_request_duration_seconds_count\{[^}]*worker="[01]"[^}]*\} \d+$/m);
        }
      } finally {
        for (const s of sockets) s.close();
        expect(await server.stop("SIGTERM")).toBe(0);
        await shared.dispose();
      }
    },
  );
});
