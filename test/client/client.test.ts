// The SDK against a real server over real sockets, in embedded mode and (where Redis and PostgreSQL
// are reachable) production mode.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { RunningServer } from "../../src/main.js";
import { CroupierClient, type RoomEvent } from "../../src/client/index.js";
import { serviceAvailable } from "../support/services.js";
import { createShared, startTestServer, type Mode, type Shared } from "../support/server.js";
import { newPlayer } from "../support/ws-client.js";
import { ifAssigned } from "../support/fixtures.js";

/** `ws`'s WebSocket, remembering every socket it opens so a test can cut one like a network would. */
class TrackedWebSocket extends WebSocket {
  static opened: TrackedWebSocket[] = [];
  constructor(url: string) {
    super(url);
    TrackedWebSocket.opened.push(this);
  }
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

for (const mode of ["embedded", "production"] as Mode[]) {
  const available = mode === "embedded" || (serviceAvailable("postgres") && serviceAvailable("redis"));
  describe.skipIf(!available)(`CroupierClient over a real server (${mode})`, () => {
    let shared: Shared;
    let server: RunningServer;
    const clients: CroupierClient[] = [];
    let roomSeq = 0;
    const room = () => `sandbox:sdk${++roomSeq}${Date.now().toString(36)}`;

    async function player(options: { now?: () => number } = {}): Promise<CroupierClient> {
      const p = await newPlayer(server.url, "sdk");
      const c = new CroupierClient({
        url: server.url,
        WebSocket: TrackedWebSocket,
        accessToken: p.token,
        backoff: { baseMs: 20, delayMsMax: 100 },
        ...options,
      });
      clients.push(c);
      await c.connect();
      return c;
    }

    function record(c: CroupierClient, r: string): RoomEvent[] {
      const seen: RoomEvent[] = [];
      c.on("event", (e) => {
        if (e.room === r) seen.push(e);
      });
      return seen;
    }

    beforeAll(async () => {
      shared = await createShared(mode);
      server = await startTestServer(shared, ["--messages-per-second-max", "500", "--edge-buffer-entries-max", "20"]);
    });
    afterAll(async () => {
      for (const c of clients) c.close();
      await ifAssigned(server)?.close();
      await ifAssigned(shared)?.dispose();
    });

    it("logs in over HTTP, connects, joins and receives events in order", async () => {
      const username = `sdkl${Date.now().toString(36)}`;
      const c = new CroupierClient({ url: server.url, WebSocket });
      clients.push(c);
      const user = await c.register(username, "correct horse battery");
      await c.login(username, "correct horse battery");
      expect((await c.connect()).userId).toBe(user.id);
      const other = await player();
      const r = room();
      expect(await c.join(r)).toMatchObject({ mode: "snapshot", offset: 0 });
      await other.join(r);
      const seen = record(c, r);
      for (let i = 0; i < 10; i++) expect((await other.act(r, { kind: "note", text: `n${i}` })).status).toBe("applied");
      await until(() => seen.length === 10);
      expect(seen.map((e) => e.offset)).toEqual(range(1, 10));
      expect(seen.map((e) => (e.data as { text: string }).text)).toEqual(range(0, 9).map((i) => `n${i}`));
    });

    it("reconnects after its socket is cut and resumes with no gap and no duplicate", async () => {
      const [actor, watcher] = [await player(), await player()];
      const r = room();
      await actor.join(r);
      await watcher.join(r);
      const seen = record(watcher, r);
      const modes: string[] = [];
      watcher.on("joined", (j) => {
        if (j.room === r) modes.push(j.mode);
      });
      await actor.act(r, { kind: "note", text: "before" });
      await until(() => seen.length === 1);
      // Cut the watcher's socket with no close handshake, as a lost network would.
      const socket = TrackedWebSocket.opened.filter((s) => s.readyState === WebSocket.OPEN).at(-1) as TrackedWebSocket;
      socket.terminate();
      for (let i = 0; i < 50; i++) await actor.act(r, { kind: "note", text: `missed ${i}` });
      await until(() => modes.includes("resumed"));
      await actor.act(r, { kind: "note", text: "live" });
      await until(() => seen.length === 52);
      expect(seen.map((e) => e.offset)).toEqual(range(1, 52));
      expect(modes).toEqual(["resumed"]);
    });

    it("resumes after the server drops it (1001), beyond the edge buffer", async () => {
      const [actor, watcher] = [await player(), await player()];
      const r = room();
      await actor.join(r);
      await watcher.join(r);
      const seen = record(watcher, r);
      const welcomes: boolean[] = [];
      watcher.on("welcome", (w) => welcomes.push(w.reconnect));
      watcher.close();
      for (let i = 0; i < 40; i++) await actor.act(r, { kind: "note", text: `m${i}` });
      await watcher.connect();
      await until(() => seen.length === 40);
      // Now from the server side: every connection of the gateway is told the server is going away.
      const connections = (server.gateway as unknown as { connections: Set<{ userId: string; close(name: string): void }> }).connections;
      const userId = watcher.welcome?.userId;
      const dropped = new Promise<number>((resolve) => watcher.once("disconnected", (d) => resolve(d.code)));
      for (const connection of connections) if (connection.userId === userId) connection.close("goingAway");
      expect(await dropped).toBe(1001);
      await actor.act(r, { kind: "note", text: "while away" });
      await until(() => seen.length === 41);
      expect(seen.map((e) => e.offset)).toEqual(range(1, 41));
      expect(welcomes).toEqual([true, true]);
    });

    it("applies a retried action once: a repeat of its actionId is answered as a duplicate", async () => {
      const c = await player();
      const r = room();
      await c.join(r);
      const seen = record(c, r);
      const first = await c.act(r, { kind: "note", text: "once" });
      const again = await c.act(r, { kind: "note", text: "once" }, { actionId: first.actionId });
      expect([first.status, again.status]).toEqual(["applied", "duplicate"]);
      await c.act(r, { kind: "note", text: "after" });
      await until(() => seen.length === 2);
      expect(seen.map((e) => (e.data as { text: string }).text)).toEqual(["once", "after"]);
    });

    it("estimates the server clock within a few milliseconds on localhost", async () => {
      // The server stamps Date.now(); the SDK's default clock (performance.timeOrigin + now()) is
      // monotonic and drifts from the wall clock over a long-lived process (tens of ms in a long test
      // run): read the same clock as the server to test the estimate itself.
      const c = await player({ now: () => Date.now() });
      const estimate = await c.syncClock();
      expect(estimate?.samples).toBe(8);
      // Same machine, same clock: the estimate's error is bounded by half the best round trip.
      expect(Math.abs(estimate?.offsetMs ?? Infinity)).toBeLessThanOrEqual((estimate?.rttMs ?? 0) / 2 + 2);
    });

    it("delivers a reveal not before its revealAt, and later events after it", async () => {
      const [actor, watcher] = [await player(), await player()];
      const r = room();
      await actor.join(r);
      await watcher.join(r);
      const delivered: Array<{ event: RoomEvent; serverMs: number }> = [];
      watcher.on("event", (e) => {
        if (e.room === r) delivered.push({ event: e, serverMs: watcher.serverNow() });
      });
      await actor.act(r, { kind: "reveal", text: "17 red" });
      await actor.act(r, { kind: "note", text: "after" });
      await until(() => delivered.length === 2);
      const [reveal, note] = delivered as [{ event: RoomEvent; serverMs: number }, { event: RoomEvent; serverMs: number }];
      expect(reveal.event).toMatchObject({ kind: "reveal", offset: 1 });
      expect(note.event.offset).toBe(2);
      expect(reveal.serverMs).toBeGreaterThanOrEqual((reveal.event.revealAt as number) - 2);
      expect(note.serverMs).toBeGreaterThanOrEqual(reveal.serverMs);
    });

    it("leaves a room and receives nothing more from it", async () => {
      const [actor, watcher] = [await player(), await player()];
      const r = room();
      await actor.join(r);
      await watcher.join(r);
      const seen = record(watcher, r);
      await actor.act(r, { kind: "note", text: "1" });
      await until(() => seen.length === 1);
      await watcher.leave(r);
      await actor.act(r, { kind: "note", text: "2" });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(seen).toHaveLength(1);
      expect(watcher.position(r)).toBeUndefined();
    });
  });
}
