// The node that owns a roulette table is killed with SIGKILL mid-round: the surviving node takes the
// table over, and the round is settled or voided exactly once; the ledger balances either way, and
// every player recalls the round with their bet.
import { describe, expect, it } from "vitest";
import { SqlRoundStore } from "../../src/adapters/postgres/round-store.sql.js";
import { payoutOdds } from "../../src/engine/roulette/index.js";
import { call } from "../support/http.js";
import { serviceAvailable } from "../support/services.js";
import { twoNodes } from "../support/two-nodes.js";
import { newPlayer, TestSocket } from "../support/ws-client.js";

const production = serviceAvailable("postgres") && serviceAvailable("redis");

describe.skipIf(!production)("roulette table owner killed mid-round (real processes)", () => {
  it("completes or refunds the round exactly once on the other node, and the ledger balances", async () => {
    const nodes = await twoNodes(
      [
        "--roulette-tables",
        "f1",
        "--roulette-betting-ms",
        "1500",
        "--roulette-results-ms",
        "300",
        "--lease-ttl-ms",
        "3000",
        "--action-timeout-ms",
        "4000",
        "--messages-per-second-max",
        "200",
      ],
      "failover-test",
    );
    const { owner, survivor, db, wallet } = nodes;
    const sockets: TestSocket[] = [];
    try {
      const room = "roulette:f1";
      const people = await Promise.all([0, 1, 2, 3].map(() => newPlayer(owner.url)));
      for (const p of people)
        expect(
          (await wallet.deposit({ playerId: p.userId, currency: "EUR", amount: 10_000n, key: `d-${p.userId}`, reference: p.userId, provider: "test" })).status,
        ).toBe("ok");
      // The first join makes `owner` the table's owner; the others sit on the survivor.
      const first = await TestSocket.authenticated(owner.url, people[0]!.token);
      sockets.push(first);
      const joined = await first.request({ type: "join", room });
      const others = await Promise.all(people.slice(1).map((p) => TestSocket.authenticated(survivor.url, p.token)));
      sockets.push(...others);
      await Promise.all(others.map((s) => s.request({ type: "join", room })));
      const opened = await first.waitFor((m) => m.type === "event" && m.kind === "round.opened", 10_000);
      const roundId = (opened.data as { roundId: string }).roundId;
      const all = [first, ...others];
      await Promise.all(
        all.map(async (s, i) => {
          const ack = await s.request({
            type: "action",
            room,
            actionId: `b${i}`,
            lastOffset: opened.offset,
            action: { kind: "bet", roundId, bets: [{ type: i % 2 === 0 ? "red" : "black", amount: "10.00" }] },
          });
          expect(ack.type).toBe("ack");
        }),
      );
      await owner.stop("SIGKILL");

      // The survivor's clients see the round end one way or the other once the lease lapses.
      const end = await others[0]!.waitFor(
        (m) => m.type === "event" && (m.kind === "round.settled" || m.kind === "round.voided") && (m.data as { roundId: string }).roundId === roundId,
        20_000,
      );
      const rounds = new SqlRoundStore(db);
      const recalled = await rounds.find(roundId);
      expect(recalled?.status).toBe(end.kind === "round.settled" ? "settled" : "voided");
      const number = end.kind === "round.settled" ? (recalled!.outcome as { number: number }).number : null;
      const red = new Set([1, 3, 5, 7, 9, 12, 14, 16, 18, 19, 21, 23, 25, 27, 30, 32, 34, 36]);
      for (const [i, p] of people.entries()) {
        const wins = number !== null && number !== 0 && (i % 2 === 0 ? red.has(number) : !red.has(number));
        const expected = number === null ? 10_000n : 10_000n - 1_000n + (wins ? 1_000n * (payoutOdds.red + 1n) : 0n);
        const cash = (await wallet.balances(p.userId)).find((b) => b.purse === "cash");
        expect([i, cash?.balance, cash?.held]).toEqual([i, expected, 0n]);
      }
      expect(await wallet.check()).toMatchObject({ ok: true });
      // Settled or voided, each player recalls the round with their own bet (a void pays the stake back).
      for (const p of people) {
        const mine = await call<{ status: string; bets: { userId: string; stakeMinor: string; payoutMinor: string | null }[] }>(
          survivor.url,
          "GET",
          `/v1/rounds/${encodeURIComponent(roundId)}`,
          { token: p.token },
        );
        expect(mine.body).toMatchObject({ status: recalled?.status, bets: [{ userId: p.userId, stakeMinor: "1000" }] });
        if (number === null) expect(mine.body.bets[0]?.payoutMinor).toBe("1000");
      }

      // The player from the dead node resumes on the survivor without a gap, and the table plays on.
      const back = await TestSocket.authenticated(survivor.url, people[0]!.token);
      sockets.push(back);
      const resumed = await back.request({ type: "join", room, resume: { epoch: joined.epoch, offset: opened.offset as number } });
      expect(resumed.mode).toBe("resumed");
      const next = await back.waitFor((m) => m.type === "event" && m.kind === "round.opened" && (m.data as { roundId: string }).roundId !== roundId, 10_000);
      const offsets = back.events(room).map((m) => m.offset as number);
      expect(offsets).toEqual(Array.from({ length: offsets.length }, (_, k) => (opened.offset as number) + 1 + k));
      expect(next.offset).toBe(offsets.at(-1));

      // The new owner continues the committed chain from the snapshot: the next round takes the next
      // seed of the same chain, and its commitment is the seed the interrupted round revealed.
      type Commitment = { serverSeedHash: string; chain: { commitment: string; index: number } };
      const before = (opened.data as { fairness: Commitment }).fairness;
      const after = (next.data as { fairness: Commitment }).fairness;
      expect(after.chain).toMatchObject({ commitment: before.chain.commitment, index: before.chain.index + 1 });
      expect(after.serverSeedHash).toBe((recalled!.verification as { serverSeed: string }).serverSeed);
    } finally {
      for (const s of sockets) s.close();
      await nodes.close();
    }
  });
});
