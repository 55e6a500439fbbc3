// Proof from outside: a real slot session and a real roulette round played through the server over the
// WebSocket, then every outcome recomputed from what the protocol and game recall gave the player, with
// the algorithm of docs/FAIRNESS.md written here on node:crypto (none of the engine's code is used).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { crownJewels } from "../../src/engine/slots/slots.games.js";
import { createShared, startTestServer, type Shared } from "../support/server.js";
import { newPlayer, TestSocket, type Message } from "../support/ws-client.js";
import { call } from "../support/http.js";
import { runCroupier } from "../support/process.js";
import { sha256, stream, uniform, type Stream } from "./independent-fairness.js";
import { WebSocket } from "ws";
import { CroupierClient, rotateSeeds, seedPairOf, setClientSeed } from "../../src/client/index.js";
import { ifAssigned } from "../support/fixtures.js";

// ---- docs/FAIRNESS.md, independently -------------------------------------------------------------

/** Above 2^32: 21 high bits then 32 low bits, accepted below the largest multiple of n under 2^53. */
function uniform53(s: Stream, n: number): number {
  if (n <= 2 ** 32) return uniform(s, n);
  const limit = 2 ** 53 - (2 ** 53 % n);
  for (;;) {
    const x = (s.next() >>> 11) * 2 ** 32 + s.next();
    if (x < limit) return x % n;
  }
}

const strips = crownJewels.reels;
const gridOf = (stops: readonly number[]) => stops.map((stop, reel) => [0, 1, 2].map((row) => strips[reel]![(stop + row) % strips[reel]!.length]));

// --------------------------------------------------------------------------------------------------

/** `croupier verify --round` says MATCHES (exit 0) for the round as recalled, MISMATCH (exit 1) once it is altered. */
async function expectVerifyCommand<T extends Record<string, unknown>>(round: T, alter: (round: T) => Record<string, unknown>): Promise<void> {
  const good = await runCroupier(["verify", "--round", "-"], { stdin: JSON.stringify(round) });
  expect([good.code, good.stdout.trim().split("\n").at(-1)]).toEqual([0, "MATCHES"]);
  const bad = await runCroupier(["verify", "--round", "-"], { stdin: JSON.stringify(alter(round)) });
  expect([bad.code, bad.stdout.trim().split("\n").at(-1)]).toEqual([1, "MISMATCH"]);
}

interface Fairness {
  serverSeedHash: string;
  serverSeed: string | null;
  clientSeed: string;
  nonce: number;
  cursor: number;
  uint32sDrawn: number;
  jackpotTrigger?: { numerator: number; denominator: number };
  chain?: { id: number; commitment: string; index: number; length: number };
}
interface Spin {
  spinId: string;
  stops: number[];
  grid: string[][];
  jackpotTriggered: boolean;
  freeSpins: { stops: number[]; grid: string[][] }[];
  fairness: Fairness;
}

