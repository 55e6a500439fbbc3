// Game and risk events exported to NATS JetStream through the outbox, with a real server in both
// modes: slot spins (written by the ledger batch) and a roulette round (written by the round store)
// each arrive once as `round.settled` with every bet's stake and payout as game recall has them, risk
// actions as `risk.action`, all matching the documented schemas, with their id as Nats-Msg-Id; the same
// round written again is queued again under the same id and stored once. With the stream stalled
// (NATS or Kafka accepting connections and never answering) bets are answered as fast as ever and the
// outbox lag metric grows.
import { afterAll, describe, expect, it } from "vitest";
import { Value } from "@sinclair/typebox/value";
import type { TSchema } from "@sinclair/typebox";
import { createShared, serverForSuite, startTestServer, type Mode } from "../support/server.js";
import { natsUrl, serviceAvailable, uniqueName } from "../support/services.js";
import { openBlackhole, streamMessages, type StreamMessage } from "../support/event-stream.js";
import { newPlayer, TestSocket } from "../support/ws-client.js";
import { RiskExportEvent, RoundExportEvent } from "../../src/protocol/events.schemas.js";
import type { RunningServer } from "../../src/main.js";

const schemaOf: Record<string, TSchema> = { "round.settled": RoundExportEvent, "round.voided": RoundExportEvent, "risk.action": RiskExportEvent };

