// Balances and history over real HTTP: decimal strings, paging, game recall, in both modes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/main.js";
import { serviceAvailable } from "../support/services.js";
import { createShared, startTestServer, type Mode, type Shared } from "../support/server.js";
import { call } from "../support/http.js";
import { balances, newPlayer } from "../payments/support.js";
import { ifAssigned } from "../support/fixtures.js";

interface Page {
  entries: { id: string; kind: string; amount: string; reference: string; holdId: string | null; createdAt: string }[];
  nextCursor: string | null;
}

for (const mode of ["embedded", "production"] as Mode[]) {
  const available = mode === "embedded" || (serviceAvailable("postgres") && serviceAvailable("redis"));
  describe.skipIf(!available)(`wallet over HTTP (${mode})`, () => {
    let shared: Shared;
    let server: RunningServer;
    let base: string;

    beforeAll(async () => {
      shared = await createShared(mode);
      server = await startTestServer(shared, ["--ledger-batch-wait-ms", "1"]);
      base = server.url;
    });
    afterAll(async () => {
      await ifAssigned(server)?.close();
      await ifAssigned(shared)?.dispose();
    });

    it("shows balances as decimal strings and pages the history newest first with the round of each bet", async () => {
      const player = await newPlayer(base);
      const wallet = server.services.wallet;
      expect(
        (
          await wallet.deposit({
            playerId: player.userId,
            currency: "JPY",
            amount: 5_000n,
            key: `t:${player.userId}:dep`,
            reference: "psp-1",
            provider: "sandbox",
          })
        ).status,
      ).toBe("ok");
      for (let i = 1; i <= 3; i++) {
        const spin = await wallet.instantBet({
          playerId: player.userId,
          currency: "JPY",
          gameId: "fruit",
          stake: 100n,
          win: i === 2 ? 300n : 0n,
          key: `t:${player.userId}:spin${i}`,
          roundId: `round-${i}`,
        });
        expect(spin.status).toBe("ok");
      }
      expect(
        (
          await wallet.reserveBet({
            playerId: player.userId,
            currency: "JPY",
            amount: 50n,
            holdId: `r4:${player.userId}`,
            key: `t:${player.userId}:res`,
            roundId: "round-4",
          })
        ).status,
      ).toBe("ok");
      expect(await balances(base, player)).toEqual({ "cash:JPY": { balance: "5000", held: "50", available: "4950" } });

      const first = await call<Page>(base, "GET", "/v1/wallet/history?currency=JPY&limit=3", { token: player.token });
      expect(first.status).toBe(200);
      expect(first.body.entries.map((e) => [e.kind, e.amount, e.reference])).toEqual([
        ["bet_stake", "-100", "round-3"],
        ["bet_win", "300", "round-2"],
        ["bet_stake", "-100", "round-2"],
      ]);
      expect(first.body.nextCursor).toBe(first.body.entries[2]?.id);
      const second = await call<Page>(base, "GET", `/v1/wallet/history?currency=JPY&limit=3&before=${first.body.nextCursor as string}`, {
        token: player.token,
      });
      expect(second.body.entries.map((e) => [e.kind, e.amount, e.reference])).toEqual([
        ["bet_stake", "-100", "round-1"],
        ["deposit", "5000", "psp-1"],
      ]);
      expect(second.body.nextCursor).toBeNull();
      expect(typeof (JSON.parse(JSON.stringify(second.body)) as { entries: { amount: unknown }[] }).entries[0]!.amount).toBe("string");
    });

    it("answers an unopened currency with an empty page and an unknown one with its code", async () => {
      const player = await newPlayer(base);
      expect((await call<Page>(base, "GET", "/v1/wallet/history?currency=USD", { token: player.token })).body).toEqual({ entries: [], nextCursor: null });
      const unknown = await call(base, "GET", "/v1/wallet/history?currency=ABC", { token: player.token });
      expect([unknown.status, unknown.body.code]).toEqual([400, "CROUPIER_ERR_WALLET_CURRENCY_UNKNOWN"]);
      const badLimit = await call(base, "GET", "/v1/wallet/history?currency=EUR&limit=0", { token: player.token });
      expect(badLimit.body.code).toBe("CROUPIER_ERR_REQUEST_INVALID");
      expect((await call(base, "GET", "/v1/wallet")).body.code).toBe("CROUPIER_ERR_AUTH_TOKEN_MISSING");
      expect(await balances(base, player)).toEqual({});
    });
  });
}
