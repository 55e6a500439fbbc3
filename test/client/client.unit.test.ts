// The SDK's logic against a scripted server: reconnect, resume, dedupe, reset, refresh, retries, reveal.
import { afterEach, describe, expect, it, vi } from "vitest";
import { backoffDelayMs } from "../../src/client/backoff.js";
import { bestSample, sampleOf } from "../../src/client/clock-sync.js";
import { CroupierClient, type RoomEvent } from "../../src/client/index.js";
import { OutboundPacer } from "../../src/client/outbound-pacer.js";
import type { FetchLike } from "../../src/client/auth-http.js";
import { event, FakeSocket, politeServer, until } from "./fake-socket.js";

const fast = { baseMs: 5, delayMsMax: 20 };

function client(extra: Partial<ConstructorParameters<typeof CroupierClient>[0]> = {}): CroupierClient {
  return new CroupierClient({ url: "http://fake:1", WebSocket: FakeSocket, accessToken: "t", backoff: fast, ...extra });
}

function record(c: CroupierClient): RoomEvent[] {
  const seen: RoomEvent[] = [];
  c.on("event", (e) => seen.push(e));
  return seen;
}

afterEach(() => FakeSocket.reset());

describe("back-off and clock arithmetic", () => {
  it("draws full-jitter delays below a doubling ceiling capped at delayMsMax", () => {
    const options = { baseMs: 100, delayMsMax: 1_000 };
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelayMs(a, options, () => 0.999_999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelayMs(5, options, () => 0)).toBe(0);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelayMs(3, options);
      expect(d >= 0 && d < 800).toBe(true);
    }
  });

  it("computes offset t1 − (t0 + t3) / 2 and keeps the sample with the smallest round trip", () => {
    expect(sampleOf(1000, 6010, 1020)).toEqual({ offsetMs: 5000, rttMs: 20 });
    const best = bestSample([sampleOf(0, 5050, 100), sampleOf(200, 5203, 206), sampleOf(300, 5320, 340)]);
    expect(best).toEqual({ offsetMs: 5000, rttMs: 6 });
    expect(bestSample([])).toBeNull();
  });

  it("paces frames to messagesPerSecondMax in any one-second window, in order", () => {
    vi.useFakeTimers();
    try {
      const out: string[] = [];
      const pacer = new OutboundPacer(3, () => Date.now());
      for (let i = 0; i < 7; i++) pacer.send(`f${i}`, (t) => out.push(t));
      expect(out).toEqual(["f0", "f1", "f2"]);
      vi.advanceTimersByTime(1_100);
      expect(out).toEqual(["f0", "f1", "f2", "f3", "f4", "f5"]);
      vi.advanceTimersByTime(1_100);
      expect(out).toHaveLength(7);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("CroupierClient against a scripted server", () => {
  it("drops duplicates and other epochs (rejoining from where it is), and restarts from an unsolicited reset", async () => {
    let serverEpoch = "e1";
    FakeSocket.onFrame = politeServer({ epoch: () => serverEpoch });
    const c = client();
    const seen = record(c);
    const resets: unknown[] = [];
    c.on("reset", (r) => resets.push(r));
    await c.connect();
    expect(await c.join("sandbox:a")).toMatchObject({ mode: "snapshot", offset: 0 });
    const s = FakeSocket.instances[0] as FakeSocket;
    const joins = () => s.sent.filter((f) => f.type === "join");
    for (const o of [1, 2, 2, 1, 3]) s.reply(event("sandbox:a", "e1", o));
    s.reply(event("sandbox:a", "other", 4));
    await until(() => joins().length === 2);
    expect(joins()[1]).toMatchObject({ resume: { epoch: "e1", offset: 3 } });
    serverEpoch = "e2";
    s.reply({ type: "reset", room: "sandbox:a", epoch: "e2", offset: 10, snapshot: { state: "fresh" } });
    s.reply(event("sandbox:a", "e1", 4));
    await until(() => joins().length === 3);
    expect(joins()[2]).toMatchObject({ resume: { epoch: "e2", offset: 10 } });
    s.reply(event("sandbox:a", "e2", 11));
    expect(seen.map((e) => [e.epoch, e.offset])).toEqual([
      ["e1", 1],
      ["e1", 2],
      ["e1", 3],
      ["e2", 11],
    ]);
    expect(resets).toEqual([{ room: "sandbox:a", epoch: "e2", offset: 10, snapshot: { state: "fresh" } }]);
    c.close();
  });

  it("does not wait forever behind events of a new epoch that no reset announced: it rejoins and is reset (examples/play.ts hang)", async () => {
    let serverEpoch = "e1";
    FakeSocket.onFrame = (socket, frame) => {
      // After the epoch changed, a resume from the old one is answered with a reset snapshot at 68.
      if (frame.type === "join" && serverEpoch === "e2") {
        socket.reply({
          type: "joined",
          id: frame.id,
          room: frame.room,
          epoch: "e2",
          offset: 68,
          mode: "reset",
          snapshot: { state: "new" },
          presence: { count: 1 },
        });
        return;
      }
      politeServer({ epoch: () => serverEpoch })(socket, frame);
    };
    const c = client();
    const seen = record(c);
    const resets: unknown[] = [];
    c.on("reset", (r) => resets.push(r));
    await c.connect();
    await c.join("roulette:1");
    const s = FakeSocket.instances[0] as FakeSocket;
    s.reply(event("roulette:1", "e1", 1));
    serverEpoch = "e2";
    s.reply(event("roulette:1", "e2", 69));
    await until(() => resets.length === 1);
    expect(resets[0]).toMatchObject({ epoch: "e2", offset: 68 });
    s.reply(event("roulette:1", "e2", 69));
    s.reply(event("roulette:1", "e2", 70));
    expect(seen.map((e) => [e.epoch, e.offset])).toEqual([
      ["e1", 1],
      ["e2", 69],
      ["e2", 70],
    ]);
    const act = await c.act("roulette:1", { kind: "bet" });
    expect(act.status).toBe("applied");
    expect(s.sent.find((f) => f.type === "action")).toMatchObject({ lastOffset: 70 });
    c.close();
  });

  it("reconnects after a drop and rejoins with resume from the last offset received, delivering no duplicate", async () => {
    FakeSocket.onFrame = politeServer();
    const c = client();
    const seen = record(c);
    const modes: string[] = [];
    c.on("joined", (j) => modes.push(j.mode));
    await c.connect();
    await c.join("sandbox:a");
    const first = FakeSocket.instances[0] as FakeSocket;
    for (const o of [1, 2, 3]) first.reply(event("sandbox:a", "e1", o));
    first.drop(1006);
    await until(() => modes.length === 2);
    const second = FakeSocket.instances[1] as FakeSocket;
    expect(second.sent.find((f) => f.type === "join")).toMatchObject({ room: "sandbox:a", resume: { epoch: "e1", offset: 3 } });
    for (const o of [3, 4, 5]) second.reply(event("sandbox:a", "e1", o));
    expect(modes).toEqual(["snapshot", "resumed"]);
    expect(seen.map((e) => e.offset)).toEqual([1, 2, 3, 4, 5]);
    c.close();
  });

  it("resumes over a hole in the live stream instead of skipping it", async () => {
    FakeSocket.onFrame = politeServer();
    const c = client();
    const seen = record(c);
    await c.connect();
    await c.join("sandbox:a");
    const s = FakeSocket.instances[0] as FakeSocket;
    s.reply(event("sandbox:a", "e1", 1));
    s.reply(event("sandbox:a", "e1", 3));
    await until(() => s.sent.filter((f) => f.type === "join").length === 2);
    expect(s.sent.filter((f) => f.type === "join")[1]).toMatchObject({ resume: { epoch: "e1", offset: 1 } });
    for (const o of [2, 3]) s.reply(event("sandbox:a", "e1", o));
    expect(seen.map((e) => e.offset)).toEqual([1, 2, 3]);
    c.close();
  });

  it("retries an unanswered action with the same actionId and lastOffset, across a timeout and a reconnect", async () => {
    const polite = politeServer();
    let actions = 0;
    FakeSocket.onFrame = (socket, frame) => {
      if (frame.type !== "action") {
        polite(socket, frame);
        return;
      }
      actions++;
      if (actions === 1) return; // lost reply: the client times out
      if (actions === 2) {
        socket.drop(1006); // connection lost mid-request
        return;
      }
      socket.reply({ type: "ack", id: frame.id, room: frame.room, actionId: frame.actionId, status: "duplicate" });
    };
    const c = client({ actionAttemptsMax: 3 });
    await c.connect();
    await c.join("sandbox:a");
    (FakeSocket.instances[0] as FakeSocket).reply(event("sandbox:a", "e1", 1));
    const result = await c.act("sandbox:a", { kind: "note", text: "once" }, { timeoutMs: 50 });
    const sent = FakeSocket.instances.flatMap((s) => s.sent.filter((f) => f.type === "action"));
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((f) => f.actionId)).size).toBe(1);
    expect(sent.map((f) => f.lastOffset)).toEqual([1, 1, 1]);
    expect(result).toMatchObject({ actionId: sent[0]?.actionId, status: "duplicate", attempts: 3 });
    c.close();
  });

  it("re-sends an action that waited across a reset (a restarted server) at the offset of the new epoch, not the old one", async () => {
    // The first server knows epoch e1; the restarted one only e2, and resets every resume.
    let restarted = false;
    const before = politeServer({ epoch: "e1" });
    const after = politeServer({ epoch: "e2" });
    FakeSocket.onFrame = (socket, frame) => {
      if (!restarted && frame.type === "action") {
        restarted = true;
        socket.drop(1006); // the server goes away with the action unanswered
        return;
      }
      (restarted ? after : before)(socket, frame);
    };
    const c = client({ actionAttemptsMax: 3 });
    await c.connect();
    await c.join("sandbox:a");
    for (const o of [1, 2, 3, 4, 5]) (FakeSocket.instances[0] as FakeSocket).reply(event("sandbox:a", "e1", o));
    const result = await c.act("sandbox:a", { kind: "spin" }, { timeoutMs: 200 });
    const sent = FakeSocket.instances.flatMap((s) => s.sent.filter((f) => f.type === "action"));
    // Offset 5 of epoch e1 would be ACTION_OFFSET_INVALID in epoch e2, which starts again at 0.
    expect(sent.map((f) => f.lastOffset)).toEqual([5, 0]);
    expect(new Set(sent.map((f) => f.actionId)).size).toBe(1);
    expect(result).toMatchObject({ status: "applied", attempts: 2 });
    c.close();
  });

  it("re-sends an action refused ACTION_OFFSET_INVALID because the room's epoch changed under it (Redis lost its data), once the reset is here", async () => {
    // The room's log restarted in e2 at offset 2; the action, decided at offset 5 of e1, crosses the
    // reset on the wire. The reset frame comes after the refusal.
    const polite = politeServer({ epoch: "e2" });
    let refused = false;
    FakeSocket.onFrame = (socket, frame) => {
      if (frame.type !== "action" || refused) {
        polite(socket, frame);
        return;
      }
      refused = true;
      socket.reply({ type: "error", id: frame.id, code: "CROUPIER_ERR_ACTION_OFFSET_INVALID", message: "ahead", requestId: "q2" });
      setTimeout(() => socket.reply({ type: "reset", room: "sandbox:a", epoch: "e2", offset: 2, snapshot: { state: "fresh" } }), 50);
    };
    const c = client({ actionAttemptsMax: 3 });
    await c.connect();
    await c.join("sandbox:a");
    const s = FakeSocket.instances[0] as FakeSocket;
    s.reply({ type: "reset", room: "sandbox:a", epoch: "e1", offset: 0, snapshot: { state: null } });
    for (const o of [1, 2, 3, 4, 5]) s.reply(event("sandbox:a", "e1", o));
    const result = await c.act("sandbox:a", { kind: "note" });
    const sent = s.sent.filter((f) => f.type === "action");
    expect(sent.map((f) => f.lastOffset)).toEqual([5, 2]);
    expect(result).toMatchObject({ status: "applied", attempts: 2 });
    c.close();
  });

  it("rejects ACTION_OFFSET_INVALID when the room's epoch does not change", async () => {
    const polite = politeServer();
    FakeSocket.onFrame = (socket, frame) =>
      frame.type === "action"
        ? socket.reply({ type: "error", id: frame.id, code: "CROUPIER_ERR_ACTION_OFFSET_INVALID", message: "ahead", requestId: "q3" })
        : polite(socket, frame);
    const c = client({ requestTimeoutMs: 200 });
    await c.connect();
    await c.join("sandbox:a");
    await expect(c.act("sandbox:a", { kind: "note" })).rejects.toMatchObject({ code: "CROUPIER_ERR_ACTION_OFFSET_INVALID" });
    expect((FakeSocket.instances[0] as FakeSocket).sent.filter((f) => f.type === "action")).toHaveLength(1);
    c.close();
  });

  it("rejects an action refused by the room without retrying it", async () => {
    const polite = politeServer();
    FakeSocket.onFrame = (socket, frame) =>
      frame.type === "action"
        ? socket.reply({ type: "error", id: frame.id, code: "CROUPIER_ERR_ACTION_STALE", message: "stale", requestId: "q1" })
        : polite(socket, frame);
    const c = client();
    await c.connect();
    await c.join("sandbox:a");
    await expect(c.act("sandbox:a", { kind: "note" })).rejects.toMatchObject({ code: "CROUPIER_ERR_ACTION_STALE", requestId: "q1" });
    expect((FakeSocket.instances[0] as FakeSocket).sent.filter((f) => f.type === "action")).toHaveLength(1);
    c.close();
  });

  it("refreshes the access token when closed with 4002 and reconnects with the new one", async () => {
    FakeSocket.onFrame = politeServer({ token: "fresh" });
    const bodies: string[] = [];
    const fetch: FetchLike = async (url, init) => {
      bodies.push(`${url} ${init.body ?? ""}`);
      return {
        ok: true,
        status: 200,
        text: async () =>
          JSON.stringify({
            accessToken: "fresh",
            refreshToken: "r2",
            accessTokenExpiresAt: "",
            refreshTokenExpiresAt: "",
            sessionId: "s1",
            tokenType: "Bearer",
          }),
      };
    };
    const c = client({ accessToken: "stale", refreshToken: "r1", fetch });
    const tokens: string[] = [];
    c.on("tokens", (t) => tokens.push(t.refreshToken));
    await c.connect();
    expect(FakeSocket.instances.map((s) => s.sent[0]?.token)).toEqual(["stale", "fresh"]);
    expect(bodies).toEqual([`http://fake:1/v1/auth/refresh ${JSON.stringify({ refreshToken: "r1" })}`]);
    expect(tokens).toEqual(["r2"]);
    c.close();
  });

  it("stops for good on 4001 and 4003", async () => {
    for (const code of [4001, 4003]) {
      FakeSocket.reset();
      FakeSocket.onFrame = (socket) => socket.drop(code);
      const c = client();
      await expect(c.connect()).rejects.toBeInstanceOf(Error);
      await new Promise((r) => setTimeout(r, 50));
      expect(FakeSocket.instances).toHaveLength(1);
      expect(c.state).toBe("closed");
    }
  });

  it("holds a reveal until revealAt by the synced clock, and the events after it behind it", async () => {
    // The server's clock is 5 s ahead of this client's: only the synced clock gets the moment right.
    FakeSocket.onFrame = politeServer({ offsetMs: 5_000 });
    const c = client();
    const delivered: Array<{ offset: number; serverMs: number }> = [];
    c.on("event", (e) => delivered.push({ offset: e.offset, serverMs: c.serverNow() }));
    await c.connect();
    expect(Math.abs((c.clock?.offsetMs ?? 0) - 5_000)).toBeLessThan(5);
    await c.join("sandbox:a");
    const s = FakeSocket.instances[0] as FakeSocket;
    const revealAt = c.serverNow() + 60;
    s.reply(event("sandbox:a", "e1", 1));
    s.reply(event("sandbox:a", "e1", 2, { kind: "reveal", revealAt }));
    s.reply(event("sandbox:a", "e1", 3));
    expect(delivered.map((d) => d.offset)).toEqual([1]);
    await until(() => delivered.length === 3);
    expect(delivered.map((d) => d.offset)).toEqual([1, 2, 3]);
    expect((delivered[1] as { serverMs: number }).serverMs).toBeGreaterThanOrEqual(revealAt);
    c.close();
  });

  it("rejects a join the server refuses and forgets the room", async () => {
    const polite = politeServer();
    FakeSocket.onFrame = (socket, frame) =>
      frame.type === "join"
        ? socket.reply({ type: "error", id: frame.id, code: "CROUPIER_ERR_ROOM_NOT_FOUND", message: "no", requestId: "q" })
        : polite(socket, frame);
    const c = client();
    c.on("error", () => undefined);
    await c.connect();
    await expect(c.join("casino:x")).rejects.toMatchObject({ code: "CROUPIER_ERR_ROOM_NOT_FOUND" });
    expect(c.position("casino:x")).toBeUndefined();
    c.close();
  });

  it("forgets a room it was kicked from, and an action waiting for that room fails instead of hanging", async () => {
    FakeSocket.onFrame = politeServer();
    const c = client();
    const left: string[] = [];
    c.on("left", (l) => left.push(l.reason));
    await c.connect();
    await c.join("sandbox:a");
    const first = FakeSocket.instances[0] as FakeSocket;
    // The rejoin after the reconnect gets no answer, so the action below waits for the room.
    const polite = politeServer();
    FakeSocket.onFrame = (socket, frame) => (frame.type === "join" && socket !== first ? undefined : polite(socket, frame));
    const reconnected = new Promise<void>((resolve) =>
      c.on("welcome", (w) => {
        if (w.reconnect) resolve();
      }),
    );
    first.drop(1006);
    await reconnected;
    const pending = c.act("sandbox:a", { kind: "note" });
    (FakeSocket.instances[1] as FakeSocket).reply({ type: "left", room: "sandbox:a", reason: "kicked" });
    await expect(pending).rejects.toMatchObject({ code: "CROUPIER_ERR_ROOM_NOT_JOINED" });
    expect(left).toEqual(["kicked"]);
    expect(c.position("sandbox:a")).toBeUndefined();
    c.close();
  });
});
