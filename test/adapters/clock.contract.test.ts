// One contract for the Clock port: the system clock (Node's timers) and the manual clock tests drive.
import { describe, expect, it } from "vitest";
import { systemClock } from "../../src/adapters/node/clock.system.js";
import { sleep, type Clock } from "../../src/app/ports/clock.js";
import { ManualClock } from "../support/manual-clock.js";

const kinds: Array<{ name: string; make(): { clock: Clock; pass: (ms: number) => Promise<void> } }> = [
  { name: "system", make: () => ({ clock: systemClock, pass: (ms) => new Promise((r) => setTimeout(r, ms + 30)) }) },
  {
    name: "manual",
    make: () => {
      const clock = new ManualClock();
      return { clock, pass: (ms) => clock.advance(ms) };
    },
  },
];

for (const kind of kinds) {
  describe(`Clock contract (${kind.name})`, () => {
    it("runs timers once, in time order, never synchronously; a cancelled one never runs", async () => {
      const { clock, pass } = kind.make();
      const ran: string[] = [];
      clock.after(40, () => ran.push("b"));
      clock.after(10, () => ran.push("a"));
      clock.after(0, () => ran.push("now"));
      clock.after(20, () => ran.push("cancelled")).cancel();
      expect(ran).toEqual([]);
      await pass(60);
      expect(ran).toEqual(["now", "a", "b"]);
      await pass(60);
      expect(ran).toEqual(["now", "a", "b"]);
    });

    it("repeats `every` until cancelled, and sleeps by its own time", async () => {
      const { clock, pass } = kind.make();
      let n = 0;
      const timer = clock.every(20, () => n++);
      await pass(70);
      // The manual clock runs each period exactly; Node's intervals may run late on a loaded machine.
      if (kind.name === "manual") expect(n).toBe(3);
      else expect(n).toBeGreaterThanOrEqual(1);
      timer.cancel();
      const stopped = n;
      await pass(60);
      expect(n).toBe(stopped);
      const before = clock.nowMs();
      const slept = sleep(clock, 25);
      await pass(25);
      await slept;
      expect(clock.nowMs() - before).toBeGreaterThanOrEqual(25);
    });
  });
}
