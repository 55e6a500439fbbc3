// The reality-check scheduler alone, with a moved clock and in-memory stand-ins for its ports.
import { describe, expect, it } from "vitest";
import { RealityChecks } from "../../src/app/responsible-gaming/reality-checks.js";
import type { HostRequest } from "../../src/app/rooms/room-host.js";
import { clockAt } from "../support/manual-clock.js";

const minute = 60_000;

function setup(options: { sessions: { userId: string; sessionId: string }[]; startedMs: Record<string, number>; failResults?: { value: boolean } }) {
  let nowMs = 0;
  const published: { room: string; request: HostRequest }[] = [];
  const onceKeys = new Set<string>();
  const errors: unknown[] = [];
  const checks = new RealityChecks(
    {
      sessions: () => options.sessions,
      sessionStartedMs: async (id) => options.startedMs[id] ?? null,
      results: async () => {
        if (options.failResults?.value === true) throw new Error("database down");
        return [{ currency: "EUR", stakedMinor: 1_000n, wonMinor: 250n }];
      },
      once: async (key) => (onceKeys.has(key) ? false : (onceKeys.add(key), true)),
      rooms: {
        submit: async (room, request) => {
          published.push({ room, request });
          return { ok: true, status: "applied", offset: published.length };
        },
      },
      clock: clockAt(() => nowMs),
      onError: (error) => errors.push(error),
    },
    { realityCheckIntervalMs: 60 * minute },
  );
  return {
    checks,
    published,
    onceKeys,
    errors,
    at: (ms: number) => {
      nowMs = ms;
    },
  };
}

describe("RealityChecks", () => {
  it("tells each session once per interval since its login, with its net result", async () => {
    const t = setup({
      sessions: [
        { userId: "u1", sessionId: "s1" },
        { userId: "u1", sessionId: "s1" },
      ],
      startedMs: { s1: 0 },
    });
    t.at(10 * minute);
    await t.checks.tick();
    expect(t.published).toEqual([]);
    t.at(60 * minute);
    await t.checks.tick();
    await t.checks.tick();
    expect(t.published).toHaveLength(1);
    const request = t.published[0]?.request as Extract<HostRequest, { type: "publish" }>;
    expect(t.published[0]?.room).toBe("user:u1");
    expect(request.events).toEqual([
      {
        kind: "reality.check",
        to: "u1",
        data: {
          sessionId: "s1",
          sessionStartedAt: new Date(0).toISOString(),
          playedMs: 60 * minute,
          results: [{ currency: "EUR", staked: "10.00", won: "2.50", net: "-7.50" }],
        },
      },
    ]);
    t.at(125 * minute);
    await t.checks.tick();
    expect(t.published).toHaveLength(2);
    expect([...t.onceKeys]).toEqual(["reality:s1:1", "reality:s1:2"]);
  });

  it("gives a session first seen mid-interval its next check on time, not a late one", async () => {
    const t = setup({ sessions: [{ userId: "u2", sessionId: "s2" }], startedMs: { s2: 0 } });
    t.at(90 * minute);
    await t.checks.tick();
    expect(t.published).toEqual([]);
    t.at(120 * minute);
    await t.checks.tick();
    expect(t.published).toHaveLength(1);
  });

  it("leaves a check another node sent, and retries a failed read at the next tick", async () => {
    const failing = { value: false };
    const t = setup({
      sessions: [
        { userId: "u3", sessionId: "s3" },
        { userId: "u4", sessionId: "unknown" },
      ],
      startedMs: { s3: 0 },
      failResults: failing,
    });
    t.at(1);
    await t.checks.tick();
    t.onceKeys.add("reality:s3:1");
    t.at(61 * minute);
    await t.checks.tick();
    expect(t.published).toEqual([]);
    expect(t.errors).toEqual([]);
    failing.value = true;
    t.at(121 * minute);
    await t.checks.tick();
    expect(t.errors).toHaveLength(1);
    expect(t.published).toEqual([]);
    failing.value = false;
    t.at(122 * minute);
    await t.checks.tick();
    expect(t.published).toHaveLength(1);
    expect(t.onceKeys.has("reality:s3:2")).toBe(true);
  });
});
