// Two deployments on one Redis server, side by side, with default options (the default key prefix),
// in DBs 1 and 5: Redis pub/sub ignores the DB number, so only the scope of their channels and the
// signature on their bus messages keep them apart. Deployment A runs two nodes, so its bets and
// presence cross the bus; deployment B runs one. Nothing of one may reach the other.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { loadConfig } from "../../src/config/config.js";
import { startServer, type RunningServer } from "../../src/main.js";
import { RedisBus } from "../../src/adapters/redis/bus.redis.js";
import { SignedBus } from "../../src/adapters/node/bus.signed.js";
import { createPostgresDatabase, dropPostgresDatabase } from "../support/databases.js";
import { redisUrl, serviceAvailable } from "../support/services.js";
import { newPlayer, TestSocket, type Message } from "../support/ws-client.js";

const room = "roulette:t1";
const available = serviceAvailable("postgres") && serviceAvailable("redis");

function redisDbUrl(db: number): string {
  const url = new URL(redisUrl);
  url.pathname = `/${db}`;
  return url.toString();
}

interface Deployment {
  readonly databaseUrl: string;
  readonly redisDb: number;
  readonly dataDir: string;
  readonly nodes: RunningServer[];
}

async function startNode(d: Pick<Deployment, "databaseUrl" | "redisDb" | "dataDir">, flags: string[] = []): Promise<RunningServer> {
  // No --redis-key-prefix: the default, as an operator who changed nothing would run it.
  return startServer(
    loadConfig(
      [
        "--port",
        "0",
        "--host",
        "127.0.0.1",
        "--data-dir",
        d.dataDir,
        "--log-level",
        "silent",
        "--argon2-memory-kib",
        "8192",
        "--argon2-iterations",
        "1",
        "--database-url",
        d.databaseUrl,
        "--redis-url",
        redisDbUrl(d.redisDb),
        "--payments-sandbox-enabled",
        "true",
        "--roulette-tables",
        "t1",
        "--roulette-betting-ms",
        "2000",
        "--roulette-results-ms",
        "100",
        "--presence-interval-ms",
        "100",
        ...flags,
      ],
      {},
    ),
  );
}

async function deployment(redisDb: number, nodes: number): Promise<Deployment> {
  const d = {
    databaseUrl: await createPostgresDatabase(),
    redisDb,
    dataDir: mkdtempSync(join(tmpdir(), "croupier-deployment-")),
    nodes: [] as RunningServer[],
  };
  for (let i = 0; i < nodes; i++) d.nodes.push(await startNode(d));
  return d;
}

