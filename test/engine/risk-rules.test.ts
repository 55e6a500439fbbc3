// The risk rules on plain data and a time passed in: who fires, when, with what evidence, and how a
// rule that keeps firing escalates (alert, then limit, then lock).
import { describe, expect, it } from "vitest";
import { ActivityBook, defaultRiskRules, nextStep, type RiskSignal } from "../../src/engine/risk/index.js";

const t0 = 1_800_000_000_000;
const bet = (userId: string, atMs: number, amountMinor = "10", limited = false): RiskSignal => ({
  kind: "bet",
  userId,
  atMs,
  game: "slots",
  tableId: "crown-jewels",
  currency: "EUR",
  amountMinor,
  limited,
});
const seen = (userId: string, atMs: number, deviceId: string, address = "203.0.113.9", kind: "login" | "connection" = "login"): RiskSignal => ({
  kind,
  userId,
  atMs,
  deviceId,
  address,
});

/** Feeds a player betting every `everyMs` from `fromMs` to `toMs`; answers the first time each rule fired. */
function firstFindings(book: ActivityBook, userId: string, fromMs: number, toMs: number, everyMs: number, amountMinor = "10"): Map<string, number> {
  const first = new Map<string, number>();
  for (let at = fromMs; at < toMs; at += everyMs) {
    book.record(bet(userId, Math.round(at), amountMinor));
    for (const f of book.findings(userId, Math.round(at))) if (!first.has(f.rule)) first.set(f.rule, Math.round(at) - fromMs);
  }
  return first;
}

describe("risk rules", () => {
  it("catches 214 micro-bets a minute across two devices within seconds, and never an honest player", () => {
    const book = new ActivityBook();
    book.record(seen("bot", t0, "phone"));
    book.record(seen("bot", t0, "tablet"));
    const fired = firstFindings(book, "bot", t0, t0 + 90_000, 60_000 / 214);
    expect(fired.get("betRate")).toBeLessThan(15_000);
    expect(fired.get("microStakes")).toBeLessThan(20_000);
    const evidence = book.findings("bot", t0 + 89_000).find((f) => f.rule === "betRate")?.evidence;
    expect(evidence).toMatchObject({ betsPerMinuteMax: 120, devices: 2 });
    expect(Number(evidence?.betsPerMinute)).toBeGreaterThan(200);
    // Brisk but human: a spin every 1.5 s at varied stakes; the minimum stake a spin every 2 s.
    const human = firstFindings(book, "human", t0, t0 + 600_000, 1_500, "100");
    const minimal = firstFindings(book, "frugal", t0, t0 + 600_000, 2_000, "10");
    expect([...human.keys(), ...minimal.keys()]).toEqual([]);
    expect(book.features("bot", t0 + 89_000)).toMatchObject({ devicesPerHour: 2, microStakeShare: 1 });
  });

  it("counts attempts a limit refused, so hammering a limit keeps the rule firing", () => {
    const book = new ActivityBook();
    for (let i = 0; i < 60; i++) book.record(bet("p", t0 + i * 250, "500", true));
    expect(book.findings("p", t0 + 15_000).map((f) => f.rule)).toEqual(["betRate"]);
    // Quiet for a minute: the windows empty.
    expect(book.findings("p", t0 + 80_000)).toEqual([]);
  });

  it("does not hold activity an operator reviewed against the player again: only what came after counts", () => {
    const book = new ActivityBook();
    for (let i = 0; i < 60; i++) book.record(bet("p", t0 + i * 250, "500"));
    expect(book.findings("p", t0 + 15_000).map((f) => f.rule)).toEqual(["betRate"]);
    // Reviewed (a reversal) at t0 + 15 s: the same minute's bets no longer fire the rule ...
    expect(book.findings("p", t0 + 16_000, t0 + 15_000)).toEqual([]);
    // ... new bets after the review do, once there are enough of them.
    for (let i = 0; i < 60; i++) book.record(bet("p", t0 + 16_000 + i * 250, "500"));
    expect(book.findings("p", t0 + 31_000, t0 + 15_000).map((f) => f.rule)).toEqual(["betRate"]);
  });

  it("flags deposit velocity, deposit amount per day and currency, and withdrawal frequency", () => {
    const book = new ActivityBook();
    for (let i = 0; i < 11; i++) book.record({ kind: "deposit", userId: "d", atMs: t0 + i * 60_000, currency: "EUR", amountMinor: "50000" });
    const rules = book.findings("d", t0 + 11 * 60_000).map((f) => f.rule);
    expect(rules).toEqual(["depositVelocity"]);
    book.record({ kind: "deposit", userId: "d", atMs: t0 + 2 * 3_600_000, currency: "EUR", amountMinor: "500000" });
    expect(book.findings("d", t0 + 2 * 3_600_000)).toEqual([
      { rule: "depositAmount", evidence: { currency: "EUR", depositedMinorLastDay: "1050000", amountMinorPerDayMax: "1000000" } },
    ]);
    for (let i = 0; i < 6; i++) book.record({ kind: "withdrawal", userId: "w", atMs: t0 + i * 3_600_000, currency: "EUR", amountMinor: "1000" });
    expect(book.findings("w", t0 + 6 * 3_600_000).map((f) => f.rule)).toEqual(["withdrawalFrequency"]);
    expect(book.findings("w", t0 + 30 * 3_600_000)).toEqual([]);
  });

  it("links accounts by device and address; loopback addresses link nobody", () => {
    const book = new ActivityBook();
    for (const user of ["a", "b", "c", "d"]) book.record(seen(user, t0, "shared-phone", "127.0.0.1"));
    expect(book.linkedAccounts("a", t0)).toEqual(["b", "c", "d"]);
    const device = book.findings("d", t0).find((f) => f.rule === "deviceLinks");
    expect(device?.evidence).toMatchObject({ deviceId: "shared-phone", accounts: 4, accountsMax: 3 });
    expect(book.findings("d", t0).some((f) => f.rule === "addressLinks")).toBe(false);
    for (let i = 0; i < 21; i++) book.record(seen(`n${i}`, t0, `dev${i}`, "198.51.100.7", "connection"));
    expect(book.findings("n0", t0).map((f) => f.rule)).toEqual(["addressLinks"]);
    // A day later the links have lapsed, and a sweep forgets them.
    expect(book.linkedAccounts("a", t0 + 86_400_001)).toEqual([]);
    book.sweep(t0 + 86_400_001);
    expect(book.playerCount).toBe(0);
  });

  it("keeps memory bounded: players and entries per player", () => {
    const book = new ActivityBook(defaultRiskRules, { playersMax: 100, entriesPerPlayerMax: 50 });
    for (let i = 0; i < 500; i++) book.record(bet(`u${i}`, t0 + i));
    expect(book.playerCount).toBe(100);
    for (let i = 0; i < 1000; i++) book.record(bet("flood", t0 + i));
    expect(book.features("flood", t0 + 1000).betsPerMinute).toBe(50);
  });

  it("escalates one step at a time, each only stepAfterMs after the last, and stops at the last step", () => {
    const r = defaultRiskRules;
    expect(nextStep(r, "betRate", null, t0)).toBe("alert");
    expect(nextStep(r, "betRate", { stepsTaken: 1, lastStepMs: t0 }, t0 + 29_999)).toBeNull();
    expect(nextStep(r, "betRate", { stepsTaken: 1, lastStepMs: t0 }, t0 + 30_000)).toBe("limit");
    expect(nextStep(r, "betRate", { stepsTaken: 2, lastStepMs: t0 }, t0 + 30_000)).toBe("lock");
    expect(nextStep(r, "betRate", { stepsTaken: 3, lastStepMs: t0 }, t0 + 300_000)).toBeNull();
    expect(nextStep(r, "withdrawalFrequency", { stepsTaken: 1, lastStepMs: t0 }, t0 + 300_000)).toBeNull();
    expect(nextStep(r, "microStakes", { stepsTaken: 0, lastStepMs: 0 }, t0)).toBe("alert");
  });
});

