// A hold'em cash table over real sockets and the real ledger: buy-ins held, hole cards private, a
// player timing out after a disconnect, and cash-outs that leave the house exactly the rake.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { serviceAvailable } from "../support/services.js";
import { createShared, startTestServer, type Mode, type Shared } from "../support/server.js";
import { until } from "../payments/support.js";
import { newPlayer, TestSocket, type Message } from "../support/ws-client.js";
import { ifAssigned } from "../support/fixtures.js";

for (const mode of ["embedded", "production"] as Mode[]) {
  const available = mode === "embedded" || (serviceAvailable("postgres") && serviceAvailable("redis"));
  describe.skipIf(!available)(`hold'em table (${mode})`, () => {
    let shared: Shared;
    let server: RunningServer;
    beforeAll(async () => {
      shared = await createShared(mode);
      server = await startTestServer(shared, [
        "--holdem-tables",
        "h1",
        "--holdem-turn-ms",
        "500",
        "--holdem-between-hands-ms",
        "3000",
        "--messages-per-second-max",
        "500",
      ]);
    });
    afterAll(async () => {
      await ifAssigned(server)?.close();
      await ifAssigned(shared)?.dispose();
    });

    it("plays hands to the end; cash-outs return final stacks and the house keeps exactly the rake", async () => {
      const base = server.url;
      const room = "holdem:h1";
      const people = await Promise.all([0, 1, 2].map(() => newPlayer(base)));
      for (const p of people)
        await server.services.wallet.deposit({ playerId: p.userId, currency: "EUR", amount: 50_000n, key: `d${p.userId}`, reference: "t", provider: "test" });
      // Each hand's record reaches the risk engine as a `hand` signal (docs/RISK.md, rule collusion).
      const signals: { kind: string; tableId?: string; players?: { userId: string; folded: boolean; won: boolean }[] }[] = [];
      const stopListening = await server.services.bus.subscribe("risk.signals", (message) => signals.push(...(JSON.parse(message) as typeof signals)));
      const sockets = await Promise.all(people.map((p) => TestSocket.authenticated(base, p.token)));
      await Promise.all(sockets.map((s) => s.request({ type: "join", room })));
      const seen = (s: TestSocket) => Math.max(0, ...s.messages.filter((m) => m.room === room && typeof m.offset === "number").map((m) => m.offset as number));
      for (const [i, s] of sockets.entries()) {
        if (i > 0) await s.waitFor((m) => m.kind === "holdem.seated" && (m.data as { seat: number }).seat === i - 1);
        expect(
          await s.request({ type: "action", room, actionId: `sit${i}`, lastOffset: seen(s), action: { kind: "sit", seat: i, buyIn: "100.00" } }),
        ).toMatchObject({ type: "ack" });
      }
      const watcher = sockets[0]!;
      const hands = 3;
      let live = [...sockets];
      for (let h = 1; h <= hands; h++) {
        await watcher.waitFor((m) => m.kind === "holdem.hand_started" && (m.data as { handNumber: number }).handNumber === h, 15_000);
        if (h === 2) {
          sockets[2]!.close();
          live = sockets.slice(0, 2);
        }
        const deadline = Date.now() + 30_000;
        while (
          Date.now() < deadline &&
          !watcher.events(room).some((m) => m.kind === "holdem.hand_completed" && (m.data as { handNumber: number }).handNumber === h)
        ) {
          const turn = watcher
            .events(room)
            .filter((m) => m.kind === "holdem.turn")
            .at(-1);
          const seat = turn ? (turn.data as { seat: number }).seat : -1;
          const actor = live[seat];
          if (actor && turn) {
            const toCall = BigInt((turn.data as { toCallMinor: string }).toCallMinor);
            await actor.request({
              type: "action",
              room,
              actionId: `h${h}-${turn.offset as number}`,
              lastOffset: seen(actor),
              action: { kind: toCall === 0n ? "check" : "call" },
            });
          }
          await new Promise((r) => setTimeout(r, 30));
        }
      }
      // Hole cards: each player saw their own, and only placeholders for the others'.
      for (const [i, s] of live.entries()) {
        const mine = s.events(room).filter((m: Message) => m.kind === "holdem.hole_cards");
        expect(mine.length).toBeGreaterThan(0);
        expect(mine.every((m) => (m.data as { recipientSeat: number }).recipientSeat === i && m.private === true)).toBe(true);
      }
      // Cash out between hands (the seat of the player who left is cashed out by the operator later: it stays held).
      const completed = watcher
        .events(room)
        .filter((m) => m.kind === "holdem.hand_completed")
        .at(-1)!;
      const stacks = (completed.data as { stacksMinor: (string | null)[] }).stacksMinor;
      for (const [i, s] of live.entries()) {
        const ack = await s.request({ type: "action", room, actionId: `leave${i}`, lastOffset: seen(s), action: { kind: "leave" } });
        expect(ack).toMatchObject({ type: "ack" });
      }
      const rake = watcher
        .events(room)
        .filter((m) => m.kind === "holdem.hand_completed")
        .reduce((sum, m) => sum + BigInt((m.data as { rakeMinor: string }).rakeMinor), 0n);
      let total = 0n;
      for (const [i, p] of people.entries()) {
        const cash = (await server.services.wallet.balances(p.userId)).find((b) => b.purse === "cash")!;
        if (i < 2) expect([i, cash.balance, cash.held]).toEqual([i, 50_000n - 10_000n + BigInt(stacks[i]!), 0n]);
        else expect([i, cash.held]).toEqual([i, 10_000n]);
        total += cash.balance - cash.held + (i < 2 ? 0n : BigInt(stacks[i]!));
      }
      // Chips are conserved: what the three players hold (cash plus the absent player's stack) plus the rake is what they brought.
      expect(total + rake).toBe(150_000n);
      expect(await server.services.wallet.check()).toMatchObject({ ok: true });
      await until(
        async () => signals.filter((x) => x.kind === "hand").length,
        (n) => n >= hands,
      );
      const handSignals = signals.filter((x) => x.kind === "hand");
      expect(handSignals.length).toBeGreaterThanOrEqual(hands);
      for (const x of handSignals) {
        expect(x.tableId).toBe("h1");
        expect(x.players?.every((pl) => people.some((p) => p.userId === pl.userId))).toBe(true);
        expect(x.players?.some((pl) => pl.won)).toBe(true);
      }
      await stopListening();
      for (const s of live) s.close();
    }, 120_000);
  });
}
