// Hot paths never log per message at the default level: 1,000 slot spins (each a ledger operation and
// a room event) add no log line to a real server process running at `info`.
import { describe, expect, it } from "vitest";
import { migratedDataDir, serveCroupier } from "../support/process.js";
import { newPlayer, TestSocket } from "../support/ws-client.js";
import { depositBySandbox } from "../support/money.js";

describe("log volume", () => {
  it("is zero lines per 1,000 bets at the default level", async () => {
    const server = await serveCroupier(
      [
        "--data-dir",
        migratedDataDir("croupier-logs-"),
        "--messages-per-second-max",
        "5000",
        "--payments-sandbox-webhook-delay-ms",
        "0",
        // 1,000 micro-bets as fast as possible is what the risk engine exists to flag (one warn line per step); this test is about hot paths.
        "--risk-bets-per-minute-max",
        "100000",
        "--risk-micro-stake-minor-max",
        "1",
      ],
      { LOG_LEVEL: "info" },
    );
    try {
      const player = await newPlayer(server.url);
      await depositBySandbox(server.url, player.token, "500.00");
      const socket = await TestSocket.authenticated(server.url, player.token);
      const room = `slots:${player.userId}`;
      await socket.request({ type: "join", room });
      const before = server.output().split("\n").length;
      const bets = 1000;
      for (let i = 0; i < bets; i += 50) {
        const acks = await Promise.all(
          Array.from({ length: 50 }, (_, k) =>
            socket.request({ type: "action", room, actionId: `s${i + k}`, lastOffset: 0, action: { kind: "spin", stake: "0.10" } }),
          ),
        );
        expect(acks.every((a) => a.type === "ack")).toBe(true);
      }
      const linesPerThousandBets = ((server.output().split("\n").length - before) * 1000) / bets;
      console.log(`log volume: ${linesPerThousandBets} lines per 1,000 bets at level info`);
      expect(linesPerThousandBets).toBe(0);
      socket.close();
    } finally {
      await server.stop();
    }
  }, 90_000);

  it("logs a room's refusals with their ids and registry code when the rooms area is at debug, and still no line per bet", async () => {
    const server = await serveCroupier(
      ["--data-dir", migratedDataDir("croupier-logs-"), "--messages-per-second-max", "5000", "--payments-sandbox-webhook-delay-ms", "0"],
      { LOG_LEVEL: "info", LOG_LEVELS: "rooms=debug,http=warn" },
    );
    try {
      const player = await newPlayer(server.url);
      await depositBySandbox(server.url, player.token, "50.00");
      const socket = await TestSocket.authenticated(server.url, player.token);
      const room = `slots:${player.userId}`;
      await socket.request({ type: "join", room });
      for (let i = 0; i < 20; i++)
        expect((await socket.request({ type: "action", room, actionId: `ok${i}`, lastOffset: 0, action: { kind: "spin", stake: "0.10" } })).type).toBe("ack");
      const refused = await socket.request({ type: "action", room, actionId: "bad", lastOffset: 0, action: { kind: "spin", stake: "0.05" } });
      expect(refused.type).toBe("error");
      socket.close();
      // The log travels by the child's stdout pipe, the reply by the socket: wait for the last line.
      for (let i = 0; i < 50 && !server.output().includes("left a room"); i++) await new Promise((r) => setTimeout(r, 100));
      const lines = server
        .output()
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const rooms = lines.filter((l) => l.area === "rooms");
      expect(rooms.map((l) => l.msg)).toEqual(["joined a room", "room refused an action", "left a room"]);
      expect(rooms[1]).toMatchObject({ level: 20, room, actionId: "bad", userId: player.userId, code: "CROUPIER_ERR_BET_LIMIT", requestId: refused.requestId });
      expect(String(rooms[1]!.connectionId)).toMatch(/^c/);
      // ws stays at info: its debug lines (authenticated, refused, closed) are not written.
      expect(lines.filter((l) => l.area === "ws")).toEqual([]);
      expect(lines.filter((l) => l.area === "server").length).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
  }, 90_000);

  it("puts the caller's W3C trace id on the lines of its HTTP request", async () => {
    const server = await serveCroupier(["--data-dir", migratedDataDir("croupier-logs-")], { LOG_LEVEL: "info" });
    try {
      const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
      const response = await fetch(`${server.url}/v1/me`, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, "x-request-id": "trace-test-1" } });
      expect(response.status).toBe(401);
      await fetch(`${server.url}/v1/me`, {
        headers: { traceparent: "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "x-request-id": "trace-test-2" },
      });
      for (let i = 0; i < 50 && !server.output().includes("trace-test-2"); i++) await new Promise((r) => setTimeout(r, 100));
      const lines = server
        .output()
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.find((l) => l.requestId === "trace-test-1")).toMatchObject({ traceId, code: "CROUPIER_ERR_AUTH_TOKEN_MISSING" });
      // An invalid trace id (all zeros) is not taken.
      expect(lines.find((l) => l.requestId === "trace-test-2")?.traceId).toBeUndefined();
    } finally {
      await server.stop();
    }
  }, 60_000);
});
