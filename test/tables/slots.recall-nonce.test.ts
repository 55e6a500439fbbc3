// A slot machine whose owner stopped after the ledger paid a spin but before the machine's state was
// written: game recall holds a round at the stored nonce. The machine restored from its stored state
// (production: the room log and snapshot live in Redis) draws its next spin past it, so no
// (server seed, client seed, nonce) is drawn twice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { serviceAvailable } from "../support/services.js";
import { createShared, startTestServer, type Shared } from "../support/server.js";
import { newPlayer, TestSocket } from "../support/ws-client.js";
import { ifAssigned } from "../support/fixtures.js";

interface Fairness {
  readonly serverSeedHash: string;
  readonly clientSeed: string;
  readonly nonce: number;
}

describe.skipIf(!(serviceAvailable("postgres") && serviceAvailable("redis")))("slots: a spin paid before the machine's state was written (production)", () => {
  let shared: Shared;
  let server: RunningServer | undefined;

  beforeAll(async () => {
    shared = await createShared("production");
    server = await startTestServer(shared);
  });
  afterAll(async () => {
    await server?.close();
    await ifAssigned(shared)?.dispose();
  });

  const running = (): RunningServer => {
    if (server === undefined) throw new Error("no server");
    return server;
  };

  async function spin(room: string, token: string, actionId: string): Promise<Fairness> {
    const socket = await TestSocket.authenticated(running().url, token);
    try {
      expect((await socket.request({ type: "join", room })).type).toBe("joined");
      const ack = await socket.request({ type: "action", room, actionId, lastOffset: 0, action: { kind: "spin", stake: "1.00" } });
      expect(ack).toMatchObject({ type: "ack" });
      return (ack.result as { fairness: Fairness }).fairness;
    } finally {
      socket.close();
    }
  }

  it("draws the restored machine's next spin past the nonce game recall holds", async () => {
    const player = await newPlayer(running().url);
    const wallet = running().services.wallet;
    expect((await wallet.deposit({ playerId: player.userId, currency: "EUR", amount: 10_000n, key: "dep", reference: "t", provider: "test" })).status).toBe(
      "ok",
    );
    const room = `slots:${player.userId}`;
    const first = await spin(room, player.token, "s1");
    expect(first.nonce).toBe(0);

    // What a stopped owner leaves: the ledger paid the spin at nonce 1 and recorded it, the state never moved.
    const lost = `slots:${player.userId}:lost`;
    const paid = await wallet.instantBet({
      playerId: player.userId,
      currency: "EUR",
      gameId: "crown-jewels",
      stake: 100n,
      win: 0n,
      key: `instant:${lost}`,
      roundId: lost,
      records: () => [
        {
          roundId: lost,
          tableId: "crown-jewels",
          game: "slots",
          status: "settled",
          atMs: Date.now(),
          outcome: { stakeMinor: "100", totalWinMinor: "0" },
          verification: { ...first, nonce: 1 },
          bets: [{ betId: "spin", userId: player.userId, currency: "EUR", stakeMinor: "100", detail: { game: "crown-jewels" }, placedAtMs: Date.now() }],
          payouts: [{ betId: "spin", payoutMinor: "0" }],
        },
      ],
    });
    expect(paid.status).toBe("ok");

    // The node restarts: the machine is restored from the snapshot in Redis, at nonce 1.
    await running().close();
    server = undefined;
    server = await startTestServer(shared);
    const next = await spin(room, player.token, "s2");
    expect(next).toMatchObject({ serverSeedHash: first.serverSeedHash, clientSeed: first.clientSeed, nonce: 2 });
    expect(await running().services.rounds.highestNonce(player.userId, first.serverSeedHash)).toBe(2);
  });
});
