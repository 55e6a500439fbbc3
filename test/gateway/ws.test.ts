// The WebSocket gateway over real sockets, in both modes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { serviceAvailable } from "../support/services.js";
import { createShared, startTestServer, type Mode, type Shared } from "../support/server.js";
import { newPlayer, TestSocket } from "../support/ws-client.js";
import { ifAssigned } from "../support/fixtures.js";

for (const mode of ["embedded", "production"] as Mode[]) {
  const available = mode === "embedded" || (serviceAvailable("postgres") && serviceAvailable("redis"));
  describe.skipIf(!available)(`WebSocket gateway (${mode})`, () => {
    let shared: Shared;
    let server: RunningServer;
    let base: string;
    const sockets: TestSocket[] = [];
    const track = (s: TestSocket) => (sockets.push(s), s);
    let roomSeq = 0;
    const room = () => `sandbox:t${++roomSeq}${Date.now().toString(36)}`;

    beforeAll(async () => {
      shared = await createShared(mode);
      server = await startTestServer(shared, ["--messages-per-second-max", "200", "--edge-buffer-entries-max", "20", "--presence-interval-ms", "100"]);
      base = server.url;
    });
    afterAll(async () => {
      for (const s of sockets) s.close();
      await ifAssigned(server)?.close();
      await ifAssigned(shared)?.dispose();
    });

    it("authenticates with hello, answers time samples, and refuses frames before hello", async () => {
      const player = await newPlayer(base);
      const socket = track(await TestSocket.open(base));
      const early = await socket.request({ type: "join", room: room() });
      expect(early.code).toBe("CROUPIER_ERR_WS_NOT_AUTHENTICATED");
      socket.send({ type: "hello", id: "h1", token: player.token, protocol: 1 });
      const welcome = await socket.waitFor((m) => m.type === "welcome");
      expect(welcome.userId).toBe(player.userId);
      const t0 = Date.now();
      const time = await socket.request({ type: "time", t0 });
      expect(time.t0).toBe(t0);
      expect(Math.abs((time.t1 as number) - Date.now())).toBeLessThan(1000);
    });

    it("closes a socket whose token is forged with 4001", async () => {
      const socket = track(await TestSocket.open(base));
      socket.send({ type: "hello", token: "a.b.c", protocol: 1 });
      expect(await socket.waitClosed()).toBe(4001);
      expect(socket.messages[0]?.code).toBe("CROUPIER_ERR_AUTH_TOKEN_MALFORMED");
    });

    it("orders events, delivers private ones only to their recipient and redacts them for others", async () => {
      const r = room();
      const [alice, bob] = [await newPlayer(base), await newPlayer(base)];
      const a = track(await TestSocket.authenticated(base, alice.token));
      const b = track(await TestSocket.authenticated(base, bob.token));
      const joinedA = await a.request({ type: "join", room: r });
      expect(joinedA).toMatchObject({ type: "joined", mode: "snapshot", offset: 0 });
      await b.request({ type: "join", room: r });
      for (let i = 0; i < 10; i++) {
        const ack = await a.request({ type: "action", room: r, actionId: `n${i}`, lastOffset: 0, action: { kind: "note", text: `hello ${i}` } });
        expect(ack).toMatchObject({ type: "ack", status: "applied" });
      }
      await a.request({ type: "action", room: r, actionId: "w1", lastOffset: 0, action: { kind: "whisper", to: bob.userId, text: "secret for bob" } });
      await b.waitFor((m) => m.type === "event" && m.offset === 11);
      await a.waitFor((m) => m.type === "event" && m.offset === 11);
      expect(b.events(r).map((m) => m.offset)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
      expect(a.events(r).map((m) => m.offset)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
      expect(b.events(r)[10]).toMatchObject({ kind: "whisper", private: true, data: { text: "secret for bob" } });
      expect(a.events(r)[10]).toMatchObject({ kind: "redacted" });
      expect(JSON.stringify(a.messages)).not.toContain("secret for bob");
    });

    it("applies an action id once and refuses stale and forged offsets", async () => {
      const r = room();
      const p = await newPlayer(base);
      const s = track(await TestSocket.authenticated(base, p.token));
      await s.request({ type: "join", room: r });
      const first = await s.request({ type: "action", room: r, actionId: "same", lastOffset: 0, action: { kind: "note", text: "once" } });
      const again = await s.request({ type: "action", room: r, actionId: "same", lastOffset: 0, action: { kind: "note", text: "once" } });
      expect(first.status).toBe("applied");
      expect(again.status).toBe("duplicate");
      // The same id with a different action is refused, not silently taken for a resend.
      const changed = await s.request({ type: "action", room: r, actionId: "same", lastOffset: 0, action: { kind: "note", text: "twice?" } });
      expect(changed.code).toBe("CROUPIER_ERR_ACTION_ID_CONFLICT");
      // Another player's action with the same id is a different action.
      const other = track(await TestSocket.authenticated(base, (await newPlayer(base)).token));
      await other.request({ type: "join", room: r });
      expect((await other.request({ type: "action", room: r, actionId: "same", lastOffset: 1, action: { kind: "note", text: "mine" } })).status).toBe(
        "applied",
      );
      await s.request({ type: "action", room: r, actionId: "ph", lastOffset: 2, action: { kind: "phase" } });
      const stale = await s.request({ type: "action", room: r, actionId: "late", lastOffset: 2, action: { kind: "note", text: "too late" } });
      expect(stale.code).toBe("CROUPIER_ERR_ACTION_STALE");
      const forged = await s.request({ type: "action", room: r, actionId: "fut", lastOffset: 999, action: { kind: "note", text: "x" } });
      expect(forged.code).toBe("CROUPIER_ERR_ACTION_OFFSET_INVALID");
      const notJoined = await s.request({ type: "action", room: room(), actionId: "nj", lastOffset: 0, action: { kind: "note" } });
      expect(notJoined.code).toBe("CROUPIER_ERR_ROOM_NOT_JOINED");
    });

    it("resumes after 100 missed events with exactly those events, beyond the edge buffer", async () => {
      const r = room();
      const [p1, p2] = [await newPlayer(base), await newPlayer(base)];
      const actor = track(await TestSocket.authenticated(base, p1.token));
      const watcher = track(await TestSocket.authenticated(base, p2.token));
      await actor.request({ type: "join", room: r });
      const joined = await watcher.request({ type: "join", room: r });
      await actor.request({ type: "action", room: r, actionId: "first", lastOffset: 0, action: { kind: "note", text: "0" } });
      await watcher.waitFor((m) => m.type === "event" && m.offset === 1);
      watcher.close();
      for (let i = 0; i < 100; i++)
        await actor.request({ type: "action", room: r, actionId: `m${i}`, lastOffset: 1, action: { kind: "note", text: String(i) } });
      const back = track(await TestSocket.authenticated(base, p2.token));
      const resumed = await back.request({ type: "join", room: r, resume: { epoch: joined.epoch, offset: 1 } });
      expect(resumed).toMatchObject({ mode: "resumed", offset: 1 });
      await actor.request({ type: "action", room: r, actionId: "live", lastOffset: 1, action: { kind: "note", text: "live" } });
      await back.waitFor((m) => m.type === "event" && m.offset === 102);
      expect(back.events(r).map((m) => m.offset)).toEqual(Array.from({ length: 101 }, (_, i) => i + 2));
    });

    it("answers a resume from another epoch with an explicit reset and the snapshot", async () => {
      const r = room();
      const p = await newPlayer(base);
      const s = track(await TestSocket.authenticated(base, p.token));
      await s.request({ type: "join", room: r });
      await s.request({ type: "action", room: r, actionId: "a", lastOffset: 0, action: { kind: "note", text: "x" } });
      const other = track(await TestSocket.authenticated(base, p.token));
      const reset = await other.request({ type: "join", room: r, resume: { epoch: "not-this-epoch", offset: 1 } });
      expect(reset).toMatchObject({ mode: "reset", offset: 1, snapshot: { state: { notes: 1, phase: 0 } } });
      const forged = await other.request({ type: "join", room: r, resume: { epoch: reset.epoch, offset: 50 } });
      expect(forged.code).toBe("CROUPIER_ERR_ACTION_OFFSET_INVALID");
    });

    it("schedules a reveal ahead of the broadcast and reports presence", async () => {
      const r = room();
      const [p1, p2] = [await newPlayer(base), await newPlayer(base)];
      const a = track(await TestSocket.authenticated(base, p1.token));
      const b = track(await TestSocket.authenticated(base, p2.token));
      await a.request({ type: "join", room: r });
      await b.request({ type: "join", room: r });
      const presence = await a.waitFor((m) => m.type === "presence" && m.count === 2);
      expect((presence.members as string[]).sort()).toEqual([p1.userId, p2.userId].sort());
      await a.request({ type: "action", room: r, actionId: "rv", lastOffset: 0, action: { kind: "reveal", text: "17 red" } });
      const event = await b.waitFor((m) => m.type === "event" && m.kind === "reveal");
      // revealAt is set when the owner decides (revealLeadMs = 150 ahead); ts when the entry is written, a moment later.
      const lead = (event.revealAt as number) - (event.ts as number);
      expect(lead).toBeGreaterThan(100);
      expect(lead).toBeLessThanOrEqual(150);
    });

    it("carries chat as room events with limits, and lets an operator mute", async () => {
      const r = room();
      const p = await newPlayer(base);
      const s = track(await TestSocket.authenticated(base, p.token));
      await s.request({ type: "join", room: r });
      expect(await s.request({ type: "chat", room: r, text: "hi all" })).toMatchObject({ type: "ack", status: "applied" });
      await s.waitFor((m) => m.type === "event" && m.kind === "chat");
      expect((await s.request({ type: "chat", room: r, text: "x".repeat(301) })).code).toBe("CROUPIER_ERR_CHAT_TOO_LONG");
      expect((await s.request({ type: "moderate", room: r, op: "mute", userId: p.userId })).code).toBe("CROUPIER_ERR_AUTH_FORBIDDEN");
    });

    it("answers bad frames with their codes and keeps serving", async () => {
      const p = await newPlayer(base);
      const s = track(await TestSocket.authenticated(base, p.token));
      const cases: Array<[unknown, string]> = [
        ["{not json", "CROUPIER_ERR_WS_FRAME_MALFORMED"],
        ["[1,2]", "CROUPIER_ERR_WS_FRAME_MALFORMED"],
        [{ type: "dance", id: "x1" }, "CROUPIER_ERR_WS_FRAME_UNKNOWN_TYPE"],
        [{ type: "join", id: "x2", room: "no colon" }, "CROUPIER_ERR_WS_FRAME_INVALID"],
        [{ type: "join", id: "x3", room: "casino:x" }, "CROUPIER_ERR_ROOM_NOT_FOUND"],
        [{ type: "join", id: "x4", room: `user:someone-else` }, "CROUPIER_ERR_ROOM_FORBIDDEN"],
        [{ type: "action", id: "x5", room: "sandbox:a", actionId: "z", lastOffset: -1, action: { kind: "note" } }, "CROUPIER_ERR_WS_FRAME_INVALID"],
        [{ type: "hello", id: "x6", token: p.token, protocol: 1 }, "CROUPIER_ERR_WS_ALREADY_AUTHENTICATED"],
      ];
      for (const [frame, code] of cases) {
        const before = s.messages.length;
        s.send(frame);
        const reply = await s.waitFor((m) => s.messages.indexOf(m) >= before && m.type === "error");
        expect([frame, reply.code]).toEqual([frame, code]);
        expect(typeof reply.requestId).toBe("string");
      }
      const mine = await s.request({ type: "join", room: `user:${p.userId}` });
      expect(mine.type).toBe("joined");
    });

    it("closes on an oversized frame (1009) and a binary frame (1003)", async () => {
      const p = await newPlayer(base);
      const big = track(await TestSocket.authenticated(base, p.token));
      big.send(JSON.stringify({ type: "chat", id: "big", room: "sandbox:a", text: "x".repeat(20_000) }));
      expect(await big.waitClosed()).toBe(1009);
      const binary = track(await TestSocket.authenticated(base, p.token));
      binary.ws.send(Buffer.from([1, 2, 3]), { binary: true });
      expect(await binary.waitClosed()).toBe(1003);
    });
  });
}
