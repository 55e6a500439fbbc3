// Requests waiting on a pending deposit: woken by a notification or by their own timer, bounded in number.
import { describe, expect, it } from "vitest";
import { DepositWaiters } from "../../src/app/payments/deposit-waiters.js";
import { ManualClock } from "../support/manual-clock.js";

describe("DepositWaiters", () => {
  it("wakes every waiter of a deposit on its notification, and the others on their timers", async () => {
    const clock = new ManualClock();
    const waiters = new DepositWaiters(clock, 10);
    const woken: string[] = [];
    void waiters.wait("d1", 5_000).done.then(() => woken.push("a"));
    void waiters.wait("d1", 5_000).done.then(() => woken.push("b"));
    void waiters.wait("d2", 1_000).done.then(() => woken.push("c"));
    expect(waiters.size).toBe(3);
    waiters.notify("d1");
    await clock.advance(0);
    expect(woken).toEqual(["a", "b"]);
    await clock.advance(999);
    expect(woken).toEqual(["a", "b"]);
    await clock.advance(1);
    expect(woken).toEqual(["a", "b", "c"]);
    expect(waiters.size).toBe(0);
    expect(clock.timers).toBe(0);
  });

  it("answers at once beyond its bound, and a cancelled waiter frees its place and its timer", async () => {
    const clock = new ManualClock();
    const waiters = new DepositWaiters(clock, 1);
    const first = waiters.wait("d1", 5_000);
    let second = false;
    await waiters.wait("d2", 5_000).done.then(() => {
      second = true;
    });
    expect(second).toBe(true);
    first.cancel();
    await first.done;
    expect([waiters.size, clock.timers]).toEqual([0, 0]);
  });
});
