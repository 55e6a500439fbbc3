// Node roles with real processes in production mode: a gateway-only node, a tables node and a
// payments+jobs node. The gateway never owns a room, yet a roulette bet placed through it is taken by
// the tables node; stopping the payments node stops neither logins nor bets, and a deposit made
// while it is down is credited once it is back; freezing the jobs node (SIGSTOP) stops no bet; a
// gateway killed (SIGKILL) leaves its player to resume on another gateway without a gap.
import { describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { redisUrl, serviceAvailable } from "../support/services.js";
import { createShared } from "../support/server.js";
import { serveCroupier, type ServingProcess } from "../support/process.js";
import { freePort } from "../support/private-services.js";
import { call } from "../support/http.js";
import { depositBySandbox } from "../support/money.js";
import { newPlayer, TestSocket, type Message } from "../support/ws-client.js";
import { roomKeys } from "../../src/adapters/redis/room-keys.js";

const production = serviceAvailable("postgres") && serviceAvailable("redis");

async function cashOf(base: string, token: string): Promise<string | undefined> {
  const wallet = await call<{ balances?: Array<{ currency: string; purse: string; available: string }> }>(base, "GET", "/v1/wallet", { token });
  return wallet.body.balances?.find((b) => b.currency === "EUR" && b.purse === "cash")?.available;
}

/** Bets on a roulette round still taking bets (the next one if this one closes first) and waits for it to settle. */
async function betOneRound(socket: TestSocket, room: string, actionId: string): Promise<Message> {
  for (let attempt = 0; ; attempt++) {
    const ended = new Set(
      socket
        .events(room)
        .filter((e) => e.kind === "round.closed" || e.kind === "round.settled" || e.kind === "round.voided")
        .map((e) => (e.data as { roundId: string }).roundId),
    );
    const opened = await socket.waitFor(
      (m) => m.type === "event" && m.room === room && m.kind === "round.opened" && !ended.has((m.data as { roundId: string }).roundId),
      15_000,
    );
    const roundId = (opened.data as { roundId: string }).roundId;
    const reply = await socket.request({
      type: "action",
      room,
      actionId: `${actionId}-${attempt}`,
      lastOffset: socket.events(room).at(-1)?.offset,
      action: { kind: "bet", roundId, bets: [{ type: "red", amount: "1.00" }] },
    });
    if (reply.type !== "ack" && attempt < 3) {
      await socket.waitFor(
        (m) => m.type === "event" && m.room === room && m.kind === "round.closed" && (m.data as { roundId: string }).roundId === roundId,
        15_000,
      );
      continue;
    }
    expect(reply.type, JSON.stringify(reply)).toBe("ack");
    return socket.waitFor((m) => m.type === "event" && m.kind === "round.settled" && (m.data as { roundId: string }).roundId === roundId, 15_000);
  }
}

describe.skipIf(!production)("croupier serve --roles (real processes)", () => {
  it("serves a bet through a gateway-only node, and goes on without the payments node, whose deposits complete when it returns", async () => {
    const shared = await createShared("production");
    const paymentsPort = await freePort();
    const env = {
      DATABASE_URL: shared.databaseUrl as string,
      REDIS_URL: redisUrl,
      CROUPIER_REDIS_KEY_PREFIX: shared.redisKeyPrefix,
      CROUPIER_DATA_DIR: shared.dataDir,
      LOG_LEVEL: "warn",
      CROUPIER_PAYMENTS_SANDBOX_WEBHOOK_SECRET: "roles-test-sandbox-secret",
      CROUPIER_PAYMENTS_SANDBOX_WEBHOOK_URL: `http://127.0.0.1:${paymentsPort}/v1/payments/webhooks/sandbox`,
      // The sandbox retries a refused webhook at 2, 4, 8 and 16 s: room for the payments node to come back.
      CROUPIER_PAYMENTS_SANDBOX_WEBHOOK_DELAY_MS: "1000",
    };
    const tableFlags = ["--roulette-tables", "g1", "--roulette-betting-ms", "1200", "--roulette-results-ms", "200", "--messages-per-second-max", "200"];
    const redis = new Redis(redisUrl);
    const started: ServingProcess[] = [];
    const sockets: TestSocket[] = [];
    try {
      // One after another: the first creates the signing key in the shared folder.
      const tables = await serveCroupier(["--roles", "tables", ...tableFlags], env);
      started.push(tables);
      let payments = await serveCroupier(["--roles", "payments,jobs", "--port", String(paymentsPort), ...tableFlags], env);
      started.push(payments);
      const gateway = await serveCroupier(["--roles", "gateway", ...tableFlags], env);
      started.push(gateway);

      // Each node serves what its roles say, and says so in /readyz and /metrics.
      const ready = await call<{ roles: string[]; checks: Record<string, string> }>(gateway.url, "GET", "/readyz");
      expect([ready.status, ready.body.roles, ready.body.checks.gateway]).toEqual([200, ["gateway"], "ok"]);
      expect((await call(tables.url, "POST", "/v1/auth/login", { body: { login: "x", password: "y" } })).body).toMatchObject({
        code: "CROUPIER_ERR_ROUTE_NOT_FOUND",
      });
      expect((await call(gateway.url, "POST", "/v1/payments/webhooks/sandbox", { body: {} })).body).toMatchObject({ code: "CROUPIER_ERR_ROUTE_NOT_FOUND" });
      expect((await call(payments.url, "POST", "/v1/payments/webhooks/sandbox", { body: {} })).body).toMatchObject({
        code: "CROUPIER_ERR_PAYMENT_WEBHOOK_SIGNATURE_MISSING",
      });
      expect(await (await fetch(`${gateway.url}/metrics`)).text()).toMatch(/^croupier_node_role\{role="gateway"\} 1$/m);

      const player = await newPlayer(gateway.url);
      await depositBySandbox(gateway.url, player.token, "50.00");
      const room = "roulette:g1";
      const socket = await TestSocket.authenticated(gateway.url, player.token);
      sockets.push(socket);
      const joined = await socket.request({ type: "join", room });
      const settled = await betOneRound(socket, room, "bet-1");
      expect(settled.kind).toBe("round.settled");
      // The table is owned by the tables node, never by the gateway.
      // Keys live under the deployment's scope (<prefix><deploymentId>:<db>:), drawn at the first start.
      const [leaseKey] = await redis.keys(`${shared.redisKeyPrefix}*${roomKeys("", room).lease.replace(/[[\]{}*?]/g, "\\$&")}`);
      const lease = leaseKey === undefined ? null : await redis.get(leaseKey);
      expect(lease).toContain(`-${tables.child.pid}-`);

      // Payments node stopped: logins and bets go on; a deposit is taken and waits.
      const code = await payments.stop("SIGTERM");
      expect(code, payments.output().slice(-3000)).toBe(0);
      started.splice(started.indexOf(payments), 1);
      const other = await newPlayer(gateway.url);
      expect(other.token).toMatch(/^ey/);
      expect((await betOneRound(socket, room, "bet-2")).kind).toBe("round.settled");
      const before = await cashOf(gateway.url, player.token);
      const card = await call<{ token: string }>(gateway.url, "POST", "/v1/payments/sandbox/tokens", {
        token: player.token,
        body: { number: "4242 4242 4242 4242", expMonth: 12, expYear: 2099, cvc: "123" },
      });
      const deposit = await call<{ status: string }>(gateway.url, "POST", "/v1/wallet/deposits", {
        token: player.token,
        body: { amount: "25.00", currency: "EUR", cardToken: card.body.token },
        headers: { "idempotency-key": "roles-dep-2" },
      });
      expect([deposit.status, deposit.body.status]).toEqual([201, "pending"]);
      await new Promise((r) => setTimeout(r, 1_500));
      expect(await cashOf(gateway.url, player.token)).toBe(before);

      // Back on the same address: the provider's retried webhook credits the deposit, once.
      payments = await serveCroupier(["--roles", "payments,jobs", "--port", String(paymentsPort), ...tableFlags], env);
      started.push(payments);
      const expected = (Number(before) + 25).toFixed(2);
      const deadline = Date.now() + 40_000;
      while ((await cashOf(gateway.url, player.token)) !== expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(await cashOf(gateway.url, player.token)).toBe(expected);

      // The jobs node frozen (SIGSTOP: it leads the risk engine and the jackpot ticker): bets go on.
      payments.child.kill("SIGSTOP");
      try {
        expect((await betOneRound(socket, room, "bet-3")).kind).toBe("round.settled");
      } finally {
        payments.child.kill("SIGCONT");
      }

      // A gateway killed: its player reconnects to another gateway and resumes where it was, without a gap.
      const gateway2 = await serveCroupier(["--roles", "gateway", ...tableFlags], env);
      started.push(gateway2);
      const lastSeen = socket.events(room).at(-1)!.offset as number;
      await gateway.stop("SIGKILL");
      started.splice(started.indexOf(gateway), 1);
      const back = await TestSocket.authenticated(gateway2.url, player.token);
      sockets.push(back);
      const resumed = await back.request({ type: "join", room, resume: { epoch: joined.epoch, offset: lastSeen } });
      expect(resumed.mode).toBe("resumed");
      expect((await betOneRound(back, room, "bet-4")).kind).toBe("round.settled");
      const offsets = back.events(room).map((m) => m.offset as number);
      expect(offsets).toEqual(Array.from({ length: offsets.length }, (_, k) => lastSeen + 1 + k));
    } finally {
      for (const s of sockets) s.close();
      for (const p of started.reverse()) await p.stop("SIGTERM");
      const keys = await redis.keys(`${shared.redisKeyPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      await shared.dispose();
    }
  }, 180_000);
});
