// Sockets that have not said hello yet have a small budget of their own, per client address and per
// process: a flood of idle sockets displaces only other idle sockets (oldest first, 4011), never an
// authenticated player, and cannot keep players from connecting.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { RunningServer } from "../../src/main.js";
import { closeCodes } from "../../src/protocol/ws.close-codes.js";
import { createShared, startTestServer, type Shared } from "../support/server.js";
import { newPlayer, TestSocket } from "../support/ws-client.js";
import { ifAssigned } from "../support/fixtures.js";

const connectionsMax = 24;
const unauthenticatedMax = 6;
const perAddressMax = 3;

interface Idle {
  readonly ws: WebSocket;
  closeCode: number | null;
}

describe("unauthenticated sockets (embedded)", () => {
  let shared: Shared;
  let server: RunningServer;
  const opened: WebSocket[] = [];

  beforeAll(async () => {
    shared = await createShared("embedded");
    server = await startTestServer(shared, [
      "--ws-connections-max",
      String(connectionsMax),
      "--ws-unauthenticated-max",
      String(unauthenticatedMax),
      "--ws-unauthenticated-per-address-max",
      String(perAddressMax),
      "--trust-proxy",
      "--auth-timeout-ms",
      "60000",
    ]);
  });
  afterAll(async () => {
    for (const ws of opened) ws.terminate();
    await ifAssigned(server)?.close();
    await ifAssigned(shared)?.dispose();
  });

  /** Opens a socket that never says hello, as if from `address` (through a trusted proxy); null when refused at the upgrade. */
  function idle(address: string): Promise<Idle | null> {
    const ws = new WebSocket(`${server.url.replace(/^http/, "ws")}/v1/ws`, { headers: { "x-forwarded-for": address } });
    opened.push(ws);
    const socket: Idle = { ws, closeCode: null };
    ws.on("close", (code) => {
      socket.closeCode = code;
    });
    return new Promise((resolve) => {
      ws.once("open", () => resolve(socket));
      ws.once("unexpected-response", () => resolve(null));
      ws.once("error", () => resolve(null));
    });
  }

  const settle = () => new Promise((r) => setTimeout(r, 150));
  const stillOpen = (sockets: readonly Idle[]) => sockets.filter((s) => s.ws.readyState === WebSocket.OPEN);

  it("keeps at most wsUnauthenticatedPerAddressMax idle sockets per address, closing the oldest with 4011", async () => {
    const flood: Idle[] = [];
    for (let i = 0; i < 10; i++) flood.push((await idle("10.1.1.1"))!);
    const bystander = (await idle("10.9.9.9"))!;
    await settle();
    expect(stillOpen(flood)).toEqual(flood.slice(-perAddressMax));
    expect(flood.slice(0, -perAddressMax).map((s) => s.closeCode)).toEqual(Array(10 - perAddressMax).fill(closeCodes.crowded.code));
    expect(bystander.ws.readyState).toBe(WebSocket.OPEN);
    for (const s of [...flood, bystander]) s.ws.close();
    await settle();
  });

  it("keeps at most wsUnauthenticatedMax idle sockets in all, oldest closed first", async () => {
    const flood: Idle[] = [];
    for (let i = 0; i < 20; i++) flood.push((await idle(`10.2.0.${i}`))!);
    await settle();
    expect(stillOpen(flood)).toEqual(flood.slice(-unauthenticatedMax));
    for (const s of flood) s.ws.close();
    await settle();
  });

  it("lets players connect through a flood of idle sockets, and never closes an authenticated one", async () => {
    const players = await Promise.all(Array.from({ length: connectionsMax - unauthenticatedMax }, () => newPlayer(server.url)));
    const authenticated: TestSocket[] = [];
    const flood: Array<Idle | null> = [];
    for (const [i, player] of players.entries()) {
      // Between two players, a burst of idle sockets from many addresses.
      for (let j = 0; j < 8; j++) flood.push(await idle(`10.3.${i}.${j}`));
      authenticated.push(await TestSocket.authenticated(server.url, player.token));
    }
    for (let j = 0; j < 30; j++) flood.push(await idle(`10.4.0.${j}`));
    await settle();
    expect(authenticated.every((s) => s.closeCode === null)).toBe(true);
    expect(flood.every((s) => s !== null)).toBe(true);
    expect(stillOpen(flood as Idle[]).length).toBe(unauthenticatedMax);
    expect(server.gateway.connectionCount).toBeLessThanOrEqual(connectionsMax);

    // Every slot but the idle budget is a player's: one more player still gets in, displacing an idle socket.
    const extra = await newPlayer(server.url);
    authenticated.push(await TestSocket.authenticated(server.url, extra.token));
    await settle();
    expect(server.gateway.connectionCount).toBeLessThanOrEqual(connectionsMax);
    expect(authenticated.every((s) => s.closeCode === null)).toBe(true);
    for (const s of authenticated) s.close();
  }, 60_000);

  it("refuses the upgrade (503) only when every slot is held by an authenticated player", async () => {
    const players = await Promise.all(Array.from({ length: connectionsMax }, () => newPlayer(server.url)));
    await settle();
    // One after another: from one address, more than wsUnauthenticatedPerAddressMax hellos at once would displace each other.
    const full: TestSocket[] = [];
    for (const p of players) full.push(await TestSocket.authenticated(server.url, p.token));
    expect(await idle("10.5.0.1")).toBeNull();
    expect(full.every((s) => s.closeCode === null)).toBe(true);
    for (const s of full) s.close();
  }, 60_000);
});
