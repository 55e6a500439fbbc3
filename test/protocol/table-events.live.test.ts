// The event schemas behind docs/GAME-ACTIONS.md against a running server: every event a real table
// sends (roulette, slots, blackjack, hold'em, operator controls) has a documented kind, its `data`
// matches the schema, and carries no field the schema does not name.
import { describe, expect, it } from "vitest";
import { Value } from "@sinclair/typebox/value";
import { tableEventSchemas, type TableEventSpec } from "../../src/protocol/table-events.schemas.js";
import { serverForSuite } from "../support/server.js";
import { newPlayer, newStaff, TestSocket, type Message } from "../support/ws-client.js";

interface Schema {
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly patternProperties?: Readonly<Record<string, Schema>>;
  readonly items?: Schema;
  readonly anyOf?: readonly Schema[];
}

/** Paths in `value` that `schema` does not name (the data schemas are open; the documentation must not be). */
function undeclared(schema: Schema, value: unknown, path: string, out: string[]): string[] {
  if (value === null || typeof value !== "object") return out;
  if (Array.isArray(value)) {
    if (schema.items !== undefined) for (const item of value) undeclared(schema.items, item, `${path}[]`, out);
    return out;
  }
  const object = schema.anyOf?.find((s) => s.properties !== undefined || s.patternProperties !== undefined) ?? schema;
  if (object.patternProperties !== undefined) {
    const inner = Object.values(object.patternProperties)[0] as Schema;
    for (const [key, v] of Object.entries(value)) undeclared(inner, v, `${path}.${key}`, out);
    return out;
  }
  if (object.properties === undefined) return out;
  for (const [key, v] of Object.entries(value)) {
    const field = object.properties[key];
    if (field === undefined) out.push(`${path}.${key}`);
    else undeclared(field, v, `${path}.${key}`, out);
  }
  return out;
}

const lastOffset = (s: TestSocket, room: string) =>
  Math.max(0, ...s.messages.filter((m) => m.room === room && typeof m.offset === "number").map((m) => m.offset as number));

