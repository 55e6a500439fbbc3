// The pure rules of player limits and exclusions, table-driven.
import { describe, expect, it } from "vitest";
import { accessAt, changeLimit, exclude, judgeLimits, limitAt, noLimit, type LimitState } from "../../src/engine/responsible-gaming/index.js";

const day = 86_400_000;
const cooling = day;
const t0 = 1_800_000_000_000;
const limit = (amountMinor: bigint | null, pendingAmountMinor: bigint | null = null, pendingAtMs: number | null = null): LimitState => ({
  amountMinor,
  pendingAmountMinor,
  pendingAtMs,
});

describe("changeLimit", () => {
  it.each([
    ["a first limit applies at once", noLimit, 100n, { status: "applied", state: limit(100n) }],
    ["a lower limit applies at once", limit(100n), 50n, { status: "applied", state: limit(50n) }],
    ["the same limit changes nothing", limit(100n), 100n, { status: "applied", state: limit(100n) }],
    ["a higher limit waits for the cooling-off", limit(100n), 200n, { status: "pending", state: limit(100n, 200n, t0 + cooling) }],
    ["removing a limit waits for the cooling-off", limit(100n), null, { status: "pending", state: limit(100n, null, t0 + cooling) }],
    ["removing no limit is nothing", noLimit, null, { status: "applied", state: noLimit }],
    ["a lower limit cancels a waiting loosening", limit(100n, 500n, t0 + 10), 80n, { status: "applied", state: limit(80n) }],
    ["asking again for the waiting loosening keeps its time", limit(100n, 200n, t0 + 10), 200n, { status: "pending", state: limit(100n, 200n, t0 + 10) }],
    ["another loosening restarts the wait", limit(100n, 200n, t0 + 10), 300n, { status: "pending", state: limit(100n, 300n, t0 + cooling) }],
    ["a loosening whose wait ended is the limit", limit(100n, 200n, t0 - 1), 150n, { status: "applied", state: limit(150n) }],
  ] as const)("%s", (_name, current, requested, expected) => {
    expect(changeLimit(current, requested, t0, cooling)).toEqual(expected);
  });

  it("applies a loosening exactly when its cooling-off ends, not a millisecond before", () => {
    const pending = changeLimit(limit(100n), 200n, t0, cooling).state;
    expect(limitAt(pending, t0 + cooling - 1).amountMinor).toBe(100n);
    expect(limitAt(pending, t0 + cooling).amountMinor).toBe(200n);
    expect(limitAt(changeLimit(limit(100n), null, t0, cooling).state, t0 + cooling)).toEqual(noLimit);
  });
});

describe("judgeLimits", () => {
  const used = { day: 70n, week: 90n, month: 90n };
  it.each([
    ["no limit", [], 1_000_000n, { status: "ok" }],
    ["fits exactly", [{ period: "day", amountMinor: 100n }], 30n, { status: "ok" }],
    ["one minor unit over", [{ period: "day", amountMinor: 100n }], 31n, { status: "limit_exceeded", period: "day", limitMinor: 100n, remainingMinor: 30n }],
    [
      "the tightest breach is named",
      [
        { period: "day", amountMinor: 100n },
        { period: "week", amountMinor: 95n },
      ],
      40n,
      { status: "limit_exceeded", period: "week", limitMinor: 95n, remainingMinor: 5n },
    ],
    [
      "a limit already passed leaves nothing",
      [{ period: "month", amountMinor: 50n }],
      1n,
      { status: "limit_exceeded", period: "month", limitMinor: 50n, remainingMinor: 0n },
    ],
  ] as const)("%s", (_name, limits, amount, expected) => {
    expect(judgeLimits(amount, limits, used)).toEqual(expected);
  });
});

describe("exclusions and access", () => {
  it.each([
    ["time_out", 0, false],
    ["time_out", 1, true],
    ["time_out", 42, true],
    ["time_out", 43, false],
    ["self_exclusion", 182, false],
    ["self_exclusion", 183, true],
    ["self_exclusion", 1_826, true],
    ["self_exclusion", 1_827, false],
    ["time_out", 1.5, false],
  ] as const)("%s of %d days is allowed: %s", (kind, days, ok) => {
    expect(exclude(null, kind, days, t0).status === "ok").toBe(ok);
  });

  it("only lengthens a running exclusion", () => {
    const long = exclude(null, "self_exclusion", 183, t0);
    if (long.status !== "ok") throw new Error("refused");
    expect(exclude(long.exclusion, "time_out", 2, t0 + day)).toEqual({ status: "ok", exclusion: long.exclusion });
    const longer = exclude(long.exclusion, "self_exclusion", 365, t0 + day);
    expect(longer).toEqual({ status: "ok", exclusion: { kind: "self_exclusion", startedMs: t0 + day, untilMs: t0 + day + 365 * day } });
  });

  it("ends an exclusion at its end; a lock has none", () => {
    const exclusion = { kind: "time_out", startedMs: t0, untilMs: t0 + day } as const;
    expect(accessAt({ exclusion, lock: null }, t0 + day - 1).status).toBe("excluded");
    expect(accessAt({ exclusion, lock: null }, t0 + day).status).toBe("open");
    const lock = { lockedMs: t0, lockedBy: "op", reason: "review" };
    expect(accessAt({ exclusion, lock }, t0 + 1_000 * day).status).toBe("locked");
  });
});
