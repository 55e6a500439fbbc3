// The progressive jackpot end to end: slot spins over the WebSocket feed the pool in their ledger
// operation, the lobby owner ticks the total into lobby:main, a client joining the lobby sees the total
// at once, and a triggered spin is paid the pool. In production mode two nodes share PostgreSQL and
// Redis: spins on one, the lobby listener on the other, one publisher.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { serviceAvailable } from "../support/services.js";
import { createShared, startTestServer, type Mode, type Shared } from "../support/server.js";
import { newPlayer, TestSocket, type Message } from "../support/ws-client.js";
import { CroupierClient, followJackpots, type JackpotTotal } from "../../src/client/index.js";
import { WebSocket } from "ws";
import { ifAssigned } from "../support/fixtures.js";

const lobby = "lobby:main";
const game = "crown-jewels";
const flags = (oneIn: number) => [
  "--messages-per-second-max",
  "500",
  "--jackpot-ticker-interval-ms",
  "50",
  "--slots-jackpot-contribution-bps",
  "100",
  "--slots-jackpot-seed-minor",
  "500",
  "--slots-jackpot-trigger-one-in",
  String(oneIn),
];

interface Total {
  gameId: string;
  currency: string;
  totalMinor: string;
}
const totals = (socket: TestSocket): Total[] =>
  socket
    .events(lobby)
    .filter((m) => m.kind === "jackpot.total")
    .map((m) => m.data as Total);

async function fundedSpinner(server: RunningServer): Promise<{ socket: TestSocket; spin: (id: string) => Promise<Message> }> {
  const player = await newPlayer(server.url);
  expect(
    (
      await server.services.wallet.deposit({
        playerId: player.userId,
        currency: "EUR",
        amount: 100_000n,
        key: `dep-${player.userId}`,
        reference: "t",
        provider: "test",
      })
    ).status,
  ).toBe("ok");
  const socket = await TestSocket.authenticated(server.url, player.token);
  const room = `slots:${player.userId}`;
  expect((await socket.request({ type: "join", room })).type).toBe("joined");
  return { socket, spin: (id) => socket.request({ type: "action", room, actionId: id, lastOffset: 0, action: { kind: "spin", stake: "1.00" } }) };
}

for (const mode of ["embedded", "production"] as Mode[]) {
  const available = mode === "embedded" || (serviceAvailable("postgres") && serviceAvailable("redis"));
  describe.skipIf(!available)(`jackpot ticker in the lobby (${mode})`, () => {
    let shared: Shared;
    const servers: RunningServer[] = [];

    beforeAll(async () => {
      shared = await createShared(mode);
      servers.push(await startTestServer(shared, flags(0)));
      if (mode === "production") servers.push(await startTestServer(shared, flags(0)));
    });
    afterAll(async () => {
      for (const server of servers) await server.close();
      await ifAssigned(shared)?.dispose();
    });

    it("ticks a growing total to lobby listeners after spins, and shows it to a client joining", async () => {
      const [spinNode, lobbyNode] = [servers[0]!, servers.at(-1)!];
      const viewer = await newPlayer(lobbyNode.url);
      const listener = await TestSocket.authenticated(lobbyNode.url, viewer.token);
      expect(await listener.request({ type: "join", room: lobby })).toMatchObject({ type: "joined" });
      const { socket, spin } = await fundedSpinner(spinNode);
      // The first spin contributes 1 (1% of 1.00) and the house seeds the pool to 5.00; each later spin adds 1.
      for (let i = 0; i < 3; i++) {
        const ack = await spin(`a${i}`);
        expect(ack).toMatchObject({ type: "ack", result: { jackpotTotalMinor: String(500 + i), jackpotTriggered: false } });
        await listener.waitFor((m) => m.kind === "jackpot.total" && (m.data as Total).totalMinor === String(500 + i));
      }
      for (let i = 3; i < 6; i++) await spin(`a${i}`);
      await listener.waitFor((m) => m.kind === "jackpot.total" && (m.data as Total).totalMinor === "505");
      const seen = totals(listener);
      expect(seen.every((t) => t.gameId === game && t.currency === "EUR")).toBe(true);
      const amounts = seen.map((t) => BigInt(t.totalMinor));
      // Only changes are published, by one node: strictly growing, no repeats.
      expect(amounts.every((a, i) => i === 0 || a > amounts[i - 1]!)).toBe(true);
      expect(amounts.at(-1)).toBe(505n);

      const late = await TestSocket.authenticated(spinNode.url, viewer.token);
      expect(await late.request({ type: "join", room: lobby })).toMatchObject({
        snapshot: { state: { jackpots: [{ gameId: game, currency: "EUR", totalMinor: "505" }] } },
      });
      // Clients may not publish into the lobby.
      expect(
        await late.request({
          type: "action",
          room: lobby,
          actionId: "forge",
          lastOffset: 0,
          action: { kind: "jackpot.total", gameId: game, currency: "EUR", totalMinor: "1" },
        }),
      ).toMatchObject({ code: "CROUPIER_ERR_ACTION_REJECTED" });
      const metrics = await fetch(`${spinNode.url}/metrics`).then((r) => r.text());
      expect(metrics).toContain(`croupier_jackpot_total_minor{game="${game}",currency="EUR"} 505`);
      for (const s of [listener, socket, late]) s.close();
    });
  });
}

