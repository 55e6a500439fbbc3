// A hold'em buy-in reserved by an owner that died before it wrote the sit is held for no seat. The next
// owner sweeps it back to the player when it takes the table over; seated players' buy-ins stay held,
// and a new player can still sit (the lost hold's id is never handed to anyone else).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { serviceAvailable } from "../support/services.js";
import { createShared, startTestServer, type Shared } from "../support/server.js";
import { newPlayer, TestSocket } from "../support/ws-client.js";
import { ifAssigned } from "../support/fixtures.js";

const production = serviceAvailable("postgres") && serviceAvailable("redis");
const flags = ["--holdem-tables", "s1", "--lease-ttl-ms", "1000", "--action-timeout-ms", "3000", "--messages-per-second-max", "200"];

describe.skipIf(!production)("hold'em buy-ins after a takeover (production)", () => {
  let shared: Shared;
  const servers: RunningServer[] = [];
  beforeAll(async () => {
    shared = await createShared("production");
  });
  afterAll(async () => {
    for (const s of servers) await s.close().catch(() => undefined);
    await ifAssigned(shared)?.dispose();
  });

  it("voids the buy-in no seat holds, keeps the seated ones, and lets the next player sit", async () => {
    const room = "holdem:s1";
    const first = await startTestServer(shared, flags);
    servers.push(first);
    const [seated, lost, next] = await Promise.all([0, 1, 2].map(() => newPlayer(first.url)));
    for (const p of [seated!, lost!, next!])
      await first.services.wallet.deposit({ playerId: p.userId, currency: "EUR", amount: 50_000n, key: `d-${p.userId}`, reference: "t", provider: "test" });
    const socket = await TestSocket.authenticated(first.url, seated!.token);
    await socket.request({ type: "join", room });
    expect(await socket.request({ type: "action", room, actionId: "sit-1", lastOffset: 0, action: { kind: "sit", seat: 0, buyIn: "100.00" } })).toMatchObject({
      type: "ack",
    });
    socket.close();
    // The reservation the first owner made for `lost` and never wrote (it died in between).
    const orphan = await first.services.wallet.reserveBet({
      playerId: lost!.userId,
      currency: "EUR",
      amount: 10_000n,
      holdId: `s1:buyin:${lost!.userId}:sit-9`,
      key: "reserve:s1:buyin:lost",
      roundId: "holdem:s1:buyins",
    });
    expect(orphan.status).toBe("ok");
    await first.close();

    const second = await startTestServer(shared, flags);
    servers.push(second);
    const other = await TestSocket.authenticated(second.url, next!.token);
    await other.request({ type: "join", room });
    const cash = async (userId: string) => (await second.services.wallet.balances(userId)).find((b) => b.purse === "cash");
    const deadline = Date.now() + 15_000;
    while ((await cash(lost!.userId))?.held !== 0n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await cash(lost!.userId)).toMatchObject({ balance: 50_000n, held: 0n });
    expect(await cash(seated!.userId)).toMatchObject({ balance: 50_000n, held: 10_000n });
    const seen = () => Math.max(0, ...other.messages.filter((m) => m.room === room && typeof m.offset === "number").map((m) => m.offset as number));
    expect(
      await other.request({ type: "action", room, actionId: "sit-1", lastOffset: seen(), action: { kind: "sit", seat: 1, buyIn: "100.00" } }),
    ).toMatchObject({ type: "ack" });
    expect(await cash(next!.userId)).toMatchObject({ balance: 50_000n, held: 10_000n });
    expect((await second.services.wallet.check()).ok).toBe(true);
    other.close();
  }, 60_000);
});
