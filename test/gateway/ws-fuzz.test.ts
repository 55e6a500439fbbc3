// Fuzz: 100,000 random and mutated frames from hostile clients; the server stays up and a pair of
// honest clients in a room is not disturbed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { SeededRng } from "../../src/engine/rng/seeded.rng.js";
import { uniformInt } from "../../src/engine/rng/uniform.js";
import { createShared, startTestServer, type Shared } from "../support/server.js";
import { newPlayer, TestSocket } from "../support/ws-client.js";
import { ifAssigned } from "../support/fixtures.js";

const framesTotal = 100_000;
const hostileSockets = 4;

function corpus(token: string): unknown[] {
  return [
    { type: "hello", id: "h", token, protocol: 1 },
    { type: "time", id: "t", t0: 1 },
    { type: "join", id: "j", room: "sandbox:fuzz", resume: { epoch: "e", offset: 3 } },
    { type: "leave", id: "l", room: "sandbox:fuzz" },
    { type: "action", id: "a", room: "sandbox:fuzz", actionId: "x", lastOffset: 0, action: { kind: "note", text: "hi" } },
    { type: "chat", id: "c", room: "sandbox:fuzz", text: "hello" },
    { type: "moderate", id: "m", room: "sandbox:fuzz", op: "kick", userId: "u" },
  ];
}

const nasty: unknown[] = [
  null,
  true,
  -1,
  2 ** 53,
  -0,
  1e308,
  "",
  "\u0000",
  "\ud800",
  "💥".repeat(50),
  [],
  {},
  [[[[[]]]]],
  { __proto__: { polluted: 1 } },
  "constructor",
  { type: "join" },
];

function mutate(rng: SeededRng, frame: unknown): string {
  const pick = <T>(items: readonly T[]): T => items[uniformInt(rng, items.length)] as T;
  const text = JSON.stringify(frame);
  switch (uniformInt(rng, 7)) {
    case 0: {
      // Flip a few characters of a valid frame.
      const chars = Array.from(text);
      for (let i = 0; i < 1 + uniformInt(rng, 4); i++) chars[uniformInt(rng, chars.length)] = String.fromCharCode(uniformInt(rng, 128));
      return chars.join("");
    }
    case 1:
      return text.slice(0, uniformInt(rng, text.length));
    case 2: {
      const copy = { ...(frame as Record<string, unknown>) };
      const keys = Object.keys(copy);
      copy[pick(keys)] = pick(nasty);
      return JSON.stringify(copy);
    }
    case 3: {
      const { [pick(Object.keys(frame as Record<string, unknown>))]: _dropped, ...copy } = frame as Record<string, unknown>;
      copy[`extra${uniformInt(rng, 3)}`] = pick(nasty);
      return JSON.stringify(copy);
    }
    case 4:
      return JSON.stringify(pick(nasty));
    case 5:
      return "[".repeat(1 + uniformInt(rng, 2000)) + "]".repeat(uniformInt(rng, 2000));
    default:
      return text;
  }
}

describe("WebSocket fuzz (embedded)", () => {
  let shared: Shared;
  let server: RunningServer;

  beforeAll(async () => {
    shared = await createShared("embedded");
    server = await startTestServer(shared, ["--messages-per-second-max", "10000", "--frame-bytes-max", "8192"]);
  });
  afterAll(async () => {
    await ifAssigned(server)?.close();
    await ifAssigned(shared)?.dispose();
  });

  it(`survives ${framesTotal.toLocaleString("en")} hostile frames while honest clients play on`, async () => {
    const base = server.url;
    const [honest1, honest2, attacker] = [await newPlayer(base), await newPlayer(base), await newPlayer(base)];
    const room = "sandbox:honest";
    const a = await TestSocket.authenticated(base, honest1.token);
    const b = await TestSocket.authenticated(base, honest2.token);
    await a.request({ type: "join", room });
    await b.request({ type: "join", room });
    const frames = corpus(attacker.token);
    let sent = 0;
    let honestActions = 0;
    const closeCodes = new Map<number, number>();

    async function hostile(seed: number): Promise<void> {
      const rng = new SeededRng(seed);
      while (sent < framesTotal) {
        const socket = await TestSocket.open(base);
        // Half the hostile sockets authenticate first, so post-hello paths are fuzzed too.
        if (uniformInt(rng, 2) === 0) socket.send(frames[0]);
        while (sent < framesTotal && socket.closeCode === null && socket.ws.readyState === socket.ws.OPEN) {
          socket.send(mutate(rng, frames[uniformInt(rng, frames.length)]));
          sent++;
          if (sent % 200 === 0) await new Promise((r) => setImmediate(r));
        }
        socket.ws.terminate();
        if (socket.closeCode !== null) closeCodes.set(socket.closeCode, (closeCodes.get(socket.closeCode) ?? 0) + 1);
      }
    }

    async function honest(): Promise<void> {
      while (sent < framesTotal) {
        const ack = await a.request({
          type: "action",
          room,
          actionId: `h${honestActions}`,
          lastOffset: 0,
          action: { kind: "note", text: `n${honestActions}` },
        });
        expect(ack.type).toBe("ack");
        honestActions++;
        await new Promise((r) => setTimeout(r, 20));
      }
    }

    await Promise.all([...Array.from({ length: hostileSockets }, (_, i) => hostile(1000 + i)), honest()]);
    expect(sent).toBeGreaterThanOrEqual(framesTotal);
    expect(honestActions).toBeGreaterThan(0);
    // The honest pair saw every event in order, with nothing from the attacker's room mixed in.
    await b.waitFor((m) => m.type === "event" && m.offset === honestActions);
    const offsets = b.events(room).map((m) => m.offset);
    expect(offsets).toEqual(Array.from({ length: honestActions }, (_, i) => i + 1));
    expect(a.closeCode).toBeNull();
    expect(b.closeCode).toBeNull();
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const fresh = await TestSocket.authenticated(base, honest1.token);
    expect((await fresh.request({ type: "join", room })).type).toBe("joined");
    for (const s of [a, b, fresh]) s.close();
  }, 120_000);
});