describe("table events as a server sends them match docs/GAME-ACTIONS.md (embedded)", () => {
  const serverOf = serverForSuite("embedded", [
    "--roulette-tables",
    "t1",
    "--roulette-betting-ms",
    "3000",
    "--roulette-results-ms",
    "200",
    "--blackjack-tables",
    "b1",
    "--blackjack-betting-ms",
    "3000",
    "--blackjack-turn-ms",
    "500",
    "--holdem-tables",
    "h1",
    "--holdem-turn-ms",
    "500",
    "--holdem-between-hands-ms",
    "1000",
    "--messages-per-second-max",
    "500",
  ]);

  it("roulette, slots, blackjack, hold'em and operator controls", async () => {
    const [a, b] = await Promise.all([newPlayer(serverOf().url), newPlayer(serverOf().url)]);
    for (const p of [a, b])
      await serverOf().services.wallet.deposit({
        playerId: p.userId,
        currency: "EUR",
        amount: 100_000n,
        key: `d${p.userId}`,
        reference: "t",
        provider: "test",
      });
    const staff = await newStaff(serverOf(), ["operator"]);
    const sa = await TestSocket.authenticated(serverOf().url, a.token);
    const sb = await TestSocket.authenticated(serverOf().url, b.token);
    const op = await TestSocket.authenticated(serverOf().url, staff.token);
    const act = (s: TestSocket, room: string, actionId: string, action: Record<string, unknown>) =>
      s.request({ type: "action", room, actionId, lastOffset: lastOffset(s, room), action });

    // Slots: spins, a client seed, a rotation.
    const slots = `slots:${a.userId}`;
    await sa.request({ type: "join", room: slots });
    for (let i = 0; i < 2; i++) expect(await act(sa, slots, `spin${i}`, { kind: "spin", stake: "1.00" })).toMatchObject({ type: "ack" });
    expect(await act(sa, slots, "seed", { kind: "seed.client", clientSeed: "mine" })).toMatchObject({ type: "ack" });
    expect(await act(sa, slots, "rot", { kind: "seed.rotate" })).toMatchObject({ type: "ack" });

    // Roulette: a bet settled, new limits, a voided round.
    const roulette = "roulette:t1";
    await Promise.all([sa, op].map((s) => s.request({ type: "join", room: roulette })));
    const opened = await sa.waitFor((m) => m.kind === "round.opened", 10_000);
    const roundId = (opened.data as { roundId: string }).roundId;
    expect(
      await act(sa, roulette, "r1", {
        kind: "bet",
        roundId,
        bets: [
          { type: "red", amount: "2.50" },
          { type: "straight", numbers: [17], amount: "1.00" },
        ],
      }),
    ).toMatchObject({ type: "ack" });
    await sa.waitFor((m) => m.kind === "round.settled" && (m.data as { roundId: string }).roundId === roundId, 10_000);
    expect(await act(op, roulette, "lim", { kind: "table.limits", roundBetsMax: 100 })).toMatchObject({ type: "ack" });
    const next = await sa.waitFor((m) => m.kind === "round.opened" && (m.data as { roundId: string }).roundId !== roundId, 10_000);
    const nextId = (next.data as { roundId: string }).roundId;
    expect(await act(sa, roulette, "r2", { kind: "bet", roundId: nextId, bets: [{ type: "black", amount: "1.00" }] })).toMatchObject({ type: "ack" });
    expect(await act(op, roulette, "void", { kind: "round.void", reason: "wheel fault" })).toMatchObject({ type: "ack" });
    await sa.waitFor((m) => m.kind === "round.voided", 10_000);
    expect(await act(op, roulette, "close", { kind: "table.close", reason: "test" })).toMatchObject({ type: "ack" });
    expect(await act(op, roulette, "open", { kind: "table.open" })).toMatchObject({ type: "ack" });

    // Blackjack: sit, bet, the turn timer plays the hand out.
    const blackjack = "blackjack:b1";
    await sa.request({ type: "join", room: blackjack });
    expect(await act(sa, blackjack, "sit", { kind: "sit", seat: 0 })).toMatchObject({ type: "ack" });
    const betting = await sa.waitFor((m) => m.kind === "blackjack.betting_opened", 10_000);
    expect(await act(sa, blackjack, "bj", { kind: "bet", roundId: (betting.data as { roundId: string }).roundId, amount: "10.00" })).toMatchObject({
      type: "ack",
    });
    await sa.waitFor((m) => m.kind === "blackjack.round_paid", 15_000);
    expect(await act(sa, blackjack, "up", { kind: "leave_seat" })).toMatchObject({ type: "ack" });

    // Hold'em: two players; the turn timer folds or checks until a hand completes.
    const holdem = "holdem:h1";
    await Promise.all([sa, sb].map((s) => s.request({ type: "join", room: holdem })));
    expect(await act(sa, holdem, "sit", { kind: "sit", seat: 0, buyIn: "100.00" })).toMatchObject({ type: "ack" });
    await sb.waitFor((m) => m.kind === "holdem.seated");
    expect(await act(sb, holdem, "sit", { kind: "sit", seat: 1, buyIn: "100.00" })).toMatchObject({ type: "ack" });
    await sa.waitFor((m) => m.kind === "holdem.hand_completed", 20_000);

    const events: Message[] = [sa, sb, op].flatMap((s) =>
      s.messages.filter((m) => m.type === "event" && !["redacted", "chat", "moderation"].includes(m.kind as string)),
    );
    const problems: string[] = [];
    const kinds = new Set<string>();
    for (const event of events) {
      const game = (event.room as string).split(":")[0] as keyof typeof tableEventSchemas;
      const spec = (tableEventSchemas[game] as Record<string, TableEventSpec> | undefined)?.[event.kind as string];
      kinds.add(`${game} ${event.kind as string}`);
      if (spec === undefined) {
        problems.push(`${game} ${event.kind as string}: not documented`);
        continue;
      }
      for (const e of Value.Errors(spec.data, event.data)) problems.push(`${game} ${event.kind as string}: ${e.path} ${e.message}`);
      for (const path of undeclared(spec.data as Schema, event.data, "data", [])) problems.push(`${game} ${event.kind as string}: ${path} not in the schema`);
    }
    expect([...new Set(problems)]).toEqual([]);
    for (const kind of [
      "slots slots.spin",
      "slots fairness.rotated",
      "roulette round.settled",
      "roulette round.voided",
      "roulette table.limits",
      "blackjack blackjack.round_paid",
      "holdem holdem.hand_completed",
      "holdem holdem.hole_cards",
    ]) {
      expect(kinds, kind).toContain(kind);
    }
    for (const s of [sa, sb, op]) s.close();
  }, 90_000);
});