async function dispose(d: Deployment | undefined): Promise<void> {
  if (d === undefined) return;
  const scope = d.nodes[0]?.services.redisScope;
  for (const node of d.nodes) await node.close();
  if (scope) {
    const redis = new Redis(redisDbUrl(d.redisDb), { maxRetriesPerRequest: 1 });
    const keys = await redis.keys(`${scope}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
  await dropPostgresDatabase(d.databaseUrl);
  rmSync(d.dataDir, { recursive: true, force: true });
}

/** Places one red bet in the next round that takes it and waits for that round to close (recall records its bets then). */
async function betOnce(socket: TestSocket, actionId: string): Promise<void> {
  const seen = new Set<string>();
  for (let attempt = 0; attempt < 3; attempt++) {
    const opened = await socket.waitFor(
      (m) => m.type === "event" && m.room === room && m.kind === "round.opened" && !seen.has((m.data as { roundId: string }).roundId),
      10_000,
    );
    const roundId = (opened.data as { roundId: string }).roundId;
    seen.add(roundId);
    const ack = await socket.request({
      type: "action",
      room,
      actionId: `${actionId}-${attempt}`,
      lastOffset: opened.offset,
      action: { kind: "bet", roundId, bets: [{ type: "red", amount: "1.00" }] },
    });
    if (ack.type === "ack") {
      await socket.waitFor(
        (m) => m.type === "event" && m.room === room && m.kind === "round.closed" && (m.data as { roundId: string }).roundId === roundId,
        10_000,
      );
      return;
    }
    expect(ack.code).toBe("CROUPIER_ERR_BET_ROUND_CLOSED");
  }
  throw new Error("no round took the bet");
}

const presenceMembers = (socket: TestSocket): string[] =>
  socket.messages.flatMap((m: Message) =>
    m.type === "presence" && m.room === room
      ? (m.members as string[])
      : m.type === "joined" && m.room === room
        ? ((m.presence as { members?: string[] }).members ?? [])
        : [],
  );

describe.skipIf(!available)("two deployments on one Redis server (DBs 1 and 5, default options)", () => {
  let a: Deployment | undefined;
  let b: Deployment | undefined;

  beforeAll(async () => {
    a = await deployment(1, 2);
    b = await deployment(5, 1);
  }, 120_000);
  afterAll(async () => {
    await dispose(a);
    await dispose(b);
  }, 60_000);

  it("each has its own scope under the default prefix, shared by its own nodes", () => {
    const [a1, a2] = a!.nodes as [RunningServer, RunningServer];
    const scopeA = a1.services.redisScope!;
    expect(scopeA).toMatch(/^croupier:[0-9a-f]{12}:1:$/);
    expect(a2.services.redisScope).toBe(scopeA);
    expect(b!.nodes[0]!.services.redisScope).toMatch(/^croupier:[0-9a-f]{12}:5:$/);
    expect(b!.nodes[0]!.services.redisScope).not.toBe(scopeA);
  });

  it("keeps rooms, presence and bets apart", async () => {
    const [a1, a2] = a!.nodes as [RunningServer, RunningServer];
    const b1 = b!.nodes[0]!;
    const playersA = [await newPlayer(a1.url), await newPlayer(a2.url)];
    const playerB = await newPlayer(b1.url);
    for (const [server, p] of [
      [a1, playersA[0]!],
      [a2, playersA[1]!],
      [b1, playerB],
    ] as const) {
      const deposit = await server.services.wallet.deposit({
        playerId: p.userId,
        currency: "EUR",
        amount: 10_000n,
        key: `dep-${p.userId}`,
        reference: `test-${p.userId}`,
        provider: "test",
      });
      expect(deposit.status).toBe("ok");
    }
    // One socket on each node of A (one of them is not the table's owner: its bets cross the bus), one on B.
    const socketsA = [await TestSocket.authenticated(a1.url, playersA[0]!.token), await TestSocket.authenticated(a2.url, playersA[1]!.token)];
    const socketB = await TestSocket.authenticated(b1.url, playerB.token);
    for (const s of [...socketsA, socketB]) expect((await s.request({ type: "join", room })).type).toBe("joined");

    await Promise.all([betOnce(socketsA[0]!, "a0"), betOnce(socketsA[1]!, "a1"), betOnce(socketB, "b")]);
    // Presence settles within a few intervals: A counts its two players, B its one.
    await socketsA[0]!.waitFor((m) => m.type === "presence" && m.room === room && m.count === 2, 5_000);
    await socketB.waitFor((m) => m.type === "presence" && m.room === room && m.count === 1, 5_000);
    await new Promise((r) => setTimeout(r, 300));

    const idsA = playersA.map((p) => p.userId);
    for (const s of socketsA) for (const id of presenceMembers(s)) expect(idsA).toContain(id);
    for (const id of presenceMembers(socketB)) expect(id).toBe(playerB.userId);
    expect(socketB.messages.filter((m) => m.type === "presence" && m.room === room).every((m) => (m.count as number) <= 1)).toBe(true);

    // Each table recorded its own deployment's bets only.
    const played = async (server: RunningServer, userId: string) => (await server.services.rounds.listForUser(userId, 10)).length;
    for (const id of idsA) {
      expect(await played(a1, id)).toBe(1);
      expect(await played(b1, id)).toBe(0);
    }
    expect(await played(b1, playerB.userId)).toBe(1);
    expect(await played(a1, playerB.userId)).toBe(0);
    // Money moved only in each player's own deployment: the other one holds nothing for them.
    const nothing = (balances: ReadonlyArray<{ balance: bigint; held: bigint }>) => balances.every((x) => x.balance === 0n && x.held === 0n);
    for (const id of idsA) expect(nothing(await b1.services.wallet.balances(id))).toBe(true);
    expect(nothing(await a1.services.wallet.balances(playerB.userId))).toBe(true);
    expect(nothing(await b1.services.wallet.balances(playerB.userId))).toBe(false);
    for (const s of [...socketsA, socketB]) s.close();
  }, 60_000);

  it("an owner acts only on requests signed with its deployment's secret", async () => {
    const a1 = a!.nodes[0]!;
    const scope = a1.services.redisScope!;
    const [row] = await a1.services.db.query<{ bus_secret: string }>("select bus_secret from deployment");
    const raw = new Redis(redisDbUrl(a!.redisDb), { maxRetriesPerRequest: 1 });
    const rawBus = new RedisBus(raw, scope);
    try {
      const replies: string[] = [];
      await rawBus.subscribe("node.replies.forger", (m) => replies.push(m));
      const refusedBefore = await refusedCount(a!.nodes);
      // What a staging node, or anyone who can PUBLISH, would send: an operator's chat, as the owner reads it.
      const request = (text: string) =>
        JSON.stringify({ replyTo: "forger", correlation: text, request: { type: "chat", actor: { userId: "someone", roles: ["operator"] }, text } });
      await rawBus.publish(`room.requests.${room}`, request("forged, unsigned"));
      await new SignedBus(rawBus, "the secret of another deployment", { onRefused: () => undefined }).publish(
        `room.requests.${room}`,
        request("forged, wrong secret"),
      );
      // The same request signed with the deployment's own secret is served: the channel and the format are right.
      await new SignedBus(rawBus, row!.bus_secret, { onRefused: () => undefined }).publish(`room.requests.${room}`, request("signed"));
      for (let i = 0; i < 100 && replies.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 200));
      expect(replies.map((m) => (JSON.parse(m.slice(m.indexOf(".") + 1)) as { correlation: string }).correlation)).toEqual(["signed"]);
      expect(await refusedCount(a!.nodes)).toBe(refusedBefore + 2);
      const log = JSON.stringify((await a1.services.roomLog.read(room, 0, 10_000)).entries);
      expect(log).not.toContain("forged");
    } finally {
      await rawBus.close();
      raw.disconnect();
    }
  });

  it("refuses to start a deployment configured onto a scope another deployment holds", async () => {
    const taken = a!.nodes[0]!.services.redisScope!.split(":")[1]!;
    const other = { databaseUrl: await createPostgresDatabase(), redisDb: a!.redisDb, dataDir: mkdtempSync(join(tmpdir(), "croupier-deployment-")) };
    try {
      await expect(startNode(other, ["--deployment-id", taken])).rejects.toThrow(/belongs to another deployment/);
    } finally {
      await dropPostgresDatabase(other.databaseUrl);
      rmSync(other.dataDir, { recursive: true, force: true });
    }
  });
});

async function refusedCount(nodes: readonly RunningServer[]): Promise<number> {
  let total = 0;
  for (const node of nodes) {
    const metric = await node.services.registry.getSingleMetric("croupier_bus_messages_refused_total")?.get();
    total += metric?.values.reduce((sum, v) => sum + v.value, 0) ?? 0;
  }
  return total;
}