describe("a triggered spin wins the pool (embedded)", () => {
  let shared: Shared;
  let server: RunningServer;

  beforeAll(async () => {
    shared = await createShared("embedded");
    // Every paid spin triggers: each is paid whatever the pool holds at its commit.
    server = await startTestServer(shared, flags(1));
  });
  afterAll(async () => {
    await ifAssigned(server)?.close();
    await ifAssigned(shared)?.dispose();
  });

  it("pays the whole pool to the winner, re-seeds it, and reports the win in the spin", async () => {
    // An SDK client follows the lobby's totals.
    const viewer = await newPlayer(server.url);
    const sdk = new CroupierClient({ url: server.url, WebSocket, accessToken: viewer.token });
    const followed: string[] = [];
    const stop = followJackpots(sdk, lobby, (all: ReadonlyMap<string, JackpotTotal>, changed) => {
      expect(all.get(`${game}|EUR`)).toBe(changed);
      followed.push(changed.totalMinor);
    });
    await sdk.connect();
    await sdk.join(lobby);
    const { socket, spin } = await fundedSpinner(server);
    let available = 100_000n;
    const wins: string[] = [];
    for (let i = 0; i < 3; i++) {
      const ack = await spin(`w${i}`);
      const result = ack.result as {
        jackpotTriggered: boolean;
        jackpotWinMinor: string;
        jackpotTotalMinor: string;
        totalWinMinor: string;
        availableMinor: string;
      };
      expect([result.jackpotTriggered, result.jackpotTotalMinor]).toEqual([true, "500"]);
      wins.push(result.jackpotWinMinor);
      available += BigInt(result.totalWinMinor) + BigInt(result.jackpotWinMinor) - 100n;
      expect(BigInt(result.availableMinor)).toBe(available);
      const event = await socket.waitFor((m) => m.kind === "slots.spin" && (m.data as { spinId: string }).spinId.endsWith(`:w${i}`));
      expect(event.data).toMatchObject({ jackpotWinMinor: result.jackpotWinMinor });
    }
    // The first finds a pool never seeded: the house tops it up to the seed (5.00) before paying it; each
    // later winner finds the re-seeded 5.00 plus its own contribution.
    expect(wins).toEqual(["500", "501", "501"]);
    expect((await server.services.wallet.check()).ok).toBe(true);
    const metrics = await fetch(`${server.url}/metrics`).then((r) => r.text());
    expect(metrics).toContain(`croupier_jackpot_wins_total{game="${game}",currency="EUR"} 3`);
    const deadline = Date.now() + 5_000;
    while (followed.at(-1) !== "500" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(followed.at(-1)).toBe("500");
    stop();
    sdk.close();
    socket.close();
  });
});