async function metric(server: RunningServer, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return Number(pattern.exec(text)?.[1]);
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function spin(socket: TestSocket, room: string, actionId: string): Promise<number> {
  const started = performance.now();
  const ack = await socket.request({ type: "action", room, actionId, lastOffset: 0, action: { kind: "spin", stake: "1.00" } });
  expect(ack.type, JSON.stringify(ack)).toBe("ack");
  return performance.now() - started;
}

for (const mode of ["embedded", "production"] as Mode[]) {
  const available = serviceAvailable("nats") && (mode === "embedded" || (serviceAvailable("postgres") && serviceAvailable("redis")));
  describe.skipIf(!available)(`game and risk events exported to JetStream (${mode})`, () => {
    const stream = uniqueName(`game_events_${mode}`).replace(/[^A-Za-z0-9_-]/g, "_");
    const prefix = `croupier_test.${stream}`;
    const suiteServer = serverForSuite(mode, [
      "--event-export-url",
      natsUrl,
      "--event-export-stream",
      stream,
      "--event-export-subject-prefix",
      prefix,
      "--outbox-poll-interval-ms",
      "100",
      "--roulette-tables",
      "x1",
      "--roulette-betting-ms",
      "1500",
      "--roulette-results-ms",
      "200",
      "--messages-per-second-max",
      "200",
    ]);

    it("exports each settled round once with its bets and payouts, and each risk action, matching the schemas; a repeat keeps its id", async () => {
      const server = suiteServer();
      const player = await newPlayer(server.url);
      expect(
        (
          await server.services.wallet.deposit({
            playerId: player.userId,
            currency: "EUR",
            amount: 10_000n,
            key: `dep-${player.userId}`,
            reference: "t",
            provider: "test",
          })
        ).status,
      ).toBe("ok");
      const socket = await TestSocket.authenticated(server.url, player.token);
      const slots = `slots:${player.userId}`;
      expect((await socket.request({ type: "join", room: slots })).type).toBe("joined");
      for (let i = 0; i < 3; i++) await spin(socket, slots, `spin-${i}`);

      // A roulette round: the bets are recorded at its close, the payouts at its settlement.
      const table = "roulette:x1";
      await socket.request({ type: "join", room: table });
      let rouletteRound: string | null = null;
      const tried: string[] = [];
      for (let attempt = 0; attempt < 3 && rouletteRound === null; attempt++) {
        const opened = await socket.waitFor(
          (m) => m.type === "event" && m.kind === "round.opened" && !tried.includes((m.data as { roundId: string }).roundId),
          15_000,
        );
        const roundId = (opened.data as { roundId: string }).roundId;
        tried.push(roundId);
        const ack = await socket.request({
          type: "action",
          room: table,
          actionId: `bet-${roundId}`,
          lastOffset: opened.offset,
          action: { kind: "bet", roundId, bets: [{ type: "red", amount: "2.50" }] },
        });
        // On a slow machine a bet may reach the table after the close: the next round is tried.
        if (ack.type === "ack") rouletteRound = roundId;
      }
      expect(rouletteRound).not.toBeNull();
      await socket.waitFor((m) => m.type === "event" && m.kind === "round.settled" && (m.data as { roundId: string }).roundId === rouletteRound, 15_000);

      // An operator's limit (a risk action) and its reversal.
      const limited = await server.services.risk.setLimit(player.userId, { betsPerMinuteMax: null, stakeMinorMax: 50_000n, gamesBlocked: [] }, "op-1", "test");
      expect(limited.ok).toBe(true);
      const actionId = limited.ok ? limited.value.actionId : null;
      expect(actionId).not.toBeNull();
      expect((await server.services.risk.reverse(actionId as string, "op-1", "lifted")).ok).toBe(true);

      const recalled = await server.services.rounds.listForUser(player.userId, 10);
      expect(recalled.map((r) => r.game).sort()).toEqual(["roulette", "slots", "slots", "slots"]);
      const mine = (messages: StreamMessage[]) =>
        messages.filter((m) => {
          const body = m.body as { roundId?: string; userId?: string };
          return (body.roundId !== undefined && recalled.some((r) => r.roundId === body.roundId)) || body.userId === player.userId;
        });
      const messages = mine(
        await eventually(
          () => streamMessages(stream),
          (all) => mine(all).length >= 6,
        ),
      );
      expect(messages.map((m) => m.subject).sort()).toEqual([
        `${prefix}.risk.action`,
        `${prefix}.risk.action`,
        ...Array<string>(4).fill(`${prefix}.round.settled`),
      ]);
      for (const m of messages) {
        const body = m.body as { id: string; type: string };
        expect(Value.Check(schemaOf[body.type] as TSchema, m.body), JSON.stringify(m.body)).toBe(true);
        expect(m.id).toBe(body.id);
        expect(m.subject).toBe(`${prefix}.${body.type}`);
      }
      // Every round as game recall has it: each bet's stake and payout.
      for (const round of recalled) {
        const event = messages.find((m) => (m.body as { roundId?: string }).roundId === round.roundId)?.body as RoundExportEvent | undefined;
        expect(event?.id).toBe(`round.settled:${round.roundId}`);
        expect(event).toMatchObject({
          type: "round.settled",
          roundId: round.roundId,
          game: round.game,
          tableId: round.tableId,
          atMs: round.settledAt?.getTime(),
        });
        expect(event?.bets).toEqual(
          round.bets.map((b) => ({
            betId: b.betId,
            userId: b.userId,
            currency: b.currency,
            stakeMinor: b.stakeMinor.toString(),
            payoutMinor: (b.payoutMinor ?? 0n).toString(),
          })),
        );
      }
      expect(messages.filter((m) => (m.body as { type: string }).type === "risk.action").map((m) => m.body)).toEqual([
        expect.objectContaining({ id: `risk.action:${actionId}`, action: "limit", rule: "operator", userId: player.userId, by: null }),
        expect.objectContaining({
          id: `risk.action:${actionId}:reverse`,
          action: "reverse",
          rule: "operator",
          userId: player.userId,
          by: "op-1",
          reason: "lifted",
        }),
      ]);

      // The owner writes the settlement again (as after a failover): queued again, stored once.
      await server.services.rounds.record({ roundId: rouletteRound as string, tableId: "x1", game: "roulette", status: "settled", atMs: Date.now() });
      const drained = await eventually(
        () => metric(server, /^croupier_outbox_entries\{state="waiting"\} (\d+)$/m),
        (n) => n === 0,
      );
      expect(drained).toBe(0);
      expect(await metric(server, /^croupier_outbox_lag_seconds (\S+)$/m)).toBe(0);
      const again = (await streamMessages(stream)).filter((m) => m.id === `round.settled:${rouletteRound}`);
      expect(again).toHaveLength(1);
      socket.close();
    }, 120_000);
  });
}

describe("a stalled stream never slows a bet (embedded)", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  for (const scheme of ["nats", "kafka"] as const) {
    it(`${scheme}: spins are answered while every export waits out its timeout; the outbox lag grows`, async () => {
      const blackhole = await openBlackhole();
      cleanups.push(() => blackhole.close());
      const shared = await createShared("embedded");
      const timeoutMs = 5_000;
      const server = await startTestServer(shared, [
        "--event-export-url",
        `${scheme}://127.0.0.1:${blackhole.port}`,
        "--event-export-timeout-ms",
        String(timeoutMs),
        "--outbox-poll-interval-ms",
        "50",
        "--messages-per-second-max",
        "200",
      ]);
      cleanups.push(async () => {
        await server.close();
        await shared.dispose();
      });
      const player = await newPlayer(server.url);
      expect(
        (await server.services.wallet.deposit({ playerId: player.userId, currency: "EUR", amount: 10_000n, key: "dep", reference: "t", provider: "test" }))
          .status,
      ).toBe("ok");
      const socket = await TestSocket.authenticated(server.url, player.token);
      const room = `slots:${player.userId}`;
      expect((await socket.request({ type: "join", room })).type).toBe("joined");
      const started = Date.now();
      const latencies: number[] = [];
      for (let i = 0; i < 20; i++) latencies.push(await spin(socket, room, `s${i}`));
      // Had a spin waited for the stream, it would have taken the whole timeout.
      expect(Math.max(...latencies)).toBeLessThan(timeoutMs / 2);
      expect(Date.now() - started).toBeLessThan(timeoutMs * 2);
      socket.close();
      await new Promise((r) => setTimeout(r, 1_100));
      expect(await metric(server, /^croupier_outbox_entries\{state="waiting"\} (\d+)$/m)).toBeGreaterThanOrEqual(20);
      expect(await metric(server, /^croupier_outbox_lag_seconds (\S+)$/m)).toBeGreaterThanOrEqual(1);
    }, 60_000);
  }
});
