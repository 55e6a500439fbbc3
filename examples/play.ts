// Plays Croupier through the SDK: an account, a deposit with a sandbox test card, five slot spins and
// two rounds of roulette. Run it against a server started with `npm start`:
//
//   node --import tsx examples/play.ts [http://localhost:8080]
import { WebSocket } from "ws";
import { CroupierClient, formatMinor, requestJson, type RoomEvent } from "../src/client/index.js";

const url = process.argv[2] ?? "http://localhost:8080";
const username = `player${Date.now().toString(36)}`;
const password = "correct horse battery";

/** The SDK's JSON call: a refusal throws with its registry code. */
const http = (path: string, token: string, body?: unknown, idempotencyKey?: string) =>
  requestJson<Record<string, unknown>>(
    fetch,
    url + path,
    {
      method: body === undefined ? "GET" : "POST",
      token,
      ...(body === undefined ? {} : { body }),
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
    },
    "EXAMPLE_HTTP_FAILED",
  );

const client = new CroupierClient({ url, WebSocket });
const me = await client.register(username, password);
const tokens = await client.login(username, password);
console.log(`registered ${me.username}`);

// A deposit: the card number goes to the sandbox provider only; the wallet sees a token.
const card = await http("/v1/payments/sandbox/tokens", tokens.accessToken, { number: "4242 4242 4242 4242", expMonth: 12, expYear: 2099, cvc: "123" });
await http("/v1/wallet/deposits", tokens.accessToken, { amount: "50.00", currency: "EUR", cardToken: card.token }, `first-deposit-${username}`);
for (let credited = false; !credited; await new Promise((r) => setTimeout(r, 200))) {
  const wallet = (await http("/v1/wallet", tokens.accessToken)) as { balances: Array<{ purse: string; available: string }> };
  credited = wallet.balances.some((b) => b.purse === "cash" && b.available !== "0.00");
}
console.log("deposited 50.00 EUR");

await client.connect();
const slots = `slots:${me.id}`;
await client.join(slots);
for (let i = 0; i < 5; i++) {
  const spin = await client.act(slots, { kind: "spin", stake: "0.50" });
  const result = spin.result as { totalWinMinor: string; availableMinor: string };
  console.log(`spin ${i + 1}: won ${formatMinor(result.totalWinMinor)} EUR, balance ${formatMinor(result.availableMinor)} EUR`);
}

const table = "roulette:1";
const roundsWanted = 2;
const betRounds = new Set<string>();
const finishedRounds = new Set<string>();
const finished = new Promise<void>((resolve) => {
  // A round we bet in ends settled or voided (an operator's void, a failover); either way it is done.
  const finish = (roundId: string) => {
    if (!betRounds.has(roundId) || finishedRounds.has(roundId)) return;
    finishedRounds.add(roundId);
    if (finishedRounds.size === roundsWanted) resolve();
  };
  client.on("event", (event: RoomEvent) => {
    if (event.room !== table) return;
    const data = event.data as { roundId?: string; number?: number; payouts?: { returnMinor: string }[]; refunds?: { stakeMinor: string }[]; reason?: string };
    if (event.kind === "round.opened" && betRounds.size < roundsWanted && data.roundId !== undefined && !betRounds.has(data.roundId)) {
      const roundId = data.roundId;
      betRounds.add(roundId);
      client.act(table, { kind: "bet", roundId, bets: [{ type: "red", amount: "1.00" }] }).then(
        () => console.log(`bet 1.00 on red in round ${roundId}`),
        (error: unknown) => {
          // Refused (the round closed meanwhile, say): bet in the next round instead.
          console.log(`bet in round ${roundId} refused: ${(error as Error).message}`);
          betRounds.delete(roundId);
        },
      );
    }
    // Shown at revealAt: the SDK holds the result back until the synchronized moment.
    if (event.kind === "round.result") console.log(`the ball lands on ${data.number}`);
    // The settlement carries this player's own payouts (nobody else sees them).
    for (const payout of event.kind === "round.settled" ? (data.payouts ?? []) : []) console.log(`paid ${formatMinor(payout.returnMinor)} EUR`);
    for (const refund of event.kind === "round.voided" ? (data.refunds ?? []) : [])
      console.log(`round voided (${data.reason}): refunded ${formatMinor(refund.stakeMinor)} EUR`);
    if ((event.kind === "round.settled" || event.kind === "round.voided") && data.roundId !== undefined) finish(data.roundId);
  });
  // After a reset (the server restarted, the room's history was lost) the events in between are not
  // replayed: a round we bet in that is no longer the current one ended meanwhile (game recall has it).
  client.on("reset", (reset) => {
    if (reset.room !== table) return;
    const current = (reset.snapshot as { state?: { round?: { id?: string } | null } } | null)?.state?.round?.id;
    for (const roundId of betRounds) {
      if (roundId === current || finishedRounds.has(roundId)) continue;
      console.log(`round ${roundId} ended while the table was reset; its outcome is in game recall`);
      finish(roundId);
    }
  });
});
await client.join(table);
await finished;
const wallet = (await http("/v1/wallet", tokens.accessToken)) as { balances: Array<{ purse: string; available: string }> };
console.log(`final balance: ${wallet.balances.find((b) => b.purse === "cash")?.available} EUR`);
client.close();