describe("risk rules: the unnamed device", () => {
  it("never links accounts whose clients named no device", () => {
    const book = new ActivityBook();
    for (const user of ["a", "b", "c", "d", "e"]) book.record(seen(user, t0, "unknown", "127.0.0.1"));
    expect(book.linkedAccounts("a", t0)).toEqual([]);
    expect(book.findings("e", t0)).toEqual([]);
  });
});

describe("risk rules: collusion at hold'em", () => {
  const hand = (atMs: number, players: [string, "fold" | "win" | "lose"][], showdown = false): RiskSignal => ({
    kind: "hand",
    userId: players[0]![0],
    atMs,
    tableId: "h1",
    showdown,
    players: players.map(([userId, how]) => ({ userId, folded: how === "fold", won: how === "win" })),
  });

  it("flags two players who keep folding to each other without a showdown, and not a table that plays it out", () => {
    const book = new ActivityBook();
    for (let i = 0; i < 10; i++)
      book.record(
        hand(
          t0 + i * 60_000,
          [
            ["a", "fold"],
            ["b", "win"],
            ["c", "fold"],
          ].map(([u, h], k) => [u!, i % 2 === 0 ? h : k === 0 ? "win" : k === 1 ? "fold" : "fold"] as [string, "fold" | "win" | "lose"]),
        ),
      );
    const found = book.findings("a", t0 + 10 * 60_000).find((f) => f.rule === "collusion");
    expect(found?.evidence).toMatchObject({ tableId: "h1", partner: "b", handsFoldedWithoutShowdown: 10, handsTogether: 10 });
    expect(book.findings("b", t0 + 10 * 60_000).some((f) => f.rule === "collusion")).toBe(true);
    // Hands that reach a showdown are play, not a pattern; and an hour later the window is empty.
    const honest = new ActivityBook();
    for (let i = 0; i < 30; i++)
      honest.record(
        hand(
          t0 + i * 60_000,
          [
            ["x", "lose"],
            ["y", "win"],
          ],
          true,
        ),
      );
    expect(honest.findings("x", t0 + 30 * 60_000)).toEqual([]);
    expect(book.findings("a", t0 + 2 * 3_600_000).some((f) => f.rule === "collusion")).toBe(false);
  });

  it("needs the folding to be most of their hands together: a regular winner at a busy table is not a colluder", () => {
    const book = new ActivityBook();
    for (let i = 0; i < 30; i++)
      book.record(
        hand(
          t0 + i * 60_000,
          [
            ["a", i % 3 === 0 ? "fold" : "lose"],
            ["b", i % 3 === 0 ? "win" : "lose"],
          ],
          i % 3 !== 0,
        ),
      );
    expect(book.findings("a", t0 + 30 * 60_000).some((f) => f.rule === "collusion")).toBe(false);
  });
});
