// The node that owns a roulette table is paused (SIGSTOP) past its lease mid-round, as a long GC pause
// or a frozen VM would: the other node takes the table over and ends the round once; when the paused
// node wakes (SIGCONT) its timers fire on a table it no longer owns, and every write they try is fenced
// off. Nothing is applied twice, the log stays contiguous, the ledger balances, and the woken node's
// players play on through the new owner.
import { describe, expect, it } from "vitest";
import { serviceAvailable } from "../support/services.js";
import { twoNodes } from "../support/two-nodes.js";
import { newPlayer, TestSocket, type Message } from "../support/ws-client.js";

const production = serviceAvailable("postgres") && serviceAvailable("redis");

describe.skipIf(!production)("roulette table owner paused past its lease (real processes)", () => {
  it("is fenced when it wakes: the round ends once, the log stays contiguous, and its players play on", async () => {
    const nodes = await twoNodes(
      [
        "--roulette-tables",
        "z1",
        "--roulette-betting-ms",
        "2000",
        "--roulette-results-ms",
        "300",
        "--lease-ttl-ms",
        "2000",
        "--action-timeout-ms",
        "4000",
        "--messages-per-second-max",
        "200",
      ],
      "pause-test",
    );
    const { owner, survivor, wallet } = nodes;
    const sockets: TestSocket[] = [];
    let paused = false;
    try {
      const room = "roulette:z1";
      const people = await Promise.all([0, 1, 2, 3].map(() => newPlayer(owner.url)));
      for (const p of people)
        expect(
          (await wallet.deposit({ playerId: p.userId, currency: "EUR", amount: 10_000n, key: `d-${p.userId}`, reference: p.userId, provider: "test" })).status,
        ).toBe("ok");
      // The first join makes `owner` the table's owner; players 0 and 1 stay on it, 2 and 3 are on the other node.
      const onOwner = [await TestSocket.authenticated(owner.url, people[0]!.token)];
      await onOwner[0]!.request({ type: "join", room });
      onOwner.push(await TestSocket.authenticated(owner.url, people[1]!.token));
      const onSurvivor = await Promise.all(people.slice(2).map((p) => TestSocket.authenticated(survivor.url, p.token)));
      sockets.push(...onOwner, ...onSurvivor);
      await Promise.all([onOwner[1]!, ...onSurvivor].map((s) => s.request({ type: "join", room })));
      const opened = await onSurvivor[0]!.waitFor((m) => m.type === "event" && m.kind === "round.opened", 10_000);
      const roundId = (opened.data as { roundId: string }).roundId;
      const all = [...onOwner, ...onSurvivor];
      await Promise.all(
        all.map(async (s, i) => {
          const ack = await s.request({
            type: "action",
            room,
            actionId: `b${i}`,
            lastOffset: opened.offset,
            action: { kind: "bet", roundId, bets: [{ type: "red", amount: "10.00" }] },
          });
          expect(ack.type).toBe("ack");
        }),
      );

      // Frozen with the round in play: its betting timer, its lease renewals, everything stops.
      owner.child.kill("SIGSTOP");
      paused = true;
      const ended = (m: Message) =>
        m.type === "event" && (m.kind === "round.settled" || m.kind === "round.voided") && (m.data as { roundId: string }).roundId === roundId;
      await onSurvivor[0]!.waitFor(ended, 20_000);
      const next = await onSurvivor[0]!.waitFor(
        (m) => m.type === "event" && m.kind === "round.opened" && (m.data as { roundId: string }).roundId !== roundId,
        20_000,
      );

      // It wakes: its stale timers fire against a table another node now owns.
      owner.child.kill("SIGCONT");
      paused = false;
      await new Promise((r) => setTimeout(r, 3_000));

      // The woken node's player bets in the new owner's round, through the woken node.
      const nextRound = (next.data as { roundId: string }).roundId;
      const seen = (s: TestSocket) => Math.max(0, ...s.messages.filter((m) => m.room === room && typeof m.offset === "number").map((m) => m.offset as number));
      let bet: Message | null = null;
      for (let attempt = 0; attempt < 20 && bet?.type !== "ack"; attempt++) {
        bet = await onOwner[1]!
          .request({
            type: "action",
            room,
            actionId: `late${attempt}`,
            lastOffset: seen(onOwner[1]!),
            action: { kind: "bet", roundId: nextRound, bets: [{ type: "black", amount: "1.00" }] },
          })
          .catch(() => null);
        if (bet?.code === "CROUPIER_ERR_BET_ROUND_CLOSED") break;
        if (bet?.type !== "ack") await new Promise((r) => setTimeout(r, 250));
      }
      expect(["ack", "error"]).toContain(bet?.type);
      if (bet?.type === "error") expect(bet.code).toBe("CROUPIER_ERR_BET_ROUND_CLOSED");

      // One end for the paused round in the log everyone reads, and no gap or repeat in its offsets.
      const log = onSurvivor[0]!.events(room);
      expect(log.filter(ended)).toHaveLength(1);
      const offsets = log.map((m) => m.offset as number);
      expect(offsets).toEqual(Array.from({ length: offsets.length }, (_, k) => offsets[0]! + k));
      expect(new Set(log.map((m) => m.epoch)).size).toBe(1);
      // Each stake was taken once and paid (or refunded) once: the ledger balances and nothing is held
      // for the paused round.
      expect(await wallet.check()).toMatchObject({ ok: true });
      const pending = await wallet.pendingHolds(roundId, 10);
      expect(pending).toEqual([]);
      const end = log.find(ended)!;
      const number = end.kind === "round.settled" ? (end.data as { number: number }).number : null;
      const red = new Set([1, 3, 5, 7, 9, 12, 14, 16, 18, 19, 21, 23, 25, 27, 30, 32, 34, 36]);
      const expected = number === null ? 10_000n : red.has(number) ? 11_000n : 9_000n;
      for (const i of [0, 2, 3]) {
        const cash = (await wallet.balances(people[i]!.userId)).find((b) => b.purse === "cash");
        expect([i, cash?.balance, cash?.held]).toEqual([i, expected, 0n]);
      }
      // The woken node says what happened to it: it stopped hosting the room (its lease was gone, or its
      // first write was fenced), and it wrote nothing that anyone read.
      expect(owner.output()).toMatch(/fenced: another node owns it now|lease of a room this node held was not renewed/);
    } finally {
      if (paused) owner.child.kill("SIGCONT");
      for (const s of sockets) s.close();
      await nodes.close();
    }
  }, 90_000);
});