describe("provably fair, checked by the player (production)", () => {
  let shared: Shared;
  let server: RunningServer;

  beforeAll(async () => {
    shared = await createShared("production");
    server = await startTestServer(shared, [
      "--roulette-betting-ms",
      "3000",
      "--roulette-results-ms",
      "100",
      "--roulette-tables",
      "pf",
      "--messages-per-second-max",
      "500",
      "--reveal-lead-ms",
      "50",
    ]);
  }, 120_000);
  afterAll(async () => {
    await ifAssigned(server)?.close();
    await ifAssigned(shared)?.dispose();
  });

  it("slots: commitment before play, client seed set by the player, every spin recomputed after rotation", async () => {
    const player = await newPlayer(server.url);
    expect(
      (
        await server.services.wallet.deposit({
          playerId: player.userId,
          currency: "EUR",
          amount: 100_000n,
          key: `d-${player.userId}`,
          reference: "t",
          provider: "test",
        })
      ).status,
    ).toBe("ok");
    const socket = await TestSocket.authenticated(server.url, player.token);
    const room = `slots:${player.userId}`;
    const joined = await socket.request({ type: "join", room });
    // The machine commits its seed pair before any spin: in the join snapshot, or in the event that follows it.
    const snapshotted = (joined.snapshot as { private?: { fairness?: { serverSeedHash: string; nonce: number } | null } }).private?.fairness;
    const first =
      snapshotted ??
      ((await socket.waitFor((m) => m.type === "event" && m.room === room && m.kind === "fairness.seeds")).data as { serverSeedHash: string; nonce: number });
    expect(first.serverSeedHash).toMatch(/^[0-9a-f]{64}$/);
    expect(first.nonce).toBe(0);
    const set = await socket.request({ type: "action", room, actionId: "cs", lastOffset: 0, action: { kind: "seed.client", clientSeed: "my-lucky-seed" } });
    expect(set).toMatchObject({ type: "ack", result: { serverSeedHash: first.serverSeedHash, clientSeed: "my-lucky-seed", nonce: 0 } });

    const spins: Spin[] = [];
    for (let i = 0; i < 25; i++) {
      const ack = await socket.request({ type: "action", room, actionId: `s${i}`, lastOffset: 0, action: { kind: "spin", stake: "1.00" } });
      expect(ack.type).toBe("ack");
      const spin = ack.result as Spin;
      // Before the reveal the player holds the commitment, their seed and the nonce, never the server seed.
      expect(spin.fairness).toMatchObject({ serverSeedHash: first.serverSeedHash, serverSeed: null, clientSeed: "my-lucky-seed", nonce: i });
      spins.push(spin);
    }
    expect(JSON.stringify(socket.messages)).not.toMatch(/"serverSeed":"[0-9a-f]/);
    const rotated = await socket.request({ type: "action", room, actionId: "rot", lastOffset: 0, action: { kind: "seed.rotate" } });
    const { revealed, next } = rotated.result as {
      revealed: { serverSeed: string; serverSeedHash: string; nonce: number };
      next: { serverSeedHash: string; nonce: number };
    };
    expect(sha256(revealed.serverSeed)).toBe(first.serverSeedHash);
    expect(revealed.nonce).toBe(25);
    expect(next.serverSeedHash).not.toBe(first.serverSeedHash);
    expect(next.nonce).toBe(0);

    // Game recall shows the seed once the rotation is durable (the machine's next tick, at once).
    for (let tries = 0; ; tries++) {
      const first = await call<{ verification: Fairness }>(server.url, "GET", `/v1/rounds/${encodeURIComponent(spins[0]!.spinId)}`, { token: player.token });
      if (first.body.verification.serverSeed !== null || tries > 50) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const spin of spins) {
      // Game recall now shows the revealed seed; everything is recomputed from the recalled round.
      const recalled = await call<{ outcome: Spin; verification: Fairness }>(server.url, "GET", `/v1/rounds/${encodeURIComponent(spin.spinId)}`, {
        token: player.token,
      });
      expect(recalled.status).toBe(200);
      const v = recalled.body.verification;
      expect(v.serverSeed).toBe(revealed.serverSeed);
      expect(sha256(v.serverSeed as string)).toBe(v.serverSeedHash);
      const s = stream(v.serverSeed as string, v.clientSeed, v.nonce);
      const stops = strips.map((strip) => uniform(s, strip.length));
      expect(recalled.body.outcome.stops).toEqual(stops);
      expect(recalled.body.outcome.grid).toEqual(gridOf(stops));
      const trigger = v.jackpotTrigger as { numerator: number; denominator: number };
      const jackpot = trigger.numerator > 0 && uniform53(s, trigger.denominator) < trigger.numerator;
      expect(recalled.body.outcome.jackpotTriggered).toBe(jackpot);
      for (const free of recalled.body.outcome.freeSpins) {
        const freeStops = strips.map((strip) => uniform(s, strip.length));
        expect(free.stops).toEqual(freeStops);
        expect(free.grid).toEqual(gridOf(freeStops));
      }
      expect([s.drawn, s.cursor]).toEqual([v.uint32sDrawn, v.cursor]);
    }
    const withFeature = spins.find((spin) => spin.freeSpins.length > 0) ?? spins[0]!;
    const recalled = await call<Record<string, unknown> & { outcome: Spin }>(server.url, "GET", `/v1/rounds/${encodeURIComponent(withFeature.spinId)}`, {
      token: player.token,
    });
    await expectVerifyCommand(recalled.body, (round) => ({
      ...round,
      outcome: { ...round.outcome, stops: round.outcome.stops.map((stop) => stop + 1) },
    }));
    socket.close();
  }, 180_000);

  it("the SDK shows the commitment, sets the client seed and rotates; the revealed seed hashes to the commitment", async () => {
    const player = await newPlayer(server.url);
    expect(
      (
        await server.services.wallet.deposit({
          playerId: player.userId,
          currency: "EUR",
          amount: 1_000n,
          key: `d-${player.userId}`,
          reference: "t",
          provider: "test",
        })
      ).status,
    ).toBe("ok");
    const client = new CroupierClient({ url: server.url, WebSocket, accessToken: player.token, requestTimeoutMs: 10_000 });
    await client.connect();
    const room = `slots:${player.userId}`;
    const committed = seedPairOf((await client.join(room)).snapshot);
    expect(committed?.serverSeedHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await setClientSeed(client, room, "sdk-seed")).toMatchObject({ serverSeedHash: committed?.serverSeedHash, clientSeed: "sdk-seed", nonce: 0 });
    const spun = await client.act(room, { kind: "spin", stake: "1.00" });
    expect(spun.result).toMatchObject({ fairness: { serverSeedHash: committed?.serverSeedHash, clientSeed: "sdk-seed", nonce: 0, serverSeed: null } });
    const rotation = await rotateSeeds(client, room, "after");
    expect(sha256(rotation.revealed.serverSeed)).toBe(committed?.serverSeedHash);
    expect(rotation).toMatchObject({ revealed: { clientSeed: "sdk-seed", nonce: 1 }, next: { clientSeed: "after", nonce: 0 } });
    client.close();
  });

  it("roulette: the chain is published when the table opens, each round's seed hashes to it, the pocket is recomputed", async () => {
    const player = await newPlayer(server.url);
    expect(
      (
        await server.services.wallet.deposit({
          playerId: player.userId,
          currency: "EUR",
          amount: 10_000n,
          key: `d-${player.userId}`,
          reference: "t",
          provider: "test",
        })
      ).status,
    ).toBe("ok");
    const socket = await TestSocket.authenticated(server.url, player.token);
    const room = "roulette:pf";
    const joined = await socket.request({ type: "join", room });
    const table = joined.snapshot as { fairness: { commitment: string; chainId: number } | null; round: { id: string; phase: string } | null };
    const opened = (m: Message) => m.type === "event" && m.room === room && m.kind === "round.opened";
    // Bet into a round whose opening (and commitment) this socket saw, before its betting closed.
    const open = await socket.waitFor(opened, 10_000);
    const commit = open.data as {
      roundId: string;
      fairness: { serverSeedHash: string; clientSeed: string; nonce: number; chain: { commitment: string; index: number } };
    };
    const chainCommitment = table.fairness?.commitment ?? commit.fairness.chain.commitment;
    expect(commit.fairness.chain.commitment).toBe(chainCommitment);
    expect(commit.fairness.clientSeed).toBe(commit.roundId);
    // The action schemas are closed: an invented field is refused, not ignored, and nothing is staked.
    const padded = await socket.request({
      type: "action",
      room,
      actionId: "b0",
      lastOffset: open.offset,
      action: { kind: "bet", roundId: commit.roundId, bets: [{ type: "straight", numbers: [17], amount: "1.00" }], odds: "35", bonus: true },
    });
    expect(padded).toMatchObject({ type: "error", code: "CROUPIER_ERR_REQUEST_INVALID" });
    expect((await server.services.wallet.balances(player.userId)).find((b) => b.purse === "cash")).toMatchObject({ balance: 10_000n, held: 0n });
    const bet = await socket.request({
      type: "action",
      room,
      actionId: "b1",
      lastOffset: open.offset,
      action: { kind: "bet", roundId: commit.roundId, bets: [{ type: "straight", numbers: [17], amount: "1.00" }] },
    });
    expect(bet.type).toBe("ack");
    const result = await socket.waitFor(
      (m) => m.type === "event" && m.room === room && m.kind === "round.result" && (m.data as { roundId: string }).roundId === commit.roundId,
      10_000,
    );
    const shown = result.data as { number: number; fairness: Fairness };
    await socket.waitFor(
      (m) => m.type === "event" && m.room === room && m.kind === "round.settled" && (m.data as { roundId: string }).roundId === commit.roundId,
      10_000,
    );

    const recalled = await call<{ outcome: { number: number }; verification: Fairness; bets: { payoutMinor: string }[] }>(
      server.url,
      "GET",
      `/v1/rounds/${encodeURIComponent(commit.roundId)}`,
      { token: player.token },
    );
    expect(recalled.status).toBe(200);
    const v = recalled.body.verification;
    expect(v).toEqual(shown.fairness);
    // The seed is the one committed before the bet: it hashes to the round's commitment, and to the chain's.
    expect(sha256(v.serverSeed as string)).toBe(commit.fairness.serverSeedHash);
    let hashed = v.serverSeed as string;
    for (let i = 0; i < commit.fairness.chain.index; i++) hashed = sha256(hashed);
    expect(hashed).toBe(chainCommitment);
    expect([v.clientSeed, v.nonce]).toEqual([commit.roundId, commit.fairness.chain.index]);
    const s = stream(v.serverSeed as string, v.clientSeed, v.nonce);
    const pocket = uniform(s, 37);
    expect(recalled.body.outcome.number).toBe(pocket);
    expect(shown.number).toBe(pocket);
    expect([s.drawn, s.cursor]).toEqual([v.uint32sDrawn, v.cursor]);
    expect(BigInt(recalled.body.bets[0]!.payoutMinor)).toBe(pocket === 17 ? 3_600n : 0n);
    await expectVerifyCommand(recalled.body, (round) => ({ ...round, outcome: { number: (pocket + 1) % 37 } }));

    // The next round's commitment is this round's revealed seed: the chain links round to round.
    const following = await socket.waitFor((m) => opened(m) && (m.data as { roundId: string }).roundId !== commit.roundId, 10_000);
    expect((following.data as { fairness: { serverSeedHash: string } }).fairness.serverSeedHash).toBe(v.serverSeed);
    socket.close();
  });
});
