// Several nodes sharing Redis and PostgreSQL: rooms owned by one node, clients on any node, and a
// room that survives the death of its owner.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { redisUrl, serviceAvailable } from "../support/services.js";
import { createShared, startTestServer, type Shared } from "../support/server.js";
import { serveCroupier } from "../support/process.js";
import { newPlayer, TestSocket, type Message } from "../support/ws-client.js";
import { ifAssigned } from "../support/fixtures.js";

const production = serviceAvailable("postgres") && serviceAvailable("redis");
const offsets = (events: Message[]) => events.map((m) => m.offset as number);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe.skipIf(!production)("rooms across two nodes (production)", () => {
  let shared: Shared;
  let a: RunningServer;
  let b: RunningServer;
  const sockets: TestSocket[] = [];
  const track = (s: TestSocket) => (sockets.push(s), s);

  beforeAll(async () => {
    shared = await createShared("production");
    a = await startTestServer(shared, ["--messages-per-second-max", "500"]);
    b = await startTestServer(shared, ["--messages-per-second-max", "500"]);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await ifAssigned(a)?.close();
    await ifAssigned(b)?.close();
    await ifAssigned(shared)?.dispose();
  });

  it("orders a room's events identically on both nodes, whichever node the action came from", async () => {
    const r = `sandbox:x${Date.now().toString(36)}`;
    const [p1, p2] = [await newPlayer(a.url), await newPlayer(a.url)];
    const onA = track(await TestSocket.authenticated(a.url, p1.token));
    await onA.request({ type: "join", room: r });
    const onB = track(await TestSocket.authenticated(b.url, p2.token));
    await onB.request({ type: "join", room: r });
    expect(a.services.directory.isOwner(r)).toBe(true);
    expect(b.services.directory.isOwner(r)).toBe(false);
    const acks = await Promise.all(
      range(1, 40).map((i) =>
        (i % 2 === 0 ? onA : onB).request({ type: "action", room: r, actionId: `a${i}`, lastOffset: 0, action: { kind: "note", text: String(i) } }),
      ),
    );
    expect(acks.every((ack) => ack.type === "ack")).toBe(true);
    await onA.waitFor((m) => m.type === "event" && m.offset === 40);
    await onB.waitFor((m) => m.type === "event" && m.offset === 40);
    expect(offsets(onA.events(r))).toEqual(range(1, 40));
    expect(onB.events(r).map((m) => (m.data as { text: string }).text)).toEqual(onA.events(r).map((m) => (m.data as { text: string }).text));
  });

  it("resumes on the other node with exactly the missed events", async () => {
    const r = `sandbox:y${Date.now().toString(36)}`;
    const [p1, p2] = [await newPlayer(a.url), await newPlayer(a.url)];
    const actor = track(await TestSocket.authenticated(a.url, p1.token));
    await actor.request({ type: "join", room: r });
    const leaving = track(await TestSocket.authenticated(a.url, p2.token));
    const joined = await leaving.request({ type: "join", room: r });
    await actor.request({ type: "action", room: r, actionId: "0", lastOffset: 0, action: { kind: "note", text: "0" } });
    await leaving.waitFor((m) => m.type === "event" && m.offset === 1);
    leaving.close();
    for (let i = 1; i <= 100; i++)
      await actor.request({
        type: "action",
        room: r,
        actionId: String(i),
        lastOffset: 1,
        action: { kind: "whisper", to: i % 10 === 0 ? p2.userId : p1.userId, text: `w${i}` },
      });
    const back = track(await TestSocket.authenticated(b.url, p2.token));
    expect(await back.request({ type: "join", room: r, resume: { epoch: joined.epoch, offset: 1 } })).toMatchObject({ mode: "resumed" });
    await back.waitFor((m) => m.type === "event" && m.offset === 101);
    const replayed = back.events(r);
    expect(offsets(replayed)).toEqual(range(2, 101));
    // Private entries: the ten whispers to p2 arrive in full, the ninety to p1 as placeholders.
    expect(replayed.filter((m) => m.private === true)).toHaveLength(10);
    expect(replayed.filter((m) => m.kind === "redacted")).toHaveLength(90);
    expect(JSON.stringify(replayed)).not.toMatch(/"w[1-9]"|"w\d*[1-9]"/);
  });
});

describe.skipIf(!production)("room owner killed with SIGKILL (production, real processes)", () => {
  it("moves the room to the surviving node; clients resume without a gap or a duplicate", async () => {
    const shared = await createShared("production");
    const env = {
      DATABASE_URL: shared.databaseUrl as string,
      REDIS_URL: redisUrl,
      CROUPIER_REDIS_KEY_PREFIX: shared.redisKeyPrefix,
      CROUPIER_DATA_DIR: shared.dataDir,
      LOG_LEVEL: "warn",
    };
    const flags = ["--lease-ttl-ms", "600", "--action-timeout-ms", "1500", "--messages-per-second-max", "500"];
    const first = await serveCroupier(flags, env);
    const second = await serveCroupier(flags, env);
    const sockets: TestSocket[] = [];
    try {
      const r = `sandbox:k${Date.now().toString(36)}`;
      const [p1, p2] = [await newPlayer(first.url), await newPlayer(first.url)];
      const onFirst = await TestSocket.authenticated(first.url, p1.token);
      sockets.push(onFirst);
      const joined = await onFirst.request({ type: "join", room: r });
      const onSecond = await TestSocket.authenticated(second.url, p2.token);
      sockets.push(onSecond);
      await onSecond.request({ type: "join", room: r });
      for (let i = 1; i <= 20; i++)
        await onFirst.request({ type: "action", room: r, actionId: `before${i}`, lastOffset: 0, action: { kind: "note", text: `b${i}` } });
      await onSecond.waitFor((m) => m.type === "event" && m.offset === 20);

      await first.stop("SIGKILL");
      // The survivor takes the lease once it lapses; until then the owner does not answer.
      let applied = 0;
      for (let attempt = 0; applied < 20 && attempt < 200; attempt++) {
        const reply = await onSecond.request({
          type: "action",
          room: r,
          actionId: `after${applied + 1}`,
          lastOffset: 20,
          action: { kind: "note", text: `a${applied + 1}` },
        });
        if (reply.type === "ack") applied++;
        else expect(reply.code).toBe("CROUPIER_ERR_ROOM_UNAVAILABLE");
      }
      expect(applied).toBe(20);
      await onSecond.waitFor((m) => m.type === "event" && m.offset === 40);
      expect(offsets(onSecond.events(r))).toEqual(range(1, 40));

      const returning = await TestSocket.authenticated(second.url, p1.token);
      sockets.push(returning);
      const resumed = await returning.request({ type: "join", room: r, resume: { epoch: joined.epoch, offset: 20 } });
      expect(resumed).toMatchObject({ mode: "resumed", epoch: joined.epoch });
      await returning.waitFor((m) => m.type === "event" && m.offset === 40);
      expect(offsets(returning.events(r))).toEqual(range(21, 40));
      expect(returning.events(r).map((m) => (m.data as { text: string }).text)).toEqual(range(1, 20).map((i) => `a${i}`));
    } finally {
      for (const s of sockets) s.close();
      await second.stop();
      await shared.dispose();
    }
  });
});
